/**
 * Translates a synthesized `aws_dynamodb_table` resource body (Terraform JSON as cdktf writes it) into the
 * DynamoDB `CreateTable` request the AWS provider would send, so DynamoDB Local can judge it.
 *
 * Deliberately strict and faithful:
 *  - attribute definitions, key names, types, billing mode, projection types … are passed through exactly as
 *    synthesized — nothing is repaired, defaulted away or de-duplicated; DynamoDB Local decides what is valid;
 *  - like the provider: billing_mode defaults to PROVISIONED; ProvisionedThroughput (table and each GSI) is sent
 *    only for PROVISIONED, with an unset capacity sent as 0; StreamSpecification only when stream_enabled is
 *    true; LSIs use the table's hash key;
 *  - fields the request needs (names, keys, types, capacities, flags) must be literal values: an unresolved
 *    `${...}` reference there throws a TerraformTranslationError. The one exception is an autoscaled capacity read
 *    from the live table (modules/capacity/live-capacity.ts): it gives the value the table is created with;
 *  - fields CreateTable does not carry or DynamoDB Local does not need (ttl — see updateTimeToLiveInput —,
 *    point_in_time_recovery, server_side_encryption, tags, replica, lifecycle and other meta-arguments) are
 *    ignored, whatever they contain (tokens included);
 *  - anything else (an unknown field; import_table / restore_*, which terraform-to-import-or-restore.ts translates) throws,
 *    so a new field cannot be silently dropped.
 */
import { creationUnitsOf } from '../../../modules/capacity/live-capacity';
import type {
  AttributeDefinition,
  BillingMode,
  CreateTableCommandInput,
  GlobalSecondaryIndex,
  KeySchemaElement,
  LocalSecondaryIndex,
  OnDemandThroughput,
  Projection,
  ProjectionType,
  ScalarAttributeType,
  StreamViewType,
  TableClass,
  UpdateTimeToLiveCommandInput,
  WarmThroughput,
} from '@aws-sdk/client-dynamodb';

/** A resource body from `resource.aws_dynamodb_table.<name>` in cdk.tf.json. */
export type TerraformDynamoDbTableBody = Readonly<Record<string, unknown>>;

export interface TranslateOptions {
  /** Use this table name instead of the body's `name` (tests use unique names on the shared DynamoDB Local). */
  readonly tableName?: string;
}

export class TerraformTranslationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TerraformTranslationError';
  }
}

/** Top-level fields mapped into CreateTable. */
const TRANSLATED_FIELDS = new Set([
  'name',
  'hash_key',
  'range_key',
  'attribute',
  'billing_mode',
  'read_capacity',
  'write_capacity',
  'global_secondary_index',
  'local_secondary_index',
  'stream_enabled',
  'stream_view_type',
  'deletion_protection_enabled',
  'table_class',
  'on_demand_throughput',
  'warm_throughput',
]);

/** Top-level fields that are not part of CreateTable (or not needed by DynamoDB Local); ignored. */
const IGNORED_FIELDS = new Set([
  'ttl', // applied after creation: see updateTimeToLiveInput
  'point_in_time_recovery',
  'server_side_encryption',
  'tags',
  'tags_all',
  'replica',
  'global_table_witness',
  'timeouts',
  'region',
  'id',
  // Terraform meta-arguments and cdktf metadata
  '//',
  'lifecycle',
  'provider',
  'depends_on',
  'count',
  'for_each',
  'connection',
  'provisioner',
]);

/** Fields for tables that are not created by CreateTable at all. */
const UNSUPPORTED_FIELDS = new Set([
  'import_table',
  'restore_source_name',
  'restore_source_table_arn',
  'restore_date_time',
  'restore_to_latest_time',
]);

const GSI_FIELDS = new Set([
  'name',
  'hash_key',
  'range_key',
  'projection_type',
  'non_key_attributes',
  'read_capacity',
  'write_capacity',
  'on_demand_throughput',
  'warm_throughput',
]);
const LSI_FIELDS = new Set(['name', 'range_key', 'projection_type', 'non_key_attributes']);
const ATTRIBUTE_FIELDS = new Set(['name', 'type']);
const ON_DEMAND_FIELDS = new Set(['max_read_request_units', 'max_write_request_units']);
const WARM_FIELDS = new Set(['read_units_per_second', 'write_units_per_second']);
const TTL_FIELDS = new Set(['attribute_name', 'enabled']);

/** Builds the CreateTable input the AWS provider would send for this resource body. */
export function terraformToCreateTableInput(resource: TerraformDynamoDbTableBody, options: TranslateOptions = {}): CreateTableCommandInput {
  const where = 'aws_dynamodb_table';
  const body = requireObject(resource, where);
  checkFields(body, where);

  const tableName = options.tableName ?? requireString(body, 'name', where);
  const hashKey = requireString(body, 'hash_key', where);
  const rangeKey = optionalString(body, 'range_key', where);
  const billingMode = (optionalString(body, 'billing_mode', where) ?? 'PROVISIONED') as BillingMode;
  const provisioned = billingMode === 'PROVISIONED';

  const input: CreateTableCommandInput = {
    TableName: tableName,
    KeySchema: keySchema(hashKey, rangeKey),
    AttributeDefinitions: blockList(body, 'attribute', where).map((attribute, i) => attributeDefinition(attribute, `${where}.attribute[${i}]`)),
    BillingMode: billingMode,
  };

  if (provisioned) input.ProvisionedThroughput = provisionedThroughput(body, where);

  const onDemand = onDemandThroughput(body, where);
  if (onDemand) input.OnDemandThroughput = onDemand;
  const warm = warmThroughput(body, where);
  if (warm) input.WarmThroughput = warm;

  const gsis = blockList(body, 'global_secondary_index', where);
  if (gsis.length > 0) {
    input.GlobalSecondaryIndexes = gsis.map((gsi, i) => globalSecondaryIndex(gsi, provisioned, `${where}.global_secondary_index[${i}]`));
  }

  const lsis = blockList(body, 'local_secondary_index', where);
  if (lsis.length > 0) {
    input.LocalSecondaryIndexes = lsis.map((lsi, i) => localSecondaryIndex(lsi, hashKey, `${where}.local_secondary_index[${i}]`));
  }

  if (optionalBoolean(body, 'stream_enabled', where) === true) {
    const viewType = optionalString(body, 'stream_view_type', where);
    input.StreamSpecification = { StreamEnabled: true, ...(viewType !== undefined && { StreamViewType: viewType as StreamViewType }) };
  } else {
    optionalString(body, 'stream_view_type', where); // still must not be an unresolved reference
  }

  const deletionProtection = optionalBoolean(body, 'deletion_protection_enabled', where);
  if (deletionProtection !== undefined) input.DeletionProtectionEnabled = deletionProtection;

  const tableClass = optionalString(body, 'table_class', where);
  if (tableClass !== undefined && tableClass !== '') input.TableClass = tableClass as TableClass;

  return input;
}

/**
 * The UpdateTimeToLive input for the body's `ttl` block when `ttl.enabled` is true, else undefined
 * (the provider only calls UpdateTimeToLive to enable TTL on create).
 */
export function updateTimeToLiveInput(resource: TerraformDynamoDbTableBody, options: TranslateOptions = {}): UpdateTimeToLiveCommandInput | undefined {
  const where = 'aws_dynamodb_table';
  const body = requireObject(resource, where);
  const ttl = singleBlock(body, 'ttl', where);
  if (!ttl) return undefined;
  checkBlockFields(ttl, TTL_FIELDS, `${where}.ttl`);
  if (optionalBoolean(ttl, 'enabled', `${where}.ttl`) !== true) return undefined;
  return {
    TableName: options.tableName ?? requireString(body, 'name', where),
    TimeToLiveSpecification: { AttributeName: requireString(ttl, 'attribute_name', `${where}.ttl`), Enabled: true },
  };
}

// --- blocks ---------------------------------------------------------------------------------------------------

function keySchema(hashKey: string, rangeKey: string | undefined): KeySchemaElement[] {
  const schema: KeySchemaElement[] = [{ AttributeName: hashKey, KeyType: 'HASH' }];
  if (rangeKey !== undefined) schema.push({ AttributeName: rangeKey, KeyType: 'RANGE' });
  return schema;
}

function attributeDefinition(block: Record<string, unknown>, where: string): AttributeDefinition {
  checkBlockFields(block, ATTRIBUTE_FIELDS, where);
  return {
    AttributeName: requireString(block, 'name', where),
    AttributeType: requireString(block, 'type', where) as ScalarAttributeType,
  };
}

function provisionedThroughput(block: Record<string, unknown>, where: string) {
  return {
    ReadCapacityUnits: capacityUnits(block, 'read_capacity', where) ?? 0,
    WriteCapacityUnits: capacityUnits(block, 'write_capacity', where) ?? 0,
  };
}

/**
 * A literal capacity, or an autoscaled one read from the live table at plan time: CreateTable gets the value the
 * expression gives a table that does not exist yet (verification/live-capacity.test.ts evaluates it in Terraform).
 */
function capacityUnits(block: Record<string, unknown>, key: string, where: string): number | undefined {
  const value = block[key];
  const creation = typeof value === 'string' ? creationUnitsOf(value) : undefined;
  return creation ?? optionalNumber(block, key, where);
}

function projection(block: Record<string, unknown>, where: string): Projection {
  const result: Projection = { ProjectionType: requireString(block, 'projection_type', where) as ProjectionType };
  const nonKey = optionalStringList(block, 'non_key_attributes', where);
  if (nonKey !== undefined && nonKey.length > 0) result.NonKeyAttributes = nonKey;
  return result;
}

function globalSecondaryIndex(block: Record<string, unknown>, provisioned: boolean, where: string): GlobalSecondaryIndex {
  checkBlockFields(block, GSI_FIELDS, where);
  const index: GlobalSecondaryIndex = {
    IndexName: requireString(block, 'name', where),
    KeySchema: keySchema(requireString(block, 'hash_key', where), optionalString(block, 'range_key', where)),
    Projection: projection(block, where),
  };
  if (provisioned) index.ProvisionedThroughput = provisionedThroughput(block, where);
  else {
    capacityUnits(block, 'read_capacity', where);
    capacityUnits(block, 'write_capacity', where);
  }
  const onDemand = onDemandThroughput(block, where);
  if (onDemand) index.OnDemandThroughput = onDemand;
  const warm = warmThroughput(block, where);
  if (warm) index.WarmThroughput = warm;
  return index;
}

function localSecondaryIndex(block: Record<string, unknown>, tableHashKey: string, where: string): LocalSecondaryIndex {
  checkBlockFields(block, LSI_FIELDS, where);
  return {
    IndexName: requireString(block, 'name', where),
    KeySchema: keySchema(tableHashKey, requireString(block, 'range_key', where)),
    Projection: projection(block, where),
  };
}

function onDemandThroughput(parent: Record<string, unknown>, where: string): OnDemandThroughput | undefined {
  const block = singleBlock(parent, 'on_demand_throughput', where);
  if (!block) return undefined;
  const here = `${where}.on_demand_throughput`;
  checkBlockFields(block, ON_DEMAND_FIELDS, here);
  const result: OnDemandThroughput = {};
  const read = optionalNumber(block, 'max_read_request_units', here);
  const write = optionalNumber(block, 'max_write_request_units', here);
  if (read !== undefined) result.MaxReadRequestUnits = read;
  if (write !== undefined) result.MaxWriteRequestUnits = write;
  return result;
}

function warmThroughput(parent: Record<string, unknown>, where: string): WarmThroughput | undefined {
  const block = singleBlock(parent, 'warm_throughput', where);
  if (!block) return undefined;
  const here = `${where}.warm_throughput`;
  checkBlockFields(block, WARM_FIELDS, here);
  const result: WarmThroughput = {};
  const read = optionalNumber(block, 'read_units_per_second', here);
  const write = optionalNumber(block, 'write_units_per_second', here);
  if (read !== undefined) result.ReadUnitsPerSecond = read;
  if (write !== undefined) result.WriteUnitsPerSecond = write;
  return result;
}

// --- field access -----------------------------------------------------------------------------------------------

function fail(message: string): never {
  throw new TerraformTranslationError(message);
}

const isReference = (value: string) => value.includes('${');

function rejectReference(value: unknown, where: string): void {
  if (typeof value === 'string' && isReference(value)) {
    fail(`${where} is an unresolved Terraform reference (${JSON.stringify(value)}); DynamoDB Local needs a literal value here`);
  }
}

function requireObject(value: unknown, where: string): Record<string, unknown> {
  rejectReference(value, where);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${where} must be an object, got ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

function checkFields(body: Record<string, unknown>, where: string): void {
  for (const key of Object.keys(body)) {
    if (UNSUPPORTED_FIELDS.has(key)) {
      if (body[key] === undefined || body[key] === null || body[key] === false) continue;
      fail(`${where}.${key}: tables created by import or restore are not made with CreateTable; not supported`);
    }
    if (!TRANSLATED_FIELDS.has(key) && !IGNORED_FIELDS.has(key)) {
      fail(`${where}.${key}: unknown field; teach terraform-to-create-table.ts whether it maps to CreateTable or is ignored`);
    }
  }
}

function checkBlockFields(block: Record<string, unknown>, allowed: ReadonlySet<string>, where: string): void {
  for (const key of Object.keys(block)) {
    if (!allowed.has(key)) fail(`${where}.${key}: unknown field`);
  }
}

function optionalString(block: Record<string, unknown>, key: string, where: string): string | undefined {
  const value = block[key];
  if (value === undefined || value === null) return undefined;
  rejectReference(value, `${where}.${key}`);
  if (typeof value !== 'string') fail(`${where}.${key} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

function requireString(block: Record<string, unknown>, key: string, where: string): string {
  const value = optionalString(block, key, where);
  if (value === undefined) fail(`${where}.${key} is required`);
  return value;
}

/** Terraform accepts numbers and numeric strings for number attributes. */
function optionalNumber(block: Record<string, unknown>, key: string, where: string): number | undefined {
  const value = block[key];
  if (value === undefined || value === null) return undefined;
  rejectReference(value, `${where}.${key}`);
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return fail(`${where}.${key} must be a number, got ${JSON.stringify(value)}`);
}

/** Terraform accepts booleans and "true"/"false" strings for bool attributes. */
function optionalBoolean(block: Record<string, unknown>, key: string, where: string): boolean | undefined {
  const value = block[key];
  if (value === undefined || value === null) return undefined;
  rejectReference(value, `${where}.${key}`);
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return fail(`${where}.${key} must be a boolean, got ${JSON.stringify(value)}`);
}

function optionalStringList(block: Record<string, unknown>, key: string, where: string): string[] | undefined {
  const value = block[key];
  if (value === undefined || value === null) return undefined;
  rejectReference(value, `${where}.${key}`);
  if (!Array.isArray(value)) fail(`${where}.${key} must be a list of strings, got ${JSON.stringify(value)}`);
  return value.map((item, i) => {
    rejectReference(item, `${where}.${key}[${i}]`);
    if (typeof item !== 'string') fail(`${where}.${key}[${i}] must be a string, got ${JSON.stringify(item)}`);
    return item;
  });
}

/** A repeatable block: cdktf writes a list of objects (a lone object is accepted too). */
function blockList(block: Record<string, unknown>, key: string, where: string): Record<string, unknown>[] {
  const value = block[key];
  if (value === undefined || value === null) return [];
  rejectReference(value, `${where}.${key}`);
  const items = Array.isArray(value) ? value : [value];
  return items.map((item, i) => requireObject(item, `${where}.${key}[${i}]`));
}

/** A single nested block: cdktf writes an object (a list of at most one object is accepted too). */
function singleBlock(block: Record<string, unknown>, key: string, where: string): Record<string, unknown> | undefined {
  const items = blockList(block, key, where);
  if (items.length > 1) fail(`${where}.${key} must be a single block, got ${items.length}`);
  return items[0];
}
