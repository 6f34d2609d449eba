import { evaluateDynamodb011 } from '../../../modules/compliance';
import { only, stackJson, synthSecureTable } from '../fixtures';
import { globalTableStack, GOOD_REPLICAS } from './replicas';

describe('dynamodb:011 PITR on every replica', () => {
  test('COMPLIANT: point_in_time_recovery = true on each replica', () => {
    expect(evaluateDynamodb011(globalTableStack(GOOD_REPLICAS)).map((f) => f.status)).toEqual(['COMPLIANT', 'COMPLIANT']);
  });

  test('NON_COMPLIANT: a replica without PITR (replicas do not inherit it)', () => {
    const findings = evaluateDynamodb011(globalTableStack([GOOD_REPLICAS[0], { ...GOOD_REPLICAS[1], point_in_time_recovery: undefined }]));
    expect(findings[1]).toMatchObject({ resource: 'aws_dynamodb_table.sessions.replica[ap-south-1]', status: 'NON_COMPLIANT' });
    expect(findings[1].reason).toContain('do not inherit PITR');
  });

  test('NON_COMPLIANT: legacy aws_dynamodb_global_table', () => {
    expect(only(evaluateDynamodb011(stackJson({ aws_dynamodb_global_table: { g: { name: 'G', replica: [{ region_name: 'eu-west-1' }] } } }))).status).toBe('NON_COMPLIANT');
  });

  test('NOT_APPLICABLE: no replicas', () => {
    expect(only(evaluateDynamodb011(synthSecureTable())).status).toBe('NOT_APPLICABLE');
  });
});
