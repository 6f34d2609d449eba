/**
 * terraform-aws-modules/dynamodb-table v5 inputs and outputs and their counterparts in the generated dynamodb-table
 * module: the table in the module README, and what `npm run migrate` applies (stacks/migrate/translate.ts).
 */
export const TERRAFORM_AWS_MODULES_INPUTS: ReadonlyArray<readonly [theirs: string, ours: string, how: string]> = [
  ['name', 'name', 'same'],
  ['hash_key, range_key, attributes', 'partition_key, sort_key', 'the key attributes with their types; attribute definitions are derived'],
  ['billing_mode', 'billing_mode', 'same'],
  ['read_capacity, write_capacity, autoscaling_enabled, autoscaling_read, autoscaling_write', 'autoscaling.read / autoscaling.write', 'min_capacity = read/write_capacity, max_capacity, target_utilization = target_value; fixed capacity becomes min = max'],
  ['autoscaling_defaults, scale_in/out_cooldown', '(TypeScript API)', 'not in the module'],
  ['autoscaling_indexes', 'global_secondary_indexes[*].autoscaling', 'an index may autoscale in its own range; without one it follows the table'],
  ['ignore_changes_global_secondary_index', '(not needed)', 'capacities are read from the live table; nothing is ignored'],
  ['global_secondary_indexes', 'global_secondary_indexes', 'hash_key/range_key become partition_key/sort_key objects; per-index capacity and warm throughput only in the TypeScript API'],
  ['local_secondary_indexes', 'local_secondary_indexes', 'range_key becomes sort_key'],
  ['point_in_time_recovery_enabled (default false)', 'point_in_time_recovery_enabled (default true)', 'false needs waiver_reason'],
  ['point_in_time_recovery_period_in_days', 'point_in_time_recovery_period_in_days', 'same (default 35)'],
  ['ttl_enabled, ttl_attribute_name', 'ttl_attribute_name', 'null for no TTL'],
  ['stream_enabled (default false), stream_view_type', 'stream_enabled (default true), stream_view_type', 'default NEW_AND_OLD_IMAGES'],
  ['server_side_encryption_enabled, server_side_encryption_kms_key_arn', 'kms_key_arn (required)', 'a customer-managed key is required'],
  ['deletion_protection_enabled (default off)', 'deletion_protection_enabled (default true)', 'false needs waiver_reason'],
  ['replica_regions', 'replicas, multi_region_consistency', 'kms_key_arn required per replica; PITR always on'],
  ['global_table_witness', 'witness_region', 'the Region name'],
  ['resource_policy (JSON)', 'resource_policy (allowed/exempt principals)', 'the restrictive policy is written by the module'],
  ['table_class, on_demand_throughput, tags', 'same names', 'same'],
  ['import_table, restore_*', '(TypeScript API: source)', 'create-time only'],
  ['timeouts, warm_throughput', 'timeouts, warm_throughput', 'same (warm_throughput also per index)'],
  ['region', 'region', "same (provider 6's per-resource region)"],
];

export const TERRAFORM_AWS_MODULES_OUTPUTS: ReadonlyArray<readonly [theirs: string, ours: string]> = [
  ['dynamodb_table_arn', 'table_arn (alias dynamodb_table_arn)'],
  ['dynamodb_table_id', 'table_id (alias dynamodb_table_id)'],
  ['dynamodb_table_stream_arn', 'stream_arn (alias dynamodb_table_stream_arn)'],
  ['dynamodb_table_stream_label', 'stream_label (alias dynamodb_table_stream_label)'],
  ['dynamodb_table_replica_arns', 'replica_arns (alias dynamodb_table_replica_arns)'],
  ['dynamodb_table_replica_stream_arns', 'replica_stream_arns (alias dynamodb_table_replica_stream_arns)'],
  ['dynamodb_table_replicas', 'dynamodb_table_replicas'],
  ['dynamodb_table_replica_stream_labels', 'dynamodb_table_replica_stream_labels'],
];

/** The README section: both tables, and how to migrate. */
export function mappingSection(): string[] {
  return [
    '## Coming from terraform-aws-modules/dynamodb-table',
    '',
    '`npm run migrate -- <dir>` rewrites the calls of that module into calls of this one, with `moved` blocks so no table',
    'is replaced, and reports every setting the guardrails change (help/migrating-from-terraform-aws-modules.md).',
    '',
    '| terraform-aws-modules input | This module | How |',
    '|-----------------------------|-------------|-----|',
    ...TERRAFORM_AWS_MODULES_INPUTS.map(([theirs, ours, how]) => `| ${theirs} | ${ours} | ${how} |`),
    '',
    '| terraform-aws-modules output | This module |',
    '|------------------------------|-------------|',
    ...TERRAFORM_AWS_MODULES_OUTPUTS.map(([theirs, ours]) => `| ${theirs} | ${ours} |`),
    '',
  ];
}
