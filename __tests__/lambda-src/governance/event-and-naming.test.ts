import { parseCreateTableEvent } from '../../../lambda-src/governance/event';
import { classifyTableName } from '../../../lambda-src/governance/naming';
import { createTableEvent } from './support/fixtures';

describe('parseCreateTableEvent', () => {
  test('reads only the fields the handler needs from a CloudTrail CreateTable event', () => {
    expect(parseCreateTableEvent(createTableEvent('project-abc-user-sessions'))).toEqual({
      ok: true,
      event: {
        eventId: 'b7a1f3c2-0d4e-4f5a-9b8c-7d6e5f4a3b2c',
        eventName: 'CreateTable',
        cloudTrailEventId: 'c0ffee00-1111-2222-3333-444455556666',
        tableName: 'project-abc-user-sessions',
        account: '111111111111',
        region: 'us-east-1',
        requestedEncryption: 'aws-owned',
        creatorArn: 'arn:aws:iam::111111111111:role/project-3f2a9c1e5b7d4e8f-ml-scientist-role',
      },
    });
  });

  test('the creator is the IAM user for user calls', () => {
    const event = createTableEvent('project-abc-t1');
    (event.detail as Record<string, unknown>).userIdentity = { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/alice' };
    const parsed = parseCreateTableEvent(event);
    expect(parsed.ok && parsed.event.creatorArn).toBe('arn:aws:iam::111111111111:user/alice');
  });

  test.each([
    [undefined, 'aws-owned'],
    [{ enabled: false }, 'aws-owned'],
    [{ enabled: true, sSEType: 'KMS' }, 'aws-managed'],
    [{ enabled: true, sSEType: 'KMS', kMSMasterKeyId: 'alias/aws/dynamodb' }, 'aws-managed'],
    [{ enabled: true, sSEType: 'KMS', kMSMasterKeyId: 'arn:aws:kms:us-east-1:111111111111:alias/aws/dynamodb' }, 'aws-managed'],
    [{ enabled: true, sSEType: 'KMS', kMSMasterKeyId: 'alias/project-abc-dynamodb' }, 'customer-key'],
    [{ Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'arn:aws:kms:us-east-1:111111111111:key/1' }, 'customer-key'],
  ])('sSESpecification %j means the %s key', (sse, expected) => {
    const parsed = parseCreateTableEvent(createTableEvent('project-abc-t1', { sse: sse as Record<string, unknown> | undefined }));
    expect(parsed.ok && parsed.event.requestedEncryption).toBe(expected);
  });

  test('a failed CreateTable call carries its error code', () => {
    const parsed = parseCreateTableEvent(createTableEvent('project-abc-t1', { errorCode: 'LimitExceededException' }));
    expect(parsed.ok && parsed.event.errorCode).toBe('LimitExceededException');
  });

  test.each([
    [[], 'event', 'must be a JSON object'],
    [{ ...createTableEvent('project-abc-t1'), id: 42 }, 'id', 'non-empty string'],
    [{ ...createTableEvent('project-abc-t1'), id: 'x'.repeat(200) }, 'id', 'at most 128'],
    [{ ...createTableEvent('project-abc-t1'), account: 'me' }, 'account', '12-digit'],
    [{ ...createTableEvent('project-abc-t1'), region: 42 }, 'region', 'region name'],
    [{ ...createTableEvent('project-abc-t1'), detail: { ...(createTableEvent('x').detail as object), eventSource: 's3.amazonaws.com' } }, 'detail.eventSource', 'dynamodb.amazonaws.com'],
    [{ ...createTableEvent('project-abc-t1'), detail: { ...(createTableEvent('x').detail as object), requestParameters: null } }, 'detail.requestParameters', 'must be an object'],
    [createTableEvent('ab'), 'detail.requestParameters.tableName', 'DynamoDB table name'],
  ])('%# rejects %s at %s', (event, field, problem) => {
    expect(parseCreateTableEvent(event)).toMatchObject({ ok: false, field, problem: expect.stringContaining(problem) });
  });
});

describe('classifyTableName (project-<uuid>-<suffix>)', () => {
  test.each(['project-abc-user-sessions', 'project-abc-conversation-history', 'project-abc-model-metadata', 'project-abc-v2', 'project-abc-a'])('%s is compliant', (name) => {
    expect(classifyTableName(name, 'abc').kind).toBe('compliant');
  });

  test.each([
    ['project-abc-', 'has no suffix'],
    ['project-abc-User-Sessions', "suffix 'User-Sessions'"],
    ['project-abc-user_sessions', "suffix 'user_sessions'"],
    ['project-abc-user.sessions', "suffix 'user.sessions'"],
    ['project-abc--sessions', "suffix '-sessions'"],
    ['project-abc-sessions-', "suffix 'sessions-'"],
    ['project-abc-a--b', "suffix 'a--b'"],
  ])('%s is non-compliant: %s', (name, reason) => {
    expect(classifyTableName(name, 'abc')).toEqual({ kind: 'non-compliant', reason: expect.stringContaining(reason) });
  });

  test.each(['project-abcd-sessions', 'project-xyz-sessions', 'PROJECT-abc-sessions', 'AuditFlow-Documents', 'project-ab'])('%s belongs to another project (out of scope)', (name) => {
    expect(classifyTableName(name, 'abc').kind).toBe('out-of-scope');
  });
});
