/**
 * The hashicorp/aws provider schema as `terraform providers schema -json` prints it, and its conversion to the
 * tfplugin6.Schema messages the offline provider answers GetProviderSchema with.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const PROVIDER_ADDRESS = 'registry.terraform.io/hashicorp/aws';
/** The provider version whose real schema is served: the version @cdktf/provider-aws 21.22.1 binds. */
export const SCHEMA_VERSION = '6.25.0';
export const DEFAULT_SCHEMA_FILE = path.join(__dirname, `aws-provider-${SCHEMA_VERSION}.schema.json`);

export interface JsonAttribute {
  type?: unknown;
  nested_type?: JsonNestedType;
  description?: string;
  description_kind?: string;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  deprecated?: boolean;
  write_only?: boolean;
}
export interface JsonNestedType {
  attributes: Record<string, JsonAttribute>;
  nesting_mode: string;
}
export interface JsonBlockType {
  nesting_mode: string;
  block: JsonBlock;
  min_items?: number;
  max_items?: number;
}
export interface JsonBlock {
  attributes?: Record<string, JsonAttribute>;
  block_types?: Record<string, JsonBlockType>;
  description?: string;
  description_kind?: string;
  deprecated?: boolean;
}
export interface JsonSchema {
  version?: number;
  block: JsonBlock;
}
export interface JsonProviderSchema {
  provider: JsonSchema;
  resource_schemas?: Record<string, JsonSchema>;
  data_source_schemas?: Record<string, JsonSchema>;
  ephemeral_resource_schemas?: Record<string, JsonSchema>;
}

const cache = new Map<string, JsonProviderSchema>();

/** Reads (once per process) the hashicorp/aws entry of a `terraform providers schema -json` file. */
export function readProviderSchema(file: string = DEFAULT_SCHEMA_FILE): JsonProviderSchema {
  const known = cache.get(file);
  if (known) return known;
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { provider_schemas?: Record<string, JsonProviderSchema> };
  const schema = parsed.provider_schemas?.[PROVIDER_ADDRESS];
  if (!schema) throw new Error(`${file} has no provider_schemas["${PROVIDER_ADDRESS}"]`);
  cache.set(file, schema);
  return schema;
}

// ---- Conversion to tfplugin6.Schema message objects ----

const BLOCK_NESTING: Record<string, number> = { single: 1, list: 2, set: 3, map: 4, group: 5 };
const OBJECT_NESTING: Record<string, number> = { single: 1, list: 2, set: 3, map: 4 };

function nestingMode(table: Record<string, number>, mode: string): number {
  const value = table[mode];
  if (value === undefined) throw new Error(`unknown nesting mode "${mode}"`);
  return value;
}

const descriptionKind = (kind: string | undefined): number => (kind === 'markdown' ? 1 : 0);

function toAttribute(name: string, attr: JsonAttribute): object {
  return {
    name,
    // The wire format wants the cty type as its JSON text, e.g. `"string"` or `["map","string"]`.
    type: attr.type === undefined ? undefined : Buffer.from(JSON.stringify(attr.type)),
    nested_type: attr.nested_type && {
      attributes: Object.entries(attr.nested_type.attributes).map(([n, a]) => toAttribute(n, a)),
      nesting: nestingMode(OBJECT_NESTING, attr.nested_type.nesting_mode),
    },
    description: attr.description,
    description_kind: descriptionKind(attr.description_kind),
    required: attr.required,
    optional: attr.optional,
    computed: attr.computed,
    sensitive: attr.sensitive,
    deprecated: attr.deprecated,
    write_only: attr.write_only,
  };
}

function toBlock(block: JsonBlock): object {
  return {
    attributes: Object.entries(block.attributes ?? {}).map(([name, attr]) => toAttribute(name, attr)),
    block_types: Object.entries(block.block_types ?? {}).map(([typeName, nested]) => ({
      type_name: typeName,
      block: toBlock(nested.block),
      nesting: nestingMode(BLOCK_NESTING, nested.nesting_mode),
      min_items: nested.min_items,
      max_items: nested.max_items,
    })),
    description: block.description,
    description_kind: descriptionKind(block.description_kind),
    deprecated: block.deprecated,
  };
}

export const toSchemaMessage = (schema: JsonSchema): object => ({ version: schema.version ?? 0, block: toBlock(schema.block) });
