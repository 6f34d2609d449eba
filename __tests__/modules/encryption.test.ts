import { DynamoDbKey, DynamoDbKeyProps, existingKey } from '../../modules/encryption';
import { resourcesOfType, synthConstructs } from '../support/synth';
import { errorMessageOf } from '../support/errors';

const props: DynamoDbKeyProps = { accountId: '111111111111', region: 'eu-west-1', aliasName: 'alias/orders-dev-dynamodb' };

function synthKey(overrides: Partial<DynamoDbKeyProps> = {}) {
  const json = synthConstructs((stack) => new DynamoDbKey(stack, 'dynamodb_key', { ...props, ...overrides }));
  const key = resourcesOfType(json, 'aws_kms_key').dynamodb_key;
  const alias = resourcesOfType(json, 'aws_kms_alias').dynamodb_key_alias;
  return { key, alias, policy: JSON.parse(key.policy) };
}

function keyError(overrides: Partial<DynamoDbKeyProps>): string {
  return errorMessageOf(() => synthKey(overrides));
}

describe('DynamoDbKey (dynamodb:001)', () => {
  test('rotation on, 30-day deletion window, alias pointing at the key', () => {
    const { key, alias } = synthKey();
    expect(key.enable_key_rotation).toBe(true);
    expect(key.deletion_window_in_days).toBe(30);
    expect(key.lifecycle).toBeUndefined();
    expect(alias).toEqual(expect.objectContaining({ name: 'alias/orders-dev-dynamodb', target_key_id: '${aws_kms_key.dynamodb_key.key_id}' }));
  });

  test('the account root administers the key but has no cryptographic actions', () => {
    const admin = synthKey().policy.Statement.find((s: any) => s.Sid === 'AccountRootAdministersKey');
    expect(admin.Principal).toEqual({ AWS: 'arn:aws:iam::111111111111:root' });
    expect(admin.Action).toEqual(expect.arrayContaining(['kms:Put*', 'kms:ScheduleKeyDeletion', 'kms:Describe*']));
    expect(admin.Action).not.toContain('kms:*');
    expect(admin.Action).not.toEqual(expect.arrayContaining(['kms:Decrypt']));
  });

  test('cryptographic use is allowed only through DynamoDB in the key region, from the same account', () => {
    const { policy } = synthKey();
    expect(policy.Statement.map((s: any) => s.Sid)).toEqual(['AccountRootAdministersKey', 'UseOnlyThroughDynamoDb', 'DynamoDbDescribesKey']);
    // DynamoDB itself may read the key's metadata (AWS's recommended key policy), never use it.
    expect(policy.Statement[2]).toEqual({ Sid: 'DynamoDbDescribesKey', Effect: 'Allow', Principal: { Service: 'dynamodb.amazonaws.com' }, Action: ['kms:Describe*', 'kms:Get*', 'kms:List*'], Resource: '*' });
    const use = policy.Statement.find((s: any) => s.Sid === 'UseOnlyThroughDynamoDb');
    expect(use.Action).toEqual(['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey']);
    expect(use.Principal).toEqual({ AWS: '*' });
    expect(use.Condition).toEqual({ StringEquals: { 'kms:ViaService': 'dynamodb.eu-west-1.amazonaws.com', 'kms:CallerAccount': '111111111111' } });
  });

  test('key users narrow the principals; GovCloud regions use their partition', () => {
    const role = 'arn:aws-us-gov:iam::111111111111:role/orders-app';
    const { policy } = synthKey({ keyUserArns: [role], region: 'us-gov-west-1' });
    expect(policy.Statement[0].Principal).toEqual({ AWS: 'arn:aws-us-gov:iam::111111111111:root' });
    expect(policy.Statement[1].Principal).toEqual({ AWS: [role] });
  });

  test('deletion window and prevent_destroy options', () => {
    const { key } = synthKey({ deletionWindowInDays: 7, preventDestroy: true });
    expect(key.deletion_window_in_days).toBe(7);
    expect(key.lifecycle).toEqual({ prevent_destroy: true });
  });

  test.each([6, 31])('deletion window %p outside 7-30 is rejected', (days) => {
    expect(keyError({ deletionWindowInDays: days })).toBe(`test/dynamodb_key: deletionWindowInDays = ${days}: must be a whole number from 7 to 30`);
  });

  test.each(['orders-key', 'alias/aws/dynamodb'])('alias %p is rejected', (aliasName) => {
    expect(keyError({ aliasName })).toBe(
      `test/dynamodb_key: aliasName = '${aliasName}': must look like 'alias/<name>' using letters, digits, '/', '_' or '-', and must not start with 'alias/aws/' (reserved for AWS-managed keys)`,
    );
  });
});

describe('existingKey', () => {
  test('accepts a key ARN, including a multi-Region key', () => {
    const arn = 'arn:aws:kms:us-east-1:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab';
    expect(existingKey('stack/orders', arn)).toEqual({ keyArn: arn });
  });

  test('rejects an alias ARN with a message naming the field', () => {
    expect(() => existingKey('stack/orders', 'arn:aws:kms:us-east-1:111111111111:alias/orders')).toThrow(
      "stack/orders: encryptionKey = 'arn:aws:kms:us-east-1:111111111111:alias/orders': must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); aliases and AWS-owned keys do not satisfy dynamodb:001",
    );
  });
});

test('existingKey refuses a key of another Region when the Region is known', () => {
  const arn = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  expect(existingKey('stack/orders', arn, 'us-east-1')).toEqual({ keyArn: arn });
  expect(() => existingKey('stack/orders', arn, 'eu-west-1')).toThrow(
    `stack/orders: encryptionKey = '${arn}': the key is in us-east-1, but the data it encrypts is in eu-west-1; DynamoDB needs a key of the same Region`,
  );
});
