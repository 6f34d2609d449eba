/**
 * The interface of the generated modules is a contract with other teams: input and output names are stable, and the
 * defaults are the secure defaults of the TypeScript API (compared with what SecureTable synthesizes, not with the
 * shared constants, so a drift on either side fails here).
 */
import { App, Testing } from 'cdktf';
import { SecureTable, TABLE_DEFAULTS } from '../../modules/table';
import { existingKey } from '../../modules/encryption';
import { DEFAULT_TARGET_UTILIZATION } from '../../modules/capacity';
import { ModuleStack } from '../../stacks/module-stack';
import { buildDynamoDbAccessPolicyModule, buildDynamoDbTableModule, TERRAFORM_AWS_MODULES_OUTPUT_ALIASES } from '../../stacks/terraform-modules';
import { synthConstructs, withTestingApp } from '../support/synth';

function build(builder: (app: App) => ModuleStack): { stack: ModuleStack; json: any } {
  return withTestingApp((app) => {
    const stack = builder(app);
    return { stack, json: JSON.parse(Testing.synth(stack)) };
  });
}

const table = build(buildDynamoDbTableModule);
const access = build(buildDynamoDbAccessPolicyModule);
const defaults = (module: { json: any }) => Object.fromEntries(Object.entries<any>(module.json.variable).filter(([, v]) => 'default' in v).map(([k, v]) => [k, v.default]));

describe('stable names (renaming one breaks every caller; add, never rename)', () => {
  test('dynamodb-table inputs', () => {
    expect(table.stack.variables.map((v) => v.name)).toEqual([
      'name',
      'partition_key',
      'sort_key',
      'global_secondary_indexes',
      'local_secondary_indexes',
      'kms_key_arn',
      'billing_mode',
      'on_demand_throughput',
      'warm_throughput',
      'timeouts',
      'contributor_insights',
      'autoscaling',
      'table_class',
      'stream_enabled',
      'stream_view_type',
      'ttl_attribute_name',
      'point_in_time_recovery_enabled',
      'point_in_time_recovery_period_in_days',
      'deletion_protection_enabled',
      'waiver_reason',
      'replicas',
      'multi_region_consistency',
      'witness_region',
      'resource_policy',
      'stream_resource_policy',
      'region',
      'tags',
    ]);
    expect(Object.keys(table.json.variable).sort()).toEqual(table.stack.variables.map((v) => v.name).sort());
  });

  test('dynamodb-table outputs', () => {
    expect(Object.keys(table.json.output)).toEqual(
      [
        'table_name',
        'table_arn',
        'table_id',
        'stream_arn',
        'stream_label',
        'replica_arns',
        'replica_stream_arns',
        'attribute_definitions',
        'autoscaling_policy_arns',
        'resource_policy_revision_id',
        // terraform-aws-modules/dynamodb-table names, as aliases
        'dynamodb_table_arn',
        'dynamodb_table_id',
        'dynamodb_table_stream_arn',
        'dynamodb_table_stream_label',
        'dynamodb_table_replica_arns',
        'dynamodb_table_replica_stream_arns',
        'dynamodb_table_replicas',
        'dynamodb_table_replica_stream_labels',
      ].sort(),
    );
  });

  test('each terraform-aws-modules output alias has the value of the output it names (negative control: two outputs differ)', () => {
    for (const [alias, output] of TERRAFORM_AWS_MODULES_OUTPUT_ALIASES) expect(table.json.output[alias].value).toBe(table.json.output[output].value);
    expect(table.json.output.table_arn.value).not.toBe(table.json.output.table_id.value);
  });

  test('dynamodb-access-policy inputs and outputs', () => {
    expect(access.stack.variables.map((v) => v.name)).toEqual([
      'table_arn',
      'kms_key_arn',
      'leading_keys',
      'replica_regions',
      'source_vpce_ids',
      'writer_allow_delete',
      'create_managed_policies',
      'policy_name_prefix',
      'policy_path',
      'tags',
    ]);
    expect(Object.keys(access.json.output)).toEqual(
      ['reader_policy_json', 'writer_policy_json', 'stream_consumer_policy_json', 'admin_policy_json', 'policy_json', 'managed_policy_arns'].sort(),
    );
  });

  test('required inputs: only what has no safe default', () => {
    expect(table.stack.variables.filter((v) => !('default' in v)).map((v) => v.name)).toEqual(['name', 'partition_key', 'kms_key_arn']);
    expect(access.stack.variables.filter((v) => !('default' in v)).map((v) => v.name)).toEqual(['table_arn', 'kms_key_arn']);
  });

  test('resource addresses do not depend on inputs (no count-switched twins of the table)', () => {
    expect(Object.keys(table.json.resource.aws_dynamodb_table)).toEqual(['this']);
    expect(table.json.resource.aws_dynamodb_table.this.count).toBeUndefined();
    expect(table.json.resource.aws_dynamodb_table.this.for_each).toBeUndefined();
    expect(Object.keys(table.json.resource).sort()).toEqual(['aws_appautoscaling_policy', 'aws_appautoscaling_target', 'aws_dynamodb_contributor_insights', 'aws_dynamodb_resource_policy', 'aws_dynamodb_table']);
  });
});

describe('secure defaults equal the TypeScript API', () => {
  const ts = synthConstructs((stack) => {
    new SecureTable(stack, 'documents', {
      tableName: 'AuditFlow-Documents',
      partitionKey: { name: 'document_id', type: 'S' },
      encryptionKey: existingKey('test', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
      globalSecondaryIndexes: [{ indexName: 'by-status', partitionKey: { name: 'status', type: 'S' } }],
    });
  });
  const resource = Object.values<any>(ts.resource!.aws_dynamodb_table)[0];
  const moduleDefaults = defaults(table);

  test('deletion protection, PITR and its period, streams, table class, billing', () => {
    expect(moduleDefaults.deletion_protection_enabled).toBe(resource.deletion_protection_enabled);
    expect(moduleDefaults.point_in_time_recovery_enabled).toBe(resource.point_in_time_recovery.enabled);
    expect(moduleDefaults.point_in_time_recovery_period_in_days).toBe(resource.point_in_time_recovery.recovery_period_in_days);
    expect(moduleDefaults.stream_enabled).toBe(resource.stream_enabled);
    expect(moduleDefaults.stream_view_type).toBe(resource.stream_view_type);
    expect(moduleDefaults.table_class).toBe(resource.table_class);
    expect(moduleDefaults.billing_mode).toBe(resource.billing_mode);
    expect(moduleDefaults.multi_region_consistency).toBe(TABLE_DEFAULTS.multiRegionConsistency);
  });

  test('encryption is always a customer-managed key: no default, enabled = true', () => {
    expect('kms_key_arn' in moduleDefaults).toBe(false);
    expect(resource.server_side_encryption.enabled).toBe(true);
    expect(table.json.resource.aws_dynamodb_table.this.server_side_encryption).toEqual({ enabled: true, kms_key_arn: '${var.kms_key_arn}' });
  });

  test('index projection and autoscaling target utilization', () => {
    expect(resource.global_secondary_index[0].projection_type).toBe('ALL');
    expect(table.json.variable.global_secondary_indexes.type).toContain('projection_type = optional(string, "ALL")');
    expect(table.json.variable.autoscaling.type).toContain(`target_utilization = optional(number, ${DEFAULT_TARGET_UTILIZATION})`);
  });

  test('replicas default to deletion protection, tag propagation and PITR, like the TypeScript replicas', () => {
    expect(table.json.variable.replicas.type).toContain('deletion_protection_enabled = optional(bool, true)');
    expect(table.json.variable.replicas.type).toContain('propagate_tags = optional(bool, true)');
    expect(table.json.resource.aws_dynamodb_table.this.dynamic.replica.content.point_in_time_recovery).toBe(true);
  });

  test('features that are off by default: no TTL, no replicas, no resource policy, no waiver', () => {
    expect(moduleDefaults).toMatchObject({ ttl_attribute_name: null, replicas: [], resource_policy: null, waiver_reason: null, global_secondary_indexes: [], local_secondary_indexes: [] });
    expect(resource.ttl).toBeUndefined();
  });
});
