import { evaluateDynamodb004 } from '../../../modules/compliance';
import { only, stackJson, synthSecureTable, tableResource } from '../fixtures';
import { Billing, Capacity } from '../../../modules/capacity';
import { DynamoDbKey } from '../../../modules/encryption';
import { SecureTable } from '../../../modules/table';
import { synthConstructs } from '../../support/synth';

type Dimension = 'table' | 'index';
type Kind = 'Read' | 'Write';

function scaling(name: string, resourceId: string, dimension: Dimension, kind: Kind, policyOverrides: Record<string, unknown> = {}) {
  const target = {
    service_namespace: 'dynamodb',
    resource_id: resourceId,
    scalable_dimension: `dynamodb:${dimension}:${kind}CapacityUnits`,
    min_capacity: 5,
    max_capacity: 100,
  };
  const policy = {
    name: `${name}-tracking`,
    policy_type: 'TargetTrackingScaling',
    resource_id: `\${aws_appautoscaling_target.${name}.resource_id}`,
    scalable_dimension: `\${aws_appautoscaling_target.${name}.scalable_dimension}`,
    service_namespace: `\${aws_appautoscaling_target.${name}.service_namespace}`,
    target_tracking_scaling_policy_configuration: {
      predefined_metric_specification: { predefined_metric_type: `DynamoDB${kind}CapacityUtilization` },
      target_value: 70,
    },
    ...policyOverrides,
  };
  return { target: [name, target] as const, policy: [name, policy] as const };
}

function provisionedStack(parts: ReturnType<typeof scaling>[], table: Record<string, unknown> = {}) {
  return stackJson({
    aws_dynamodb_table: {
      orders: tableResource({
        billing_mode: 'PROVISIONED',
        read_capacity: 5,
        write_capacity: 5,
        global_secondary_index: [{ name: 'by_status', hash_key: 'status', projection_type: 'ALL', read_capacity: 5, write_capacity: 5 }],
        ...table,
      }),
    },
    aws_appautoscaling_target: Object.fromEntries(parts.map((p) => p.target)),
    aws_appautoscaling_policy: Object.fromEntries(parts.map((p) => p.policy)),
  });
}

const FULL = [
  scaling('orders_read', 'table/Orders', 'table', 'Read'),
  scaling('orders_write', 'table/Orders', 'table', 'Write'),
  scaling('orders_by_status_read', 'table/Orders/index/by_status', 'index', 'Read'),
  scaling('orders_by_status_write', 'table/Orders/index/by_status', 'index', 'Write'),
];

describe('dynamodb:004 capacity follows demand', () => {
  test('COMPLIANT: SecureTable on-demand (default)', () => {
    expect(only(evaluateDynamodb004(synthSecureTable())).reason).toContain('PAY_PER_REQUEST');
  });

  test('NON_COMPLIANT: provisioned without auto scaling', () => {
    const finding = only(evaluateDynamodb004(provisionedStack([], { global_secondary_index: undefined })));
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toContain('table read (no aws_appautoscaling_target with resource_id "table/Orders"');
  });

  test('COMPLIANT: provisioned with target tracking on read and write of the table and its GSI', () => {
    const finding = only(evaluateDynamodb004(provisionedStack(FULL)));
    expect(finding.status).toBe('COMPLIANT');
    expect(finding.reason).toContain('for the table and its 1 global secondary index');
    expect(finding.reason).toContain('aws_appautoscaling_policy.orders_by_status_write');
  });

  test('NON_COMPLIANT: the GSI write capacity does not scale', () => {
    const finding = only(evaluateDynamodb004(provisionedStack(FULL.slice(0, 3))));
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toContain("GSI 'by_status' write");
    expect(finding.reason).not.toContain('table read');
  });

  test('NON_COMPLIANT: a step-scaling policy is not target tracking', () => {
    const parts = [...FULL.slice(0, 3), scaling('orders_by_status_write', 'table/Orders/index/by_status', 'index', 'Write', { policy_type: 'StepScaling' })];
    expect(only(evaluateDynamodb004(provisionedStack(parts))).reason).toContain('has no TargetTrackingScaling aws_appautoscaling_policy on DynamoDBWriteCapacityUtilization');
  });

  test('NON_COMPLIANT: the read metric on a write target does not count', () => {
    const wrong = scaling('orders_write', 'table/Orders', 'table', 'Write', {
      target_tracking_scaling_policy_configuration: { predefined_metric_specification: { predefined_metric_type: 'DynamoDBReadCapacityUtilization' }, target_value: 70 },
    });
    const parts = [FULL[0], wrong, FULL[2], FULL[3]];
    expect(only(evaluateDynamodb004(provisionedStack(parts))).status).toBe('NON_COMPLIANT');
  });

  test('COMPLIANT: literal values in the policy and a table-name reference in the target', () => {
    const literal = FULL.map((p) => {
      const [name, target] = p.target;
      const resourceId = (target.resource_id as string).replace('table/Orders', 'table/${aws_dynamodb_table.orders.name}');
      const [, policy] = p.policy;
      return {
        target: [name, { ...target, resource_id: resourceId }] as const,
        policy: [name, { ...policy, resource_id: resourceId, scalable_dimension: target.scalable_dimension, service_namespace: 'dynamodb' }] as const,
      };
    });
    expect(only(evaluateDynamodb004(provisionedStack(literal))).status).toBe('COMPLIANT');
  });

  test('NON_COMPLIANT: billing_mode absent means PROVISIONED (provider default)', () => {
    const json = stackJson({ aws_dynamodb_table: { t: tableResource({ billing_mode: undefined, global_secondary_index: undefined }) } });
    expect(only(evaluateDynamodb004(json)).status).toBe('NON_COMPLIANT');
  });

  test('a target in another region than the table does not count', () => {
    const parts = FULL.map((p) => ({ ...p, target: [p.target[0], { ...p.target[1], region: 'eu-west-1' }] as const }));
    expect(only(evaluateDynamodb004(provisionedStack(parts))).status).toBe('NON_COMPLIANT');
  });
});

describe('dynamodb:004 on a provisioned global table: auto scaling in every replica Region too', () => {
  const json = synthConstructs((stack) => {
    const key = new DynamoDbKey(stack, 'dynamodb_key', { accountId: '111111111111', region: 'us-east-1', aliasName: 'alias/orders-dynamodb', replicaRegions: ['eu-west-1'] });
    new SecureTable(stack, 'orders', {
      tableName: 'Orders',
      partitionKey: { name: 'pk', type: 'S' },
      encryptionKey: key,
      region: 'us-east-1',
      replicas: ['eu-west-1'],
      billing: Billing.provisioned({ readCapacity: Capacity.autoscaled({ min: 5, max: 50 }), writeCapacity: Capacity.autoscaled({ min: 5, max: 50 }) }),
    });
  });

  test('COMPLIANT: targets and policies in the home Region and in eu-west-1', () => {
    const finding = evaluateDynamodb004(json)[0];
    expect(finding.status).toBe('COMPLIANT');
    expect(finding.reason).toContain('for the table in its Region and in each of its 1 replica Region');
  });

  test('NON_COMPLIANT: the replica Region has no auto scaling', () => {
    const targets = Object.fromEntries(Object.entries(json.resource!.aws_appautoscaling_target).filter(([, t]: [string, any]) => t.region !== 'eu-west-1'));
    const finding = evaluateDynamodb004({ ...json, resource: { ...json.resource, aws_appautoscaling_target: targets } })[0];
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toContain('table read in replica Region eu-west-1 (no aws_appautoscaling_target with resource_id "table/Orders"');
  });
});
