/**
 * A Terraform plan (`terraform show -json <planfile>`) as the Terraform JSON the compliance rules read
 * (modules/compliance): every resource instance and data source of every module with its real address, its planned
 * values, and, where the configuration says where a value comes from, the reference to it (the rules follow
 * `kms_key_arn = aws_kms_key.k.arn` to the key, whether or not the plan knows the ARN yet).
 *
 * Terraform's JSON plan format (Terraform docs, "JSON Output Format"): `planned_values` holds the known values,
 * `resource_changes[].change.after_unknown` marks the unknown ones, `prior_state` holds the data sources read during
 * the plan, and `configuration` holds each argument's expression (`constant_value` or `references`) per module.
 */
import { isObject, Json } from '../../modules/compliance/terraform';
import { TerraformJson } from '../../modules/compliance/types';
import { ConfigModule, ConfigResource, PlanJson, PlanModule, PlannedResource } from '../offline-terraform/plan';
import { STRING_PLACEHOLDER } from '../offline-terraform/values';

/** True for the JSON of `terraform show -json` of a saved plan. */
export function isPlanJson(value: unknown): value is PlanJson {
  return isObject(value) && typeof value.format_version === 'string' && (isObject(value.planned_values) || Array.isArray(value.resource_changes));
}

interface Instance {
  readonly resource: PlannedResource;
  /** The module instance it is in: `module.a["x"].module.b.` or '' (resource addresses in it start so). */
  readonly modulePrefix: string;
  /** The name it has in the Terraform JSON given to the rules (unique, reference-safe). */
  readonly key: string;
}

/** A value the rules cannot read from the artifact (isExpression is true, parseReference is not). */
const UNVERIFIABLE = '${known_only_after_apply}';

/** The plan as Terraform JSON with one entry per resource instance; each entry's `"//".address` is its real address. */
export function terraformJsonOfPlan(plan: PlanJson): TerraformJson {
  // Data sources read while planning are in prior_state; its managed resources are the state before the change.
  const dataRead = planned(priorRoot(plan)).filter((instance) => instance.resource.mode === 'data');
  const instances = [...planned(plan.planned_values?.root_module), ...dataRead].filter(uniqueAddress());
  const byAddress = new Map(instances.map((instance) => [instance.resource.address, instance]));
  const configs = configurationIndex(plan.configuration?.root_module, '');
  const unknowns = new Map((plan.resource_changes ?? []).map((change) => [change.address, change.change.after_unknown]));

  const byArn = arnIndex(instances);
  const json: { resource: Record<string, Record<string, Json>>; data: Record<string, Record<string, Json>>; provider?: Json } = { resource: {}, data: {} };
  for (const instance of instances) {
    const { resource, modulePrefix } = instance;
    const config = configs.get(`${configurationPath(modulePrefix)}${resource.mode === 'data' ? 'data.' : ''}${resource.type}.${resource.name}`);
    const resolve: Resolve = {
      reference: (reference) => referenceTo(reference, modulePrefix, resource, byAddress, plan.configuration?.root_module),
      arn: (arn) => byArn.get(arn),
    };
    const values = merged(resource.values ?? {}, unknowns.get(resource.address), config?.expressions ?? NO_CONFIGURATION, resolve) as Json;
    const section = resource.mode === 'data' ? json.data : json.resource;
    section[resource.type] ??= {};
    if (section[resource.type][instance.key]) throw new Error(`${resource.address} and another instance map to the same name ${instance.key}`);
    const providerKey = (config as { provider_config_key?: string } | undefined)?.provider_config_key;
    const alias = providerKey?.includes('.') ? providerKey.slice(providerKey.lastIndexOf('.') + 1) : undefined;
    section[resource.type][instance.key] = { ...values, ...(alias ? { provider: `aws.${alias}` } : {}), '//': { address: resource.address } };
  }
  const providers = providerBlocks(plan);
  if (providers.length > 0) json.provider = { aws: providers };
  return json;
}

/**
 * A function that gives a finding's text with the names the rules saw (`aws_kms_key.r_module_2e_keyed…`) put back as
 * real addresses (`module.keyed[0].aws_kms_key.this`), also inside `${…}` references.
 */
export function realAddressesOf(json: TerraformJson): (text: string) => string {
  const addresses = new Map<string, string>();
  for (const [prefix, section] of [['', json.resource], ['data.', json.data]] as const) {
    for (const [type, named] of Object.entries(isObject(section) ? section : {})) {
      for (const [key, config] of Object.entries(isObject(named) ? named : {})) {
        const metadata = isObject(config) && isObject(config['//']) ? config['//'] : undefined;
        if (typeof metadata?.address === 'string') addresses.set(`${prefix}${type}.${key}`, metadata.address);
      }
    }
  }
  return (text) => (addresses.size === 0 ? text : text.replace(/(data\.)?[a-z][a-z0-9_]*\.r_[A-Za-z0-9_]+/g, (name) => addresses.get(name) ?? name));
}

/**
 * Planned ARNs that belong to exactly one instance: a known ARN that reached an argument through a local, a module
 * input or a module output (which the plan's configuration does not trace) is still that resource's.
 */
function arnIndex(instances: readonly Instance[]): Map<string, Resolved> {
  const owners = new Map<string, Instance[]>();
  for (const instance of instances) {
    const arn = instance.resource.values?.arn;
    if (typeof arn === 'string' && arn.startsWith('arn:')) owners.set(arn, [...(owners.get(arn) ?? []), instance]);
  }
  const index = new Map<string, Resolved>();
  for (const [arn, [owner, ...others]] of owners) {
    if (others.length > 0) continue;
    const prefix = owner.resource.mode === 'data' ? 'data.' : '';
    index.set(arn, { text: `\${${prefix}${owner.resource.type}.${owner.key}.arn}`, value: arn });
  }
  return index;
}

function priorRoot(plan: PlanJson): PlanModule | undefined {
  const prior = plan.prior_state as { values?: { root_module?: PlanModule } } | undefined;
  return prior?.values?.root_module;
}

function uniqueAddress() {
  const seen = new Set<string>();
  return (instance: Instance) => !seen.has(instance.resource.address) && Boolean(seen.add(instance.resource.address));
}

function planned(module: PlanModule | undefined, prefix = ''): Instance[] {
  if (!module) return [];
  const own = (module.resources ?? []).map((resource) => ({ resource, modulePrefix: prefix, key: instanceKey(resource) }));
  const children = (module.child_modules ?? []).flatMap((child) => planned(child, `${child.address ?? ''}.`));
  return [...own, ...children];
}

/** An address without its keys: `module.a["x.y"].aws_t.n[0].replica[eu-west-1]` → `module.a.aws_t.n.replica`. */
export const withoutKeys = (address: string): string => address.replace(/\[("(\\.|[^"\\])*"|[^\]]*)\]/g, '');

/** `module.a["x"].module.b.` → `module.a.module.b.`: configuration is per module, not per module instance. */
const configurationPath = withoutKeys;

/**
 * A name the rules' reference syntax accepts, different for every address: letters and digits stay, every other
 * character becomes `_<hex>_` (`module.orders.aws_x.this["a.b"]` → `module_2e_orders_2e__5b__22_a_2e_b_22__5d_`…).
 */
function instanceKey(resource: PlannedResource): string {
  const withoutType = resource.address.replace(`${resource.mode === 'data' ? 'data.' : ''}${resource.type}.`, '');
  return `r_${withoutType.replace(/[^A-Za-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16)}_`)}`;
}

function configurationIndex(module: ConfigModule | undefined, prefix: string): Map<string, ConfigResource> {
  const index = new Map<string, ConfigResource>();
  if (!module) return index;
  for (const resource of module.resources ?? []) index.set(`${prefix}${resource.address}`, resource);
  for (const [name, call] of Object.entries(module.module_calls ?? {})) {
    for (const [address, resource] of configurationIndex(call.module, `${prefix}module.${name}.`)) index.set(address, resource);
  }
  return index;
}

/** The expressions of a resource or block Terraform has no configuration for (a `dynamic` block's content). */
const NO_CONFIGURATION = Symbol('no configuration');
/** Several configured blocks could be this planned one (a set block whose distinguishing argument is not a constant). */
const AMBIGUOUS = Symbol('ambiguous');

/** How a value's source is found: by the reference its expression makes, or by the planned ARN it equals. */
interface Resolve {
  reference(reference: string): Resolved | undefined;
  arn(arn: string): Resolved | undefined;
}
interface Resolved {
  /** `${aws_kms_key.<key>.arn}` */
  readonly text: string;
  /** The referenced attribute's planned value, when the plan knows it. */
  readonly value: unknown;
}

/**
 * The value as the rules read it:
 * - where the configuration is one reference the plan contains (`aws_kms_key.k.arn`), that reference: when the value
 *   is unknown, or known and equal to the referenced attribute's (so the expression is that reference, not a
 *   template around it);
 * - else the planned value; an unknown one (or a stand-in of the offline plan) becomes UNVERIFIABLE;
 * - nulls and empty lists are left out: Terraform treats them as not set, and so does synthesized JSON.
 * A computed attribute the configuration does not set (`arn`) is left out too. Without any configuration for the
 * block (`dynamic` content) or when the block cannot be matched to one, an unknown value is UNVERIFIABLE.
 */
function merged(value: unknown, unknown: unknown, expression: unknown, resolve: Resolve): unknown {
  const reference = singleReference(expression, resolve);
  const isUnknown = unknown === true || value === STRING_PLACEHOLDER;
  // A known string that is the referenced attribute (an ARN, an id, a policy document) is followed to its resource;
  // other known values (a list of zone names) stay literal, as the rules that read them expect.
  if (reference && (isUnknown || (typeof value === 'string' && reference.value === value))) return reference.text;
  if (!reference && typeof value === 'string' && value.startsWith('arn:')) {
    const owner = resolve.arn(value);
    if (owner) return owner.text;
  }
  if (isUnknown) {
    if (expression === undefined) return null;
    return UNVERIFIABLE;
  }
  if (Array.isArray(value)) {
    const items = value.map((item, i) => merged(item, Array.isArray(unknown) ? unknown[i] : undefined, itemExpression(value, item, i, expression, resolve), resolve));
    const kept = items.filter((item) => item !== null);
    return kept.length > 0 ? kept : null;
  }
  if (isObject(value)) {
    const result: Json = {};
    const unknownObject = isObject(unknown) ? unknown : {};
    const expressions = isObject(expression) && !isLeafExpression(expression) ? expression : undefined;
    for (const key of new Set([...Object.keys(value), ...Object.keys(unknownObject)])) {
      const inner = expressions ? (key in expressions ? expressions[key] : isBlockList(value[key]) ? NO_CONFIGURATION : undefined) : expression === NO_CONFIGURATION || expression === AMBIGUOUS ? expression : undefined;
      const item = merged(value[key] ?? null, unknownObject[key], inner, resolve);
      if (item !== null) result[key] = item;
    }
    return result;
  }
  return value;
}

const isLeafExpression = (expression: Json) => 'references' in expression || 'constant_value' in expression;
/** Planned blocks with no expression in the configuration come from a `dynamic` block. */
const isBlockList = (value: unknown) => Array.isArray(value) && value.length > 0 && value.every(isObject);

function referencesOf(expression: unknown): string[] {
  return isObject(expression) && Array.isArray(expression.references) ? expression.references.filter((r): r is string => typeof r === 'string') : [];
}

/** The references of an expression without their prefixes (`aws_kms_key.k.arn`, not also `aws_kms_key.k`). */
function specificReferences(expression: unknown): string[] {
  const references = referencesOf(expression);
  return references.filter((r) => !references.some((o) => o.startsWith(`${r}.`) || o.startsWith(`${r}[`)));
}

/** The reference an expression makes, when it makes exactly one that resolves (not `jsonencode({... several ...})`). */
function singleReference(expression: unknown, resolve: Resolve): Resolved | undefined {
  if (!isObject(expression) || 'constant_value' in expression) return undefined;
  const specific = specificReferences(expression);
  return specific.length === 1 ? resolve.reference(specific[0]) : undefined;
}

/**
 * The expression of one element of a list. A list argument has one expression for the whole list: element i is its
 * i-th reference when the list has as many elements as references (`resources = [a.arn, b.arn]`). Nested blocks have
 * one expression per block; set blocks (`replica`, `global_secondary_index`) are planned in their own order, so a
 * block is matched by its constant arguments (`region_name = "eu-west-1"`), and only when exactly one block agrees.
 */
function itemExpression(list: readonly unknown[], item: unknown, index: number, expression: unknown, resolve: Resolve): unknown {
  if (expression === NO_CONFIGURATION || expression === AMBIGUOUS) return expression;
  if (!Array.isArray(expression)) {
    const specific = specificReferences(expression);
    if (specific.length > 1 && specific.length === list.length && resolve.reference(specific[index])) return { references: [specific[index]] };
    return specific.length > 1 ? AMBIGUOUS : expression;
  }
  if (!isObject(item)) return expression[index];
  const constants = (candidate: unknown) => (isObject(candidate) ? Object.entries(candidate).filter(([, e]) => isObject(e) && 'constant_value' in e) : []);
  const agrees = (candidate: unknown) => constants(candidate).every(([key, e]) => JSON.stringify((e as Json).constant_value) === JSON.stringify(item[key] ?? null));
  const candidates = expression.filter((candidate) => isObject(candidate) && agrees(candidate));
  // Positive evidence: a constant argument this block has too (`region_name = "eu-west-1"`).
  const evidenced = candidates.filter((candidate) => constants(candidate).length > 0);
  if (evidenced.length === 1) return evidenced[0];
  // Without evidence a block is matched only when every planned block has its configured one (no `dynamic` blocks
  // beside them) and just one fits.
  if (list.length === expression.length && candidates.length === 1) return candidates[0];
  return AMBIGUOUS;
}

const REFERENCE = /^(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)(\[[^\]]+\])?\.([a-z_][a-z0-9_]*)/;

/**
 * `aws_kms_key.k.arn` in `module.x` → `${aws_kms_key.<key of module.x.aws_kms_key.k>.arn}`, when that resource is in
 * the plan. A module output (`module.payments.table_arn`) is followed to the output's expression when that is one
 * reference, into the module instance of the same key (or the only one).
 */
function referenceTo(reference: string, modulePrefix: string, from: PlannedResource, instances: Map<string, Instance>, root: ConfigModule | undefined, depth = 0): Resolved | undefined {
  const output = /^module\.([A-Za-z_][A-Za-z0-9_-]*)(\[[^\]]+\])?\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(reference);
  if (output) {
    if (depth > 10) return undefined;
    const [, name, index, outputName] = output;
    const called = moduleAt(root, configurationPath(modulePrefix))?.module_calls?.[name]?.module as (ConfigModule & { outputs?: Record<string, { expression?: unknown }> }) | undefined;
    const specific = specificReferences(called?.outputs?.[outputName]?.expression);
    const childPrefix = moduleInstancePrefix(`${modulePrefix}module.${name}`, index, instances);
    return specific.length === 1 && childPrefix ? referenceTo(specific[0], childPrefix, from, instances, root, depth + 1) : undefined;
  }
  const match = REFERENCE.exec(reference);
  if (!match) return undefined;
  const [, data, type, name, index, attribute] = match;
  const base = `${modulePrefix}${data ?? ''}${type}.${name}`;
  const candidates = index ? [`${base}${index}`] : [base, ...(from.index !== undefined ? [`${base}[${JSON.stringify(from.index)}]`] : [])];
  const target = candidates.map((address) => instances.get(address)).find((instance) => instance !== undefined);
  return target ? { text: `\${${data ?? ''}${type}.${target.key}.${attribute}}`, value: target.resource.values?.[attribute] ?? undefined } : undefined;
}

/** `module.x` + `[0]` → `module.x[0].`; without an index, the call's only instance (with or without a key). */
function moduleInstancePrefix(call: string, index: string | undefined, instances: Map<string, Instance>): string | undefined {
  if (index) return `${call}${index}.`;
  const prefixes = new Set([...instances.values()].map((i) => i.modulePrefix).filter((p) => p === `${call}.` || (p.startsWith(`${call}[`) && !p.slice(call.length).includes('.module.'))));
  const own = [...prefixes].filter((p) => /^\[[^\]]*\]\.$/.test(p.slice(call.length)) || p === `${call}.`);
  return own.length === 1 ? own[0] : undefined;
}

/** The configuration of the module at `module.a.module.b.` ('' for the root). */
function moduleAt(root: ConfigModule | undefined, prefix: string): ConfigModule | undefined {
  const names = prefix.split('.').filter((part, i) => i % 2 === 1 && part !== '');
  return names.reduce<ConfigModule | undefined>((module, name) => module?.module_calls?.[name]?.module, root);
}

/** `provider "aws"` blocks from the root module's provider configurations: their constant arguments only. */
function providerBlocks(plan: PlanJson): Json[] {
  const configs = (plan.configuration as { provider_config?: Record<string, { name?: string; alias?: string; module_address?: string; expressions?: Json }> } | undefined)?.provider_config ?? {};
  return Object.values(configs)
    .filter((config) => config.name === 'aws' && !config.module_address)
    .map((config) => ({ ...(constantValues(config.expressions ?? {}) as Json), ...(config.alias ? { alias: config.alias } : {}) }));
}

function constantValues(expressions: unknown): unknown {
  if (Array.isArray(expressions)) return expressions.map(constantValues).filter((value) => value !== undefined);
  if (!isObject(expressions)) return undefined;
  if ('constant_value' in expressions) return expressions.constant_value;
  if ('references' in expressions) return undefined;
  const result = Object.entries(expressions).map(([key, value]) => [key, constantValues(value)] as const).filter(([, value]) => value !== undefined);
  return Object.fromEntries(result);
}
