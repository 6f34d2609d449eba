import { DAX_AWS_LIMIT_REASON, evaluateDynamodb007 } from '../../../modules/compliance';
import { only, stackJson } from '../fixtures';
import { daxStack } from './dax';

describe('dynamodb:007 DAX encryption at rest', () => {
  test('COMPLIANT, met to the AWS limit: encrypted with the AWS-owned key', () => {
    const finding = only(evaluateDynamodb007(daxStack()));
    expect(finding).toMatchObject({ status: 'COMPLIANT', resource: 'aws_dax_cluster.cache', metToAwsLimit: true });
    expect(finding.reason.startsWith('met to the AWS limit: AWS-owned key (DAX offers no customer-managed key option)')).toBe(true);
    expect(DAX_AWS_LIMIT_REASON).toBe('met to the AWS limit: AWS-owned key (DAX offers no customer-managed key option)');
  });

  test('NON_COMPLIANT: encryption off or absent (DAX default is unencrypted)', () => {
    const off = only(evaluateDynamodb007(daxStack({ server_side_encryption: { enabled: false } })));
    expect(off.status).toBe('NON_COMPLIANT');
    expect(off.metToAwsLimit).toBeUndefined();
    expect(only(evaluateDynamodb007(daxStack({ server_side_encryption: undefined }))).reason).toContain('(not set)');
  });

  test('NOT_APPLICABLE: one finding for a stack without DAX', () => {
    expect(evaluateDynamodb007(stackJson({}))).toEqual([
      { requirement: 'dynamodb:007', status: 'NOT_APPLICABLE', resource: '(stack)', reason: 'the stack has no aws_dax_cluster' },
    ]);
  });
});
