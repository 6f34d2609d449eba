import { evaluateDynamodb010 } from '../../../modules/compliance';
import { only, stackJson, synthSecureTable } from '../fixtures';
import { globalTableStack, GOOD_REPLICAS } from './replicas';

describe('dynamodb:010 replicas encrypted with a customer-managed key in their region', () => {
  test('COMPLIANT: each replica uses the aws_kms_replica_key of its region', () => {
    const findings = evaluateDynamodb010(globalTableStack(GOOD_REPLICAS));
    expect(findings.map((f) => [f.resource, f.status])).toEqual([
      ['aws_dynamodb_table.sessions.replica[eu-west-1]', 'COMPLIANT'],
      ['aws_dynamodb_table.sessions.replica[ap-south-1]', 'COMPLIANT'],
    ]);
    expect(findings[0].reason).toContain('encrypted in eu-west-1 with customer-managed replica key aws_kms_replica_key.eu_west_1');
  });

  test('COMPLIANT: a literal key ARN of the replica region', () => {
    const replica = { region_name: 'eu-west-1', kms_key_arn: 'arn:aws:kms:eu-west-1:333333333333:key/mrk-1234abcd12ab34cd56ef1234567890ab', point_in_time_recovery: true };
    expect(only(evaluateDynamodb010(globalTableStack([replica]))).status).toBe('COMPLIANT');
  });

  test('NON_COMPLIANT: no kms_key_arn on the replica', () => {
    const finding = only(evaluateDynamodb010(globalTableStack([{ region_name: 'eu-west-1', point_in_time_recovery: true }])));
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.fix).toContain('eu-west-1');
  });

  test('NON_COMPLIANT: a key of another region (reference or literal ARN)', () => {
    const swapped = only(evaluateDynamodb010(globalTableStack([{ region_name: 'eu-west-1', kms_key_arn: '${aws_kms_replica_key.ap_south_1.arn}' }])));
    expect(swapped.reason).toContain('aws_kms_replica_key.ap_south_1 is in ap-south-1, but the data is in eu-west-1');
    const literal = only(evaluateDynamodb010(globalTableStack([{ region_name: 'eu-west-1', kms_key_arn: 'arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }])));
    expect(literal.status).toBe('NON_COMPLIANT');
  });

  test('NON_COMPLIANT: legacy aws_dynamodb_global_table', () => {
    const finding = only(evaluateDynamodb010(stackJson({ aws_dynamodb_global_table: { sessions: { name: 'Sessions', replica: [{ region_name: 'eu-west-1' }] } } })));
    expect(finding).toMatchObject({ status: 'NON_COMPLIANT', resource: 'aws_dynamodb_global_table.sessions' });
    expect(finding.reason).toContain('2017.11.29');
  });

  test('aws_dynamodb_table_replica resources are replicas too (region from the provider alias)', () => {
    const json = stackJson(
      {
        aws_kms_key: { eu: { enable_key_rotation: true, provider: 'aws.eu' } },
        aws_dynamodb_table_replica: { sessions_eu: { global_table_arn: '${aws_dynamodb_table.sessions.arn}', kms_key_arn: '${aws_kms_key.eu.arn}', point_in_time_recovery: true, provider: 'aws.eu' } },
      },
      { providers: [{ alias: 'eu', region: 'eu-west-1' }] },
    );
    expect(only(evaluateDynamodb010(json))).toMatchObject({ resource: 'aws_dynamodb_table_replica.sessions_eu', status: 'COMPLIANT' });
  });

  test('NOT_APPLICABLE: a single-region SecureTable', () => {
    expect(only(evaluateDynamodb010(synthSecureTable()))).toMatchObject({ status: 'NOT_APPLICABLE', resource: '(stack)' });
  });
});
