/** Shared inputs of the governance handler tests: configuration, CloudTrail events, a fake clock, captured output. */
import { GovernanceConfig, loadGovernanceConfig } from '../../../../lambda-src/governance/config';
import type { HandlerDependencies } from '../../../../lambda-src/governance/handler';
import type { Notification, Notifier } from '../../../../lambda-src/governance/notify';
import type { Clock } from '../../../../lambda-src/governance/retry';
import type { DynamoDbSender } from '../../../../lambda-src/governance/enforce';

export const ACCOUNT_ID = '111111111111';
export const REGION = 'us-east-1';
export const PROJECT_UUID = '3f2a9c1e5b7d4e8f';
export const PREFIX = `project-${PROJECT_UUID}-`;
export const VPCE = 'vpce-0123456789abcdef0';
export const VPC = 'vpc-0123456789abcdef0';
export const PROJECT_KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
export const AWS_MANAGED_KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/99999999-8888-7777-6666-555555555555';
export const OTHER_CUSTOMER_KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
export const TOPIC_ARN = 'arn:aws:sns:us-east-1:111111111111:ml-platform-governance';
export const GOVERNANCE_ROLE_ARN = `arn:aws:iam::111111111111:role/project-${PROJECT_UUID}-dynamodb-governance`;
export const DEPLOYER_ROLE_ARN = 'arn:aws:iam::111111111111:role/terraform-deployer';
export const REQUIRED_TAGS = { Project: `project-${PROJECT_UUID}`, Owner: 'ml-team', Environment: 'prod', CostCenter: 'ml-platform' };

/** A marker planted in the parts of the event the handler must never log (request parameters, caller identity). */
export const SECRET_MARKER = 'do-not-log-7c1f';

export function validEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    AWS_REGION: REGION,
    GOVERNANCE_ACCOUNT_ID: ACCOUNT_ID,
    GOVERNANCE_PROJECT_UUID: PROJECT_UUID,
    GOVERNANCE_VPC_ENDPOINT_ID: VPCE,
    GOVERNANCE_VPC_ID: VPC,
    GOVERNANCE_KMS_KEY_ARN: PROJECT_KEY_ARN,
    GOVERNANCE_REQUIRED_TAGS: JSON.stringify(REQUIRED_TAGS),
    GOVERNANCE_QUARANTINE_ACTION: 'quarantine',
    GOVERNANCE_SNS_TOPIC_ARN: TOPIC_ARN,
    GOVERNANCE_EXEMPT_PRINCIPAL_ARNS: JSON.stringify([GOVERNANCE_ROLE_ARN, DEPLOYER_ROLE_ARN]),
    GOVERNANCE_TERRAFORM_PRINCIPAL_ARNS: JSON.stringify([DEPLOYER_ROLE_ARN]),
    GOVERNANCE_MAX_WAIT_SECONDS: '120',
    ...overrides,
  };
}

export function testConfig(overrides: Record<string, string | undefined> = {}): GovernanceConfig {
  const loaded = loadGovernanceConfig(validEnv(overrides));
  if (!loaded.ok) throw new Error(`test configuration is invalid: ${JSON.stringify(loaded.problems)}`);
  return loaded.config;
}

export interface EventOptions {
  readonly id?: string;
  readonly account?: string;
  readonly region?: string;
  /** `sSESpecification` of the request. @default none (AWS-owned key) */
  readonly sse?: Record<string, unknown>;
  readonly errorCode?: string;
  /** Role behind the caller's session. @default the project's ML scientist role */
  readonly creatorRoleArn?: string;
}

/** The EventBridge event CloudTrail emits for CreateTable, shaped like AWS's (first letters lower-cased). */
export function createTableEvent(tableName: string, options: EventOptions = {}): Record<string, unknown> {
  const account = options.account ?? ACCOUNT_ID;
  const region = options.region ?? REGION;
  return {
    version: '0',
    id: options.id ?? 'b7a1f3c2-0d4e-4f5a-9b8c-7d6e5f4a3b2c',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.dynamodb',
    account,
    time: '2025-07-26T10:00:00Z',
    region,
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        principalId: `AROAEXAMPLE:${SECRET_MARKER}-scientist@example.com`,
        arn: `arn:aws:sts::${account}:assumed-role/project-${PROJECT_UUID}-ml-scientist-role/${SECRET_MARKER}-scientist@example.com`,
        accountId: account,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: 'AROAEXAMPLE',
            arn: options.creatorRoleArn ?? `arn:aws:iam::${account}:role/project-${PROJECT_UUID}-ml-scientist-role`,
            accountId: account,
            userName: `project-${PROJECT_UUID}-ml-scientist-role`,
          },
          attributes: { creationDate: '2025-07-26T09:55:00Z', mfaAuthenticated: 'false' },
        },
      },
      eventTime: '2025-07-26T10:00:00Z',
      eventSource: 'dynamodb.amazonaws.com',
      eventName: 'CreateTable',
      awsRegion: region,
      sourceIPAddress: '10.0.10.25',
      userAgent: `aws-cli/2.17 ${SECRET_MARKER}`,
      requestParameters: {
        tableName,
        attributeDefinitions: [{ attributeName: `${SECRET_MARKER}_pk`, attributeType: 'S' }],
        keySchema: [{ attributeName: `${SECRET_MARKER}_pk`, keyType: 'HASH' }],
        billingMode: 'PAY_PER_REQUEST',
        ...(options.sse ? { sSESpecification: options.sse } : {}),
      },
      responseElements: options.errorCode
        ? null
        : { tableDescription: { tableName, tableStatus: 'CREATING', tableArn: `arn:aws:dynamodb:${region}:${account}:table/${tableName}` } },
      ...(options.errorCode ? { errorCode: options.errorCode, errorMessage: `${SECRET_MARKER} failed` } : {}),
      requestID: 'REQ0123456789',
      eventID: 'c0ffee00-1111-2222-3333-444455556666',
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: account,
      eventCategory: 'Management',
    },
  };
}

/** A clock that never waits: sleep advances time and records the delay; `onSleep` can change the world. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  onSleep?: (ms: number, count: number) => void | Promise<void>;

  constructor(public time = Date.UTC(2025, 6, 26, 10, 0, 0)) {}

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
    await this.onSleep?.(ms, this.sleeps.length);
  }
}

export class RecordingNotifier implements Notifier {
  readonly published: Notification[] = [];
  failWith?: Error;

  async publish(notification: Notification): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.published.push(notification);
  }
}

export interface Harness {
  readonly deps: HandlerDependencies;
  readonly clock: FakeClock;
  readonly notifier: RecordingNotifier;
  readonly lines: string[];
  /** Parsed output lines. */
  logs(): Array<Record<string, any>>;
  /** The EMF documents among them. */
  metrics(): Array<Record<string, any>>;
}

export function harness(dynamodb: DynamoDbSender, configOverrides: Record<string, string | undefined> = {}): Harness {
  const clock = new FakeClock();
  const notifier = new RecordingNotifier();
  const lines: string[] = [];
  const deps: HandlerDependencies = { config: testConfig(configOverrides), dynamodb, notifier, clock, random: () => 1, write: (line) => lines.push(line) };
  const logs = () => lines.map((line) => JSON.parse(line) as Record<string, any>);
  return { deps, clock, notifier, lines, logs, metrics: () => logs().filter((l) => l._aws !== undefined) };
}

/**
 * The EventBridge event CloudTrail emits for a later call on an existing table (UpdateTable, UpdateContinuousBackups,
 * PutResourcePolicy, DeleteResourcePolicy, UntagResource): the first two name the table, the others its ARN.
 */
export function changeEvent(tableName: string, eventName: string, options: EventOptions = {}): Record<string, unknown> {
  const base = createTableEvent(tableName, options);
  const detail = base.detail as Record<string, unknown>;
  const account = options.account ?? ACCOUNT_ID;
  const region = options.region ?? REGION;
  const byName = eventName === 'UpdateTable' || eventName === 'UpdateContinuousBackups';
  return {
    ...base,
    detail: {
      ...detail,
      eventName,
      requestParameters: byName ? { tableName } : { resourceArn: `arn:aws:dynamodb:${region}:${account}:table/${tableName}` },
      responseElements: null,
    },
  };
}
