/**
 * A Terraform plan (`terraform show -json <planfile>`) as the Terraform JSON the compliance rules read
 * (modules/compliance): every resource and data source of every module, with its real address, its planned values,
 * and, where the plan cannot know a value yet, the configuration's reference to what provides it
 * (`kms_key_arn = aws_kms_key.k.arn` is unknown until apply; the rules follow the reference to the key).
 *
 * Terraform's JSON plan format (Terraform docs, "JSON Output Format"): `planned_values` holds the known values,
 * `resource_changes[].change.after_unknown` marks the unknown ones, `prior_state` holds data sources read during the
 * plan, and `configuration` holds each argument's expression (`constant_value` or `references`) per module.
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
  /** `module.a.module.b.` or '' */
  readonly modulePrefix: string;
  /** The name it has in the Terraform JSON given to the rules (unique, reference-safe). */
  readonly key: string;
}

const UNKNOWN_EXPRESSION = '${unknown_until_apply}';

/** The plan as Terraform JSON with one entry per resource instance; each entry's `"//".address` is its real address. */
export function terraformJsonOfPlan(plan: PlanJson): TerraformJson {
  const instances = [...planned(plan.planned_values?.root_module), ...planned(priorRoot(plan))].filter(uniqueAddress());
  const keys = new Map(instances.map((instance) => [instance.resource.address, instance]));
  const configs = configurationIndex(plan.configuration?.root_module, '');
  const unknowns = new Map((plan.resource_changes ?? []).map((change) => [change.address, change.change.after_unknown]));

  const json: { resource: Record<string, Record<string, Json>>; data: Record<string, Record<string, Json>>; provider?: Json } = { resource: {}, data: {} };
  for (const instance of instances) {
    const { resource, modulePrefix } = instance;
    const config = configs.get(`${modulePrefix}${resource.mode === 'data' ? 'data.' : ''}${resource.type}.${resource.name}`);
    const resolveReference = (reference: string) => referenceTo(reference, modulePrefix, resource, keys, plan.configuration?.root_module);
    const values = merged(resource.values ?? {}, unknowns.get(resource.address), config?.expressions, resolveReference) as Json;
    const section = resource.mode === 'data' ? json.data : json.resource;
    section[resource.type] ??= {};
    const providerKey = (config as { provider_config_key?: string } | undefined)?.provider_config_key;
    const alias = providerKey?.includes('.') ? providerKey.slice(providerKey.lastIndexOf('.') + 1) : undefined;
    section[resource.type][instance.key] = { ...values, ...(alias ? { provider: `aws.${alias}` } : {}), '//': { address: resource.address } };
  }
  const providers = providerBlocks(plan);
  if (providers.length > 0) json.provider = { aws: providers };
  return json;
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
  const own = (module.resources ?? []).map((resource) => ({ resource, modulePrefix: prefix, key: instanceKey(resource.address) }));
  const children = (module.child_modules ?? []).flatMap((child) => planned(child, `${moduleAddressOf(child.address)}.`));
  return [...own, ...children];
}

/** `module.a["x"].module.b` → `module.a.module.b`: configuration is per module, not per module instance. */
const moduleAddressOf = (address: string | undefined) => (address ?? '').replace(/\[[^\]]*\]/g, '');

/** A name the rules' reference syntax accepts, unique per address: `module.orders.aws_x.this[0]` → `module_orders__this_0_`. */
function instanceKey(address: string): string {
  const parts = address.split('.');
  const withoutType = [...parts.slice(0, parts.length - 2).filter((p) => p !== 'data'), parts[parts.length - 1]].join('.');
  const base = withoutType.replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[A-Za-z_]/.test(base) ? base : `r_${base}`;
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

/**
 * Known values as planned. A value unknown until apply (or a stand-in of the offline plan) becomes the reference its
 * expression makes, so the rules can follow it; configured but without a reference they can follow, an opaque
 * expression; not configured at all (a computed attribute such as `arn`), absent, as in synthesized JSON.
 */
function merged(value: unknown, unknown: unknown, expression: unknown, resolve: (reference: string) => string | undefined): unknown {
  if (unknown === true || value === STRING_PLACEHOLDER) {
    const references = referencesOf(expression);
    if (expression === undefined) return null;
    const specific = references.filter((r) => !references.some((o) => o.startsWith(`${r}.`) || o.startsWith(`${r}[`)));
    const targets = [...new Set(specific.map(resolve))];
    // Only an expression that is one reference is that reference (`aws_kms_key.k.arn`); jsonencode({... several ...}) is not.
    if (targets.length === 1 && targets[0] !== undefined) return targets[0];
    return value === STRING_PLACEHOLDER ? value : UNKNOWN_EXPRESSION;
  }
  if (Array.isArray(value)) {
    // Nested blocks have one expression per block; a list argument has one expression for the whole list.
    const itemExpression = (item: unknown, i: number) => (Array.isArray(expression) ? matchingExpression(item, expression, i) : expression);
    return value.map((item, i) => merged(item, Array.isArray(unknown) ? unknown[i] : undefined, itemExpression(item, i), resolve));
  }
  if (isObject(value)) {
    const result: Json = {};
    const unknownObject = isObject(unknown) ? unknown : {};
    const expressionObject = isObject(expression) && !('references' in expression) && !('constant_value' in expression) ? expression : {};
    for (const key of new Set([...Object.keys(value), ...Object.keys(unknownObject)])) {
      const item = merged(value[key] ?? null, unknownObject[key], expressionObject[key], resolve);
      if (item !== null || key in value) result[key] = item;
    }
    return result;
  }
  return value;
}

/**
 * The configured block a planned block comes from. Set blocks (`replica`, `global_secondary_index`) are planned in
 * their own order, so a block is matched by its constant arguments (`region_name = "eu-west-1"`), else by position.
 */
function matchingExpression(item: unknown, expressions: readonly unknown[], index: number): unknown {
  if (!isObject(item)) return expressions[index];
  const agrees = (expression: unknown) =>
    isObject(expression) &&
    Object.entries(expression).every(([key, e]) => !isObject(e) || !('constant_value' in e) || JSON.stringify(e.constant_value) === JSON.stringify(item[key]));
  const constants = (expression: unknown) => (isObject(expression) ? Object.values(expression).filter((e) => isObject(e) && 'constant_value' in e).length : 0);
  const candidates = expressions.filter(agrees);
  return candidates.length > 0 ? candidates.reduce((best, e) => (constants(e) > constants(best) ? e : best)) : expressions[index];
}

function referencesOf(expression: unknown): string[] {
  return isObject(expression) && Array.isArray(expression.references) ? expression.references.filter((r): r is string => typeof r === 'string') : [];
}

const REFERENCE = /^(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)(\[[^\]]+\])?\.([a-z_][a-z0-9_]*)/;

/**
 * `aws_kms_key.k.arn` in `module.x` → `${aws_kms_key.module_x__k.arn}`, when that resource is in the plan. A module
 * output (`module.payments.table_arn`) is followed to the expression of the output, when that is one reference.
 */
function referenceTo(reference: string, modulePrefix: string, from: PlannedResource, instances: Map<string, Instance>, root: ConfigModule | undefined, depth = 0): string | undefined {
  const output = /^module\.([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(reference);
  if (output && depth < 10) {
    const called = moduleAt(root, modulePrefix)?.module_calls?.[output[1]]?.module as (ConfigModule & { outputs?: Record<string, { expression?: unknown }> }) | undefined;
    const references = referencesOf(called?.outputs?.[output[2]]?.expression);
    const specific = references.filter((r) => !references.some((o) => o.startsWith(`${r}.`) || o.startsWith(`${r}[`)));
    return specific.length === 1 ? referenceTo(specific[0], `${modulePrefix}module.${output[1]}.`, from, instances, root, depth + 1) : undefined;
  }
  const match = REFERENCE.exec(reference);
  if (!match) return undefined;
  const [, data, type, name, index, attribute] = match;
  const base = `${modulePrefix}${data ?? ''}${type}.${name}`;
  const candidates = index ? [`${base}${index}`] : [base, ...(from.index !== undefined ? [`${base}[${JSON.stringify(from.index)}]`] : []), `${base}[0]`];
  const target = candidates.map((address) => instances.get(address)).find((instance) => instance !== undefined);
  return target ? `\${${data ?? ''}${type}.${target.key}.${attribute}}` : undefined;
}

/** The configuration of the module at `module.a.module.b.` ('' for the root). */
function moduleAt(root: ConfigModule | undefined, prefix: string): ConfigModule | undefined {
  const names = prefix.split('.').filter((part, i) => i % 2 === 1 && part !== '');
  return names.reduce<ConfigModule | undefined>((module, name) => module?.module_calls?.[name]?.module, root);
}

/** `provider "aws"` blocks from the root module's provider configurations (constant arguments only). */
function providerBlocks(plan: PlanJson): Json[] {
  const configs = (plan.configuration as { provider_config?: Record<string, { name?: string; alias?: string; module_address?: string; expressions?: Json }> } | undefined)?.provider_config ?? {};
  return Object.values(configs)
    .filter((config) => config.name === 'aws' && !config.module_address)
    .map((config) => ({ ...(constantValues(config.expressions ?? {}) as Json), ...(config.alias ? { alias: config.alias } : {}) }));
}

function constantValues(expressions: unknown): unknown {
  if (Array.isArray(expressions)) return expressions.map(constantValues);
  if (!isObject(expressions)) return undefined;
  if ('constant_value' in expressions) return expressions.constant_value;
  if ('references' in expressions) return UNKNOWN_EXPRESSION;
  return Object.fromEntries(Object.entries(expressions).map(([key, value]) => [key, constantValues(value)]));
}
