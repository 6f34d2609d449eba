import { ComplianceError, enforceCompliance, evaluateStack, unwaivedFailures, Waiver } from '../../modules/compliance';
import { isGuardrailError } from '../../modules/validation';
import { auditFlowCatalog } from '../../stacks/catalogs/auditflow';
import { synthEnvironment } from '../support/synth';
import { stackJson, synthSecureTable, tableResource } from './fixtures';

const TODAY = '2026-03-01';

/** One table that fails only dynamodb:002 (PITR off) among the table rules. */
function pitrOffStack() {
  return stackJson({ aws_dynamodb_table: { orders: tableResource({ point_in_time_recovery: { enabled: false }, ttl: { attribute_name: 'ttl', enabled: true } }) } });
}

const PITR_WAIVER: Waiver = { requirement: 'dynamodb:002', resource: 'aws_dynamodb_table.orders', reason: 'scratch table rebuilt nightly from S3', expires: '2026-03-31' };

describe('evaluateStack', () => {
  test('runs all fifteen rules and sorts findings by requirement, then resource; the AuditFlow prod stack passes', () => {
    const report = evaluateStack('auditflow-prod', synthEnvironment(auditFlowCatalog, 'prod'), { environment: 'prod', waivers: [], today: TODAY });
    const requirements = [...new Set(report.findings.map((f) => f.requirement))];
    expect(requirements).toHaveLength(15);
    expect(report.findings.map((f) => `${f.requirement} ${f.resource}`)).toEqual(report.findings.map((f) => `${f.requirement} ${f.resource}`).sort());
    expect(report.summary).toEqual(expect.objectContaining({ nonCompliant: 0, waived: 0 }));
    expect(unwaivedFailures(report)).toEqual([]);
  });

  test('the AuditFlow prod stack without backups, resource policies and endpoint fails 005, 006 and 015 per table', () => {
    const bare = { ...auditFlowCatalog, endpoint: undefined, roles: [], resourcePolicies: [] };
    const json = synthEnvironment(bare, 'prod', { backup: { enabled: false } });
    const report = evaluateStack('auditflow-prod', json, { environment: 'prod', waivers: [], today: TODAY });
    expect(unwaivedFailures(report).map((f) => f.requirement)).toEqual([
      'dynamodb:005',
      'dynamodb:005',
      'dynamodb:006',
      'dynamodb:006',
      'dynamodb:015',
      'dynamodb:015',
    ]);
  });

  test('a waived failure stays NON_COMPLIANT and carries the waiver', () => {
    const report = evaluateStack('s', pitrOffStack(), { environment: 'prod', waivers: [PITR_WAIVER], today: TODAY });
    const pitr = report.findings.find((f) => f.requirement === 'dynamodb:002');
    expect(pitr).toMatchObject({ status: 'NON_COMPLIANT', waiver: PITR_WAIVER });
    expect(report.summary.waived).toBe(1);
    expect(unwaivedFailures(report).some((f) => f.requirement === 'dynamodb:002')).toBe(false);
  });

  test('an expired waiver counts as no waiver and is reported', () => {
    const report = evaluateStack('s', pitrOffStack(), { environment: 'prod', waivers: [PITR_WAIVER], today: '2026-04-01' });
    const pitr = report.findings.find((f) => f.requirement === 'dynamodb:002');
    expect(pitr?.waiver).toBeUndefined();
    expect(pitr?.expiredWaiver).toEqual(PITR_WAIVER);
    expect(report.summary.waived).toBe(0);
  });

  test('waivers that accept nothing are listed as unused', () => {
    const unused: Waiver = { ...PITR_WAIVER, requirement: 'dynamodb:003' };
    const report = evaluateStack('s', pitrOffStack(), { environment: 'dev', waivers: [PITR_WAIVER, unused], today: TODAY });
    expect(report.unusedWaivers).toEqual([unused]);
  });
});

describe('enforceCompliance', () => {
  const failing = () => evaluateStack('orders-prod', synthSecureTable({ pointInTimeRecovery: false, deletionProtection: false }), { environment: 'prod', waivers: [], today: TODAY });

  test('prod: NON_COMPLIANT without a valid waiver is a hard stop listing each failure on its own line', () => {
    const report = failing();
    let error: unknown;
    try {
      enforceCompliance([report], 'prod');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ComplianceError);
    expect(isGuardrailError(error)).toBe(true);
    const lines = (error as Error).message.split('\n');
    const failures = unwaivedFailures(report);
    expect(lines[0]).toBe(
      `prod is not compliant: ${failures.length} NON_COMPLIANT findings without a valid waiver (fix each, or add a waiver to environments.prod.waivers):`,
    );
    expect(lines).toHaveLength(failures.length + 1);
    expect(lines).toContain(
      '  orders-prod: aws_dynamodb_table.orders: dynamodb:002 (Point-in-time recovery): point_in_time_recovery.enabled = false: the table cannot be restored to a point in time. ' +
        'Fix: set point_in_time_recovery { enabled = true } (SecureTable pointInTimeRecovery: true, the default). ' +
        'Or waive: add {"requirement":"dynamodb:002","resource":"aws_dynamodb_table.orders","stack":"orders-prod","reason":"<why this is acceptable>","expires":"YYYY-MM-DD"} to environments.prod.waivers',
    );
    expect(lines.some((l) => l.includes('aws_dynamodb_table.orders: dynamodb:003 (Deletion protection): deletion_protection_enabled = false'))).toBe(true);
    expect((error as ComplianceError).failures).toHaveLength(failures.length);
  });

  test('prod: the error says when a waiver has expired', () => {
    const report = evaluateStack('s-prod', pitrOffStack(), { environment: 'prod', waivers: [PITR_WAIVER], today: '2026-04-01' });
    expect(() => enforceCompliance([report], 'prod')).toThrow(/dynamodb:002 .*\(its waiver expired on 2026-03-31 and no longer counts\)\. Fix:/);
  });

  test('prod: passes when every failure is waived', () => {
    const waivers: Waiver[] = ['dynamodb:005', 'dynamodb:006', 'dynamodb:012', 'dynamodb:015'].map((requirement) => ({
      requirement: requirement as Waiver['requirement'],
      resource: '*',
      reason: 'landing with the access, backup and network modules',
      expires: '2026-06-30',
    }));
    const report = evaluateStack('s-prod', pitrOffStack(), { environment: 'prod', waivers: [...waivers, PITR_WAIVER], today: TODAY });
    expect(enforceCompliance([report], 'prod')).toEqual([]);
  });

  test('dev and staging: warnings, one line per failure, no exception', () => {
    const report = evaluateStack('orders-dev', synthSecureTable({ pointInTimeRecovery: false }), { environment: 'dev', waivers: [], today: TODAY });
    const warnings = enforceCompliance([report], 'dev');
    expect(warnings).toHaveLength(unwaivedFailures(report).length);
    expect(warnings.every((w) => w.startsWith('warning: orders-dev: '))).toBe(true);
    expect(warnings.some((w) => w.includes('dynamodb:002') && w.includes('environments.dev.waivers'))).toBe(true);
  });

  test('only reports of the given environment count', () => {
    const report = failing();
    expect(enforceCompliance([report], 'staging')).toEqual([]);
  });
});
