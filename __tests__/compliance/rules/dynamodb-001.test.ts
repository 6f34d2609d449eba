import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { evaluateDynamodb001 } from '../../../modules/compliance';
import { auditFlowCatalog } from '../../../stacks/catalogs/auditflow';
import { synthConstructs, synthEnvironment } from '../../support/synth';
import { SecureTable } from '../../../modules/table';
import { ACCOUNT, existingKey, KEY_ARN, only, stackJson, synthSecureTable, tableResource } from '../fixtures';

describe('dynamodb:001 customer-managed KMS key (synthesized stacks)', () => {
  test('COMPLIANT: SecureTable with a rotating DynamoDbKey', () => {
    const finding = only(evaluateDynamodb001(synthSecureTable()));
    expect(finding).toMatchObject({ requirement: 'dynamodb:001', status: 'COMPLIANT', resource: 'aws_dynamodb_table.orders' });
    expect(finding.reason).toContain('aws_kms_key.dynamodb_key with automatic rotation');
  });

  test('COMPLIANT: an existing key by ARN, with rotation not verifiable', () => {
    const finding = only(evaluateDynamodb001(synthSecureTable({}, () => existingKey('test', KEY_ARN))));
    expect(finding.status).toBe('COMPLIANT');
    expect(finding.reason).toContain('rotation not verifiable from the artifact');
  });

  test('NON_COMPLIANT: a key created without rotation', () => {
    const json = synthSecureTable({}, (scope) => {
      const key = new KmsKey(scope, 'plain_key', { enableKeyRotation: false });
      return { keyArn: key.arn };
    });
    const finding = only(evaluateDynamodb001(json));
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toMatch(/enable_key_rotation = false/);
    expect(finding.fix).toContain('enable_key_rotation = true');
  });

  test('NON_COMPLIANT: encryption switched to the AWS-owned key', () => {
    const json = synthConstructs((stack) => {
      const table = new SecureTable(stack, 'orders', { tableName: 'Orders', partitionKey: { name: 'pk', type: 'S' }, encryptionKey: existingKey('t', KEY_ARN) });
      table.resource.addOverride('server_side_encryption', { enabled: false });
    });
    const finding = only(evaluateDynamodb001(json));
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toContain('AWS-owned key');
  });

  test('COMPLIANT: every table of the AuditFlow prod stack', () => {
    const findings = evaluateDynamodb001(synthEnvironment(auditFlowCatalog, 'prod'));
    expect(findings.map((f) => [f.resource, f.status])).toEqual([
      ['aws_dynamodb_table.audit_records', 'COMPLIANT'],
      ['aws_dynamodb_table.documents', 'COMPLIANT'],
    ]);
  });
});

describe('dynamodb:001 edge cases (hand-written JSON)', () => {
  const evaluate = (sse: unknown, extra: Record<string, Record<string, Record<string, unknown>>> = {}, data?: Record<string, Record<string, Record<string, unknown>>>) =>
    only(evaluateDynamodb001(stackJson({ aws_dynamodb_table: { orders: tableResource({ server_side_encryption: sse }) }, ...extra }, { data })));

  test('no kms_key_arn is the AWS-managed key', () => {
    const finding = evaluate({ enabled: true });
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toContain('AWS-managed key aws/dynamodb');
  });

  test('no server_side_encryption block is the AWS-owned key', () => {
    expect(evaluate(undefined).reason).toContain('AWS-owned key');
  });

  test('blocks written as arrays are read too', () => {
    expect(evaluate([{ enabled: true, kms_key_arn: KEY_ARN }]).status).toBe('COMPLIANT');
  });

  test('the aws/dynamodb alias ARN is AWS-managed', () => {
    expect(evaluate({ enabled: true, kms_key_arn: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/aws/dynamodb` }).status).toBe('NON_COMPLIANT');
  });

  test('a literal key in another region cannot encrypt the table', () => {
    const finding = evaluate({ enabled: true, kms_key_arn: KEY_ARN.replace('us-east-1', 'eu-west-1') });
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toContain('is in eu-west-1, but the data is in us-east-1');
  });

  test('an expression that is not a key reference is not verifiable', () => {
    const finding = evaluate({ enabled: true, kms_key_arn: '${var.key_arn}' });
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toContain('not in the artifact');
  });

  test('a reference to a key missing from the stack', () => {
    expect(evaluate({ enabled: true, kms_key_arn: '${aws_kms_key.gone.arn}' }).reason).toContain('not in this stack');
  });

  test('an alias reference follows target_key_id to the key', () => {
    const finding = evaluate(
      { enabled: true, kms_key_arn: '${aws_kms_alias.k.arn}' },
      { aws_kms_key: { k: { enable_key_rotation: true } }, aws_kms_alias: { k: { name: 'alias/x', target_key_id: '${aws_kms_key.k.key_id}' } } },
    );
    expect(finding.status).toBe('COMPLIANT');
  });

  test('a replica key inherits rotation from its primary', () => {
    const finding = evaluate(
      { enabled: true, kms_key_arn: '${aws_kms_replica_key.r.arn}' },
      {
        aws_kms_key: { p: { enable_key_rotation: true, multi_region: true, region: 'eu-west-1' } },
        aws_kms_replica_key: { r: { primary_key_arn: '${aws_kms_key.p.arn}', region: 'us-east-1' } },
      },
    );
    expect(finding.status).toBe('COMPLIANT');
    expect(finding.reason).toContain('replica key aws_kms_replica_key.r of aws_kms_key.p');
  });

  test('a data.aws_kms_key for an AWS-managed alias is not a CMK; another key is accepted', () => {
    const managed = evaluate({ enabled: true, kms_key_arn: '${data.aws_kms_key.k.arn}' }, {}, { aws_kms_key: { k: { key_id: 'alias/aws/dynamodb' } } });
    expect(managed.status).toBe('NON_COMPLIANT');
    const shared = evaluate({ enabled: true, kms_key_arn: '${data.aws_kms_key.k.arn}' }, {}, { aws_kms_key: { k: { key_id: 'alias/shared-dynamodb' } } });
    expect(shared.status).toBe('COMPLIANT');
    expect(shared.reason).toContain('rotation not verifiable');
  });

  test('NOT_APPLICABLE without tables', () => {
    expect(only(evaluateDynamodb001(stackJson({})))).toMatchObject({ status: 'NOT_APPLICABLE', resource: '(stack)' });
  });
});
