import { evaluateDynamodb002 } from '../../../modules/compliance';
import { auditFlowCatalog } from '../../../stacks/catalogs/auditflow';
import { synthEnvironment } from '../../support/synth';
import { only, stackJson, synthSecureTable, tableResource } from '../fixtures';

describe('dynamodb:002 point-in-time recovery', () => {
  test('COMPLIANT: SecureTable default (35 days)', () => {
    const finding = only(evaluateDynamodb002(synthSecureTable()));
    expect(finding).toMatchObject({ status: 'COMPLIANT', resource: 'aws_dynamodb_table.orders' });
    expect(finding.reason).toBe('point_in_time_recovery.enabled = true (recovery period 35 days)');
  });

  test('COMPLIANT: a shorter recovery period is still PITR and is reported', () => {
    expect(only(evaluateDynamodb002(synthSecureTable({ pointInTimeRecoveryDays: 7 }))).reason).toContain('7 days');
  });

  test('NON_COMPLIANT: SecureTable with pointInTimeRecovery: false', () => {
    const finding = only(evaluateDynamodb002(synthSecureTable({ pointInTimeRecovery: false })));
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toContain('point_in_time_recovery.enabled = false');
    expect(finding.fix).toContain('pointInTimeRecovery');
  });

  test('NON_COMPLIANT: an environment that turns PITR off by default', () => {
    const findings = evaluateDynamodb002(synthEnvironment(auditFlowCatalog, 'dev', { pointInTimeRecovery: false }));
    expect(findings.map((f) => f.status)).toEqual(['NON_COMPLIANT', 'NON_COMPLIANT']);
  });

  test('NON_COMPLIANT: no point_in_time_recovery block at all', () => {
    const finding = only(evaluateDynamodb002(stackJson({ aws_dynamodb_table: { t: tableResource({ point_in_time_recovery: undefined }) } })));
    expect(finding.reason).toContain('(not set)');
  });
});
