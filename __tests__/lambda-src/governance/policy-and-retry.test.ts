import type { PolicyDocument } from '../../../modules/access/policy-document';
import { projectTableResourcePolicy } from '../../../modules/access/project-template';
import { encryptionState } from '../../../lambda-src/governance/enforce';
import { NO_POLICY_REVISION, QUARANTINE_SID, planResourcePolicy, quarantinePolicy, statementKey } from '../../../lambda-src/governance/policy';
import { ACTIVE_WAIT_POLICY, CALL_RETRY_POLICY, backoffDelay, classifyError, describeError, withRetries } from '../../../lambda-src/governance/retry';
import { notificationFor, shouldNotify } from '../../../lambda-src/governance/notify';
import type { GovernanceResult } from '../../../lambda-src/governance/types';
import { FakeClock } from './support/fixtures';
import { error } from './support/local-control-plane';

const template = projectTableResourcePolicy({
  accountId: '111111111111',
  projectUuid: 'abc',
  vpcEndpointId: 'vpce-0123456789abcdef0',
  vpcId: 'vpc-0123456789abcdef0',
  exemptPrincipalArns: ['arn:aws:iam::111111111111:role/governance'],
});
const current = (document: unknown, revisionId = 'r1') => ({ policy: JSON.stringify(document), revisionId });

describe('planResourcePolicy: only ever adds restrictions', () => {
  test('no policy: the whole desired document, written only if still no policy (NO_POLICY)', () => {
    expect(planResourcePolicy(undefined, template)).toEqual({
      kind: 'put',
      document: template,
      expectedRevisionId: NO_POLICY_REVISION,
      added: template.Statement.map((s) => s.Sid),
      merged: false,
      skippedAllows: [],
    });
  });

  test('the same policy (reformatted, reordered lists, other Sids, other action case) is unchanged', () => {
    const reordered = {
      Statement: [...template.Statement].reverse().map((s, i) => ({
        ...s,
        Sid: `S${i}`,
        ...(Array.isArray(s.Action) ? { Action: [...s.Action].reverse().map((a) => a.toUpperCase()) } : {}),
      })),
      Version: '2012-10-17',
    };
    expect(planResourcePolicy({ policy: JSON.stringify(reordered, null, 4), revisionId: 'r9' }, template)).toEqual({ kind: 'unchanged', skippedAllows: [] });
  });

  test('a foreign policy keeps all its statements; missing denies are appended with the revision it was read at', () => {
    const foreign: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'DenyRootUser', Effect: 'Deny', Principal: '*', Action: 'dynamodb:DeleteTable', Resource: '*' }],
    };
    const plan = planResourcePolicy(current(foreign, 'rev-7'), template);
    expect(plan.kind).toBe('put');
    if (plan.kind !== 'put') return;
    expect(plan.expectedRevisionId).toBe('rev-7');
    expect(plan.merged).toBe(true);
    expect(plan.document.Statement[0]).toEqual(foreign.Statement[0]);
    // The template's DenyRootUser differs from the existing one, so it is added under a fresh Sid.
    expect(plan.added).toEqual(['DenyAllNonVPCAccess', 'DenyInsecureTransport', 'GovernanceDenyRootUser']);
    expect(plan.skippedAllows).toEqual(['ProjectVPCOnlyAccess']);
    expect(plan.document.Statement.filter((s) => s.Effect === 'Allow')).toEqual([]);
  });

  test('a single-statement policy (Statement as an object) is read', () => {
    const plan = planResourcePolicy(current({ Version: '2012-10-17', Statement: template.Statement[1] }), template);
    expect(plan.kind === 'put' && plan.document.Statement[0]).toEqual(template.Statement[1]);
  });

  test.each([['not json {'], ['[]'], ['{"Statement":"x"}'], ['{"Version":"2012-10-17"}']])('an unreadable policy %s is left alone', (text) => {
    expect(planResourcePolicy({ policy: text, revisionId: 'r' }, template)).toEqual({ kind: 'refuse', reason: expect.stringContaining('not a readable policy') });
  });

  test('a merge over 20 KB is refused', () => {
    const big = { Version: '2012-10-17', Statement: Array.from({ length: 60 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Deny', Principal: '*', Action: 'dynamodb:Scan', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/x': 'y'.repeat(300) } } })) };
    expect(planResourcePolicy(current(big), template)).toEqual({ kind: 'refuse', reason: expect.stringContaining("over DynamoDB's 20480") });
  });

  test('quarantine: one deny-all statement with the exempt principals', () => {
    expect(quarantinePolicy(['arn:aws:iam::111111111111:role/a'])).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: QUARANTINE_SID, Effect: 'Deny', Principal: '*', Action: 'dynamodb:*', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/a' } } }],
    });
  });

  test('statementKey ignores Sid, list order and action case, but not conditions', () => {
    const a = { Sid: 'A', Effect: 'Deny' as const, Principal: '*' as const, Action: ['dynamodb:Scan', 'dynamodb:Query'], Resource: '*' };
    expect(statementKey(a)).toBe(statementKey({ ...a, Sid: 'B', Action: ['DYNAMODB:QUERY', 'dynamodb:scan'] }));
    expect(statementKey(a)).not.toBe(statementKey({ ...a, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });
});

describe('encryptionState', () => {
  const project = 'arn:aws:kms:us-east-1:111111111111:key/p';
  test.each([
    [undefined, 'aws-owned', 'aws-owned'],
    [{ Status: 'DISABLED' }, 'aws-owned', 'aws-owned'],
    [{ Status: 'ENABLED', SSEType: 'AES256' }, 'aws-owned', 'aws-owned'],
    [{ Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: project }, 'aws-owned', 'project-key'],
    [{ Status: 'UPDATING', SSEType: 'KMS', KMSMasterKeyArn: project }, 'aws-owned', 'project-key'],
    [{ Status: 'UPDATING', SSEType: 'KMS', KMSMasterKeyArn: 'arn:x' }, 'aws-managed', 'in-progress'],
    [{ Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: 'arn:x' }, 'aws-managed', 'aws-managed'],
    [{ Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: 'arn:x' }, 'aws-owned', 'aws-managed'],
    [{ Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: 'arn:x' }, 'customer-key', 'other-customer-key'],
  ] as const)('%j requested as %s is %s', (sse, requested, kind) => {
    expect(encryptionState(sse as never, project, requested).kind).toBe(kind);
  });
});

describe('retries', () => {
  test('backoff is exponential, capped, with equal jitter', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, ACTIVE_WAIT_POLICY, () => 1))).toEqual([1000, 2000, 4000, 8000, 15000, 15000]);
    expect(backoffDelay(0, CALL_RETRY_POLICY, () => 0)).toBe(100);
    expect(backoffDelay(20, CALL_RETRY_POLICY, () => 0.5)).toBe(3750);
  });

  test.each([
    ['ResourceNotFoundException', 'not-found'],
    ['PolicyNotFoundException', 'policy-not-found'],
    ['ThrottlingException', 'retryable'],
    ['ProvisionedThroughputExceededException', 'retryable'],
    ['LimitExceededException', 'retryable'],
    ['ResourceInUseException', 'retryable'],
    ['ContinuousBackupsUnavailableException', 'retryable'],
    ['InternalServerError', 'retryable'],
    ['AccessDeniedException', 'fatal'],
    ['ValidationException', 'fatal'],
  ])('%s is %s', (name, kind) => {
    expect(classifyError(error(name))).toBe(kind);
  });

  test('network errors, $retryable and 5xx/429 statuses are retryable', () => {
    expect(classifyError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe('retryable');
    expect(classifyError(Object.assign(new Error('x'), { $retryable: { throttling: true } }))).toBe('retryable');
    expect(classifyError(Object.assign(new Error('x'), { name: 'Weird', $metadata: { httpStatusCode: 503 } }))).toBe('retryable');
    expect(classifyError('a string')).toBe('fatal');
  });

  test('withRetries stops after maxAttempts and rethrows the last error', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const retried: string[] = [];
    await expect(
      withRetries('Op', async () => {
        calls += 1;
        throw error('ThrottlingException');
      }, { clock, random: () => 1, onRetry: (op) => retried.push(op) }),
    ).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(calls).toBe(CALL_RETRY_POLICY.maxAttempts);
    expect(retried).toHaveLength(CALL_RETRY_POLICY.maxAttempts - 1);
    expect(clock.sleeps).toEqual([200, 400, 800, 1600]);
  });

  test('describeError is short', () => {
    expect(describeError(error('X', 'y'.repeat(1000)))).toHaveLength(300);
  });
});

describe('notifications', () => {
  const base: GovernanceResult = { outcome: 'compliant', eventId: 'e1', tableName: 'project-abc-t', changes: [], findings: [], failures: [], retries: 0, durationMs: 5 };
  test.each([
    ['compliant', [], false],
    ['remediated', [], false],
    ['deleted', [], false],
    ['ignored', [], false],
    ['rejected', [], false],
    ['compliant', ['a finding'], true],
    ['failed', [], true],
    ['quarantined', [], true],
    ['reported', [], true],
  ] as const)('%s with findings %j: notify %s', (outcome, findings, expected) => {
    expect(shouldNotify({ ...base, outcome, findings })).toBe(expected);
  });

  test('subject is ASCII and at most 100 characters; the message is the summary', () => {
    const n = notificationFor({ ...base, outcome: 'failed', tableName: `project-abc-${'x'.repeat(200)}`, failures: [{ step: 'tags', error: 'E: m' }] }, 'project-abc');
    expect(n.subject.length).toBeLessThanOrEqual(100);
    expect(n.subject).toMatch(/^\[project-abc\] DynamoDB governance enforcement FAILED: project-abc-x+$/);
    expect(JSON.parse(n.message)).toMatchObject({ outcome: 'failed', failures: [{ step: 'tags', error: 'E: m' }], help: 'help/governance.md' });
  });
});
