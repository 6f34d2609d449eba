import { TerraformJson } from './types';

/**
 * Read-only helpers over synthesized Terraform JSON. cdktf writes nested blocks either as an object (blocks with at
 * most one item) or as an array, adds `"//"` metadata keys, and writes references as `${type.name.attribute}`
 * strings; everything here copes with all three.
 */

export type Json = Record<string, unknown>;

export interface ResourceEntry {
  /** `aws_dynamodb_table.documents` or `data.aws_iam_policy_document.reader` (in a module: `module.x.aws_….this`). */
  readonly address: string;
  /** The address references in the JSON use for it (`${<key>.arn}`): the address, except for resources read from a plan. */
  readonly key: string;
  readonly type: string;
  readonly name: string;
  readonly config: Json;
}

/** A whole-value reference such as `${aws_kms_key.dynamodb_key.arn}`. */
export interface Reference {
  readonly mode: 'resource' | 'data';
  readonly type: string;
  readonly name: string;
  readonly attribute: string;
  /** `aws_kms_key.dynamodb_key` / `data.aws_kms_key.shared`. */
  readonly address: string;
}

const WHOLE_REFERENCE = /^\$\{(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)\.([a-z_][a-z0-9_]*)\}$/;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for any string Terraform evaluates at plan/apply time (`${...}`): its value is not in the artifact. */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

export function parseReference(value: unknown): Reference | undefined {
  if (typeof value !== 'string') return undefined;
  const match = WHOLE_REFERENCE.exec(value);
  if (!match) return undefined;
  const mode = match[1] ? 'data' : 'resource';
  const [, , type, name, attribute] = match;
  return { mode, type, name, attribute, address: `${mode === 'data' ? 'data.' : ''}${type}.${name}` };
}

/** The single block of a `max_items = 1` block, whether written as an object or as a one-item array. */
export function block(value: unknown): Json | undefined {
  if (Array.isArray(value)) return isObject(value[0]) ? value[0] : undefined;
  return isObject(value) ? value : undefined;
}

/** All blocks of a repeated block, whether written as an array or (one block) as an object. */
export function blocks(value: unknown): Json[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** A list attribute: arrays as they are, a single string as a one-item list. */
export function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** Terraform accepts `true` and `"true"` for booleans. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

export function describe(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (typeof value === 'string') return `"${value}"`;
  return JSON.stringify(value);
}

/** Plain string comparison (not locale-aware), so ordering is identical on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function entries(section: unknown, prefix: string, type: string): ResourceEntry[] {
  if (!isObject(section)) return [];
  const ofType = section[type];
  if (!isObject(ofType)) return [];
  return Object.keys(ofType)
    .filter((name) => !name.startsWith('//') && isObject(ofType[name]))
    .sort(compareStrings)
    .map((name) => {
      const key = `${prefix}${type}.${name}`;
      return { address: addressOverride(ofType[name]) ?? key, key, type, name, config: ofType[name] as Json };
    });
}

/**
 * The real address of an entry that is not a root-module resource (`module.orders.aws_dynamodb_table.this`), as the
 * plan reader (stacks/check/plan-view.ts) records it in the entry's `"//"` metadata.
 */
function addressOverride(config: unknown): string | undefined {
  const metadata = isObject(config) ? config['//'] : undefined;
  return isObject(metadata) && typeof metadata.address === 'string' ? metadata.address : undefined;
}

/** An index over one stack's Terraform JSON. */
export class StackView {
  constructor(readonly json: TerraformJson) {}

  resources(type: string): ResourceEntry[] {
    return entries(this.json.resource, '', type);
  }

  data(type: string): ResourceEntry[] {
    return entries(this.json.data, 'data.', type);
  }

  /** Every resource of every type, in stable order. */
  allResources(): ResourceEntry[] {
    const section = this.json.resource;
    if (!isObject(section)) return [];
    return Object.keys(section)
      .filter((type) => !type.startsWith('//'))
      .sort(compareStrings)
      .flatMap((type) => this.resources(type));
  }

  /** Looks up the resource or data source a reference points at. */
  resolve(reference: Reference): ResourceEntry | undefined {
    const list = reference.mode === 'data' ? this.data(reference.type) : this.resources(reference.type);
    return list.find((entry) => entry.name === reference.name);
  }

  tables(): ResourceEntry[] {
    return this.resources('aws_dynamodb_table');
  }

  /** The `provider "aws"` configuration a resource uses (`provider = "aws.<alias>"`, or the default one). */
  providerConfig(config: Json): Json | undefined {
    const providers = isObject(this.json.provider) ? this.json.provider.aws : undefined;
    const list = blocks(providers);
    const wanted = typeof config.provider === 'string' && config.provider.startsWith('aws.') ? config.provider.slice(4) : undefined;
    return list.find((p) => (wanted === undefined ? p.alias === undefined : p.alias === wanted));
  }

  /**
   * The region a resource lives in: its own `region` argument (provider 6.x), else its provider's region. A `region`
   * known only after apply (a plan's computed value) falls back to the provider's.
   */
  regionOf(config: Json): string | undefined {
    if (typeof config.region === 'string' && !isExpression(config.region)) return config.region;
    const provider = this.providerConfig(config);
    return typeof provider?.region === 'string' && !isExpression(provider.region) ? provider.region : undefined;
  }

  /** Tags a resource ends up with: its provider's `default_tags` overridden by its own `tags`. */
  effectiveTags(config: Json): Record<string, string> {
    const result: Record<string, string> = {};
    const provider = this.providerConfig(config);
    for (const defaults of blocks(provider?.default_tags)) {
      if (isObject(defaults.tags)) Object.assign(result, stringValues(defaults.tags));
    }
    if (isObject(config.tags)) Object.assign(result, stringValues(config.tags));
    return result;
  }

  /** The account the default provider is pinned to (`allowed_account_ids` with one entry), if any. */
  accountId(): string | undefined {
    const ids = stringList(this.providerConfig({})?.allowed_account_ids);
    return ids.length === 1 ? ids[0] : undefined;
  }
}

function stringValues(map: Json): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) if (typeof value === 'string') result[key] = value;
  return result;
}

/** The table's literal name, when it is one (not a `${...}` expression). */
export function literalName(config: Json): string | undefined {
  return typeof config.name === 'string' && !isExpression(config.name) ? config.name : undefined;
}

/** Glob match with `*` (any run) and `?` (one character), as IAM, AWS Backup and Application Auto Scaling use. */
export function globMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's').test(value);
}
