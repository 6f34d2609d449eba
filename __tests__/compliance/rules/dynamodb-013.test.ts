import { evaluateDynamodb013 } from '../../../modules/compliance';
import { only, synthSecureTable } from '../fixtures';

describe('dynamodb:013 DynamoDB Streams', () => {
  test('COMPLIANT: SecureTable default, view type reported', () => {
    expect(only(evaluateDynamodb013(synthSecureTable())).reason).toBe('stream_enabled = true, stream_view_type = NEW_AND_OLD_IMAGES');
  });

  test('COMPLIANT: another view type is still change data capture, and is reported', () => {
    const finding = only(evaluateDynamodb013(synthSecureTable({ stream: 'KEYS_ONLY' })));
    expect(finding.status).toBe('COMPLIANT');
    expect(finding.reason).toContain('KEYS_ONLY');
  });

  test('NON_COMPLIANT: SecureTable with stream: false', () => {
    const finding = only(evaluateDynamodb013(synthSecureTable({ stream: false })));
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toContain('stream_enabled = false');
  });
});
