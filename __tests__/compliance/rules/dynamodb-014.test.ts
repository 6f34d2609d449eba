import { evaluateDynamodb014 } from '../../../modules/compliance';
import { auditFlowCatalog } from '../../../stacks/catalogs/auditflow';
import { synthEnvironment } from '../../support/synth';
import { only, stackJson, synthSecureTable, tableResource } from '../fixtures';

describe('dynamodb:014 Time to Live', () => {
  test('COMPLIANT: SecureTable with timeToLiveAttribute', () => {
    expect(only(evaluateDynamodb014(synthSecureTable()))).toMatchObject({ status: 'COMPLIANT', reason: 'ttl enabled on attribute "expires_at"' });
  });

  test('COMPLIANT: the AuditFlow tables (TTL on "ttl")', () => {
    expect(evaluateDynamodb014(synthEnvironment(auditFlowCatalog, 'prod')).map((f) => f.status)).toEqual(['COMPLIANT', 'COMPLIANT']);
  });

  test('NON_COMPLIANT (waivable): SecureTable without TTL', () => {
    const finding = only(evaluateDynamodb014(synthSecureTable({ timeToLiveAttribute: undefined })));
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toBe('no ttl block: items never expire');
    expect(finding.fix).toContain('waive dynamodb:014');
  });

  test('NON_COMPLIANT: ttl block with enabled = false', () => {
    const json = stackJson({ aws_dynamodb_table: { t: tableResource({ ttl: { attribute_name: 'ttl', enabled: false } }) } });
    expect(only(evaluateDynamodb014(json)).reason).toContain('ttl.enabled = false');
  });
});
