import { z } from 'zod';
import type { GrantSpec, ResourcePolicySpec, RoleSpec } from '../../modules/access/catalog-access';
import { AccessProfile } from '../../modules/access/profile';
import { RoleTrust } from '../../modules/access/trust';
import { Billing, Capacity, MAX_CAPACITY_UNITS, MAX_COOLDOWN_SECONDS, MAX_SCHEDULE_NAME_LENGTH } from '../../modules/capacity';
import type { OnDemandOptions, ProvisionedOptions, ResolvedAutoscaling, ScheduledCapacity, WarmThroughputOptions } from '../../modules/capacity';
import { DAX_NODE_TYPES } from '../../modules/dax';
import { PROJECT_UUID } from '../../modules/governance';
import { KMS_KEY_ARN } from '../../modules/encryption';
import type { EndpointSpec } from '../../modules/network/catalog-endpoints';
import { REGION_PATTERN } from '../../modules/network/ids';
import { stableIdOf } from '../../modules/naming';
import type { ReplicaOptions } from '../../modules/replication';
import type { GlobalSecondaryIndexProps, ImportFromS3, KeyAttribute, KinesisDestinationOptions, LocalSecondaryIndexProps, RestoreFromPointInTime } from '../../modules/table';
import { MAX_KEY_NAME_LENGTH, MAX_NAME_LENGTH, MAX_PITR_DAYS, MIN_NAME_LENGTH, NAME_PATTERN, PROJECTION_TYPES, STREAM_VIEW_TYPES, TABLE_CLASSES } from '../../modules/table';
import { fieldsOf, instanceSchema, nearest, parseWithSchema } from '../../modules/validation/schema';
import { ENVIRONMENT_NAMES } from '../settings/types';
import { CATALOG_NAME, CATALOG_NAME_RULE } from './types';
import type { AccessPattern, Catalog, CatalogTable, DaxSpec } from './types';

/**
 * The run-time schema of a catalog: every value a catalog may hold, checked before any construct is built, whether
 * the catalog was written in TypeScript (where `tsc` already checks the types) or assembled from JSON or generated
 * code (where nothing else does). `fieldsOf<T>()` makes the compiler reject a schema whose fields differ from the
 * TypeScript interface, so the two cannot drift apart.
 */

/** Construct ids that EnvironmentStack itself uses at stack level; a catalog table or role must not take them. */
export const RESERVED_CONSTRUCT_IDS = ['aws', 'dynamodb_key', 'observability', 'backup', 'dax', 'governance', 'dynamodb_endpoint', 'dynamodb_interface_endpoint', 'table_exports'];

/** Construct ids are Terraform addresses: `aws_dynamodb_table.<id>`. */
const CONSTRUCT_ID = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;
const IAM_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const DYNAMODB_ACTION = /^dynamodb:[A-Za-z*]+$/;
const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;

const text = (min = 1, max = 1024) => z.string().min(min).max(max);
const units = () => z.number().int().min(1).max(MAX_CAPACITY_UNITS);
const region = () => z.string().max(32).regex(REGION_PATTERN, "must be an AWS Region such as 'us-east-1'");
const flag = () => z.boolean().optional();
const name = () =>
  z
    .string()
    .refine((value) => value.length >= MIN_NAME_LENGTH && value.length <= MAX_NAME_LENGTH, { error: (issue) => `must be ${MIN_NAME_LENGTH} to ${MAX_NAME_LENGTH} characters long, got ${String(issue.input).length}`, abort: true })
    .regex(NAME_PATTERN, "may contain only letters, digits, '_', '-' and '.'");
const list = <T extends z.ZodType>(item: T, min = 0) => z.array(item).min(min).readonly();


const keyAttribute = fieldsOf<KeyAttribute>()(z.strictObject({ name: text(1, MAX_KEY_NAME_LENGTH), type: z.enum(['S', 'N', 'B']) }));

const warmThroughput = fieldsOf<WarmThroughputOptions>()(z.strictObject({ readUnitsPerSecond: units().optional(), writeUnitsPerSecond: units().optional() }));

const schedule = fieldsOf<ScheduledCapacity>()(
  z.strictObject({
    name: text(1, MAX_SCHEDULE_NAME_LENGTH),
    schedule: text(1, 256),
    timezone: text(1, 64).optional(),
    min: units().optional(),
    max: units().optional(),
    startTime: text(1, 32).optional(),
    endTime: text(1, 32).optional(),
  }),
);
const cooldown = () => z.number().int().min(0).max(MAX_COOLDOWN_SECONDS).optional();
const autoscaling = fieldsOf<ResolvedAutoscaling>()(
  z.strictObject({ min: units(), max: units(), targetUtilization: z.number().min(20).max(90), scaleInCooldown: cooldown(), scaleOutCooldown: cooldown(), schedules: list(schedule) }),
);

/** A `Capacity` made with Capacity.autoscaled({ min, max }) or Capacity.fixed(units), checked as the user wrote it. */
const fixedCapacity = z.strictObject({ fixed: units() });
const capacity = instanceSchema(Capacity, 'must be Capacity.autoscaled({ min, max }) or Capacity.fixed(units)', (value: Capacity) =>
  value.autoscaling ? { schema: autoscaling, value: { ...value.autoscaling } } : { schema: fixedCapacity, value: { fixed: value.fixedUnits } },
);

/** A `Billing` made with Billing.onDemand({...}) or Billing.provisioned({...}): the options it was given are checked. */
const onDemandOptions = fieldsOf<OnDemandOptions>()(
  z.strictObject({ maxReadRequestUnits: units().optional(), maxWriteRequestUnits: units().optional(), warmThroughput: warmThroughput.optional() }),
);
const provisionedOptions = fieldsOf<ProvisionedOptions>()(
  z.strictObject({ readCapacity: capacity, writeCapacity: capacity, fixedCapacityWaiver: text().optional(), warmThroughput: warmThroughput.optional() }),
);
const billing = instanceSchema(Billing, 'must be Billing.onDemand({...}) or Billing.provisioned({...})', (value: Billing) =>
  value.provisioned ? { schema: provisionedOptions, value: { ...value.provisioned } } : { schema: onDemandOptions, value: { ...value.onDemand } },
);

const projection = {
  projection: z.enum(PROJECTION_TYPES as [string, ...string[]]).optional(),
  nonKeyAttributes: z
    .array(text(1, MAX_KEY_NAME_LENGTH))
    .refine((names) => new Set(names).size === names.length, 'lists an attribute twice')
    .optional(),
};

const globalSecondaryIndex = fieldsOf<GlobalSecondaryIndexProps>()(
  z.strictObject({
    indexName: name(),
    partitionKey: keyAttribute,
    sortKey: keyAttribute.optional(),
    ...projection,
    maxReadRequestUnits: units().optional(),
    maxWriteRequestUnits: units().optional(),
    readCapacity: capacity.optional(),
    writeCapacity: capacity.optional(),
    warmThroughput: warmThroughput.optional(),
  }),
);

const localSecondaryIndex = fieldsOf<LocalSecondaryIndexProps>()(z.strictObject({ indexName: name(), sortKey: keyAttribute, ...projection }));

const replica = z.union([
  region(),
  fieldsOf<ReplicaOptions>()(
    z.strictObject({ region: region(), kmsKeyArn: z.string().regex(KMS_KEY_ARN, 'must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)').optional(), deletionProtection: flag(), propagateTags: flag() }),
  ),
]);

const kinesisDestination = fieldsOf<KinesisDestinationOptions>()(
  z.strictObject({
    streams: z.union([z.literal('create'), z.record(z.string(), z.strictObject({ streamArn: text(1, 2048), keyArn: text(1, 2048) }))]).optional(),
    streamName: text(1, 128).optional(),
    retentionHours: z.number().int().optional(),
    approximateCreationDateTimePrecision: z.enum(['MILLISECOND', 'MICROSECOND']).optional(),
  }),
);

const tableSource = z.union([
  z.strictObject({
    importFromS3: fieldsOf<ImportFromS3>()(
      z.strictObject({
        bucket: text(3, 63),
        keyPrefix: text(1, 1024).optional(),
        bucketOwner: text(12, 12).optional(),
        inputFormat: z.enum(['CSV', 'DYNAMODB_JSON', 'ION']),
        compression: z.enum(['GZIP', 'ZSTD', 'NONE']).optional(),
        csv: z.strictObject({ delimiter: text(1, 1).optional(), headerList: list(text(1, 255)).optional() }).optional(),
      }),
    ),
  }),
  z.strictObject({
    restoreFromPointInTime: fieldsOf<RestoreFromPointInTime>()(
      z.strictObject({ sourceTableArn: text(1, 1024).optional(), sourceTableName: name().optional(), restoreDateTime: text(1, 64).optional() }),
    ),
  }),
]);

/** What a table may vary per environment (`environmentOverrides.<env>`), and the table's own settings. */
const tableSettings = {
  partitionKey: keyAttribute,
  sortKey: keyAttribute.optional(),
  globalSecondaryIndexes: z.array(globalSecondaryIndex).optional(),
  localSecondaryIndexes: z.array(localSecondaryIndex).optional(),
  billing: billing.optional(),
  tableClass: z.enum(TABLE_CLASSES as [string, ...string[]]).optional(),
  timeToLiveAttribute: text(1, MAX_KEY_NAME_LENGTH).optional(),
  stream: z.union([z.enum(STREAM_VIEW_TYPES as [string, ...string[]]), z.literal(false)]).optional(),
  pointInTimeRecovery: flag(),
  pointInTimeRecoveryDays: z.number().int().min(1).max(MAX_PITR_DAYS).optional(),
  deletionProtection: flag(),
  replicas: list(replica).optional(),
  multiRegionConsistency: z.enum(['EVENTUAL', 'STRONG']).optional(),
  witnessRegion: region().optional(),
  kinesisDestination: kinesisDestination.optional(),
  source: tableSource.optional(),
  importExisting: flag(),
};

const override = z.strictObject(tableSettings).partial();

const table = fieldsOf<CatalogTable>()(
  z
    .strictObject({
      id: z.string().regex(CONSTRUCT_ID, 'must be a Terraform name: a letter or _ first, then letters, digits, _ or - (at most 64)'),
      baseName: name(),
      ...tableSettings,
      environmentOverrides: z.strictObject(Object.fromEntries(ENVIRONMENT_NAMES.map((environment) => [environment, override.optional()]))).optional(),
    })
    .superRefine((value, ctx) => checkTableKeys(value as unknown as CatalogTable, ctx)),
);

const accessPattern = fieldsOf<AccessPattern>()(
  z.strictObject({
    id: text(1, 128),
    description: text(),
    table: text(1, 64),
    indexName: name().optional(),
    keyConditionExpression: text(1, 4096),
    expressionAttributeNames: z.record(z.string().regex(/^#[A-Za-z0-9_]+$/, "must be a placeholder such as '#status'"), text(1, MAX_KEY_NAME_LENGTH)).optional(),
    expressionAttributeValues: z.record(z.string().regex(/^:[A-Za-z0-9_]+$/, "must be a placeholder such as ':status'"), z.union([z.string(), z.number()])),
    scanIndexForward: flag(),
  }),
);

const grant = fieldsOf<GrantSpec>()(
  z.strictObject({
    table: text(1, 64).optional(),
    tableNamePrefix: z.string().min(1).max(MAX_NAME_LENGTH).regex(NAME_PATTERN, "may contain only letters, digits, '_', '-' and '.'").optional(),
    profile: instanceSchema(AccessProfile, 'must be an AccessProfile (AccessProfile.reader(), .writer(), .streamConsumer(), .admin() or .custom(...))'),
    indexes: flag(),
    leadingKeys: list(text(1, 2048)).optional(),
    sid: z.string().regex(/^[A-Za-z0-9]{1,100}$/, 'must be letters and digits only (an IAM statement id)').optional(),
  }),
);

const policyStatementList = z.array(z.record(z.string(), z.unknown()));

const role = fieldsOf<RoleSpec>()(
  z.strictObject({
    id: z.string().regex(CONSTRUCT_ID, 'must be a Terraform name: a letter or _ first, then letters, digits, _ or - (at most 64)'),
    roleName: z.string().regex(IAM_ROLE_NAME, 'must be an IAM role name (1 to 64 letters, digits and +=,.@_-)'),
    description: text(0, 1000).optional(),
    trust: instanceSchema(RoleTrust, 'must be a RoleTrust (RoleTrust.lambda(), .stepFunctions(), .service(...), .principals([...]) or .sameAccount())'),
    grants: list(grant),
    vpcEndpointOnly: flag(),
    sourceVpcCondition: flag(),
    denyActions: z.union([list(z.string().regex(DYNAMODB_ACTION, "must be a DynamoDB action such as 'dynamodb:DeleteTable'")), z.literal(false)]).optional(),
    additionalStatements: z.union([policyStatementList, z.custom<(...args: unknown[]) => unknown>((value) => typeof value === 'function', 'must be a list of policy statements or a function returning one')]).optional(),
    awsManagedPolicies: list(z.string().regex(/^[\w+=,.@/-]{1,512}$/, "must be an AWS managed policy path such as 'service-role/AWSLambdaVPCAccessExecutionRole'")).optional(),
  }),
);

const resourcePolicy = fieldsOf<ResourcePolicySpec>()(
  z.strictObject({
    table: text(1, 64),
    roles: list(text(1, 64)),
    outsideVpcRoles: list(text(1, 64)).optional(),
    requireVpcEndpoint: flag(),
    denyRootUser: flag(),
    denyInsecureTransport: flag(),
    protectedFrom: list(text(1, 64)).optional(),
  }),
);

const endpoint = fieldsOf<EndpointSpec>()(
  z.strictObject({
    tableNamePrefixes: list(z.string().min(1).max(MAX_NAME_LENGTH).regex(NAME_PATTERN, "may contain only letters, digits, '_', '-' and '.'"), 1),
    allowedActions: list(z.string().regex(IAM_ACTION, "must be an IAM action such as 'dynamodb:GetItem'")).optional(),
    accountLevelActions: list(z.string().regex(IAM_ACTION, "must be an IAM action such as 'dynamodb:ListTables'")).optional(),
    restrictToCatalogRoles: flag(),
  }),
);

const dax = fieldsOf<DaxSpec>()(
  z.strictObject({
    clusterName: z.string().regex(/^[a-z][a-z0-9-]{0,14}$/, 'must start with a letter and have at most 15 lowercase letters, digits and hyphens (the environment is appended; DAX allows 20 in all)'),
    tables: list(text(1, 64), 1),
    environments: list(z.enum(ENVIRONMENT_NAMES)),
    nodeType: z.enum(DAX_NODE_TYPES as [string, ...string[]]).optional(),
    clientActions: list(z.string().regex(DYNAMODB_ACTION, "must be a DynamoDB action such as 'dynamodb:GetItem'"), 1).optional(),
  }),
);

const streamConsumer = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('lambda'), functionName: z.string().regex(/^[\w-]{1,64}$/, 'must be a Lambda function name') }),
  z.strictObject({ type: z.literal('kinesis'), streamName: z.string().regex(/^[\w.-]{1,128}$/, 'must be a Kinesis stream name') }),
]);

export const catalogSchema = fieldsOf<Catalog>()(
  z
    .strictObject({
      name: z.string().regex(CATALOG_NAME, CATALOG_NAME_RULE),
      project: z.string().regex(TAG_VALUE, 'must be a tag value of 1 to 256 characters'),
      defaultRegion: region().optional(),
      tables: list(table, 1),
      accessPatterns: list(accessPattern),
      roles: list(role).optional(),
      resourcePolicies: list(resourcePolicy).optional(),
      endpoint: endpoint.optional(),
      dax: dax.optional(),
      streamConsumers: z.record(z.string(), list(streamConsumer)).optional(),
      governance: z.strictObject({ projectUuid: z.string().regex(PROJECT_UUID, 'must be 1 to 40 lowercase letters and digits (the project id in `project-<id>-*` table names)') }).optional(),
    })
    .superRefine((value, ctx) => checkReferences(value as unknown as Catalog, ctx)),
);

/** Checks a catalog before anything is built from it; throws one GuardrailError naming the catalog path. */
export function validateCatalog(catalog: unknown, source: string): Catalog {
  const named = typeof (catalog as Catalog)?.name === 'string' ? `catalog '${(catalog as Catalog).name}'` : 'catalog';
  return parseWithSchema(catalogSchema, catalog, `${named} (${source})`) as unknown as Catalog;
}

type Context = z.core.$RefinementCtx;

function fail(ctx: Context, path: PropertyKey[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

function checkTableKeys(table: CatalogTable, ctx: Context): void {
  const indexes = [
    ...(table.globalSecondaryIndexes ?? []).map((index, i) => ({ name: index.indexName, path: ['globalSecondaryIndexes', i, 'indexName'] })),
    ...(table.localSecondaryIndexes ?? []).map((index, i) => ({ name: index.indexName, path: ['localSecondaryIndexes', i, 'indexName'] })),
  ];
  checkDistinct(ctx, indexes.map(({ name, path }) => ({ value: name, path })), 'is the name of another index of this table');
  // Attribute definitions are derived from the keys: one attribute cannot be a key of two types.
  const types = new Map<string, string>();
  const keys: Array<[KeyAttribute | undefined, PropertyKey[]]> = [
    [table.partitionKey, ['partitionKey']],
    [table.sortKey, ['sortKey']],
    ...(table.globalSecondaryIndexes ?? []).flatMap((index, i): Array<[KeyAttribute | undefined, PropertyKey[]]> => [
      [index.partitionKey, ['globalSecondaryIndexes', i, 'partitionKey']],
      [index.sortKey, ['globalSecondaryIndexes', i, 'sortKey']],
    ]),
    ...(table.localSecondaryIndexes ?? []).map((index, i): [KeyAttribute | undefined, PropertyKey[]] => [index.sortKey, ['localSecondaryIndexes', i, 'sortKey']]),
  ];
  for (const [key, path] of keys) {
    if (!key) continue;
    const known = types.get(key.name);
    if (known !== undefined && known !== key.type) fail(ctx, [...path, 'type'], `makes '${key.name}' a key of type ${key.type}, but another key of this table uses it as ${known}; an attribute has one type`);
    types.set(key.name, key.type);
  }
  if (table.sortKey && table.sortKey.name === table.partitionKey.name) fail(ctx, ['sortKey', 'name'], 'is also the partition key; a sort key must be another attribute');
  (table.globalSecondaryIndexes ?? []).forEach((index, i) => {
    if (index.sortKey && index.sortKey.name === index.partitionKey.name) fail(ctx, ['globalSecondaryIndexes', i, 'sortKey', 'name'], 'is also the partition key of this index; a sort key must be another attribute');
  });
  (table.localSecondaryIndexes ?? []).forEach((index, i) => {
    if (index.sortKey.name === table.partitionKey.name) fail(ctx, ['localSecondaryIndexes', i, 'sortKey', 'name'], "is the table's partition key; a local index sorts by another attribute");
  });
}

/** Everything a catalog refers to by id must exist, and ids must stay distinct once they become Terraform names. */
function checkReferences(catalog: Catalog, ctx: Context): void {
  const tableIds = catalog.tables.map((t) => t.id);
  const roleIds = (catalog.roles ?? []).map((r) => r.id);
  checkDistinctAddresses(ctx, [
    ...catalog.tables.map((t, i) => ({ id: t.id, path: ['tables', i, 'id'] })),
    ...(catalog.roles ?? []).map((r, i) => ({ id: r.id, path: ['roles', i, 'id'] })),
  ]);
  checkDistinct(ctx, catalog.tables.map((t, i) => ({ value: t.baseName, path: ['tables', i, 'baseName'] })), 'is the name of another table of this catalog');
  checkDistinct(ctx, (catalog.roles ?? []).map((r, i) => ({ value: r.roleName, path: ['roles', i, 'roleName'] })), 'is the name of another role of this catalog');
  checkDistinct(ctx, catalog.accessPatterns.map((p, i) => ({ value: p.id, path: ['accessPatterns', i, 'id'] })), 'is the id of another access pattern');
  checkDistinct(ctx, (catalog.resourcePolicies ?? []).map((p, i) => ({ value: p.table, path: ['resourcePolicies', i, 'table'] })), 'already has a resource policy; a table has one');

  const tableRef = (path: PropertyKey[], id: string | undefined) => {
    if (id !== undefined && !tableIds.includes(id)) fail(ctx, path, unknownReference('table', id, tableIds));
  };
  const roleRef = (path: PropertyKey[], id: string) => {
    if (!roleIds.includes(id)) fail(ctx, path, unknownReference('role', id, roleIds));
  };
  catalog.accessPatterns.forEach((pattern, i) => {
    tableRef(['accessPatterns', i, 'table'], pattern.table);
    const target = catalog.tables.find((t) => t.id === pattern.table);
    const indexNames = [...(target?.globalSecondaryIndexes ?? []), ...(target?.localSecondaryIndexes ?? [])].map((index) => index.indexName);
    if (target && pattern.indexName !== undefined && !indexNames.includes(pattern.indexName)) fail(ctx, ['accessPatterns', i, 'indexName'], unknownReference(`index of table '${target.id}'`, pattern.indexName, indexNames));
  });
  (catalog.roles ?? []).forEach((role, i) =>
    role.grants.forEach((grant, j) => {
      if ((grant.table === undefined) === (grant.tableNamePrefix === undefined)) fail(ctx, ['roles', i, 'grants', j], 'needs exactly one of table or tableNamePrefix');
      tableRef(['roles', i, 'grants', j, 'table'], grant.table);
    }),
  );
  (catalog.resourcePolicies ?? []).forEach((policy, i) => {
    tableRef(['resourcePolicies', i, 'table'], policy.table);
    policy.roles.forEach((id, j) => roleRef(['resourcePolicies', i, 'roles', j], id));
    (policy.outsideVpcRoles ?? []).forEach((id, j) => roleRef(['resourcePolicies', i, 'outsideVpcRoles', j], id));
    (policy.protectedFrom ?? []).forEach((id, j) => roleRef(['resourcePolicies', i, 'protectedFrom', j], id));
  });
  catalog.dax?.tables.forEach((id, i) => tableRef(['dax', 'tables', i], id));
  // The VPC endpoint policy allows only these table names: a table outside them is unreachable through the VPC.
  const prefixes = catalog.endpoint?.tableNamePrefixes ?? [];
  catalog.tables.forEach((table, i) => {
    if (prefixes.length > 0 && !prefixes.some((prefix) => table.baseName.startsWith(prefix))) {
      fail(ctx, ['tables', i, 'baseName'], `is not covered by endpoint.tableNamePrefixes (${prefixes.join(', ')}): the catalog's roles could not reach it through the VPC endpoint; add a prefix or rename the table`);
    }
  });
  Object.keys(catalog.streamConsumers ?? {}).forEach((id) => tableRef(['streamConsumers', id], id));
}

/** Two construct ids that Terraform would give the same address (`audit-records` and `audit_records`) lose a resource. */
function checkDistinctAddresses(ctx: Context, entries: Array<{ id: string; path: PropertyKey[] }>): void {
  const seen = new Map<string, string>();
  for (const { id, path } of entries) {
    const address = stableIdOf(id);
    if (RESERVED_CONSTRUCT_IDS.includes(address)) fail(ctx, path, `is used by the stack itself (${RESERVED_CONSTRUCT_IDS.join(', ')}); choose another id`);
    else if (seen.has(address)) fail(ctx, path, `becomes the Terraform name '${address}', as '${seen.get(address)}' does; ids must stay distinct`);
    seen.set(address, id);
  }
}

function checkDistinct(ctx: Context, entries: Array<{ value: string; path: PropertyKey[] }>, problem: string): void {
  const seen = new Set<string>();
  for (const { value, path } of entries) {
    if (seen.has(value)) fail(ctx, path, problem);
    seen.add(value);
  }
}

function unknownReference(kind: string, id: string, known: readonly string[]): string {
  const suggestion = nearest(id, known);
  return `is not a ${kind} of this catalog${suggestion ? `; did you mean '${suggestion}'?` : known.length ? ` (${known.join(', ')})` : ''}`;
}
