/**
 * Consumer root modules for the generated modules: positive examples (they must pass `terraform validate`) and
 * negative ones (each must fail with the Terraform error summary it documents). The AuditFlow example is derived from
 * the same catalog the TypeScript stacks deploy, so both paths describe the same tables.
 */
import { Billing } from '../../modules/capacity';
import { TABLE_DEFAULTS } from '../../modules/table/defaults';
import { auditFlowCatalog } from '../catalogs/auditflow';
import { CatalogTable } from '../catalogs/types';
import { MODULE_AWS_PROVIDER_SOURCE, MODULE_AWS_PROVIDER_VERSION, MODULE_TERRAFORM_VERSION } from '../module-stack';
import { hclValue, raw } from './hcl';
import { DYNAMODB_ACCESS_POLICY_MODULE } from './dynamodb-access-policy';
import { DYNAMODB_TABLE_MODULE } from './dynamodb-table';
import { VPC_ENDPOINT_MODULE } from './vpc-endpoint';
import { DAX_CLUSTER_MODULE } from './dax-cluster';

/** Example key ARNs: literal, so the module's validations can check them at `terraform validate` time. */
export const EXAMPLE_KMS_KEY_ARNS: Readonly<Record<string, string>> = {
  'ap-south-1': 'arn:aws:kms:ap-south-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  'us-east-1': 'arn:aws:kms:us-east-1:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab',
  'eu-west-1': 'arn:aws:kms:eu-west-1:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab',
};

export interface ExampleFile {
  /** Directory under `examples/`, e.g. `dynamodb-table` or `invalid/unknown-argument`. */
  readonly dir: string;
  readonly title: string;
  readonly mainTf: string;
  /** For negative examples: the summary of the Terraform error `terraform validate` (or `plan`) reports. */
  readonly expectedError?: string;
  /** For negative examples: text the error detail contains. */
  readonly expectedDetail?: string;
  /**
   * For negative examples: the first command that rejects it. `plan` for rules that read other variables: Terraform
   * checks those only once every value is known, which `terraform validate` does not wait for. @default 'validate'
   */
  readonly failsAt?: 'validate' | 'plan';
}

/** True for an example `terraform validate` must accept: the valid ones and those only `terraform plan` rejects. */
export const passesValidate = (example: ExampleFile): boolean => !example.expectedError || example.failsAt === 'plan';

type Args = Record<string, unknown>;

function autoscalingArgs(capacity: { autoscaling?: { min: number; max: number; targetUtilization: number } }) {
  return { min_capacity: capacity.autoscaling!.min, max_capacity: capacity.autoscaling!.max, target_utilization: capacity.autoscaling!.targetUtilization };
}

/** Module arguments for a catalog table; only settings that differ from the module defaults are written. */
export function tableModuleArguments(table: CatalogTable, tableName: string, kmsKeyArn: string): Args {
  const billing = table.billing ?? Billing.onDemand();
  const args: Args = { name: tableName, partition_key: { name: table.partitionKey.name, type: table.partitionKey.type } };
  if (table.sortKey) args.sort_key = { name: table.sortKey.name, type: table.sortKey.type };
  args.kms_key_arn = kmsKeyArn;
  if (billing.provisioned) {
    const capacity = billing.capacityOf()!;
    if (!capacity.read.autoscaling || !capacity.write.autoscaling) throw new Error(`${table.id}: the module offers provisioned capacity only with autoscaling`);
    args.billing_mode = 'PROVISIONED';
    args.autoscaling = {
      read: { min_capacity: capacity.read.autoscaling.min, max_capacity: capacity.read.autoscaling.max, target_utilization: capacity.read.autoscaling.targetUtilization },
      write: { min_capacity: capacity.write.autoscaling.min, max_capacity: capacity.write.autoscaling.max, target_utilization: capacity.write.autoscaling.targetUtilization },
    };
  } else if (billing.onDemand.maxReadRequestUnits !== undefined || billing.onDemand.maxWriteRequestUnits !== undefined) {
    args.on_demand_throughput = { max_read_request_units: billing.onDemand.maxReadRequestUnits, max_write_request_units: billing.onDemand.maxWriteRequestUnits };
  }
  if (table.globalSecondaryIndexes?.length) {
    args.global_secondary_indexes = table.globalSecondaryIndexes.map((gsi) => {
      const own = (capacity: typeof gsi.readCapacity) => capacity?.autoscaling;
      if ((gsi.readCapacity && !own(gsi.readCapacity)) || (gsi.writeCapacity && !own(gsi.writeCapacity))) throw new Error(`${table.id}: fixed per-index capacity is not offered by the module`);
      const tableCapacity = billing.capacityOf();
      const indexCapacity = gsi.readCapacity || gsi.writeCapacity ? billing.capacityOf(gsi) : undefined;
      const capped = gsi.maxReadRequestUnits !== undefined || gsi.maxWriteRequestUnits !== undefined;
      return {
        name: gsi.indexName,
        partition_key: { name: gsi.partitionKey.name, type: gsi.partitionKey.type },
        sort_key: gsi.sortKey ? { name: gsi.sortKey.name, type: gsi.sortKey.type } : undefined,
        projection_type: (gsi.projection ?? TABLE_DEFAULTS.projection) === TABLE_DEFAULTS.projection ? undefined : gsi.projection,
        non_key_attributes: gsi.nonKeyAttributes,
        ...(capped ? { on_demand_throughput: { max_read_request_units: gsi.maxReadRequestUnits, max_write_request_units: gsi.maxWriteRequestUnits } } : {}),
        ...(gsi.warmThroughput ? { warm_throughput: { read_units_per_second: gsi.warmThroughput.readUnitsPerSecond, write_units_per_second: gsi.warmThroughput.writeUnitsPerSecond } } : {}),
        ...(indexCapacity && tableCapacity ? { autoscaling: { read: autoscalingArgs(indexCapacity.read), write: autoscalingArgs(indexCapacity.write) } } : {}),
      };
    });
  }
  if (table.localSecondaryIndexes?.length) {
    args.local_secondary_indexes = table.localSecondaryIndexes.map((lsi) => ({
      name: lsi.indexName,
      sort_key: { name: lsi.sortKey.name, type: lsi.sortKey.type },
      projection_type: (lsi.projection ?? TABLE_DEFAULTS.projection) === TABLE_DEFAULTS.projection ? undefined : lsi.projection,
      non_key_attributes: lsi.nonKeyAttributes,
    }));
  }
  if (table.tableClass && table.tableClass !== TABLE_DEFAULTS.tableClass) args.table_class = table.tableClass;
  if (table.stream === false) args.stream_enabled = false;
  else if (table.stream && table.stream !== TABLE_DEFAULTS.streamViewType) args.stream_view_type = table.stream;
  if (table.timeToLiveAttribute) args.ttl_attribute_name = table.timeToLiveAttribute;
  if (table.pointInTimeRecoveryDays !== undefined && table.pointInTimeRecoveryDays !== TABLE_DEFAULTS.pointInTimeRecoveryDays) {
    args.point_in_time_recovery_period_in_days = table.pointInTimeRecoveryDays;
  }
  if (table.replicas?.length) throw new Error(`${table.id}: map replicas with their key ARNs by hand`);
  return args;
}

/** `module "<name>" { ... }` with aligned, multi-line arguments. */
export function moduleBlock(name: string, source: string, args: Args): string {
  const entries = Object.entries(args).filter(([, v]) => v !== undefined);
  const width = Math.max('source'.length, ...entries.map(([k]) => k.length));
  const lines = [`  ${'source'.padEnd(width)} = "${source}"`, ...entries.map(([k, v]) => `  ${k.padEnd(width)} = ${hclValue(v, '  ')}`)];
  return `module "${name}" {\n${lines.join('\n')}\n}\n`;
}

function rootPreamble(region: string, comment: string): string {
  return [
    `# ${comment}`,
    '# Generated by npm run modules; do not edit.',
    '',
    'terraform {',
    `  required_version = "${MODULE_TERRAFORM_VERSION}"`,
    '  required_providers {',
    `    aws = { source = "${MODULE_AWS_PROVIDER_SOURCE}", version = "${MODULE_AWS_PROVIDER_VERSION}" }`,
    '  }',
    '}',
    '',
    '# The caller owns the provider (and the backend); the modules declare neither.',
    'provider "aws" {',
    `  region = "${region}"`,
    '}',
    '',
  ].join('\n');
}

function output(name: string, value: string): string {
  return `output "${name}" {\n  value = ${value}\n}\n`;
}

const TABLE_SOURCE = `../../${DYNAMODB_TABLE_MODULE}`;
const ACCESS_SOURCE = `../../${DYNAMODB_ACCESS_POLICY_MODULE}`;

/** The call shown in the dynamodb-table README. */
export function tableReadmeCall(): string {
  const documents = auditFlowCatalog.tables.find((t) => t.id === 'documents')!;
  return moduleBlock('documents', `<git source>//${DYNAMODB_TABLE_MODULE}?ref=v<version>`, tableModuleArguments(documents, documents.baseName, EXAMPLE_KMS_KEY_ARNS['ap-south-1']));
}

function tableExample(): ExampleFile {
  const region = auditFlowCatalog.defaultRegion ?? 'ap-south-1';
  const calls = auditFlowCatalog.tables.map((table) => moduleBlock(table.id, TABLE_SOURCE, tableModuleArguments(table, table.baseName, EXAMPLE_KMS_KEY_ARNS[region])));
  const global = moduleBlock('sessions', TABLE_SOURCE, {
    providers: raw('{ aws = aws.us_east_1 }'),
    name: 'example-sessions',
    partition_key: { name: 'session_id', type: 'S' },
    sort_key: { name: 'created_at', type: 'N' },
    kms_key_arn: EXAMPLE_KMS_KEY_ARNS['us-east-1'],
    billing_mode: 'PROVISIONED',
    autoscaling: { read: { min_capacity: 5, max_capacity: 100 }, write: { min_capacity: 5, max_capacity: 50, target_utilization: 60 } },
    global_secondary_indexes: [
      { name: 'user-index', partition_key: { name: 'user_id', type: 'S' }, sort_key: { name: 'created_at', type: 'N' }, projection_type: 'INCLUDE', non_key_attributes: ['status'], warm_throughput: { read_units_per_second: 13000 }, autoscaling: { read: { min_capacity: 2, max_capacity: 40 }, write: { min_capacity: 2, max_capacity: 20 } } },
    ],
    warm_throughput: { read_units_per_second: 15000, write_units_per_second: 5000 },
    timeouts: { update: '2h' },
    contributor_insights: 'THROTTLED_KEYS',
    local_secondary_indexes: [{ name: 'expiry-index', sort_key: { name: 'expires_at', type: 'N' }, projection_type: 'KEYS_ONLY' }],
    ttl_attribute_name: 'expires_at',
    replicas: [{ region_name: 'eu-west-1', kms_key_arn: EXAMPLE_KMS_KEY_ARNS['eu-west-1'] }],
    resource_policy: {
      allowed_principal_arns: ['arn:aws:iam::111111111111:role/sessions-api'],
      exempt_principal_arns: ['arn:aws:iam::111111111111:role/terraform-deployer'],
      vpc_endpoint_ids: ['vpce-0123456789abcdef0'],
      cross_account_principal_arns: ['arn:aws:iam::222222222222:role/reporting'],
      outside_vpc_principal_arns: ['arn:aws:iam::222222222222:role/reporting'],
    },
    stream_resource_policy: { allowed_principal_arns: ['arn:aws:iam::111111111111:role/sessions-stream'], exempt_principal_arns: ['arn:aws:iam::111111111111:role/terraform-deployer'] },
    tags: { Project: 'example', Owner: 'platform' },
  });
  const mainTf = [
    rootPreamble(region, 'The AuditFlow tables of seeds 002/003 (from stacks/catalogs/auditflow), plus a provisioned global table with every option.'),
    ...calls,
    '# A provisioned, autoscaled global table in us-east-1 with a replica in eu-west-1 and a resource policy. The module',
    '# uses whatever provider it is given; here an aliased one for the other Region.',
    'provider "aws" {',
    '  alias  = "us_east_1"',
    '  region = "us-east-1"',
    '}',
    '',
    global,
    output('documents_table_arn', 'module.documents.table_arn'),
    output('documents_stream_arn', 'module.documents.stream_arn'),
    output('audit_records_table_arn', 'module.audit_records.table_arn'),
    output('sessions_replica_arns', 'module.sessions.replica_arns'),
  ].join('\n');
  return { dir: DYNAMODB_TABLE_MODULE, title: 'AuditFlow tables and a global table', mainTf };
}

/** The call shown in the dynamodb-access-policy README. */
export function accessPolicyReadmeCall(): string {
  return moduleBlock('documents_access', `<git source>//${DYNAMODB_ACCESS_POLICY_MODULE}?ref=v<version>`, {
    table_arn: 'arn:aws:dynamodb:ap-south-1:111111111111:table/AuditFlow-Documents',
    kms_key_arn: EXAMPLE_KMS_KEY_ARNS['ap-south-1'],
    source_vpce_ids: ['vpce-0123456789abcdef0'],
  });
}

function accessPolicyExample(): ExampleFile {
  const literal = moduleBlock('documents_access', ACCESS_SOURCE, {
    table_arn: 'arn:aws:dynamodb:ap-south-1:111111111111:table/AuditFlow-Documents',
    kms_key_arn: EXAMPLE_KMS_KEY_ARNS['ap-south-1'],
    leading_keys: ['LOAN#*'],
    source_vpce_ids: ['vpce-0123456789abcdef0'],
    create_managed_policies: true,
    policy_name_prefix: 'auditflow-documents',
  });
  const table = moduleBlock('audit_records', TABLE_SOURCE, {
    name: 'AuditFlow-AuditRecords',
    partition_key: { name: 'audit_record_id', type: 'S' },
    kms_key_arn: EXAMPLE_KMS_KEY_ARNS['ap-south-1'],
  });
  const wired = [
    'module "audit_records_access" {',
    `  source      = "${ACCESS_SOURCE}"`,
    '  table_arn   = module.audit_records.table_arn',
    `  kms_key_arn = "${EXAMPLE_KMS_KEY_ARNS['ap-south-1']}"`,
    '}',
    '',
    '# Attach a profile to a role of your own, e.g. as an inline policy.',
    'resource "aws_iam_role_policy" "audit_reader" {',
    '  name   = "auditflow-audit-records-reader"',
    '  role   = "auditflow-report-function"',
    '  policy = module.audit_records_access.reader_policy_json',
    '}',
    '',
  ].join('\n');
  const mainTf = [
    rootPreamble('ap-south-1', 'Least-privilege policies for an existing table (literal ARN) and for a table created by the dynamodb-table module.'),
    literal,
    table,
    wired,
    output('documents_managed_policy_arns', 'module.documents_access.managed_policy_arns'),
    output('documents_writer_policy_json', 'module.documents_access.writer_policy_json'),
  ].join('\n');
  return { dir: DYNAMODB_ACCESS_POLICY_MODULE, title: 'Policies for an existing and a module-created table', mainTf };
}

/** A valid call with one change, placed under examples/invalid/<case>/ (so the source is three levels up). */
function invalidTable(name: string, title: string, change: (args: Args) => Args, expectedError: string, expectedDetail: string, failsAt: 'validate' | 'plan' = 'validate'): ExampleFile {
  const base: Args = {
    name: 'example-invalid',
    partition_key: { name: 'id', type: 'S' },
    kms_key_arn: EXAMPLE_KMS_KEY_ARNS['ap-south-1'],
  };
  const mainTf = [rootPreamble('ap-south-1', `Must FAIL terraform ${failsAt}: ${title}.`), moduleBlock('table', `../../../${DYNAMODB_TABLE_MODULE}`, change(base))].join('\n');
  return { dir: `invalid/${name}`, title, mainTf, expectedError, expectedDetail, ...(failsAt === 'plan' ? { failsAt } : {}) };
}

/** Negative examples whose rule reads another variable: `terraform validate` accepts them, `terraform plan` does not. */
function planTimeInvalidExamples(): ExampleFile[] {
  const atPlan = (name: string, title: string, change: (args: Args) => Args, expectedDetail: string) => invalidTable(name, title, change, INVALID_VALUE, expectedDetail, 'plan');
  return [
    atPlan('pitr-off-without-waiver', 'point-in-time recovery off without a waiver_reason (dynamodb:002)', (a) => ({ ...a, point_in_time_recovery_enabled: false }), 'turning point-in-time recovery off (dynamodb:002) needs a waiver_reason'),
    atPlan('deletion-protection-off-without-waiver', 'deletion protection off without a waiver_reason (dynamodb:003)', (a) => ({ ...a, deletion_protection_enabled: false }), 'turning deletion protection off (dynamodb:003) needs a waiver_reason'),
    atPlan('provisioned-without-autoscaling', 'PROVISIONED billing without autoscaling (dynamodb:004)', (a) => ({ ...a, billing_mode: 'PROVISIONED' }), 'PROVISIONED tables need autoscaling'),
    atPlan('replicas-without-streams', 'replicas with streams off (global tables replicate through streams)', (a) => ({ ...a, stream_enabled: false, replicas: [{ region_name: 'eu-west-1', kms_key_arn: EXAMPLE_KMS_KEY_ARNS['eu-west-1'] }] }), 'global tables replicate through streams'),
  ];
}

const INVALID_VALUE = 'Invalid value for variable';

function invalidAccessPolicy(name: string, title: string, args: Args, expectedError: string, expectedDetail: string): ExampleFile {
  const mainTf = [rootPreamble('ap-south-1', `Must FAIL terraform validate: ${title}.`), moduleBlock('access', `../../../${DYNAMODB_ACCESS_POLICY_MODULE}`, args)].join('\n');
  return { dir: `invalid/${name}`, title, mainTf, expectedError, expectedDetail };
}

/** Negative examples: each documents one guardrail Terraform enforces at validate time. */
function invalidExamples(): ExampleFile[] {
  const gsi = (i: number) => ({ name: `index-${String(i).padStart(2, '0')}`, partition_key: { name: `key_${i}`, type: 'S' } });
  return [
    invalidTable('unknown-argument', 'a misspelt argument (deletion_protection instead of deletion_protection_enabled)', (a) => ({ ...a, deletion_protection: false }), 'Unsupported argument', 'deletion_protection'),
    invalidTable('short-waiver-reason', 'a waiver_reason that does not say why (dynamodb:002/003 waivers)', (a) => ({ ...a, deletion_protection_enabled: false, waiver_reason: 'because' }), INVALID_VALUE, 'must say why'),
    invalidTable('kms-alias', 'an AWS-managed key alias instead of a customer-managed key ARN (dynamodb:001)', (a) => ({ ...a, kms_key_arn: 'alias/aws/dynamodb' }), INVALID_VALUE, 'must be a KMS key ARN'),
    invalidTable('pitr-36-days', 'a PITR period beyond 35 days', (a) => ({ ...a, point_in_time_recovery_period_in_days: 36 }), INVALID_VALUE, 'from 1 to 35'),
    invalidTable('gsi-cap-zero', 'an index cap of 0 request units', (a) => ({ ...a, global_secondary_indexes: [{ ...gsi(1), on_demand_throughput: { max_read_request_units: 0 } }] }), INVALID_VALUE, 'max request units must be whole numbers of at least 1'),
    invalidTable('cross-account-table-admin', 'a cross-account grant of DeleteTable (table management never leaves the account)', (a) => ({ ...a, resource_policy: { allowed_principal_arns: ['arn:aws:iam::111111111111:role/api'], exempt_principal_arns: ['arn:aws:iam::111111111111:role/terraform-deployer'], cross_account_principal_arns: ['arn:aws:iam::222222222222:role/reporting'], cross_account_actions: ['dynamodb:DeleteTable'] } }), INVALID_VALUE, 'cross_account_actions item and read actions only'),
    invalidTable('gsi-autoscaling-min-above-max', "an index's own autoscaling with min above max", (a) => ({ ...a, global_secondary_indexes: [{ ...gsi(1), autoscaling: { read: { min_capacity: 10, max_capacity: 5 }, write: { min_capacity: 1, max_capacity: 5 } } }] }), INVALID_VALUE, "an index's own autoscaling needs whole min_capacity"),
    invalidTable('bad-region', 'a Region that is not one', (a) => ({ ...a, region: 'europe' }), INVALID_VALUE, "region: must be an AWS Region such as 'eu-west-1'"),
    invalidTable('bad-timeout', 'a timeout that is not a duration', (a) => ({ ...a, timeouts: { update: '2 hours' } }), INVALID_VALUE, 'must be a duration such as'),
    invalidTable('contributor-insights-mode', 'an unknown Contributor Insights mode', (a) => ({ ...a, contributor_insights: 'ALL_KEYS' }), INVALID_VALUE, 'contributor_insights: must be'),
    invalidTable('warm-throughput-zero', 'a warm throughput of 0', (a) => ({ ...a, warm_throughput: { read_units_per_second: 0 } }), INVALID_VALUE, 'warm_throughput: units per second must be whole numbers of at least 1'),
    invalidTable('too-many-gsis', '21 global secondary indexes', (a) => ({ ...a, global_secondary_indexes: Array.from({ length: 21 }, (_, i) => gsi(i + 1)) }), INVALID_VALUE, 'at most 20 global secondary indexes, got 21'),
    invalidTable(
      'include-without-attributes',
      'projection INCLUDE without non_key_attributes',
      (a) => ({ ...a, global_secondary_indexes: [{ ...gsi(1), projection_type: 'INCLUDE' }] }),
      INVALID_VALUE,
      'INCLUDE needs at least one entry in non_key_attributes',
    ),
    invalidTable(
      'conflicting-key-types',
      'one attribute used as S by one index and as N by another',
      (a) => ({
        ...a,
        global_secondary_indexes: [
          { name: 'by-owner', partition_key: { name: 'owner', type: 'S' } },
          { name: 'by-owner-number', partition_key: { name: 'owner', type: 'N' } },
        ],
      }),
      INVALID_VALUE,
      'key attribute(s) owner are used with different types',
    ),
    invalidAccessPolicy(
      'access-policy-table-wildcard',
      'an access policy for every table (table/*) instead of one table (dynamodb:012)',
      { table_arn: 'arn:aws:dynamodb:ap-south-1:111111111111:table/*', kms_key_arn: EXAMPLE_KMS_KEY_ARNS['ap-south-1'] },
      INVALID_VALUE,
      'must be a DynamoDB table ARN',
    ),
    invalidTable('bad-table-name', 'a table name with a space', (a) => ({ ...a, name: 'my table' }), INVALID_VALUE, 'must be 3 to 255 characters'),
    invalidTable(
      'autoscaling-min-above-max',
      'autoscaling with min_capacity above max_capacity (dynamodb:004)',
      (a) => ({ ...a, billing_mode: 'PROVISIONED', autoscaling: { read: { min_capacity: 50, max_capacity: 10 }, write: { min_capacity: 5, max_capacity: 10 } } }),
      INVALID_VALUE,
      'min_capacity must not exceed max_capacity',
    ),
  ];
}

/** The call shown in the vpc-endpoint README. */
export function vpcEndpointReadmeCall(): string {
  return moduleBlock('dynamodb_endpoint', `<git source>//${VPC_ENDPOINT_MODULE}?ref=v<version>`, VPC_ENDPOINT_ARGS);
}

const VPC_ENDPOINT_ARGS: Args = {
  vpc_id: 'vpc-0a1b2c3d4e5f67890',
  route_table_ids: ['rtb-0a1b2c3d4e5f67890', 'rtb-0a1b2c3d4e5f67891'],
  table_name_prefixes: ['AuditFlow-'],
};

function vpcEndpointExample(): ExampleFile {
  const restricted = moduleBlock('auditflow_endpoint', `../../${VPC_ENDPOINT_MODULE}`, {
    ...VPC_ENDPOINT_ARGS,
    extra_table_names: ['terraform-state-lock'],
    allowed_principal_arns: ['arn:aws:iam::111111111111:role/auditflow-processor', 'arn:aws:iam::111111111111:role/terraform-deployer'],
    tags: { Project: 'auditflow' },
  });
  const mainTf = [
    rootPreamble('ap-south-1', 'The AuditFlow VPC endpoint: only AuditFlow tables and the state-lock table, only two roles, TLS only.'),
    restricted,
    output('endpoint_id', 'module.auditflow_endpoint.endpoint_id'),
  ].join('\n');
  return { dir: VPC_ENDPOINT_MODULE, title: 'A restrictive DynamoDB gateway endpoint', mainTf };
}

/** A valid call of `module` (from `base` in `region`) with one change, placed under examples/invalid/<name>/. */
function invalidCall(module: string, base: Args, region: string) {
  return (name: string, title: string, change: (args: Args) => Args, expectedDetail: string): ExampleFile => {
    const mainTf = [rootPreamble(region, `Must FAIL terraform validate: ${title}.`), moduleBlock('invalid', `../../../${module}`, change({ ...base }))].join('\n');
    return { dir: `invalid/${name}`, title, mainTf, expectedError: INVALID_VALUE, expectedDetail };
  };
}

function invalidEndpointExamples(): ExampleFile[] {
  const invalidEndpoint = invalidCall(VPC_ENDPOINT_MODULE, VPC_ENDPOINT_ARGS, 'ap-south-1');
  return [
    invalidEndpoint('endpoint-short-prefix', 'a two-character table prefix (it would open most tables)', (a) => ({ ...a, table_name_prefixes: ['Au'] }), 'table_name_prefixes: name at least one prefix'),
    invalidEndpoint('endpoint-wildcard-action', 'a wildcard action', (a) => ({ ...a, allowed_actions: ['dynamodb:*'] }), 'allowed_actions: each must be one DynamoDB action'),
    invalidEndpoint('endpoint-no-route-tables', 'no route table', (a) => ({ ...a, route_table_ids: [] }), 'route_table_ids: name at least one route table'),
  ];
}

const DAX_ARGS: Args = {
  cluster_name: 'manga-sess',
  availability_zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
  subnet_ids: ['subnet-0a1b2c3d4e5f67890', 'subnet-0a1b2c3d4e5f67891', 'subnet-0a1b2c3d4e5f67892'],
  vpc_id: 'vpc-0a1b2c3d4e5f67890',
  application_security_group_ids: ['sg-0a1b2c3d4e5f67890'],
  tables: [{ table_arn: 'arn:aws:dynamodb:us-east-1:111111111111:table/manga-assist-sessions', kms_key_arn: EXAMPLE_KMS_KEY_ARNS['us-east-1'] }],
};

/** The call shown in the dax-cluster README. */
export function daxClusterReadmeCall(): string {
  return moduleBlock('sessions_cache', `<git source>//${DAX_CLUSTER_MODULE}?ref=v<version>`, { ...DAX_ARGS, client_actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] });
}

function daxClusterExample(): ExampleFile {
  const mainTf = [
    rootPreamble('us-east-1', 'The manga-assist session cache: three nodes over three zones, TLS, a role limited to what its clients do.'),
    moduleBlock('sessions_cache', `../../${DAX_CLUSTER_MODULE}`, { ...DAX_ARGS, client_actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], item_cache_ttl_millis: 60000, maintenance_window: 'sun:05:00-sun:06:00', tags: { Project: 'manga-assist' } }),
    output('endpoint_url', 'module.sessions_cache.endpoint_url'),
  ].join('\n');
  return { dir: DAX_CLUSTER_MODULE, title: 'A multi-AZ, TLS-only DAX cluster', mainTf };
}

function invalidDaxExamples(): ExampleFile[] {
  const invalidDax = invalidCall(DAX_CLUSTER_MODULE, DAX_ARGS, 'us-east-1');
  return [
    invalidDax('dax-single-zone', 'three nodes in one Availability Zone (dynamodb:009)', (a) => ({ ...a, availability_zones: ['us-east-1a', 'us-east-1a', 'us-east-1a'] }), 'at least two different Availability Zones'),
    invalidDax('dax-repeated-zone', 'a zone listed twice (the provider keeps the zones as a set)', (a) => ({ ...a, availability_zones: ['us-east-1a', 'us-east-1b', 'us-east-1a'] }), 'list each zone once'),
    invalidDax('dax-two-nodes', 'a two-node cluster (dynamodb:009)', (a) => ({ ...a, availability_zones: ['us-east-1a', 'us-east-1b'] }), 'a cluster has 3 to 10 nodes'),
    invalidDax('dax-old-node-type', 'a node type that cannot be encrypted at rest (dax.r3)', (a) => ({ ...a, node_type: 'dax.r3.large' }), 'node_type: must be one of'),
    invalidDax('dax-no-clients', 'no application security group', (a) => ({ ...a, application_security_group_ids: [] }), 'application_security_group_ids: name at least one security group'),
  ];
}

/** Every example the generator writes, positive first. */
export function allExamples(): ExampleFile[] {
  return [tableExample(), accessPolicyExample(), vpcEndpointExample(), daxClusterExample(), ...invalidExamples(), ...planTimeInvalidExamples(), ...invalidEndpointExamples(), ...invalidDaxExamples()];
}
