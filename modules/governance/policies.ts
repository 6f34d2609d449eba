import { GOVERNANCE_CHANGE_EVENTS } from './change-events';
/**
 * Every policy and pattern of the governance module as a small pure function returning plain JSON, serialized
 * verbatim into the synthesized Terraform. ARNs are literal (built from names), so the documents read the same in
 * the plan as in the console and create no dependency cycles. No cdktf imports.
 */
import { kmsActionsFor } from '../access/actions';
import { partitionForRegion } from '../access/arns';
import { PolicyDocument, PolicyStatement, policyDocument } from '../access/policy-document';
import { KeyPolicyDocument, keyAdministrationStatement } from '../backup/managed-key';

/**
 * Exactly the DynamoDB actions the function calls: read the state first (Describe*, Get*, List*), then change
 * only what differs. Never DeleteTable, DeleteResourcePolicy, UntagResource or any item action.
 */
export const GOVERNANCE_DYNAMODB_ACTIONS: readonly string[] = [
  'dynamodb:DescribeTable',
  'dynamodb:UpdateTable',
  'dynamodb:DescribeContinuousBackups',
  'dynamodb:UpdateContinuousBackups',
  'dynamodb:GetResourcePolicy',
  'dynamodb:PutResourcePolicy',
  'dynamodb:ListTagsOfResource',
  'dynamodb:TagResource',
];

/** X-Ray has no resource-level permissions for these two actions: `Resource: "*"` is the only form AWS accepts. */
export const XRAY_ACTIONS: readonly string[] = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

export interface GovernanceNames {
  readonly accountId: string;
  readonly region: string;
  readonly functionName: string;
  readonly roleName: string;
  readonly logGroupName: string;
  readonly queueName: string;
  readonly ruleName: string;
  /** The rule for changes to existing project tables. */
  readonly changesRuleName: string;
}

const partition = (names: { region: string }): string => partitionForRegion(names.region);

export function roleArn(names: GovernanceNames): string {
  return `arn:${partition(names)}:iam::${names.accountId}:role/${names.roleName}`;
}

export function ruleArn(names: GovernanceNames): string {
  return `arn:${partition(names)}:events:${names.region}:${names.accountId}:rule/${names.ruleName}`;
}

/** Both rules that send events to the function (CreateTable, and later changes): both may park dead letters. */
export function ruleArns(names: GovernanceNames): string[] {
  return [ruleArn(names), `arn:${partition(names)}:events:${names.region}:${names.accountId}:rule/${names.changesRuleName}`];
}

export function queueArn(names: GovernanceNames): string {
  return `arn:${partition(names)}:sqs:${names.region}:${names.accountId}:${names.queueName}`;
}

export function logGroupArn(names: GovernanceNames): string {
  return `arn:${partition(names)}:logs:${names.region}:${names.accountId}:log-group:${names.logGroupName}`;
}

/** `arn:<partition>:dynamodb:<region>:<account>:table/project-<uuid>-*` */
export function projectTablesArn(names: GovernanceNames, projectUuid: string): string {
  return `arn:${partition(names)}:dynamodb:${names.region}:${names.accountId}:table/project-${projectUuid}-*`;
}

/**
 * Seed 000 §5.1.1, verbatim: CloudTrail's CreateTable events for this project's prefix, and only successful calls
 * (a failed CreateTable has no `responseElements`, so it never matches the `CREATING` status).
 */
export function governanceEventPattern(projectUuid: string): Record<string, unknown> {
  return {
    source: ['aws.dynamodb'],
    'detail-type': ['AWS API Call via CloudTrail'],
    detail: {
      eventSource: ['dynamodb.amazonaws.com'],
      eventName: ['CreateTable'],
      requestParameters: { tableName: [{ prefix: `project-${projectUuid}-` }] },
      responseElements: { tableDescription: { tableStatus: ['CREATING'] } },
    },
  };
}

/**
 * The calls after creation that can take a guardrail away from a project table (CHANGE_EVENT_NAMES of the Lambda),
 * successful ones only. UpdateTable and UpdateContinuousBackups name the table; the resource-policy and tag calls name
 * its ARN, hence the `$or` (Amazon EventBridge User Guide, "Content filtering in event patterns": `$or`, `exists`).
 */
export function governanceChangeEventPattern(projectUuid: string, names: Pick<GovernanceNames, 'accountId' | 'region'>): Record<string, unknown> {
  const prefix = `project-${projectUuid}-`;
  const arnPrefix = `arn:${partition(names)}:dynamodb:${names.region}:${names.accountId}:table/${prefix}`;
  return {
    source: ['aws.dynamodb'],
    'detail-type': ['AWS API Call via CloudTrail'],
    detail: {
      eventSource: ['dynamodb.amazonaws.com'],
      eventName: [...GOVERNANCE_CHANGE_EVENTS],
      errorCode: [{ exists: false }],
      // DynamoDB also takes the table's ARN as TableName (DynamoDB API reference, UpdateTable), so both forms count.
      $or: [
        { requestParameters: { tableName: [{ prefix }] } },
        { requestParameters: { tableName: [{ prefix: arnPrefix }] } },
        { requestParameters: { resourceArn: [{ prefix: arnPrefix }] } },
      ],
    },
  };
}

export function lambdaTrustPolicy(): PolicyDocument {
  return policyDocument([{ Sid: 'LambdaAssumesRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
}

export interface GovernanceRolePolicyInput {
  readonly names: GovernanceNames;
  readonly projectUuid: string;
  /** The project's customer-managed key the function switches tables to. */
  readonly tableKeyArn: string;
  readonly topicArn: string;
  /** Key of an SSE-KMS topic. @default the topic is not encrypted with a customer-managed key */
  readonly topicKeyArn?: string;
  /** Key of the log group and the dead-letter queue. */
  readonly operationsKeyArn: string;
  /** Key of the function's environment variables. @default none */
  readonly environmentKeyArn?: string;
}

/** The function's only permissions. */
export function governanceRolePolicy(input: GovernanceRolePolicyInput): PolicyDocument {
  const { names } = input;
  const region = names.region;
  const statements: PolicyStatement[] = [
    { Sid: 'GovernProjectTables', Effect: 'Allow', Action: [...GOVERNANCE_DYNAMODB_ACTIONS], Resource: projectTablesArn(names, input.projectUuid) },
    {
      // UpdateTable with SSESpecification: DynamoDB describes the key and creates a grant on the caller's behalf.
      Sid: 'UseProjectTableKeyThroughDynamoDb',
      Effect: 'Allow',
      Action: kmsActionsFor(['dynamodb:UpdateTable']),
      Resource: input.tableKeyArn,
      Condition: { StringEquals: { 'kms:ViaService': `dynamodb.${region}.amazonaws.com` } },
    },
    { Sid: 'PublishGovernanceNotifications', Effect: 'Allow', Action: 'sns:Publish', Resource: input.topicArn },
  ];
  if (input.topicKeyArn !== undefined) {
    statements.push({
      Sid: 'UseTopicKeyThroughSns',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: input.topicKeyArn,
      Condition: { StringEquals: { 'kms:ViaService': `sns.${region}.amazonaws.com` } },
    });
  }
  statements.push(
    { Sid: 'WriteOwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${logGroupArn(names)}:*` },
    { Sid: 'SendFailedEventsToDeadLetterQueue', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: queueArn(names) },
    {
      Sid: 'UseOperationsKeyThroughSqs',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: input.operationsKeyArn,
      Condition: { StringEquals: { 'kms:ViaService': `sqs.${region}.amazonaws.com` } },
    },
  );
  if (input.environmentKeyArn !== undefined) {
    statements.push({ Sid: 'DecryptEnvironment', Effect: 'Allow', Action: 'kms:Decrypt', Resource: input.environmentKeyArn });
  }
  statements.push({ Sid: 'WriteTraces', Effect: 'Allow', Action: [...XRAY_ACTIONS], Resource: '*' });
  return policyDocument(statements);
}

/**
 * The key of the log group and the dead-letter queue: the account root administers it; CloudWatch Logs may use it
 * for this log group only; EventBridge may use it for this rule's dead letters only; principals of the account use it
 * only through SQS (the function sending dead letters, operators reading them for a redrive).
 */
export function governanceKeyPolicy(names: GovernanceNames): KeyPolicyDocument {
  const { accountId, region } = names;
  return {
    Version: '2012-10-17',
    Statement: [
      keyAdministrationStatement(accountId, region),
      {
        Sid: 'CloudWatchLogsEncryptsGovernanceLogs',
        Effect: 'Allow',
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn(names) } },
      },
      {
        Sid: 'EventBridgeWritesDeadLetters',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: '*',
        Condition: { ArnEquals: { 'aws:SourceArn': ruleArns(names) } },
      },
      {
        Sid: 'AccountPrincipalsUseOnlyThroughSqs',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': `sqs.${region}.amazonaws.com`, 'kms:CallerAccount': accountId } },
      },
    ],
  };
}

/** Only this rule may send to the dead-letter queue (besides the function, through its IAM role), and only over TLS. */
export function deadLetterQueuePolicy(names: GovernanceNames): PolicyDocument {
  const queue = queueArn(names);
  return policyDocument([
    {
      Sid: 'EventBridgeRuleSendsDeadLetters',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: queue,
      Condition: { ArnEquals: { 'aws:SourceArn': ruleArns(names) } },
    },
    { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: queue, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
  ]);
}
