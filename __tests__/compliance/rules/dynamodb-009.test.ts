import { evaluateDynamodb009 } from '../../../modules/compliance';
import { only, stackJson } from '../fixtures';
import { daxStack } from './dax';

describe('dynamodb:009 DAX across Availability Zones', () => {
  test('COMPLIANT: 3 nodes in 3 AZs', () => {
    expect(only(evaluateDynamodb009(daxStack())).reason).toBe('replication_factor = 3 across 3 AZs (us-east-1a, us-east-1b, us-east-1c)');
  });

  test('COMPLIANT: 3 nodes over 2 distinct AZs', () => {
    expect(only(evaluateDynamodb009(daxStack({ availability_zones: ['us-east-1a', 'us-east-1b', 'us-east-1a'] }))).status).toBe('COMPLIANT');
  });

  test('NON_COMPLIANT: a single node', () => {
    const finding = only(evaluateDynamodb009(daxStack({ replication_factor: 1, availability_zones: ['us-east-1a'] })));
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toBe('replication_factor = 1 is below 3 nodes; availability_zones = ["us-east-1a"] names 1 distinct AZ, fewer than 2');
  });

  test('NON_COMPLIANT: AZs not in the artifact (absent or an expression)', () => {
    expect(only(evaluateDynamodb009(daxStack({ availability_zones: undefined }))).reason).toContain('availability_zones is not set');
    expect(only(evaluateDynamodb009(daxStack({ availability_zones: '${data.aws_availability_zones.all.names}' }))).reason).toContain('not a literal list');
  });

  test('NOT_APPLICABLE without DAX', () => {
    expect(only(evaluateDynamodb009(stackJson({}))).status).toBe('NOT_APPLICABLE');
  });
});
