import { evaluateDynamodb008 } from '../../../modules/compliance';
import { only, stackJson } from '../fixtures';
import { daxStack } from './dax';

describe('dynamodb:008 DAX encryption in transit', () => {
  test('COMPLIANT: TLS endpoint', () => {
    expect(only(evaluateDynamodb008(daxStack()))).toMatchObject({ status: 'COMPLIANT', reason: 'cluster_endpoint_encryption_type = "TLS"' });
  });

  test('NON_COMPLIANT: NONE or not set', () => {
    expect(only(evaluateDynamodb008(daxStack({ cluster_endpoint_encryption_type: 'NONE' }))).status).toBe('NON_COMPLIANT');
    const unset = only(evaluateDynamodb008(daxStack({ cluster_endpoint_encryption_type: undefined })));
    expect(unset.reason).toContain('(not set)');
    expect(unset.fix).toContain('"TLS"');
  });

  test('NOT_APPLICABLE without DAX', () => {
    expect(only(evaluateDynamodb008(stackJson({}))).status).toBe('NOT_APPLICABLE');
  });
});
