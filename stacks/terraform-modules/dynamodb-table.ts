import { Construct } from 'constructs';
import { ref, TerraformCount, TerraformIterator, Token } from 'cdktf';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { DataAwsDynamodbTable } from '@cdktf/provider-aws/lib/data-aws-dynamodb-table';
import { DataAwsDynamodbTables } from '@cdktf/provider-aws/lib/data-aws-dynamodb-tables';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { DynamodbResourcePolicy } from '@cdktf/provider-aws/lib/dynamodb-resource-policy';
import { DynamodbContributorInsights } from '@cdktf/provider-aws/lib/dynamodb-contributor-insights';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { DEFAULT_TARGET_UTILIZATION, liveIndexUnits, liveTableUnits, MAX_TARGET_UTILIZATION, MIN_TARGET_UTILIZATION, MIN_WAIVER_REASON_LENGTH } from '../../modules/capacity';
import { KMS_KEY_ARN } from '../../modules/encryption';
import { resourcePolicyDocument } from '../../modules/access';
import { awsIdPattern, REGION_PATTERN } from '../../modules/network/ids';
import { MRSC_MEMBER_COUNT, MRSC_REGION_SETS } from '../../modules/replication';
import {
  MAX_GSI_COUNT,
  MAX_KEY_NAME_LENGTH,
  MAX_LSI_COUNT,
  MAX_NAME_LENGTH,
  MAX_PITR_DAYS,
  MAX_PROJECTED_NON_KEY_ATTRIBUTES,
  MIN_NAME_LENGTH,
  NAME_PATTERN,
  PROJECTION_TYPES,
  STREAM_VIEW_TYPES,
  TABLE_CLASSES,
  TABLE_DEFAULTS,
} from '../../modules/table/defaults';
import { ATTRIBUTE_TYPES } from '../../modules/table/attributes';
import { CREATE_TIME_ARGUMENTS } from '../../modules/table/source';
import { ModuleStack } from '../module-stack';
import { hclString, hclStringList, hclValue, matches, oneOf, tf } from './hcl';
import { policyExpression, policyVariants } from './policy-expression';

export const DYNAMODB_TABLE_MODULE = 'dynamodb-table';

/** IAM role or user ARNs (or the account root) of one account; no wildcards: they would widen who may use the table. */
export const PRINCIPAL_ARN_PATTERN = /^arn:aws[a-z-]*:iam::[0-9]{12}:(root|role\/[A-Za-z0-9+=,.@_\/-]+|user\/[A-Za-z0-9+=,.@_\/-]+)$/;
/** Exempt (deployer, break-glass) principals may use wildcards inside the name, e.g. SSO roles `AWSReservedSSO_Admin_*`. */
export const EXEMPT_PRINCIPAL_ARN_PATTERN = /^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)\/[A-Za-z0-9+=,.@_\/*?-]+$/;

const KEY_TYPE = 'object({ name = string, type = string })';
const keyTypes = hclValue([...ATTRIBUTE_TYPES]);

/**
 * Every key attribute of the table and its indexes, as a list of `{ name, type }`. Written out in each validation
 * that needs it: a validation cannot read a local that is built from its own variable (Terraform reports a cycle).
 */
const KEY_ATTRIBUTES = [
  'concat(',
  '[var.partition_key], ',
  'var.sort_key == null ? [] : [var.sort_key], ',
  'flatten([for index in var.global_secondary_indexes : concat([index.partition_key], index.sort_key == null ? [] : [index.sort_key])]), ',
  '[for index in var.local_secondary_indexes : index.sort_key]',
  ')',
].join('');
/** `{ name => [type, ...] }` over all key uses: more than one distinct type is a conflict. */
const KEY_TYPES_BY_NAME = `{ for key in ${KEY_ATTRIBUTES} : key.name => key.type... }`;
const CONFLICTING_KEYS = `[for name, types in ${KEY_TYPES_BY_NAME} : name if length(distinct(types)) > 1]`;
const GSI_KEY_TYPES_BY_NAME = '{ for key in flatten([for index in var.global_secondary_indexes : concat([index.partition_key], index.sort_key == null ? [] : [index.sort_key])]) : key.name => key.type... }';
const GSI_CONFLICTING_KEYS = `[for name, types in ${GSI_KEY_TYPES_BY_NAME} : name if length(distinct(types)) > 1]`;
const GSI_NAMES = '[for index in var.global_secondary_indexes : index.name]';
const GSI_NON_KEY_ATTRIBUTES = 'distinct(flatten([for index in var.global_secondary_indexes : index.non_key_attributes]))';
const INDEX_NAMES = 'concat([for index in var.global_secondary_indexes : index.name], [for index in var.local_secondary_indexes : index.name])';
const NON_KEY_ATTRIBUTES = 'distinct(flatten(concat([for index in var.global_secondary_indexes : index.non_key_attributes], [for index in var.local_secondary_indexes : index.non_key_attributes])))';
const mrscSets = hclValue(Object.values(MRSC_REGION_SETS).map((regions) => [...regions]));
/** The expressions of the outputs that have a terraform-aws-modules alias. */
const OUTPUT_EXPRESSIONS = {
  table_arn: 'aws_dynamodb_table.this.arn',
  table_id: 'aws_dynamodb_table.this.id',
  stream_arn: 'var.stream_enabled ? aws_dynamodb_table.this.stream_arn : null',
  stream_label: 'var.stream_enabled ? aws_dynamodb_table.this.stream_label : null',
  replica_arns: '{ for replica in aws_dynamodb_table.this.replica : replica.region_name => replica.arn }',
  replica_stream_arns: '{ for replica in aws_dynamodb_table.this.replica : replica.region_name => replica.stream_arn }',
} as const;

/** terraform-aws-modules/dynamodb-table v5 output name → this module's output. */
export const TERRAFORM_AWS_MODULES_OUTPUT_ALIASES: ReadonlyArray<readonly [string, keyof typeof OUTPUT_EXPRESSIONS]> = [
  ['dynamodb_table_arn', 'table_arn'],
  ['dynamodb_table_id', 'table_id'],
  ['dynamodb_table_stream_arn', 'stream_arn'],
  ['dynamodb_table_stream_label', 'stream_label'],
  ['dynamodb_table_replica_arns', 'replica_arns'],
  ['dynamodb_table_replica_stream_arns', 'replica_stream_arns'],
];

/** Statement id of the cross-account Allow in the table resource policy. */
export const CROSS_ACCOUNT_SID = 'AllowCrossAccountPrincipals';
/** What principals of other accounts may be granted on a table: item reads and writes, never table management. */
export const CROSS_ACCOUNT_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:UpdateItem'];
export const DEFAULT_CROSS_ACCOUNT_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query'];

const HAS_WAIVER = `try(length(trimspace(var.waiver_reason)), 0) >= ${MIN_WAIVER_REASON_LENGTH}`;

function validNameCheck(value: string): string {
  return `length(${value}) >= ${MIN_NAME_LENGTH} && length(${value}) <= ${MAX_NAME_LENGTH} && ${matches(NAME_PATTERN, value)}`;
}

function validKey(value: string): string {
  return `length(${value}.name) >= 1 && length(${value}.name) <= ${MAX_KEY_NAME_LENGTH} && contains(${keyTypes}, ${value}.type)`;
}

function projectionChecks(variable: string, label: string) {
  return [
    {
      condition: tf(`alltrue([for index in ${variable} : ${oneOf(PROJECTION_TYPES, 'index.projection_type')}])`),
      errorMessage: `${label}: projection_type must be one of ${PROJECTION_TYPES.join(', ')}.`,
    },
    {
      condition: tf(`alltrue([for index in ${variable} : index.projection_type != "INCLUDE" || length(index.non_key_attributes) > 0])`),
      errorMessage: `${label}: projection_type INCLUDE needs at least one entry in non_key_attributes.`,
    },
    {
      condition: tf(`alltrue([for index in ${variable} : index.projection_type == "INCLUDE" || length(index.non_key_attributes) == 0])`),
      errorMessage: `${label}: non_key_attributes can only be listed with projection_type INCLUDE.`,
    },
  ];
}

function capacityUnits(value: string): string {
  return `${value} >= 1 && floor(${value}) == ${value}`;
}

const WARM_TYPE = 'object({ read_units_per_second = optional(number), write_units_per_second = optional(number) })';

/** Both warm-throughput values, where set, are whole numbers of at least 1. */
function warmUnits(value: string): string {
  return `alltrue([for units in [${value}.read_units_per_second, ${value}.write_units_per_second] : units == null ? true : ${capacityUnits('units')}])`;
}

/** Terraform durations as timeouts take them: `30m`, `1h30m`. */
const TIMEOUT_PATTERN = /^([0-9]+(h|m|s))+$/;
export const CONTRIBUTOR_INSIGHTS_MODES = ['ACCESSED_AND_THROTTLED_KEYS', 'THROTTLED_KEYS'] as const;

const AUTOSCALING_TYPE = `object({ min_capacity = number, max_capacity = number, target_utilization = optional(number, ${DEFAULT_TARGET_UTILIZATION}) })`;

/**
 * The `dynamodb-table` module: one `aws_dynamodb_table.this` with the same secure defaults as SecureTable
 * (customer-managed KMS key, PITR 35 days, deletion protection, NEW_AND_OLD_IMAGES streams), attribute definitions
 * derived from the keys, target-tracking autoscaling for provisioned tables, global-table replicas and an optional
 * resource policy built by the same policy function as modules/access.
 */
export function buildDynamoDbTableModule(scope: Construct): ModuleStack {
  const stack = new ModuleStack(scope, DYNAMODB_TABLE_MODULE, {
    description:
      'A DynamoDB table that is secure by default (dynamodb:001-015): customer-managed KMS encryption, PITR for 35 days, deletion protection, NEW_AND_OLD_IMAGES streams; attribute definitions derived from the keys; autoscaling, replicas and a resource policy as options.',
  });

  // ---- variables -------------------------------------------------------------------------------------------------
  stack.variable({
    name: 'name',
    type: 'string',
    description: `Table name: ${MIN_NAME_LENGTH} to ${MAX_NAME_LENGTH} letters, digits, '_', '-' or '.'. Changing it replaces the table.`,
    validations: [{ condition: tf(validNameCheck('var.name')), errorMessage: `name = \${var.name}: must be ${MIN_NAME_LENGTH} to ${MAX_NAME_LENGTH} characters of letters, digits, '_', '-' and '.'.` }],
  });
  stack.variable({
    name: 'partition_key',
    type: KEY_TYPE,
    description: "Partition (hash) key: { name, type } with type S (string), N (number) or B (binary). Changing it replaces the table.",
    validations: [
      { condition: tf(validKey('var.partition_key')), errorMessage: `partition_key = \${var.partition_key.name}: needs a name of 1 to ${MAX_KEY_NAME_LENGTH} characters and type S, N or B.` },
      {
        // Reads the other key inputs, so it runs at plan time (the GSI-only part also runs at validate time).
        condition: tf(`length(${CONFLICTING_KEYS}) == 0`),
        errorMessage: `partition_key: key attribute(s) \${join(", ", ${CONFLICTING_KEYS})} are used with different types by the table and its indexes; an attribute has one type per table.`,
      },
    ],
  });
  stack.variable({
    name: 'sort_key',
    type: KEY_TYPE,
    description: 'Sort (range) key: { name, type }, or null for a table without sort key. Changing it replaces the table.',
    default: null,
    validations: [{ condition: tf(`var.sort_key == null ? true : ${validKey('var.sort_key')}`), errorMessage: `sort_key: needs a name of 1 to ${MAX_KEY_NAME_LENGTH} characters and type S, N or B.` }],
  });
  stack.variable({
    name: 'global_secondary_indexes',
    type: [
      'list(object({ ',
      'name = string, ',
      `partition_key = ${KEY_TYPE}, `,
      `sort_key = optional(${KEY_TYPE}), `,
      `projection_type = optional(string, ${hclString(TABLE_DEFAULTS.projection)}), `,
      'non_key_attributes = optional(list(string), []), ',
      'on_demand_throughput = optional(object({ max_read_request_units = optional(number), max_write_request_units = optional(number) })), ',
      `warm_throughput = optional(${WARM_TYPE}), `,
      `autoscaling = optional(object({ read = ${AUTOSCALING_TYPE}, write = ${AUTOSCALING_TYPE} }))`,
      ' }))',
    ].join(''),
    description: `Global secondary indexes (at most ${MAX_GSI_COUNT}). Attribute definitions are derived from their keys; never list attributes yourself. Provisioned tables give each index the table's capacity and autoscaling; on-demand tables may cap each index with on_demand_throughput (an index without one scales without limit even when the table is capped).`,
    default: [],
    nullable: false,
    validations: [
      {
        condition: tf(`length(var.global_secondary_indexes) <= ${MAX_GSI_COUNT}`),
        errorMessage: `global_secondary_indexes: a table can have at most ${MAX_GSI_COUNT} global secondary indexes, got \${length(var.global_secondary_indexes)}.`,
      },
      {
        condition: tf(`alltrue([for index in var.global_secondary_indexes : ${validNameCheck('index.name')}])`),
        errorMessage: `global_secondary_indexes: index names must be ${MIN_NAME_LENGTH} to ${MAX_NAME_LENGTH} characters of letters, digits, '_', '-' and '.'.`,
      },
      {
        condition: tf(`alltrue([for index in var.global_secondary_indexes : ${validKey('index.partition_key')} && (index.sort_key == null ? true : ${validKey('index.sort_key')})])`),
        errorMessage: 'global_secondary_indexes: every key needs a name of 1 to 255 characters and type S, N or B.',
      },
      // Rules that read only this variable run at `terraform validate` (with literal values); the ones that also read
      // other variables run at plan time only (Terraform treats other variables as unknown while validating).
      {
        condition: tf(`length(distinct(${GSI_NAMES})) == length(var.global_secondary_indexes)`),
        errorMessage: 'global_secondary_indexes: index names must be unique.',
      },
      ...projectionChecks('var.global_secondary_indexes', 'global_secondary_indexes'),
      {
        condition: tf(`alltrue([for index in var.global_secondary_indexes : index.on_demand_throughput == null ? true : alltrue([for units in [index.on_demand_throughput.max_read_request_units, index.on_demand_throughput.max_write_request_units] : units == null ? true : ${capacityUnits('units')}])])`),
        errorMessage: 'global_secondary_indexes: on_demand_throughput max request units must be whole numbers of at least 1.',
      },
      {
        condition: tf(`alltrue([for index in var.global_secondary_indexes : index.autoscaling == null ? true : alltrue([for kind in ["read", "write"] : ${capacityUnits('index.autoscaling[kind].min_capacity')} && index.autoscaling[kind].min_capacity <= index.autoscaling[kind].max_capacity && index.autoscaling[kind].target_utilization >= ${MIN_TARGET_UTILIZATION} && index.autoscaling[kind].target_utilization <= ${MAX_TARGET_UTILIZATION}])])`),
        errorMessage: `global_secondary_indexes: an index's own autoscaling needs whole min_capacity of at least 1, min_capacity <= max_capacity and target_utilization ${MIN_TARGET_UTILIZATION}-${MAX_TARGET_UTILIZATION}.`,
      },
      {
        condition: tf('var.billing_mode == "PROVISIONED" || alltrue([for index in var.global_secondary_indexes : index.autoscaling == null])'),
        errorMessage: "global_secondary_indexes: an index's own autoscaling applies only to PROVISIONED tables.",
      },
      {
        condition: tf(`alltrue([for index in var.global_secondary_indexes : index.warm_throughput == null ? true : ${warmUnits('index.warm_throughput')}])`),
        errorMessage: 'global_secondary_indexes: warm_throughput units per second must be whole numbers of at least 1.',
      },
      {
        condition: tf('var.billing_mode == "PAY_PER_REQUEST" || alltrue([for index in var.global_secondary_indexes : index.on_demand_throughput == null])'),
        errorMessage: 'global_secondary_indexes: on_demand_throughput applies only to on-demand (PAY_PER_REQUEST) tables; provisioned indexes follow the table\'s capacity and autoscaling.',
      },
      {
        condition: tf(`length(${GSI_NON_KEY_ATTRIBUTES}) <= ${MAX_PROJECTED_NON_KEY_ATTRIBUTES}`),
        errorMessage: `global_secondary_indexes: all indexes of a table together can project at most ${MAX_PROJECTED_NON_KEY_ATTRIBUTES} distinct non-key attributes.`,
      },
      {
        condition: tf(`length(${GSI_CONFLICTING_KEYS}) == 0`),
        errorMessage: `global_secondary_indexes: key attribute(s) \${join(", ", ${GSI_CONFLICTING_KEYS})} are used with different types; an attribute has one type per table.`,
      },

    ],
  });
  stack.variable({
    name: 'local_secondary_indexes',
    type: `list(object({ name = string, sort_key = ${KEY_TYPE}, projection_type = optional(string, ${hclString(TABLE_DEFAULTS.projection)}), non_key_attributes = optional(list(string), []) }))`,
    description: `Local secondary indexes (at most ${MAX_LSI_COUNT}; need a table sort key; can only be added when the table is created).`,
    default: [],
    nullable: false,
    validations: [
      {
        condition: tf(`length(var.local_secondary_indexes) <= ${MAX_LSI_COUNT}`),
        errorMessage: `local_secondary_indexes: a table can have at most ${MAX_LSI_COUNT} local secondary indexes.`,
      },
      {
        condition: tf('length(var.local_secondary_indexes) == 0 || var.sort_key != null'),
        errorMessage: 'local_secondary_indexes: local secondary indexes need a table sort key; set sort_key or use a global secondary index.',
      },
      {
        condition: tf(`alltrue([for index in var.local_secondary_indexes : ${validNameCheck('index.name')} && ${validKey('index.sort_key')}])`),
        errorMessage: `local_secondary_indexes: index names must be ${MIN_NAME_LENGTH} to ${MAX_NAME_LENGTH} characters of letters, digits, '_', '-' and '.', keys need type S, N or B.`,
      },
      ...projectionChecks('var.local_secondary_indexes', 'local_secondary_indexes'),
      {
        condition: tf(`length(distinct(${INDEX_NAMES})) == length(${INDEX_NAMES})`),
        errorMessage: 'local_secondary_indexes: index names must be unique across the global and local secondary indexes of a table.',
      },
      {
        condition: tf(`length(${NON_KEY_ATTRIBUTES}) <= ${MAX_PROJECTED_NON_KEY_ATTRIBUTES}`),
        errorMessage: `local_secondary_indexes: all indexes of a table together can project at most ${MAX_PROJECTED_NON_KEY_ATTRIBUTES} distinct non-key attributes.`,
      },
    ],
  });
  stack.variable({
    name: 'kms_key_arn',
    type: 'string',
    description: 'ARN of the customer-managed KMS key that encrypts the table (dynamodb:001). Aliases and AWS-owned keys are refused.',
    validations: [
      {
        condition: tf(matches(KMS_KEY_ARN, 'var.kms_key_arn')),
        errorMessage: 'kms_key_arn = ${var.kms_key_arn}: must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); aliases and AWS-owned keys do not satisfy dynamodb:001.',
      },
    ],
  });
  stack.variable({
    name: 'billing_mode',
    type: 'string',
    description: 'PAY_PER_REQUEST (on demand) or PROVISIONED. PROVISIONED needs autoscaling (dynamodb:004).',
    default: TABLE_DEFAULTS.billingMode,
    nullable: false,
    validations: [{ condition: tf(oneOf(['PAY_PER_REQUEST', 'PROVISIONED'], 'var.billing_mode')), errorMessage: 'billing_mode = ${var.billing_mode}: must be PAY_PER_REQUEST or PROVISIONED.' }],
  });
  stack.variable({
    name: 'on_demand_throughput',
    type: 'object({ max_read_request_units = optional(number), max_write_request_units = optional(number) })',
    description: 'Cost guard for on-demand tables: the most read/write request units per second the table may consume. null for no limit.',
    default: null,
    validations: [
      {
        condition: tf('var.on_demand_throughput == null || var.billing_mode == "PAY_PER_REQUEST"'),
        errorMessage: 'on_demand_throughput: applies only to on-demand (PAY_PER_REQUEST) tables.',
      },
      {
        condition: tf(`var.on_demand_throughput == null ? true : alltrue([for units in [var.on_demand_throughput.max_read_request_units, var.on_demand_throughput.max_write_request_units] : units == null ? true : ${capacityUnits('units')}])`),
        errorMessage: 'on_demand_throughput: max request units must be whole numbers of at least 1.',
      },
    ],
  });
  stack.variable({
    name: 'warm_throughput',
    type: WARM_TYPE,
    description: 'Pre-warmed read/write units per second of the table for an expected peak (indexes take their own in global_secondary_indexes). null for none.',
    default: null,
    validations: [{ condition: tf(`var.warm_throughput == null ? true : ${warmUnits('var.warm_throughput')}`), errorMessage: 'warm_throughput: units per second must be whole numbers of at least 1.' }],
  });
  stack.variable({
    name: 'timeouts',
    type: 'object({ create = optional(string), update = optional(string), delete = optional(string) })',
    description: "Terraform's create, update and delete timeouts of the table (e.g. update = \"2h\" for long index builds). null for the provider's.",
    default: null,
    validations: [
      {
        condition: tf(`var.timeouts == null ? true : alltrue([for duration in [var.timeouts.create, var.timeouts.update, var.timeouts.delete] : duration == null ? true : ${matches(TIMEOUT_PATTERN, 'duration')}])`),
        errorMessage: 'timeouts: each timeout must be a duration such as "30m", "2h" or "1h30m".',
      },
    ],
  });
  stack.variable({
    name: 'contributor_insights',
    type: 'string',
    description: `CloudWatch Contributor Insights on the table and every index: ${CONTRIBUTOR_INSIGHTS_MODES.join(' or ')}; null for none. Graphs show key values in plain text.`,
    default: null,
    validations: [{ condition: tf(`var.contributor_insights == null ? true : ${oneOf(CONTRIBUTOR_INSIGHTS_MODES, 'var.contributor_insights')}`), errorMessage: `contributor_insights: must be ${CONTRIBUTOR_INSIGHTS_MODES.join(' or ')}, or null.` }],
  });
  stack.variable({
    name: 'autoscaling',
    type: `object({ read = ${AUTOSCALING_TYPE}, write = ${AUTOSCALING_TYPE} })`,
    description: `Target-tracking autoscaling of a PROVISIONED table and its indexes (dynamodb:004): read and write { min_capacity, max_capacity, target_utilization (${MIN_TARGET_UTILIZATION}-${MAX_TARGET_UTILIZATION}, default ${DEFAULT_TARGET_UTILIZATION}) }. Required with PROVISIONED, null otherwise.`,
    default: null,
    validations: [
      {
        condition: tf('var.billing_mode == "PROVISIONED" ? var.autoscaling != null : var.autoscaling == null'),
        errorMessage: 'autoscaling: PROVISIONED tables need autoscaling (fixed capacity does not follow demand, dynamodb:004); on-demand tables take none.',
      },
      {
        condition: tf(
          `var.autoscaling == null ? true : alltrue([for scaling in [var.autoscaling.read, var.autoscaling.write] : ${capacityUnits('scaling.min_capacity')} && ${capacityUnits('scaling.max_capacity')} && scaling.min_capacity <= scaling.max_capacity])`,
        ),
        errorMessage: 'autoscaling: min_capacity and max_capacity must be whole numbers of at least 1, and min_capacity must not exceed max_capacity.',
      },
      {
        condition: tf(
          `var.autoscaling == null ? true : alltrue([for scaling in [var.autoscaling.read, var.autoscaling.write] : scaling.target_utilization >= ${MIN_TARGET_UTILIZATION} && scaling.target_utilization <= ${MAX_TARGET_UTILIZATION}])`,
        ),
        errorMessage: `autoscaling: target_utilization must be from ${MIN_TARGET_UTILIZATION} to ${MAX_TARGET_UTILIZATION} percent.`,
      },
    ],
  });
  stack.variable({
    name: 'table_class',
    type: 'string',
    description: 'STANDARD or STANDARD_INFREQUENT_ACCESS.',
    default: TABLE_DEFAULTS.tableClass,
    nullable: false,
    validations: [{ condition: tf(oneOf(TABLE_CLASSES, 'var.table_class')), errorMessage: `table_class = \${var.table_class}: must be ${TABLE_CLASSES.join(' or ')}.` }],
  });
  stack.variable({
    name: 'stream_enabled',
    type: 'bool',
    description: 'Change data capture (dynamodb:013). Global tables (replicas) need it.',
    default: true,
    nullable: false,
  });
  stack.variable({
    name: 'stream_view_type',
    type: 'string',
    description: `What each stream record holds: ${STREAM_VIEW_TYPES.join(', ')}.`,
    default: TABLE_DEFAULTS.streamViewType,
    nullable: false,
    validations: [{ condition: tf(oneOf(STREAM_VIEW_TYPES, 'var.stream_view_type')), errorMessage: `stream_view_type = \${var.stream_view_type}: must be one of ${STREAM_VIEW_TYPES.join(', ')}.` }],
  });
  stack.variable({
    name: 'ttl_attribute_name',
    type: 'string',
    description: 'Number attribute holding the expiry time in epoch seconds (dynamodb:014); null for no TTL.',
    default: null,
    validations: [
      {
        condition: tf(`var.ttl_attribute_name == null ? true : length(var.ttl_attribute_name) >= 1 && length(var.ttl_attribute_name) <= ${MAX_KEY_NAME_LENGTH}`),
        errorMessage: `ttl_attribute_name: must be 1 to ${MAX_KEY_NAME_LENGTH} characters.`,
      },
      {
        condition: tf(`var.ttl_attribute_name == null ? true : alltrue([for key in ${KEY_ATTRIBUTES} : key.name != var.ttl_attribute_name || key.type == "N"])`),
        errorMessage: 'ttl_attribute_name: TTL needs a Number attribute (epoch seconds), but the named attribute is a key attribute of another type.',
      },
    ],
  });
  stack.variable({
    name: 'point_in_time_recovery_enabled',
    type: 'bool',
    description: 'Point-in-time recovery (dynamodb:002). Turning it off needs waiver_reason.',
    default: TABLE_DEFAULTS.pointInTimeRecovery,
    nullable: false,
    validations: [
      {
        condition: tf(`var.point_in_time_recovery_enabled || ${HAS_WAIVER}`),
        errorMessage: `point_in_time_recovery_enabled = false: turning point-in-time recovery off (dynamodb:002) needs a waiver_reason of at least ${MIN_WAIVER_REASON_LENGTH} characters.`,
      },
    ],
  });
  stack.variable({
    name: 'point_in_time_recovery_period_in_days',
    type: 'number',
    description: `Days of continuous backups kept, 1 to ${MAX_PITR_DAYS}.`,
    default: TABLE_DEFAULTS.pointInTimeRecoveryDays,
    nullable: false,
    validations: [
      {
        condition: tf(`var.point_in_time_recovery_period_in_days >= 1 && var.point_in_time_recovery_period_in_days <= ${MAX_PITR_DAYS} && floor(var.point_in_time_recovery_period_in_days) == var.point_in_time_recovery_period_in_days`),
        errorMessage: `point_in_time_recovery_period_in_days = \${var.point_in_time_recovery_period_in_days}: must be a whole number from 1 to ${MAX_PITR_DAYS}.`,
      },
    ],
  });
  stack.variable({
    name: 'deletion_protection_enabled',
    type: 'bool',
    description: 'Deletion protection (dynamodb:003). Turning it off needs waiver_reason.',
    default: TABLE_DEFAULTS.deletionProtection,
    nullable: false,
    validations: [
      {
        condition: tf(`var.deletion_protection_enabled || ${HAS_WAIVER}`),
        errorMessage: `deletion_protection_enabled = false: turning deletion protection off (dynamodb:003) needs a waiver_reason of at least ${MIN_WAIVER_REASON_LENGTH} characters.`,
      },
    ],
  });
  stack.variable({
    name: 'waiver_reason',
    type: 'string',
    description: 'Why deletion protection or point-in-time recovery is off for this table (reviewed like a code change). null when nothing is waived.',
    default: null,
    validations: [
      {
        condition: tf(`var.waiver_reason == null || ${HAS_WAIVER}`),
        errorMessage: `waiver_reason: must say why, in at least ${MIN_WAIVER_REASON_LENGTH} characters.`,
      },
    ],
  });
  stack.variable({
    name: 'replicas',
    type: 'list(object({ region_name = string, kms_key_arn = string, deletion_protection_enabled = optional(bool, true), propagate_tags = optional(bool, true) }))',
    description:
      'Global-table replicas (version 2019.11.21): one per Region, each encrypted with a customer-managed key in its own Region (dynamodb:010); PITR is always on for replicas.',
    default: [],
    nullable: false,
    validations: [
      {
        condition: tf(`alltrue([for replica in var.replicas : ${matches(REGION_PATTERN, 'replica.region_name')}])`),
        errorMessage: "replicas: region_name must be an AWS region such as 'eu-west-1'.",
      },
      {
        condition: tf('length(distinct([for replica in var.replicas : replica.region_name])) == length(var.replicas)'),
        errorMessage: 'replicas: a global table has one replica per Region; a Region is listed twice.',
      },
      {
        condition: tf(`alltrue([for replica in var.replicas : ${matches(KMS_KEY_ARN, 'replica.kms_key_arn')} && try(split(":", replica.kms_key_arn)[3], "") == replica.region_name])`),
        errorMessage: 'replicas: kms_key_arn must be a KMS key ARN in the replica Region itself (dynamodb:010).',
      },
      {
        // Reads the provider Region (a data source), so it runs at plan time.
        condition: tf('!contains([for replica in var.replicas : replica.region_name], data.aws_region.current.region)'),
        errorMessage: 'replicas: a replica cannot be in the Region of the table itself; replicas must be in other Regions.',
      },
      {
        condition: tf('length(var.replicas) == 0 || (var.stream_enabled && var.stream_view_type == "NEW_AND_OLD_IMAGES")'),
        errorMessage: 'replicas: global tables replicate through streams; keep stream_enabled = true and stream_view_type = NEW_AND_OLD_IMAGES.',
      },
    ],
  });
  stack.variable({
    name: 'multi_region_consistency',
    type: 'string',
    description: `EVENTUAL, or STRONG for multi-Region strong consistency (exactly ${MRSC_MEMBER_COUNT} Regions of one Region set: two replicas, or one replica and witness_region).`,
    default: TABLE_DEFAULTS.multiRegionConsistency,
    nullable: false,
    validations: [
      { condition: tf(oneOf(['EVENTUAL', 'STRONG'], 'var.multi_region_consistency')), errorMessage: 'multi_region_consistency: must be EVENTUAL or STRONG.' },
      {
        condition: tf('var.witness_region == null || var.multi_region_consistency == "STRONG"'),
        errorMessage: 'multi_region_consistency: a witness_region is only used with STRONG.',
      },
      {
        condition: tf(`var.multi_region_consistency == "EVENTUAL" || 1 + length(var.replicas) + (var.witness_region == null ? 0 : 1) == ${MRSC_MEMBER_COUNT}`),
        errorMessage: `multi_region_consistency = STRONG: needs exactly ${MRSC_MEMBER_COUNT} Regions: the table and two replicas, or the table, one replica and witness_region.`,
      },
      {
        condition: tf(
          `var.multi_region_consistency == "EVENTUAL" || anytrue([for set in ${mrscSets} : alltrue([for member in concat([data.aws_region.current.region], [for replica in var.replicas : replica.region_name], var.witness_region == null ? [] : [var.witness_region]) : contains(set, member)])])`,
        ),
        errorMessage: `multi_region_consistency = STRONG: all Regions (table, replicas, witness) must be in one Region set: ${Object.entries(MRSC_REGION_SETS).map(([name, regions]) => `${name} (${regions.join(', ')})`).join('; ')}.`,
      },
    ],
  });
  stack.variable({
    name: 'witness_region',
    type: 'string',
    description: 'Witness Region for multi-Region strong consistency with one replica; null otherwise.',
    default: null,
    validations: [
      {
        condition: tf(`var.witness_region == null ? true : ${matches(REGION_PATTERN, 'var.witness_region')} && !contains([for replica in var.replicas : replica.region_name], var.witness_region)`),
        errorMessage: 'witness_region: must be an AWS region that holds no replica.',
      },
    ],
  });
  const vpce = awsIdPattern('vpce');
  stack.variable({
    name: 'resource_policy',
    type: `object({ allowed_principal_arns = list(string), exempt_principal_arns = list(string), vpc_endpoint_ids = optional(list(string), []), outside_vpc_principal_arns = optional(list(string), []), cross_account_principal_arns = optional(list(string), []), cross_account_actions = optional(list(string), ${hclStringList(DEFAULT_CROSS_ACCOUNT_ACTIONS)}) })`,
    description:
      'Table resource policy (dynamodb:006), or null for none: only allowed_principal_arns (plus exempt ones) may use the table, optionally only through vpc_endpoint_ids; TLS only; never the account root. exempt_principal_arns must name the Terraform deployer role, or the policy locks Terraform out.',
    default: null,
    validations: [
      {
        condition: tf(`var.resource_policy == null ? true : length(var.resource_policy.allowed_principal_arns) > 0 && alltrue([for arn in var.resource_policy.allowed_principal_arns : ${matches(PRINCIPAL_ARN_PATTERN, 'arn')}])`),
        errorMessage: 'resource_policy.allowed_principal_arns: name at least one principal; each must be an IAM role or user ARN (no wildcards, they would widen access).',
      },
      {
        condition: tf(`var.resource_policy == null ? true : length(var.resource_policy.exempt_principal_arns) > 0 && alltrue([for arn in concat(var.resource_policy.exempt_principal_arns, var.resource_policy.outside_vpc_principal_arns) : ${matches(EXEMPT_PRINCIPAL_ARN_PATTERN, 'arn')}])`),
        errorMessage: 'resource_policy.exempt_principal_arns: list the Terraform deployer role (without it the policy denies Terraform itself); exempt and outside-VPC principals must be IAM role or user ARNs.',
      },
      {
        condition: tf(`var.resource_policy == null ? true : alltrue([for id in var.resource_policy.vpc_endpoint_ids : ${matches(vpce, 'id')}])`),
        errorMessage: "resource_policy.vpc_endpoint_ids: each must be a VPC endpoint id ('vpce-' and 8 or 17 hex digits).",
      },
      {
        condition: tf(`var.resource_policy == null ? true : alltrue([for arn in var.resource_policy.cross_account_principal_arns : ${matches(PRINCIPAL_ARN_PATTERN, 'arn')}]) && alltrue([for action in var.resource_policy.cross_account_actions : ${oneOf(CROSS_ACCOUNT_ACTIONS, 'action')}])`),
        errorMessage: `resource_policy: cross_account_principal_arns must be IAM role or user ARNs of the other accounts (no wildcards), and cross_account_actions item and read actions only (${CROSS_ACCOUNT_ACTIONS.join(', ')}).`,
      },
    ],
  });
  stack.variable({
    name: 'stream_resource_policy',
    type: 'object({ allowed_principal_arns = list(string), exempt_principal_arns = list(string) })',
    description: 'Resource policy of the table stream (dynamodb:006), or null for none: only allowed_principal_arns (plus the exempt ones, e.g. the deployer) may read it; TLS only; never the account root. Needs stream_enabled.',
    default: null,
    validations: [
      {
        condition: tf(`var.stream_resource_policy == null ? true : length(var.stream_resource_policy.allowed_principal_arns) > 0 && alltrue([for arn in concat(var.stream_resource_policy.allowed_principal_arns, var.stream_resource_policy.exempt_principal_arns) : ${matches(EXEMPT_PRINCIPAL_ARN_PATTERN, 'arn')}])`),
        errorMessage: 'stream_resource_policy: name at least one reader; readers and exempt principals must be IAM role or user ARNs.',
      },
    ],
  });
  stack.variable({
    name: 'region',
    type: 'string',
    description: "Region of the table (provider 6's per-resource region) when it is not the provider's; null for the provider's.",
    default: null,
    validations: [{ condition: tf(`var.region == null ? true : ${matches(REGION_PATTERN, 'var.region')}`), errorMessage: "region: must be an AWS Region such as 'eu-west-1', or null for the provider's." }],
  });
  stack.variable({
    name: 'tags',
    type: 'map(string)',
    description: 'Tags of the table (the provider default_tags are added by Terraform).',
    default: {},
    nullable: false,
  });

  // ---- locals ----------------------------------------------------------------------------------------------------
  const attributeDefinitions = stack.local(
    'attribute_definitions',
    tf(`{ for name, types in { for key in ${KEY_ATTRIBUTES} : key.name => key.type... } : name => types[0] }`),
  );
  // One entry per autoscaled dimension: "<home|replica region>/<table|index/name>/<read|write>". The keys depend only on
  // inputs (for_each needs them at plan time); resource_id reads the table's name from the table resource, which
  // orders the targets after the table and its indexes without depends_on.
  const autoscalingDimensions = stack.local(
    'autoscaling_dimensions',
    tf(
      [
        'merge([for region_key, region in merge({ home = null }, { for replica in var.replicas : replica.region_name => replica.region_name }) : ',
        'merge([for scope_key, scope in merge({ table = { suffix = "", level = "table", settings = var.autoscaling } }, { for index in var.global_secondary_indexes : "index/${index.name}" => { suffix = "/index/${index.name}", level = "index", settings = index.autoscaling != null ? index.autoscaling : var.autoscaling } }) : ',
        '{ for kind, unit in { read = "ReadCapacityUnits", write = "WriteCapacityUnits" } : "${region_key}/${scope_key}/${kind}" => {',
        ' region = region,',
        ' kind = kind,',
        ' resource_id = "table/${aws_dynamodb_table.this.name}${scope.suffix}",',
        ' scalable_dimension = "dynamodb:${scope.level}:${unit}",',
        ' min_capacity = scope.settings[kind].min_capacity,',
        ' max_capacity = scope.settings[kind].max_capacity,',
        ' target_utilization = scope.settings[kind].target_utilization',
        ' } if var.autoscaling != null }',
        ']...)]...)',
      ].join(''),
    ),
  );

  // ---- the table -------------------------------------------------------------------------------------------------
  // With var.region the data source reports that Region, so every check and ARN below follows it.
  new DataAwsRegion(stack, 'current', { region: tf('var.region') }).overrideLogicalId('current');
  // Autoscaled capacities come from the live table at plan time, as in the construct (modules/capacity/live-capacity):
  // nothing is ignored, index changes apply directly, and on-demand <-> provisioned is one apply.
  new DataAwsDynamodbTables(stack, 'existing', { count: Token.asNumber(tf('var.autoscaling == null ? 0 : 1')), region: tf('var.region') }).overrideLogicalId('existing');
  new DataAwsDynamodbTable(stack, 'live', {
    name: tf('var.name'),
    region: tf('var.region'),
    count: Token.asNumber(tf('var.autoscaling == null ? 0 : contains(one(data.aws_dynamodb_tables.existing[*]).names, var.name) ? 1 : 0')),
  }).overrideLogicalId('live');
  const live = 'one(data.aws_dynamodb_table.live[*])';
  const units = (kind: 'read' | 'write', indexName?: string) => {
    // An index with autoscaling of its own starts at its own minimum.
    const settings = indexName === undefined ? 'var.autoscaling' : '(global_secondary_index.value.autoscaling != null ? global_secondary_index.value.autoscaling : var.autoscaling)';
    const min = `${settings}[${JSON.stringify(kind)}].min_capacity`;
    return `var.autoscaling == null ? null : ${indexName === undefined ? liveTableUnits(live, kind, min) : liveIndexUnits(live, indexName, kind, min)}`;
  };
  const attributes = TerraformIterator.fromMap(attributeDefinitions.asStringMap);
  const lsis = TerraformIterator.fromList(Token.asAny(ref('var.local_secondary_indexes')));
  const replicas = TerraformIterator.fromList(Token.asAny(ref('var.replicas')));

  const table = new DynamodbTable(stack, 'this', {
    name: tf('var.name'),
    region: tf('var.region'),
    billingMode: tf('var.billing_mode'),
    hashKey: tf('var.partition_key.name'),
    rangeKey: tf('var.sort_key == null ? null : var.sort_key.name'),
    attribute: attributes.dynamic({ name: attributes.key, type: attributes.value }),
    localSecondaryIndex: lsis.dynamic({
      name: tf('each.value.name'),
      range_key: tf('each.value.sort_key.name'),
      projection_type: tf('each.value.projection_type'),
      non_key_attributes: tf('length(each.value.non_key_attributes) > 0 ? each.value.non_key_attributes : null'),
    }),
    readCapacity: Token.asNumber(tf(units('read'))),
    writeCapacity: Token.asNumber(tf(units('write'))),
    tableClass: tf('var.table_class'),
    streamEnabled: Token.asAny(tf('var.stream_enabled')),
    streamViewType: tf('var.stream_enabled ? var.stream_view_type : null'),
    pointInTimeRecovery: {
      enabled: Token.asAny(tf('var.point_in_time_recovery_enabled')),
      recoveryPeriodInDays: Token.asNumber(tf('var.point_in_time_recovery_enabled ? var.point_in_time_recovery_period_in_days : null')),
    },
    deletionProtectionEnabled: Token.asAny(tf('var.deletion_protection_enabled')),
    serverSideEncryption: { enabled: true, kmsKeyArn: tf('var.kms_key_arn') },
    replica: replicas.dynamic({
      region_name: tf('each.value.region_name'),
      kms_key_arn: tf('each.value.kms_key_arn'),
      point_in_time_recovery: true,
      deletion_protection_enabled: tf('each.value.deletion_protection_enabled'),
      propagate_tags: tf('each.value.propagate_tags'),
      consistency_mode: tf('var.multi_region_consistency == "STRONG" ? "STRONG" : null'),
    }),
    tags: Token.asStringMap(tf('var.tags')),
    // As in the construct: create-time arguments force a new table when they change, and a table adopted from
    // another module (npm run migrate) may carry them in its state; ignoring them means dropping them replaces nothing.
    lifecycle: { ignoreChanges: CREATE_TIME_ARGUMENTS },
  });
  table.overrideLogicalId('this');
  // on_demand_throughput, warm_throughput, timeouts, ttl and global_table_witness are single (max 1) blocks: the
  // binding types each as one object and silently drops a dynamic block given there, yet a module has to omit them
  // when their input is null, which only a dynamic block can do. Written as overrides; the offline validate of both
  // forms covers them (the sessions example sets every one).
  const onDemandContent = { max_read_request_units: tf('on_demand_throughput.value.max_read_request_units'), max_write_request_units: tf('on_demand_throughput.value.max_write_request_units') };
  const warmContent = { read_units_per_second: tf('warm_throughput.value.read_units_per_second'), write_units_per_second: tf('warm_throughput.value.write_units_per_second') };
  table.addOverride('dynamic.on_demand_throughput', { for_each: tf('var.on_demand_throughput == null ? [] : [var.on_demand_throughput]'), content: onDemandContent });
  table.addOverride('dynamic.warm_throughput', { for_each: tf('var.warm_throughput == null ? [] : [var.warm_throughput]'), content: warmContent });
  table.addOverride('dynamic.timeouts', {
    for_each: tf('var.timeouts == null ? [] : [var.timeouts]'),
    content: { create: tf('timeouts.value.create'), update: tf('timeouts.value.update'), delete: tf('timeouts.value.delete') },
  });
  // The indexes too: each index's optional cap and warm throughput are dynamic blocks inside the index's dynamic
  // block, which the binding cannot express (an override cannot reach into its dynamic() token either), so the whole
  // index block is an override (`global_secondary_index.value` is the iterator Terraform gives a dynamic block;
  // stacks/hcl-text.ts repairs how cdktf writes the nested block as HCL). The offline validate covers it in both forms
  // through the examples, whose AuditFlow tables cap every index and whose sessions index is warmed, and
  // invalid/gsi-cap-zero.
  const index = (attribute: string) => tf(`global_secondary_index.value.${attribute}`);
  table.addOverride('dynamic.global_secondary_index', {
    for_each: tf('var.global_secondary_indexes'),
    content: {
      name: index('name'),
      hash_key: index('partition_key.name'),
      range_key: tf('global_secondary_index.value.sort_key == null ? null : global_secondary_index.value.sort_key.name'),
      projection_type: index('projection_type'),
      non_key_attributes: tf('length(global_secondary_index.value.non_key_attributes) > 0 ? global_secondary_index.value.non_key_attributes : null'),
      read_capacity: tf(units('read', 'global_secondary_index.value.name')),
      write_capacity: tf(units('write', 'global_secondary_index.value.name')),
      dynamic: {
        on_demand_throughput: {
          for_each: tf('global_secondary_index.value.on_demand_throughput == null ? [] : [global_secondary_index.value.on_demand_throughput]'),
          content: onDemandContent,
        },
        warm_throughput: {
          for_each: tf('global_secondary_index.value.warm_throughput == null ? [] : [global_secondary_index.value.warm_throughput]'),
          content: warmContent,
        },
      },
    },
  });
  // ttl and global_table_witness: single blocks, as above.
  table.addOverride('dynamic.ttl', {
    for_each: tf('var.ttl_attribute_name == null ? [] : [var.ttl_attribute_name]'),
    content: { attribute_name: tf('ttl.value'), enabled: true },
  });
  table.addOverride('dynamic.global_table_witness', {
    for_each: tf('var.witness_region == null ? [] : [var.witness_region]'),
    content: { region_name: tf('global_table_witness.value') },
  });

  // ---- autoscaling (dynamodb:004), one target and policy per table/index dimension and Region -------------------
  const dimensions = TerraformIterator.fromMap(autoscalingDimensions.asAnyMap);
  const target = new AppautoscalingTarget(stack, 'autoscaling_target', {
    forEach: dimensions,
    serviceNamespace: 'dynamodb',
    resourceId: dimensions.getString('resource_id'),
    scalableDimension: dimensions.getString('scalable_dimension'),
    minCapacity: dimensions.getNumber('min_capacity'),
    maxCapacity: dimensions.getNumber('max_capacity'),
    region: tf('coalesce(each.value.region, var.region, data.aws_region.current.region)'),
  });
  target.overrideLogicalId('this');
  const targets = TerraformIterator.fromResources(target);
  const policy = new AppautoscalingPolicy(stack, 'autoscaling_policy', {
    forEach: targets,
    name: tf('substr("${join("-", split("/", each.value.resource_id))}-${local.autoscaling_dimensions[each.key].kind}-target-tracking", 0, 255)'),
    policyType: 'TargetTrackingScaling',
    serviceNamespace: targets.getString('service_namespace'),
    resourceId: targets.getString('resource_id'),
    scalableDimension: targets.getString('scalable_dimension'),
    region: tf('coalesce(local.autoscaling_dimensions[each.key].region, var.region, data.aws_region.current.region)'),
    targetTrackingScalingPolicyConfiguration: {
      targetValue: Token.asNumber(tf('local.autoscaling_dimensions[each.key].target_utilization')),
      predefinedMetricSpecification: {
        predefinedMetricType: tf('local.autoscaling_dimensions[each.key].kind == "read" ? "DynamoDBReadCapacityUtilization" : "DynamoDBWriteCapacityUtilization"'),
      },
    },
  });
  policy.overrideLogicalId('this');

  // The partition and account of the table's ARN, for the policies' root-user and principal patterns.
  const TABLE_ARN_PARTS = [
    { sentinel: '__TF_PARTITION__', expression: 'split(":", aws_dynamodb_table.this.arn)[1]' },
    { sentinel: '__TF_ACCOUNT__', expression: 'split(":", aws_dynamodb_table.this.arn)[4]' },
  ];
  // ---- resource policy (dynamodb:006), same document function as TableResourcePolicy -----------------------------
  const TABLE_ARN = '__TF_TABLE_ARN__';
  const document = policyVariants(
    [
      { name: 'vpce', enabledWhen: 'length(var.resource_policy.vpc_endpoint_ids) > 0' },
      { name: 'cross_account', enabledWhen: 'length(var.resource_policy.cross_account_principal_arns) > 0' },
    ],
    (enabled) =>
      resourcePolicyDocument({
        kind: 'table',
        resources: [TABLE_ARN, `${TABLE_ARN}/index/*`],
        partition: '__TF_PARTITION__',
        accountId: '__TF_ACCOUNT__',
        grants: enabled.has('cross_account') ? [{ sid: CROSS_ACCOUNT_SID, principals: ['__TF_XACCOUNT__'], actions: ['__TF_XACCOUNT_ACTIONS__'] }] : [],
        allowedPrincipals: ['__TF_ALLOWED__'],
        vpcEndpointIds: enabled.has('vpce') ? ['__TF_VPCE__'] : [],
        outsideVpcPrincipalArns: ['__TF_OUTSIDE__'],
        exemptPrincipalArns: ['__TF_EXEMPT__'],
      }),
    {
      scalars: [
        { sentinel: TABLE_ARN, expression: 'aws_dynamodb_table.this.arn' },
        ...TABLE_ARN_PARTS,
      ],
      lists: [
        { sentinel: '__TF_ALLOWED__', expression: 'var.resource_policy.allowed_principal_arns' },
        { sentinel: '__TF_VPCE__', expression: 'var.resource_policy.vpc_endpoint_ids' },
        { sentinel: '__TF_OUTSIDE__', expression: 'var.resource_policy.outside_vpc_principal_arns' },
        { sentinel: '__TF_EXEMPT__', expression: 'var.resource_policy.exempt_principal_arns' },
        { sentinel: '__TF_XACCOUNT__', expression: 'var.resource_policy.cross_account_principal_arns' },
        { sentinel: '__TF_XACCOUNT_ACTIONS__', expression: 'var.resource_policy.cross_account_actions' },
      ],
    },
  );
  if (document.variantsExpression) stack.local('resource_policy_variants', tf(`var.resource_policy == null ? null : ${document.variantsExpression}`));
  // ---- Contributor Insights: the table ("table") and each index (by name) -----------------------------------------
  const insights = TerraformIterator.fromMap(
    Token.asAnyMap(ref('var.contributor_insights == null ? {} : merge({ table = null }, { for index in var.global_secondary_indexes : "index/${index.name}" => index.name })')),
  );
  new DynamodbContributorInsights(stack, 'contributor_insights', {
    forEach: insights,
    region: tf('var.region'),
    tableName: tf('aws_dynamodb_table.this.name'),
    indexName: tf('each.value'),
    mode: tf('var.contributor_insights'),
  }).overrideLogicalId('this');

  const resourcePolicy = new DynamodbResourcePolicy(stack, 'resource_policy', {
    count: TerraformCount.of(Token.asNumber(tf('var.resource_policy == null ? 0 : 1'))),
    region: tf('var.region'),
    resourceArn: tf('aws_dynamodb_table.this.arn'),
    policy: tf(document.selectExpression('local.resource_policy_variants')),
  });
  resourcePolicy.overrideLogicalId('this');
  // The stream's own resource policy (DynamoDB Streams accepts read actions only), the same document function.
  const streamPolicy = policyExpression(
    resourcePolicyDocument({
      kind: 'stream',
      resources: ['__TF_STREAM_ARN__'],
      partition: '__TF_PARTITION__',
      accountId: '__TF_ACCOUNT__',
      allowedPrincipals: ['__TF_STREAM_READERS__'],
      exemptPrincipalArns: ['__TF_STREAM_EXEMPT__'],
    }),
    {
      scalars: [
        { sentinel: '__TF_STREAM_ARN__', expression: 'aws_dynamodb_table.this.stream_arn' },
        ...TABLE_ARN_PARTS,
      ],
      lists: [
        { sentinel: '__TF_STREAM_READERS__', expression: 'var.stream_resource_policy.allowed_principal_arns' },
        { sentinel: '__TF_STREAM_EXEMPT__', expression: 'var.stream_resource_policy.exempt_principal_arns' },
      ],
    },
  );
  new DynamodbResourcePolicy(stack, 'stream_resource_policy', {
    count: TerraformCount.of(Token.asNumber(tf('var.stream_resource_policy == null || !var.stream_enabled ? 0 : 1'))),
    region: tf('var.region'),
    resourceArn: tf('aws_dynamodb_table.this.stream_arn'),
    policy: tf(streamPolicy),
  }).overrideLogicalId('stream');

  // Each replica is a table of its own Region with its own resource policy: the same document, on the replica's ARN
  // (the table ARN with the replica's Region; it appears in the document only as itself, so the replace is exact).
  // The keys come from the inputs, so for_each is known at plan time.
  const replicaPolicies = TerraformIterator.fromMap(Token.asAnyMap(ref('var.resource_policy == null ? {} : { for replica in var.replicas : replica.region_name => replica.region_name }')));
  const replicaArn = 'join(":", concat(slice(split(":", aws_dynamodb_table.this.arn), 0, 3), [each.key], slice(split(":", aws_dynamodb_table.this.arn), 4, 6)))';
  new DynamodbResourcePolicy(stack, 'replica_resource_policy', {
    forEach: replicaPolicies,
    region: tf('each.key'),
    resourceArn: tf(replicaArn),
    policy: tf(`replace(aws_dynamodb_resource_policy.this[0].policy, aws_dynamodb_table.this.arn, ${replicaArn})`),
  }).overrideLogicalId('replica');

  // ---- outputs ---------------------------------------------------------------------------------------------------
  stack.output('table_name', tf('aws_dynamodb_table.this.name'), 'Name of the table.');
  stack.output('table_arn', tf(OUTPUT_EXPRESSIONS.table_arn), 'ARN of the table (use it in IAM policies and the dynamodb-access-policy module).');
  stack.output('table_id', tf(OUTPUT_EXPRESSIONS.table_id), 'Id of the table (its name).');
  stack.output('stream_arn', tf(OUTPUT_EXPRESSIONS.stream_arn), 'ARN of the table stream, or null when streams are off.');
  stack.output('stream_label', tf(OUTPUT_EXPRESSIONS.stream_label), 'Timestamp label of the table stream, or null when streams are off.');
  stack.output('replica_arns', tf(OUTPUT_EXPRESSIONS.replica_arns), 'Replica ARNs by Region.');
  stack.output('replica_stream_arns', tf(OUTPUT_EXPRESSIONS.replica_stream_arns), 'Replica stream ARNs by Region.');
  stack.output('attribute_definitions', tf('local.attribute_definitions'), 'The attribute definitions derived from the keys (name => type).');
  stack.output('autoscaling_policy_arns', tf('{ for key, policy in aws_appautoscaling_policy.this : key => policy.arn }'), 'Autoscaling policy ARNs by <region|home>/<table|index/name>/<read|write>.');
  stack.output('resource_policy_revision_id', tf('var.resource_policy == null ? null : aws_dynamodb_resource_policy.this[0].revision_id'), 'Revision id of the resource policy, or null without one.');
  // The output names of terraform-aws-modules/dynamodb-table, so references like module.x.dynamodb_table_arn keep
  // working after a migration (npm run migrate).
  for (const [alias, output] of TERRAFORM_AWS_MODULES_OUTPUT_ALIASES) {
    stack.output(alias, tf(`${OUTPUT_EXPRESSIONS[output]}`), `Same as ${output} (the terraform-aws-modules/dynamodb-table name).`);
  }
  stack.output('dynamodb_table_replicas', tf('aws_dynamodb_table.this.replica'), 'The replica blocks of the table (the terraform-aws-modules/dynamodb-table output).');
  stack.output('dynamodb_table_replica_stream_labels', tf('{ for replica in aws_dynamodb_table.this.replica : replica.region_name => replica.stream_label }'), 'Replica stream labels by Region (the terraform-aws-modules/dynamodb-table output).');
  return stack;
}
