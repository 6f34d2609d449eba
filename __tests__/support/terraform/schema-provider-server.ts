/**
 * A schema-only `hashicorp/aws` provider for offline `terraform validate`.
 *
 * It speaks Terraform plugin protocol 6 over gRPC on a unix socket, answers
 * GetProviderSchema with the real provider schema (the JSON fixture, as printed by
 * `terraform providers schema -json`) and accepts every Validate*Config call without
 * diagnostics. Terraform core then decodes each block against that schema itself:
 * unknown arguments, wrong types, missing required arguments, too many blocks, bad
 * references… The provider's own validators (enums, regexes, cross-field rules) are
 * not reproduced.
 *
 * Run it as its own process (Terraform attaches to it via TF_REATTACH_PROVIDERS):
 *
 *   node --import tsx schema-provider-server.ts --socket /tmp/x/provider.sock \
 *        [--schema <file>] [--parent-pid <pid>]
 *
 * Once listening it prints one stdout line: `READY <TF_REATTACH_PROVIDERS JSON>`.
 * SIGTERM/SIGINT (or the death of --parent-pid) stops it and removes the socket.
 * GUARDRAILS_TF_PROVIDER_LOG=1 logs every RPC to stderr.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const PROVIDER_ADDRESS = 'registry.terraform.io/hashicorp/aws';
const PROTO_FILE = path.join(__dirname, 'tfplugin6-minimal.proto');
const DEFAULT_SCHEMA_FILE = path.resolve(__dirname, '../../fixtures/aws-provider-6.25.0.schema.json');

// ---- The schema file's shape (`terraform providers schema -json`) ----

interface JsonAttribute {
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
interface JsonNestedType {
  attributes: Record<string, JsonAttribute>;
  nesting_mode: string;
}
interface JsonBlockType {
  nesting_mode: string;
  block: JsonBlock;
  min_items?: number;
  max_items?: number;
}
interface JsonBlock {
  attributes?: Record<string, JsonAttribute>;
  block_types?: Record<string, JsonBlockType>;
  description?: string;
  description_kind?: string;
  deprecated?: boolean;
}
interface JsonSchema {
  version?: number;
  block: JsonBlock;
}
interface JsonProviderSchema {
  provider: JsonSchema;
  resource_schemas?: Record<string, JsonSchema>;
  data_source_schemas?: Record<string, JsonSchema>;
  ephemeral_resource_schemas?: Record<string, JsonSchema>;
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

const toSchema = (schema: JsonSchema): object => ({ version: schema.version ?? 0, block: toBlock(schema.block) });

function mapValues<T, U>(record: Record<string, T> | undefined, fn: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record ?? {}).map(([key, value]) => [key, fn(value)]));
}

function readProviderSchema(file: string): JsonProviderSchema {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { provider_schemas?: Record<string, JsonProviderSchema> };
  const schema = parsed.provider_schemas?.[PROVIDER_ADDRESS];
  if (!schema) throw new Error(`${file} has no provider_schemas["${PROVIDER_ADDRESS}"]`);
  return schema;
}

// ---- The gRPC service ----

const SERVER_CAPABILITIES = { get_provider_schema_optional: true };

type Handler = grpc.handleUnaryCall<{ type_name?: string }, unknown>;

function createService(schema: JsonProviderSchema, log: (line: string) => void) {
  const definition = protoLoader.loadSync(PROTO_FILE, { keepCase: true, longs: Number, enums: Number, defaults: false });
  const provider = definition['tfplugin6.Provider'] as grpc.ServiceDefinition;

  // Encode the large GetProviderSchema answer once and hand gRPC the bytes on each call.
  const getSchema = provider.GetProviderSchema;
  const schemaBytes = getSchema.responseSerialize({
    provider: toSchema(schema.provider),
    resource_schemas: mapValues(schema.resource_schemas, toSchema),
    data_source_schemas: mapValues(schema.data_source_schemas, toSchema),
    ephemeral_resource_schemas: mapValues(schema.ephemeral_resource_schemas, toSchema),
    server_capabilities: SERVER_CAPABILITIES,
  });
  const service: grpc.ServiceDefinition = {
    ...provider,
    GetProviderSchema: { ...getSchema, responseSerialize: (bytes: Buffer) => bytes },
  };

  const typeNames = (record: Record<string, unknown> | undefined) =>
    Object.keys(record ?? {}).map((type_name) => ({ type_name }));
  const metadata = {
    server_capabilities: SERVER_CAPABILITIES,
    resources: typeNames(schema.resource_schemas),
    data_sources: typeNames(schema.data_source_schemas),
    ephemeral_resources: typeNames(schema.ephemeral_resource_schemas),
  };

  const answer =
    (name: string, response: unknown): Handler =>
    (call, callback) => {
      log(`${name}${call.request?.type_name ? ` ${call.request.type_name}` : ''}`);
      callback(null, response);
    };
  const implementation: grpc.UntypedServiceImplementation = {
    GetMetadata: answer('GetMetadata', metadata),
    GetProviderSchema: answer('GetProviderSchema', schemaBytes),
    ValidateProviderConfig: answer('ValidateProviderConfig', {}),
    ValidateResourceConfig: answer('ValidateResourceConfig', {}),
    ValidateDataResourceConfig: answer('ValidateDataResourceConfig', {}),
    ValidateEphemeralResourceConfig: answer('ValidateEphemeralResourceConfig', {}),
    GetFunctions: answer('GetFunctions', {}),
    StopProvider: answer('StopProvider', {}),
  };
  return { service, implementation };
}

// ---- Process lifecycle ----

function parseOptions() {
  const { values } = parseArgs({
    options: {
      socket: { type: 'string' },
      schema: { type: 'string', default: DEFAULT_SCHEMA_FILE },
      'parent-pid': { type: 'string' },
    },
  });
  if (!values.socket) throw new Error('usage: schema-provider-server --socket <path> [--schema <file>] [--parent-pid <pid>]');
  return {
    socket: path.resolve(values.socket),
    schemaFile: values.schema ?? DEFAULT_SCHEMA_FILE,
    parentPid: values['parent-pid'] ? Number(values['parent-pid']) : undefined,
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function main(): void {
  const options = parseOptions();
  const log = process.env.GUARDRAILS_TF_PROVIDER_LOG
    ? (line: string) => process.stderr.write(`[schema-provider] ${line}\n`)
    : () => undefined;
  const { service, implementation } = createService(readProviderSchema(options.schemaFile), log);

  const server = new grpc.Server();
  server.addService(service, implementation);

  const stop = (): void => {
    server.forceShutdown();
    fs.rmSync(options.socket, { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (options.parentPid !== undefined) {
    const parentPid = options.parentPid;
    setInterval(() => isAlive(parentPid) || stop(), 1000).unref();
  }

  fs.rmSync(options.socket, { force: true });
  server.bindAsync(`unix:${options.socket}`, grpc.ServerCredentials.createInsecure(), (error) => {
    if (error) {
      process.stderr.write(`schema provider could not listen on ${options.socket}: ${error.message}\n`);
      process.exit(1);
    }
    const reattach = {
      [PROVIDER_ADDRESS]: {
        Protocol: 'grpc',
        ProtocolVersion: 6,
        Pid: process.pid,
        Test: true, // unmanaged provider: Terraform 1.11 requires this to reattach without a plugin client
        Addr: { Network: 'unix', String: options.socket },
      },
    };
    process.stdout.write(`READY ${JSON.stringify(reattach)}\n`);
  });
}

try {
  main();
} catch (error) {
  process.stderr.write(`schema provider failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
