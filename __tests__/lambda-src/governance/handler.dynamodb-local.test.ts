/**
 * The governance handler against the real DynamoDB Local of the Jest global setup: real CreateTable, DescribeTable,
 * UpdateTable (deletion protection) and DeleteTable. Resource policies, tags, PITR and SSE changes go through the
 * client-level fake of support/local-control-plane.ts, because DynamoDB Local does not implement them; those tests
 * say "(mocked: not supported by DynamoDB Local)".
 */
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, UpdateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { projectTableResourcePolicy } from '../../../modules/access/project-template';
import { QUARANTINE_TAG_KEY, QUARANTINE_TAG_VALUE, NOT_FOUND_GRACE_MS } from '../../../lambda-src/governance/enforce';
import { GovernanceFailure, createLambdaHandler, processGovernanceEvent } from '../../../lambda-src/governance/handler';
import { QUARANTINE_SID, statementKey } from '../../../lambda-src/governance/policy';
import { METRICS } from '../../../lambda-src/governance/telemetry';
import { deleteTablesQuietly, uniqueTableName } from '../../support/dynamodb-local/client';
import {
  ACCOUNT_ID,
  AWS_MANAGED_KEY_ARN,
  DEPLOYER_ROLE_ARN,
  GOVERNANCE_ROLE_ARN,
  OTHER_CUSTOMER_KEY_ARN,
  PREFIX,
  PROJECT_KEY_ARN,
  PROJECT_UUID,
  REQUIRED_TAGS,
  SECRET_MARKER,
  VPC,
  VPCE,
  changeEvent,
  createTableEvent,
  harness,
} from './support/fixtures';
import { FakeControlPlane, error, localControlPlane } from './support/local-control-plane';

let client: DynamoDBClient;
let raw: DynamoDBClient;
let fake: FakeControlPlane;
const created = new Set<string>();

beforeAll(() => {
  ({ client, raw, fake } = localControlPlane());
});
beforeEach(() => fake.reset());
afterAll(async () => {
  // One at a time: DynamoDB Local answers parallel UpdateTable calls with InternalFailure now and then.
  for (const name of created) await deleteTablesQuietly(raw, [name]);
  client.destroy();
  raw.destroy();
});

function projectTableName(): string {
  return `${PREFIX}${uniqueTableName('governance').toLowerCase()}`;
}

async function createTable(name: string): Promise<string> {
  created.add(name);
  await raw.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    }),
  );
  return name;
}

async function deletionProtection(name: string): Promise<boolean | undefined> {
  return (await raw.send(new DescribeTableCommand({ TableName: name }))).Table?.DeletionProtectionEnabled;
}

async function deleteTable(name: string): Promise<void> {
  await raw.send(new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: false }));
  await raw.send(new DeleteTableCommand({ TableName: name }));
}

const projectPolicy = () =>
  projectTableResourcePolicy({ accountId: ACCOUNT_ID, projectUuid: PROJECT_UUID, vpcEndpointId: VPCE, vpcId: VPC, exemptPrincipalArns: [GOVERNANCE_ROLE_ARN, DEPLOYER_ROLE_ARN] });

describe('a compliant table created outside Terraform', () => {
  test('gets deletion protection on the real DynamoDB Local table', async () => {
    const name = await createTable(projectTableName());
    expect(await deletionProtection(name)).toBe(false);
    const h = harness(client);
    const result = await processGovernanceEvent(createTableEvent(name), h.deps);
    expect(result.outcome).toBe('remediated');
    expect(result.changes).toContain('deletion-protection: enabled');
    expect(await deletionProtection(name)).toBe(true);
  });

  test('gets the project resource policy of seed 000 §3.1.3 (mocked: not supported by DynamoDB Local)', async () => {
    const name = await createTable(projectTableName());
    const result = await processGovernanceEvent(createTableEvent(name), harness(client).deps);
    expect(result.changes).toContain('resource-policy: attached the project resource policy');
    expect(JSON.parse(fake.policies.get(name)!.policy)).toEqual(projectPolicy());
  });

  test('gets 35-day point-in-time recovery (mocked: not supported by DynamoDB Local)', async () => {
    const name = await createTable(projectTableName());
    const result = await processGovernanceEvent(createTableEvent(name), harness(client).deps);
    expect(result.changes).toContain('point-in-time-recovery: enabled (35 days)');
    expect(fake.pitr.get(name)).toEqual({ enabled: true, days: 35 });
  });

  test('a shorter PITR window is raised to 35 days (mocked: not supported by DynamoDB Local)', async () => {
    const name = await createTable(projectTableName());
    fake.pitr.set(name, { enabled: true, days: 7 });
    const result = await processGovernanceEvent(createTableEvent(name), harness(client).deps);
    expect(result.changes).toContain('point-in-time-recovery: recovery period raised from 7 to 35 days');
    expect(fake.pitr.get(name)).toEqual({ enabled: true, days: 35 });
  });

  test('gets the missing required tags; existing values are kept and reported (mocked: not supported by DynamoDB Local)', async () => {
    const name = await createTable(projectTableName());
    fake.tags.set(name, new Map([['Owner', 'research-team'], ['Team', 'nlp']]));
    const result = await processGovernanceEvent(createTableEvent(name), harness(client).deps);
    expect(Object.fromEntries(fake.tags.get(name)!)).toEqual({ ...REQUIRED_TAGS, Owner: 'research-team', Team: 'nlp' });
    expect(result.changes).toContain('tags: added Project, Environment, CostCenter');
    expect(result.findings).toEqual(["tags: 'Owner' is 'research-team', expected 'ml-team' (existing values are never overwritten)"]);
  });

  test('is moved from the AWS-owned key to the project key (mocked: not supported by DynamoDB Local)', async () => {
    const name = await createTable(projectTableName());
    const result = await processGovernanceEvent(createTableEvent(name), harness(client).deps);
    expect(result.changes).toContain('encryption: switched from the AWS-owned key to the project key');
    expect(fake.sse.get(name)).toEqual({ Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: PROJECT_KEY_ARN });
  });

  test('is moved from the AWS-managed key to the project key (mocked: not supported by DynamoDB Local)', async () => {
    const name = await createTable(projectTableName());
    fake.sse.set(name, { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: AWS_MANAGED_KEY_ARN });
    const result = await processGovernanceEvent(createTableEvent(name, { sse: { enabled: true, sSEType: 'KMS' } }), harness(client).deps);
    expect(result.changes).toContain('encryption: switched from the AWS-managed key to the project key');
    expect(fake.sse.get(name)?.KMSMasterKeyArn).toBe(PROJECT_KEY_ARN);
  });

  test('keeps another customer-managed key and reports it (mocked: not supported by DynamoDB Local)', async () => {
    const name = await createTable(projectTableName());
    fake.sse.set(name, { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: OTHER_CUSTOMER_KEY_ARN });
    const h = harness(client);
    const result = await processGovernanceEvent(createTableEvent(name, { sse: { enabled: true, sSEType: 'KMS', kMSMasterKeyId: OTHER_CUSTOMER_KEY_ARN } }), h.deps);
    expect(fake.sse.get(name)?.KMSMasterKeyArn).toBe(OTHER_CUSTOMER_KEY_ARN);
    expect(result.findings).toEqual([expect.stringContaining(`uses the customer-managed key ${OTHER_CUSTOMER_KEY_ARN}, not the project key; left unchanged`)]);
    expect(h.notifier.published).toHaveLength(1);
  });
});

describe('idempotency', () => {
  test('a second run of the same event changes nothing (mocked policy/tags/PITR/SSE: not supported by DynamoDB Local)', async () => {
    const name = await createTable(projectTableName());
    const first = await processGovernanceEvent(createTableEvent(name), harness(client).deps);
    expect(first.outcome).toBe('remediated');
    expect(first.changes).toHaveLength(5);
    const state = { policy: fake.policies.get(name), tags: new Map(fake.tags.get(name)), pitr: fake.pitr.get(name), sse: fake.sse.get(name) };

    fake.reset();
    const h = harness(client);
    const second = await processGovernanceEvent(createTableEvent(name), h.deps);
    expect(second).toMatchObject({ outcome: 'compliant', changes: [], findings: [], failures: [] });
    expect(fake.mutations()).toEqual([]);
    // Every check read the current state first.
    expect(fake.calls).toEqual(expect.arrayContaining(['DescribeTable', 'GetResourcePolicy', 'DescribeContinuousBackups', 'ListTagsOfResource']));
    expect({ policy: fake.policies.get(name), tags: fake.tags.get(name), pitr: fake.pitr.get(name), sse: fake.sse.get(name) }).toEqual(state);
    expect(await deletionProtection(name)).toBe(true);
    expect(h.notifier.published).toEqual([]);
  });

  test('a quarantined table is not quarantined twice (mocked: not supported by DynamoDB Local)', async () => {
    const name = await createTable(`${PREFIX}Bad_Name-${uniqueTableName('q').toLowerCase()}`);
    await processGovernanceEvent(createTableEvent(name), harness(client).deps);
    fake.reset();
    const second = await processGovernanceEvent(createTableEvent(name), harness(client).deps);
    expect(second.outcome).toBe('quarantined');
    expect(second.changes).toEqual([]);
    expect(fake.mutations()).toEqual([]);
  });
});

describe('tables that disappear', () => {
  test('deleted mid-run: outcome "deleted", no failure, no exception from the Lambda entry point', async () => {
    const name = await createTable(projectTableName());
    fake.hooks.before = async (operation) => {
      if (operation === 'DescribeContinuousBackups' && fake.calls.filter((c) => c === operation).length === 1) await deleteTable(name);
    };
    const h = harness(client);
    const result = await createLambdaHandler(h.deps)(createTableEvent(name));
    expect(result).toMatchObject({ outcome: 'deleted', failures: [] });
    // What happened before the deletion is still reported.
    expect(result.changes).toEqual(['resource-policy: attached the project resource policy', 'deletion-protection: enabled']);
    expect(h.metrics()[0][METRICS.tablesDeleted]).toBe(1);
    expect(h.notifier.published).toEqual([]);
  });

  test('already gone when the event arrives: "deleted" after the bounded not-found grace period', async () => {
    const h = harness(client);
    const result = await processGovernanceEvent(createTableEvent(projectTableName()), h.deps);
    expect(result.outcome).toBe('deleted');
    expect(h.clock.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(NOT_FOUND_GRACE_MS);
    expect(h.clock.sleeps.length).toBeLessThan(10);
    expect(fake.mutations()).toEqual([]);
  });
});

describe('waiting for ACTIVE', () => {
  test('a table reported CREATING is polled with exponential backoff until ACTIVE (describe wrapper)', async () => {
    const name = await createTable(projectTableName());
    fake.hooks.describeStatus = (table, count) => (table === name && count <= 4 ? 'CREATING' : undefined);
    const h = harness(client);
    const result = await processGovernanceEvent(createTableEvent(name), h.deps);
    expect(result.outcome).toBe('remediated');
    expect(h.clock.sleeps).toEqual([1000, 2000, 4000, 8000]);
    // No change was attempted before the table was ACTIVE.
    expect(fake.calls.slice(0, 5)).toEqual(['DescribeTable', 'DescribeTable', 'DescribeTable', 'DescribeTable', 'DescribeTable']);
  });

  test('an event handled before the table is visible waits for it (called before creation)', async () => {
    const name = projectTableName();
    const h = harness(client);
    h.clock.onSleep = async (_ms, count) => {
      if (count === 1) await createTable(name);
    };
    const result = await processGovernanceEvent(createTableEvent(name), h.deps);
    expect(result.outcome).toBe('remediated');
    expect(h.clock.sleeps).toHaveLength(1);
    expect(await deletionProtection(name)).toBe(true);
  });

  test('a table that never becomes ACTIVE fails after the configured wait, and the entry point throws for the DLQ', async () => {
    const name = await createTable(projectTableName());
    fake.hooks.describeStatus = () => 'CREATING';
    const h = harness(client, { GOVERNANCE_MAX_WAIT_SECONDS: '30' });
    await expect(createLambdaHandler(h.deps)(createTableEvent(name))).rejects.toBeInstanceOf(GovernanceFailure);
    const sum = h.clock.sleeps.reduce((a, b) => a + b, 0);
    expect(sum).toBe(30_000);
    expect(h.clock.sleeps).toEqual([1000, 2000, 4000, 8000, 15000]);
    expect(fake.mutations()).toEqual([]);
    const processed = h.logs().find((l) => l.message === 'governance event processed')!;
    expect(processed).toMatchObject({ level: 'ERROR', outcome: 'failed', failures: [{ step: 'wait-active', error: expect.stringContaining('not ACTIVE after 30 s') }] });
    expect(h.notifier.published[0].subject).toContain('enforcement FAILED');
  });
});

describe('the wait budget', () => {
  test('is shared by every wait of a run, so the function timeout always covers it (mocked SSE: not supported by DynamoDB Local)', async () => {
    const name = await createTable(projectTableName());
    // CREATING for the first wait, then stuck UPDATING when the encryption step looks again.
    fake.hooks.describeStatus = (table, count) => (table !== name ? undefined : count <= 3 ? 'CREATING' : count === 4 ? undefined : 'UPDATING');
    const h = harness(client, { GOVERNANCE_MAX_WAIT_SECONDS: '30' });
    const result = await processGovernanceEvent(createTableEvent(name), h.deps);
    expect(h.clock.sleeps.reduce((a, b) => a + b, 0)).toBe(30_000);
    expect(result.failures).toEqual([{ step: 'encryption', error: 'Error: the table was not ACTIVE after 30 s (status UPDATING)' }]);
    expect(result.changes).toContain('deletion-protection: enabled');
    expect(fake.sse.get(name)).toBeUndefined();
  });
});

describe('throttling and transient errors', () => {
  test('throttled calls are retried with backoff and counted', async () => {
    const name = await createTable(projectTableName());
    let throttles = 2;
    fake.hooks.before = (operation, input) => {
      if (operation === 'UpdateTable' && input.DeletionProtectionEnabled && throttles > 0) {
        throttles -= 1;
        throw error('ThrottlingException', 'Rate of requests exceeds the allowed throughput.');
      }
    };
    const h = harness(client);
    const result = await processGovernanceEvent(createTableEvent(name), h.deps);
    expect(result.outcome).toBe('remediated');
    expect(result.retries).toBe(2);
    expect(h.clock.sleeps).toEqual([200, 400]);
    expect(h.metrics()[0][METRICS.apiRetries]).toBe(2);
    expect(await deletionProtection(name)).toBe(true);
  });

  test('retries are bounded; the failing step is reported and the other steps still run (mocked PITR: not supported by DynamoDB Local)', async () => {
    const name = await createTable(projectTableName());
    fake.hooks.before = (operation) => {
      if (operation === 'UpdateContinuousBackups') throw error('InternalServerError', 'Internal server error');
    };
    const h = harness(client);
    const result = await processGovernanceEvent(createTableEvent(name), h.deps);
    expect(result.outcome).toBe('failed');
    expect(result.failures).toEqual([{ step: 'point-in-time-recovery', error: 'InternalServerError: Internal server error' }]);
    expect(fake.calls.filter((c) => c === 'UpdateContinuousBackups')).toHaveLength(5);
    expect(result.changes).toEqual(expect.arrayContaining(['deletion-protection: enabled', 'tags: added Project, Owner, Environment, CostCenter']));
    expect(h.metrics()[0][METRICS.enforcementFailures]).toBe(1);
  });

  test('non-retryable errors (AccessDenied) are not retried', async () => {
    const name = await createTable(projectTableName());
    fake.hooks.before = (operation) => {
      if (operation === 'TagResource') throw error('AccessDeniedException', 'not authorized to perform: dynamodb:TagResource');
    };
    const result = await processGovernanceEvent(createTableEvent(name), harness(client).deps);
    expect(result.failures).toEqual([{ step: 'tags', error: 'AccessDeniedException: not authorized to perform: dynamodb:TagResource' }]);
    expect(fake.calls.filter((c) => c === 'TagResource')).toHaveLength(1);
  });
});

describe('an existing resource policy is never widened', () => {
  const foreignPolicy = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AnalyticsReadOnly', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/analytics' }, Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: '*' },
      { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'dynamodb:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ],
  };

  test('its statements are kept, only the missing denies are added, and the skipped allow is reported (mocked: not supported by DynamoDB Local)', async () => {
    const name = await createTable(projectTableName());
    fake.policies.set(name, { policy: JSON.stringify(foreignPolicy), revisionId: 'rev-foreign' });
    const h = harness(client);
    const result = await processGovernanceEvent(createTableEvent(name), h.deps);
    const policy = JSON.parse(fake.policies.get(name)!.policy);
    expect(policy.Statement.slice(0, 2)).toEqual(foreignPolicy.Statement);
    const added = policy.Statement.slice(2);
    expect(added.map((s: any) => s.Sid)).toEqual(['DenyAllNonVPCAccess', 'DenyRootUser']);
    expect(added.every((s: any) => s.Effect === 'Deny')).toBe(true);
    const template = projectPolicy();
    expect(added.map(statementKey)).toEqual(template.Statement.filter((s) => s.Sid === 'DenyAllNonVPCAccess' || s.Sid === 'DenyRootUser').map(statementKey));
    expect(result.changes).toContain('resource-policy: added DenyAllNonVPCAccess, DenyRootUser to the existing policy');
    expect(result.findings).toEqual([expect.stringContaining('ProjectVPCOnlyAccess of the project resource policy was not merged')]);

    // Second run: nothing to add, the same finding.
    fake.reset();
    const second = await processGovernanceEvent(createTableEvent(name), harness(client).deps);
    expect(fake.mutations()).toEqual([]);
    expect(second.findings).toEqual(result.findings);
  });

  test('a policy changed between read and write is read again, not overwritten (mocked: not supported by DynamoDB Local)', async () => {
    const name = await createTable(projectTableName());
    let raced = false;
    fake.hooks.before = (operation) => {
      if (operation === 'PutResourcePolicy' && !raced) {
        raced = true;
        fake.policies.set(name, { policy: JSON.stringify(foreignPolicy), revisionId: 'rev-concurrent' });
      }
    };
    const result = await processGovernanceEvent(createTableEvent(name), harness(client).deps);
    expect(fake.calls.filter((c) => c === 'GetResourcePolicy')).toHaveLength(2);
    const policy = JSON.parse(fake.policies.get(name)!.policy);
    expect(policy.Statement[0].Sid).toBe('AnalyticsReadOnly');
    expect(result.changes).toContain('resource-policy: added DenyAllNonVPCAccess, DenyRootUser to the existing policy');
  });
});

describe('naming convention', () => {
  test('a non-compliant name is quarantined: deny-all statement and tag (mocked: not supported by DynamoDB Local)', async () => {
    const name = await createTable(`${PREFIX}Scratch_Table.v2-${uniqueTableName('q').toLowerCase()}`);
    const h = harness(client);
    const result = await processGovernanceEvent(createTableEvent(name), h.deps);
    expect(result.outcome).toBe('quarantined');
    expect(result.reason).toContain("suffix 'Scratch_Table.v2");
    const policy = JSON.parse(fake.policies.get(name)!.policy);
    expect(policy.Statement).toEqual([
      { Sid: QUARANTINE_SID, Effect: 'Deny', Principal: '*', Action: 'dynamodb:*', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': [GOVERNANCE_ROLE_ARN, DEPLOYER_ROLE_ARN] } } },
    ]);
    expect(fake.tags.get(name)?.get(QUARANTINE_TAG_KEY)).toBe(QUARANTINE_TAG_VALUE);
    // Quarantine does not apply the other guardrails (deletion protection would only hinder the cleanup).
    expect(await deletionProtection(name)).toBe(false);
    expect(h.notifier.published[0].subject).toContain('naming violation (quarantined)');
    expect(h.metrics()[0]).toMatchObject({ [METRICS.tablesQuarantined]: 1, [METRICS.namingViolations]: 1 });
  });

  test('report-only reports the violation and calls nothing', async () => {
    const name = await createTable(`${PREFIX}Bad_Name-${uniqueTableName('r').toLowerCase()}`);
    const h = harness(client, { GOVERNANCE_QUARANTINE_ACTION: 'report-only' });
    const result = await processGovernanceEvent(createTableEvent(name), h.deps);
    expect(result.outcome).toBe('reported');
    expect(fake.calls).toEqual([]);
    expect(h.notifier.published).toHaveLength(1);
  });

  test.each([
    ['another project', () => `project-otherproject-${uniqueTableName('o').toLowerCase()}`, {}],
    ['no project prefix', () => 'AuditFlow-Documents', {}],
    ['another region', () => projectTableName(), { region: 'eu-west-1' }],
    ['another account', () => projectTableName(), { account: '222222222222' }],
    ['a failed CreateTable call', () => projectTableName(), { errorCode: 'ResourceInUseException' }],
    ['a table Terraform created (deployer principal)', () => projectTableName(), { creatorRoleArn: DEPLOYER_ROLE_ARN }],
  ])('%s: ignored without any call', async (_label, name, options) => {
    const h = harness(client);
    const result = await processGovernanceEvent(createTableEvent(name(), options), h.deps);
    expect(result.outcome).toBe('ignored');
    expect(fake.calls).toEqual([]);
    expect(h.metrics()[0][METRICS.eventsIgnored]).toBe(1);
  });
});

describe('malformed events', () => {
  test.each([
    ['not an object', 'CreateTable'],
    ['null', null],
    ['no id', { source: 'aws.dynamodb' }],
    ['wrong source', { ...createTableEvent('project-x-y'), source: 'aws.s3' }],
    ['wrong detail-type', { ...createTableEvent('project-x-y'), 'detail-type': 'Scheduled Event' }],
    ['no detail', { ...createTableEvent('project-x-y'), detail: 'oops' }],
    ['another API call', { ...createTableEvent('project-x-y'), detail: { ...(createTableEvent('project-x-y').detail as object), eventName: 'DeleteTable' } }],
    ['no table name', { ...createTableEvent('project-x-y'), detail: { ...(createTableEvent('project-x-y').detail as object), requestParameters: {} } }],
    ['invalid table name', createTableEvent(`bad name ${SECRET_MARKER}`)],
  ])('%s: rejected with a structured error, never thrown, nothing logged from the event', async (_label, event) => {
    const h = harness(client);
    const result = await createLambdaHandler(h.deps)(event);
    expect(result.outcome).toBe('rejected');
    expect(fake.calls).toEqual([]);
    const rejection = h.logs().find((l) => l.message === 'malformed event rejected')!;
    expect(rejection).toMatchObject({ level: 'ERROR', field: expect.any(String), problem: expect.any(String) });
    expect(h.lines.join('\n')).not.toContain(SECRET_MARKER);
    expect(h.metrics()[0][METRICS.malformedEvents]).toBe(1);
  });
});

describe('logs, metrics and notifications', () => {
  test('logs carry only table name, event id and outcome summaries: never the event or its request parameters', async () => {
    const name = await createTable(projectTableName());
    fake.hooks.before = (operation) => {
      if (operation === 'UpdateTable') throw error('ThrottlingException');
      if (operation === 'TagResource') throw error('AccessDeniedException', 'denied');
    };
    const h = harness(client);
    await processGovernanceEvent(createTableEvent(name), h.deps);
    const text = h.lines.join('\n');
    expect(text).not.toContain(SECRET_MARKER);
    expect(text).not.toContain('requestParameters');
    expect(text).not.toContain('userIdentity');
    expect(h.notifier.published.map((n) => n.message).join('\n')).not.toContain(SECRET_MARKER);
    for (const line of h.logs().filter((l) => l._aws === undefined)) {
      expect(Object.keys(line).every((k) => ['timestamp', 'level', 'service', 'message', 'eventId', 'tableName', 'outcome', 'reason', 'operation', 'error', 'delayMs', 'changes', 'findings', 'failures', 'retries', 'durationMs'].includes(k))).toBe(true);
    }
  });

  test('one EMF document per invocation, every declared metric present at the root', async () => {
    const name = await createTable(projectTableName());
    const h = harness(client);
    await processGovernanceEvent(createTableEvent(name), h.deps);
    const [doc] = h.metrics();
    const directive = doc._aws.CloudWatchMetrics[0];
    expect(directive.Namespace).toBe('DynamoDBGuardrails/Governance');
    expect(directive.Dimensions).toEqual([['Project']]);
    expect(doc.Project).toBe(`project-${PROJECT_UUID}`);
    for (const metric of directive.Metrics) expect(typeof doc[metric.Name]).toBe('number');
    expect(doc).toMatchObject({ [METRICS.tablesEvaluated]: 1, [METRICS.tablesRemediated]: 1, [METRICS.remediationActions]: 5, [METRICS.enforcementFailures]: 0 });
    expect(doc._aws.Timestamp).toBe(h.clock.now());
  });

  test('a failing notifier does not fail the invocation; it is logged and measured', async () => {
    const name = await createTable(`${PREFIX}Bad_Name-${uniqueTableName('n').toLowerCase()}`);
    const h = harness(client, { GOVERNANCE_QUARANTINE_ACTION: 'report-only' });
    h.notifier.failWith = error('AuthorizationErrorException', 'not authorized to perform SNS:Publish');
    const result = await createLambdaHandler(h.deps)(createTableEvent(name));
    expect(result.outcome).toBe('reported');
    expect(h.logs().some((l) => l.message === 'could not publish the notification')).toBe(true);
    expect(h.metrics()[0][METRICS.notificationFailures]).toBe(1);
  });
});

describe('after creation: a change that weakens a guardrail is undone', () => {
  test('UpdateTable turning deletion protection off on the real DynamoDB Local table is reverted in one invocation; a second invocation changes nothing', async () => {
    const name = await createTable(projectTableName());
    const h = harness(client);
    await processGovernanceEvent(createTableEvent(name), h.deps);
    expect(await deletionProtection(name)).toBe(true);
    await raw.send(new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: false }));
    const first = await processGovernanceEvent(changeEvent(name, 'UpdateTable'), h.deps);
    expect([first.outcome, first.changes]).toEqual(['remediated', ['deletion-protection: enabled']]);
    expect(await deletionProtection(name)).toBe(true);
    const second = await processGovernanceEvent(changeEvent(name, 'UpdateTable', { id: 'second-delivery' }), h.deps);
    expect([second.outcome, second.changes]).toEqual(['compliant', []]);
  });

  test('DeleteResourcePolicy: the project policy is attached again (mocked: not supported by DynamoDB Local)', async () => {
    const name = await createTable(projectTableName());
    const h = harness(client);
    await processGovernanceEvent(createTableEvent(name), h.deps);
    fake.policies.delete(name);
    const result = await processGovernanceEvent(changeEvent(name, 'DeleteResourcePolicy'), h.deps);
    expect(result.changes).toEqual(['resource-policy: attached the project resource policy']);
    expect(JSON.parse(fake.policies.get(name)!.policy)).toEqual(projectPolicy());
  });

  test('UpdateContinuousBackups turning PITR off and UntagResource: both put back (mocked: not supported by DynamoDB Local)', async () => {
    const name = await createTable(projectTableName());
    const h = harness(client);
    await processGovernanceEvent(createTableEvent(name), h.deps);
    fake.pitr.set(name, { enabled: false, days: 35 });
    expect((await processGovernanceEvent(changeEvent(name, 'UpdateContinuousBackups'), h.deps)).changes).toEqual(['point-in-time-recovery: enabled (35 days)']);
    fake.tags.get(name)!.delete('CostCenter');
    expect((await processGovernanceEvent(changeEvent(name, 'UntagResource'), h.deps)).changes).toEqual(['tags: added CostCenter']);
  });

  test('after a change the key is never switched, even from an AWS-managed one: it could be a customer key (mocked)', async () => {
    const name = await createTable(projectTableName());
    fake.sse.set(name, { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: AWS_MANAGED_KEY_ARN });
    const result = await processGovernanceEvent(changeEvent(name, 'UpdateTable'), harness(client).deps);
    expect(result.changes.some((change) => change.startsWith('encryption'))).toBe(false);
    expect(result.findings).toContain(`encryption: the table uses the customer-managed key ${AWS_MANAGED_KEY_ARN}, not the project key; left unchanged (switching keys could widen who can decrypt)`);
  });

  test('a change made by an exempt principal (break-glass, this function), a Terraform deployer or an AWS service-linked role is left alone (negative control)', async () => {
    const name = await createTable(projectTableName());
    await raw.send(new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: false }));
    const autoscaling = `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/dynamodb.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable`;
    for (const creatorRoleArn of [GOVERNANCE_ROLE_ARN, DEPLOYER_ROLE_ARN, autoscaling]) {
      const result = await processGovernanceEvent(changeEvent(name, 'UpdateTable', { creatorRoleArn }), harness(client).deps);
      expect(result.outcome).toBe('ignored');
    }
    expect(await deletionProtection(name)).toBe(false);
  });

  test("a table given as its ARN in TableName, or a stream's ARN, is resolved to the table; an unknown call is rejected", async () => {
    const name = await createTable(projectTableName());
    const h = harness(client);
    await processGovernanceEvent(createTableEvent(name), h.deps);
    await raw.send(new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: false }));
    const byArn = changeEvent(name, 'UpdateTable');
    (byArn.detail as any).requestParameters = { tableName: `arn:aws:dynamodb:us-east-1:${ACCOUNT_ID}:table/${name}` };
    expect((await processGovernanceEvent(byArn, h.deps)).changes).toEqual(['deletion-protection: enabled']);
    const stream = changeEvent(name, 'PutResourcePolicy');
    (stream.detail as any).requestParameters = { resourceArn: `arn:aws:dynamodb:us-east-1:${ACCOUNT_ID}:table/${name}/stream/2026-01-01T00:00:00.000` };
    expect(await processGovernanceEvent(stream, h.deps)).toEqual(expect.objectContaining({ tableName: name, outcome: 'compliant' }));
    expect((await processGovernanceEvent(changeEvent(name, 'TagResource'), h.deps)).outcome).toBe('rejected');
  });
});

test("a table Terraform manages is never changed by the function, whoever changed it: Terraform's policy and settings stay (negative control: the same change on a member's table is undone)", async () => {
  const managed = await createTable(projectTableName());
  const member = await createTable(projectTableName());
  const h = harness(client, { GOVERNANCE_TERRAFORM_TABLE_NAMES: JSON.stringify([managed]) });
  for (const name of [managed, member]) await raw.send(new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: false }));
  expect((await processGovernanceEvent(changeEvent(managed, 'UpdateTable'), h.deps)).outcome).toBe('ignored');
  expect(await deletionProtection(managed)).toBe(false);
  expect((await processGovernanceEvent(changeEvent(member, 'UpdateTable'), h.deps)).changes).toContain('deletion-protection: enabled');
});
