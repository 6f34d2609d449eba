/**
 * Values of the offline provider: cty's msgpack encoding (the DynamicValue of plugin protocol 6) and the generic,
 * schema-driven answers to PlanResourceChange, ImportResourceState and ReadDataSource.
 *
 * Nothing here knows AWS. A planned value is Terraform's own proposed value (configuration merged with the prior
 * state, if any) in which every computed attribute that has no value yet is unknown ("known after apply"), in nested
 * blocks too. What a plan with this provider proves is Terraform core's
 * evaluation: expressions, variables and their validations, count/for_each, preconditions and postconditions, check,
 * import and moved blocks.
 */
import { decode, encode, ExtensionCodec } from '@msgpack/msgpack';
import { JsonAttribute, JsonBlock } from './provider-schema';

/** An unknown value: cty writes it as msgpack extension 0 (refined unknowns as extension 12; refinements are dropped). */
export class Unknown {
  static readonly instance = new Unknown();
  private constructor() {}
}
const UNKNOWN = Unknown.instance;
const UNKNOWN_EXTENSION = 0;
const REFINED_UNKNOWN_EXTENSION = 12;

const codec = new ExtensionCodec();
codec.register({
  type: UNKNOWN_EXTENSION,
  encode: (value) => (value instanceof Unknown ? new Uint8Array([0]) : null),
  decode: () => UNKNOWN,
});
codec.register({ type: REFINED_UNKNOWN_EXTENSION, encode: () => null, decode: () => UNKNOWN });

export type Value = unknown;
type ObjectValue = Record<string, Value>;

export function decodeValue(bytes: Uint8Array | undefined): Value {
  if (!bytes || bytes.length === 0) return null;
  return decode(bytes, { extensionCodec: codec, useBigInt64: true });
}

export function encodeValue(value: Value): Buffer {
  return Buffer.from(encode(value, { extensionCodec: codec, useBigInt64: true, ignoreUndefined: false }));
}

const isObjectValue = (value: Value): value is ObjectValue =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown) && !(value instanceof Uint8Array);

/** Applies `fn` to each element of a nested collection (single object, list/set array, or map of objects). */
function eachElement(value: Value, nesting: string, fn: (element: Value) => Value): Value {
  if (value === null || value instanceof Unknown) return value;
  if (nesting === 'single' || nesting === 'group') return fn(value);
  if (Array.isArray(value)) return value.map(fn);
  if (nesting === 'map' && isObjectValue(value)) return Object.fromEntries(Object.entries(value).map(([key, element]) => [key, fn(element)]));
  return value;
}

/** The planned state of one resource instance. Write-only attributes are never kept in a plan. */
export function plannedValue(block: JsonBlock, proposed: Value): Value {
  if (!isObjectValue(proposed)) return proposed;
  const planned: ObjectValue = { ...proposed };
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    planned[name] = plannedAttribute(attribute, planned[name] ?? null);
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    planned[name] = eachElement(planned[name] ?? null, nested.nesting_mode, (element) => plannedValue(nested.block, element));
  }
  return planned;
}

function plannedAttribute(attribute: JsonAttribute, value: Value): Value {
  if (attribute.write_only) return null;
  if (value === null) return attribute.computed ? UNKNOWN : null;
  const nested = attribute.nested_type;
  if (!nested) return value;
  const block: JsonBlock = { attributes: nested.attributes };
  return eachElement(value, nested.nesting_mode, (element) => plannedValue(block, element));
}

/** The state an `import` block starts from: the import id as `id`, every other attribute null, no nested blocks. */
export function importedValue(block: JsonBlock, id: string): ObjectValue {
  const state = emptyValue(block);
  if (block.attributes?.id) state.id = id;
  return state;
}

function emptyValue(block: JsonBlock): ObjectValue {
  const value: ObjectValue = {};
  for (const name of Object.keys(block.attributes ?? {})) value[name] = null;
  for (const [name, nested] of Object.entries(block.block_types ?? {})) value[name] = emptyCollection(nested.nesting_mode);
  return value;
}

const emptyCollection = (nesting: string): Value => (nesting === 'list' || nesting === 'set' ? [] : nesting === 'map' ? {} : null);

/**
 * Stand-in values for data sources: what the offline provider answers ReadDataSource with. Configured arguments are
 * kept; each computed attribute the configuration leaves null gets the value named for its data source type here, or
 * else a placeholder of its type (the string `offline-stand-in`, 0, false, an empty collection, an object of
 * placeholders). Terraform requires a data source's result to be wholly known, so "unknown" is not an option.
 */
export interface DataSourceStandIns {
  /** Data source type → attribute → value (JSON, of the attribute's type). */
  readonly [dataSourceType: string]: Readonly<Record<string, unknown>>;
}

export const STRING_PLACEHOLDER = 'offline-stand-in';

export function dataSourceValue(block: JsonBlock, config: Value, given: Readonly<Record<string, unknown>> = {}): Value {
  if (!isObjectValue(config)) return config;
  const state: ObjectValue = { ...config };
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    if ((state[name] ?? null) !== null || !attribute.computed) continue;
    state[name] = name in given ? conform(attribute.type, given[name]) : attribute.nested_type ? emptyCollection(attribute.nested_type.nesting_mode) : placeholder(attribute.type);
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    state[name] = eachElement(state[name] ?? emptyCollection(nested.nesting_mode), nested.nesting_mode, (element) => dataSourceValue(nested.block, element));
  }
  return state;
}

/** A given value with every attribute its object type has (the missing ones null), at every level. */
function conform(type: unknown, value: Value): Value {
  if (!Array.isArray(type) || value === null || value === undefined) return value ?? null;
  const [kind, element] = type as [string, unknown];
  if ((kind === 'list' || kind === 'set') && Array.isArray(value)) return value.map((item) => conform(element, item));
  if (kind === 'map' && isObjectValue(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, conform(element, item)]));
  if (kind === 'object' && isObjectValue(element) && isObjectValue(value)) {
    return Object.fromEntries(Object.entries(element).map(([name, t]) => [name, conform(t, value[name] ?? null)]));
  }
  return value;
}

/** A known value of a cty type given in its JSON form (`"string"`, `["list","string"]`, `["object",{...}]`). */
function placeholder(type: unknown): Value {
  if (type === 'string') return STRING_PLACEHOLDER;
  if (type === 'number') return 0;
  if (type === 'bool') return false;
  if (Array.isArray(type)) {
    const [kind, element] = type as [string, unknown];
    if (kind === 'list' || kind === 'set' || kind === 'tuple') return [];
    if (kind === 'map') return {};
    if (kind === 'object' && isObjectValue(element)) return Object.fromEntries(Object.entries(element).map(([name, t]) => [name, placeholder(t)]));
  }
  return null;
}
