import { evaluateDynamodb003 } from '../../../modules/compliance';
import { auditFlowCatalog } from '../../../stacks/catalogs/auditflow';
import { synthEnvironment } from '../../support/synth';
import { only, stackJson, synthSecureTable, tableResource } from '../fixtures';

describe('dynamodb:003 deletion protection', () => {
  test('COMPLIANT: SecureTable default', () => {
    expect(only(evaluateDynamodb003(synthSecureTable()))).toEqual({
      requirement: 'dynamodb:003',
      status: 'COMPLIANT',
      resource: 'aws_dynamodb_table.orders',
      reason: 'deletion_protection_enabled = true',
    });
  });

  test('COMPLIANT: the AuditFlow prod stack', () => {
    expect(evaluateDynamodb003(synthEnvironment(auditFlowCatalog, 'prod')).every((f) => f.status === 'COMPLIANT')).toBe(true);
  });

  test('NON_COMPLIANT: SecureTable with deletionProtection: false', () => {
    const finding = only(evaluateDynamodb003(synthSecureTable({ deletionProtection: false })));
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toContain('deletion_protection_enabled = false');
  });

  test('NON_COMPLIANT: attribute absent (the provider default is false)', () => {
    const finding = only(evaluateDynamodb003(stackJson({ aws_dynamodb_table: { t: tableResource({ deletion_protection_enabled: undefined }) } })));
    expect(finding.reason).toContain('(not set)');
  });
});
