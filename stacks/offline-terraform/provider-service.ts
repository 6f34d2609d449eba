/**
 * An offline stand-in for the hashicorp/aws provider: Terraform plugin protocol 6 over gRPC on a unix socket.
 *
 * - GetProviderSchema answers with the real provider schema, so Terraform core decodes and type-checks every block
 *   itself (unknown arguments, wrong types, missing required arguments, too many blocks, bad references…). The
 *   provider's own validators (enums, regexes, cross-field rules) are not reproduced: Validate* accept everything.
 * - PlanResourceChange, ImportResourceState, ReadResource, UpgradeResourceState, ReadDataSource and
 *   OpenEphemeralResource answer generically from the schema (values.ts), so `terraform plan` runs with no AWS account
 *   and no network. Nothing AWS-specific is imitated; apply, MoveResourceState (moves between resource types) and the
 *   provider functions (`provider::aws::…`) are not offered: a plan that needs them fails with Terraform's message.
 *
 * Terraform attaches to it through TF_REATTACH_PROVIDERS (see reattachJson).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { JsonProviderSchema, JsonSchema, PROVIDER_ADDRESS, toSchemaMessage } from './provider-schema';
import { DataSourceStandIns, dataSourceValue, decodeValue, encodeValue, importedValue, plannedValue } from './values';

const PROTO_FILE = path.join(__dirname, 'tfplugin6-offline.proto');
const SERVER_CAPABILITIES = { get_provider_schema_optional: true };

export interface OfflineProviderOptions {
  /** Values ReadDataSource returns for computed attributes, per data source type (see values.ts). @default placeholders */
  readonly dataSources?: DataSourceStandIns;
  /** Receives one line per RPC. @default ignored */
  readonly log?: (line: string) => void;
}

interface DynamicValue {
  msgpack?: Buffer;
  json?: Buffer;
}
interface TypedRequest {
  type_name?: string;
  id?: string;
  config?: DynamicValue;
  prior_state?: DynamicValue;
  proposed_new_state?: DynamicValue;
  current_state?: DynamicValue;
  private?: Buffer;
  prior_private?: Buffer;
  raw_state?: { json?: Buffer };
}
type Handler = grpc.handleUnaryCall<TypedRequest, unknown>;

const definitionCache: { provider?: grpc.ServiceDefinition } = {};
const schemaBytesCache = new WeakMap<JsonProviderSchema, Buffer>();

function providerDefinition(): grpc.ServiceDefinition {
  definitionCache.provider ??= protoLoader.loadSync(PROTO_FILE, { keepCase: true, longs: Number, enums: Number, defaults: false })['tfplugin6.Provider'] as grpc.ServiceDefinition;
  return definitionCache.provider;
}

const mapValues = <T, U>(record: Record<string, T> | undefined, fn: (value: T) => U): Record<string, U> =>
  Object.fromEntries(Object.entries(record ?? {}).map(([key, value]) => [key, fn(value)]));

/** The GetProviderSchema answer, encoded once per schema: gRPC is handed the bytes on each call. */
function schemaResponseBytes(schema: JsonProviderSchema): Buffer {
  const known = schemaBytesCache.get(schema);
  if (known) return known;
  const bytes = providerDefinition().GetProviderSchema.responseSerialize({
    provider: toSchemaMessage(schema.provider),
    resource_schemas: mapValues(schema.resource_schemas, toSchemaMessage),
    data_source_schemas: mapValues(schema.data_source_schemas, toSchemaMessage),
    ephemeral_resource_schemas: mapValues(schema.ephemeral_resource_schemas, toSchemaMessage),
    server_capabilities: SERVER_CAPABILITIES,
  }) as Buffer;
  schemaBytesCache.set(schema, bytes);
  return bytes;
}

/** The gRPC service definition and implementation of the offline provider for one schema. */
export function createProviderService(schema: JsonProviderSchema, options: OfflineProviderOptions = {}) {
  const provider = providerDefinition();
  const getSchema = provider.GetProviderSchema;
  const service: grpc.ServiceDefinition = { ...provider, GetProviderSchema: { ...getSchema, responseSerialize: (bytes: Buffer) => bytes } };
  const log = options.log ?? (() => undefined);

  const typeNames = (record: Record<string, unknown> | undefined) => Object.keys(record ?? {}).map((type_name) => ({ type_name }));
  const metadata = {
    server_capabilities: SERVER_CAPABILITIES,
    resources: typeNames(schema.resource_schemas),
    data_sources: typeNames(schema.data_source_schemas),
    ephemeral_resources: typeNames(schema.ephemeral_resource_schemas),
  };

  const schemaOf = (kind: 'resource' | 'data source' | 'ephemeral resource', schemas: Record<string, JsonSchema> | undefined, typeName: string | undefined): JsonSchema => {
    const found = typeName ? schemas?.[typeName] : undefined;
    if (!found) throw new Error(`the ${kind} type "${typeName}" is not in the hashicorp/aws schema`);
    return found;
  };
  const handle =
    (name: string, respond: (request: TypedRequest) => unknown): Handler =>
    (call, callback) => {
      log(`${name}${call.request?.type_name ? ` ${call.request.type_name}` : ''}`);
      try {
        callback(null, respond(call.request ?? {}));
      } catch (error) {
        const summary = error instanceof Error ? error.message : String(error);
        callback(null, { diagnostics: [{ severity: 1, summary: `offline provider: ${summary}` }] });
      }
    };
  const answer = (name: string, response: unknown) => handle(name, () => response);

  const implementation: grpc.UntypedServiceImplementation = {
    GetMetadata: answer('GetMetadata', metadata),
    GetProviderSchema: answer('GetProviderSchema', schemaResponseBytes(schema)),
    ValidateProviderConfig: answer('ValidateProviderConfig', {}),
    ValidateResourceConfig: answer('ValidateResourceConfig', {}),
    ValidateDataResourceConfig: answer('ValidateDataResourceConfig', {}),
    ValidateEphemeralResourceConfig: answer('ValidateEphemeralResourceConfig', {}),
    GetFunctions: answer('GetFunctions', {}),
    StopProvider: answer('StopProvider', {}),
    ConfigureProvider: answer('ConfigureProvider', {}),
    // The state was written by this very schema version (6.25.0): its JSON form is already the current one.
    UpgradeResourceState: handle('UpgradeResourceState', (request) => ({ upgraded_state: { json: request.raw_state?.json ?? Buffer.from('null') } })),
    ReadResource: handle('ReadResource', (request) => ({ new_state: request.current_state, private: request.private })),
    PlanResourceChange: handle('PlanResourceChange', (request) => {
      const resource = schemaOf('resource', schema.resource_schemas, request.type_name);
      const proposed = decodeValue(request.proposed_new_state?.msgpack);
      return { planned_state: { msgpack: encodeValue(plannedValue(resource.block, proposed)) }, planned_private: request.prior_private };
    }),
    ImportResourceState: handle('ImportResourceState', (request) => {
      const resource = schemaOf('resource', schema.resource_schemas, request.type_name);
      return { imported_resources: [{ type_name: request.type_name, state: { msgpack: encodeValue(importedValue(resource.block, request.id ?? '')) } }] };
    }),
    ReadDataSource: handle('ReadDataSource', (request) => {
      const dataSource = schemaOf('data source', schema.data_source_schemas, request.type_name);
      const config = decodeValue(request.config?.msgpack);
      return { state: { msgpack: encodeValue(dataSourceValue(dataSource.block, config, options.dataSources?.[request.type_name ?? ''])) } };
    }),
    // Ephemeral resources (secrets, tokens) are answered like data sources: configured values, stand-ins for the rest.
    OpenEphemeralResource: handle('OpenEphemeralResource', (request) => {
      const ephemeral = schemaOf('ephemeral resource', schema.ephemeral_resource_schemas, request.type_name);
      const config = decodeValue(request.config?.msgpack);
      return { result: { msgpack: encodeValue(dataSourceValue(ephemeral.block, config, options.dataSources?.[request.type_name ?? ''])) } };
    }),
    RenewEphemeralResource: answer('RenewEphemeralResource', {}),
    CloseEphemeralResource: answer('CloseEphemeralResource', {}),
  };
  return { service, implementation };
}

/** The TF_REATTACH_PROVIDERS value that points Terraform at a provider listening on `socket`. */
export function reattachJson(socket: string, pid = process.pid): string {
  return JSON.stringify({
    [PROVIDER_ADDRESS]: {
      Protocol: 'grpc',
      ProtocolVersion: 6,
      Pid: pid,
      Test: true, // unmanaged provider: Terraform 1.11 requires this to reattach without a plugin client
      Addr: { Network: 'unix', String: socket },
    },
  });
}

export interface RunningProvider {
  /** TF_REATTACH_PROVIDERS for Terraform. */
  readonly reattach: string;
  stop(): void;
}

/** Serves the offline provider in this process on `socket` until stop() (the event loop must stay free meanwhile). */
export function serveOfflineProvider(schema: JsonProviderSchema, socket: string, options: OfflineProviderOptions = {}): Promise<RunningProvider> {
  const { service, implementation } = createProviderService(schema, options);
  const server = new grpc.Server();
  server.addService(service, implementation);
  fs.rmSync(socket, { force: true });
  return new Promise((resolve, reject) => {
    server.bindAsync(`unix:${socket}`, grpc.ServerCredentials.createInsecure(), (error) => {
      if (error) return reject(new Error(`the offline provider could not listen on ${socket}: ${error.message}`));
      resolve({
        reattach: reattachJson(socket),
        stop: () => {
          server.forceShutdown();
          fs.rmSync(socket, { force: true });
        },
      });
    });
  });
}
