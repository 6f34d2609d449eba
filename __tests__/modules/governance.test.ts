import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DynamoDbKey } from '../../modules/encryption';
import {
  GOVERNANCE_DYNAMODB_ACTIONS,
  LOG_RETENTION_DAYS,
  TableGovernance,
  TableGovernanceProps,
  governanceBundle,
} from '../../modules/governance';
import { PROJECT_ROOT } from '../../modules/governance/bundle';
import { isGuardrailError } from '../../modules/validation';
import { loadGovernanceConfig } from '../../lambda-src/governance/config';
import { TerraformJson, onlyResource, resourcesOfType, synthConstructs } from '../support/synth';
import { formatDiagnostic, terraformValidate } from '../support/terraform/validate';

const UUID = '3f2a9c1e5b7d4e8fa0b1c2d3e4f5a6b7';
const NAME = `project-${UUID}-dynamodb-governance`;
const TABLE_KEY = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const TOPIC = 'arn:aws:sns:us-east-1:111111111111:ml-platform-alarms';
const DEPLOYER = 'arn:aws:iam::111111111111:role/terraform-deployer';

/** Seed 000 §5.1.1's EventPattern, transcribed from the YAML. */
const SEED_EVENT_PATTERN = {
  source: ['aws.dynamodb'],
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: ['dynamodb.amazonaws.com'],
    eventName: ['CreateTable'],
    requestParameters: { tableName: [{ prefix: `project-${UUID}-` }] },
    responseElements: { tableDescription: { tableStatus: ['CREATING'] } },
  },
};

function props(overrides: Partial<TableGovernanceProps> = {}): TableGovernanceProps {
  return {
    accountId: '111111111111',
    region: 'us-east-1',
    projectUuid: UUID,
    vpcEndpointId: 'vpce-0123456789abcdef0',
    vpcId: 'vpc-0123456789abcdef0',
    tableKeyArn: TABLE_KEY,
    requiredTags: { Owner: 'ml-team', Environment: 'prod', CostCenter: 'ml-platform' },
    notificationTopicArn: TOPIC,
    exemptPrincipalArns: [DEPLOYER],
    terraformPrincipalArns: [DEPLOYER],
    ...overrides,
  };
}

function synth(overrides: Partial<TableGovernanceProps> = {}): TerraformJson {
  return synthConstructs((stack) => new TableGovernance(stack, 'governance', props(overrides)));
}

const policyOf = (resource: { policy: string }) => JSON.parse(resource.policy);
const statement = (document: any, sid: string) => document.Statement.find((s: any) => s.Sid === sid);

function guardrailError(overrides: Partial<TableGovernanceProps>): string {
  try {
    synth(overrides);
  } catch (error) {
    if (isGuardrailError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a GuardrailError');
}

describe('TableGovernance', () => {
  const json = synth();

  test('the function: nodejs22.x on arm64, X-Ray, no reserved concurrency, timeout, memory, DLQ, own log group', () => {
    const fn = onlyResource(json, 'aws_lambda_function');
    expect(fn).toMatchObject({
      function_name: NAME,
      handler: 'index.handler',
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      tracing_config: { mode: 'Active' },
      timeout: 300,
      memory_size: 256,
      role: '${aws_iam_role.governance_role.arn}',
      dead_letter_config: { target_arn: '${aws_sqs_queue.governance_dead_letter_queue.arn}' },
      logging_config: { log_format: 'Text', log_group: '${aws_cloudwatch_log_group.governance_log_group.name}' },
      depends_on: ['aws_cloudwatch_log_group.governance_log_group', 'aws_iam_role_policy.governance_role_policy'],
    });
    expect(fn.kms_key_arn).toBeUndefined();
    // No reservation by default: Lambda refuses one that leaves the account under 100 unreserved executions.
    expect(fn.reserved_concurrent_executions).toBeUndefined();
  });

  test('alarms on its own failures and on events left in its dead-letter queue, to the notification topic', () => {
    const alarms = Object.values(resourcesOfType(json, 'aws_cloudwatch_metric_alarm')) as any[];
    expect(alarms.map((alarm) => [alarm.namespace, alarm.metric_name, alarm.dimensions, alarm.threshold, alarm.comparison_operator]).sort()).toEqual([
      ['AWS/Lambda', 'Errors', { FunctionName: NAME }, 0, 'GreaterThanThreshold'],
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: `${NAME}-dlq` }, 0, 'GreaterThanThreshold'],
    ]);
    for (const alarm of alarms) expect(alarm.alarm_actions).toEqual([TOPIC]);
  });

  test('the package is a relative asset path with the bundle hash (no absolute path in the JSON)', () => {
    const fn = onlyResource(json, 'aws_lambda_function');
    const bundle = governanceBundle();
    expect(fn.source_code_hash).toBe(bundle.sha256Base64);
    expect(fn.filename).toMatch(new RegExp(`^assets/governance_code_[0-9A-F]{8}/${bundle.sha256Hex}/governance\\.zip$`));
    const text = JSON.stringify(json);
    expect(text).not.toContain(PROJECT_ROOT);
    expect(text).not.toContain(os.tmpdir());
  });

  test('environment variables are a configuration the handler accepts', () => {
    const variables = onlyResource(json, 'aws_lambda_function').environment.variables;
    const loaded = loadGovernanceConfig({ ...variables, AWS_REGION: 'us-east-1' });
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.config).toMatchObject({
      accountId: '111111111111',
      projectUuid: UUID,
      kmsKeyArn: TABLE_KEY,
      snsTopicArn: TOPIC,
      quarantineAction: 'quarantine',
      requiredTags: { Project: `project-${UUID}`, Owner: 'ml-team', Environment: 'prod', CostCenter: 'ml-platform' },
      // The function's own role first: the policies it attaches must never lock it out.
      exemptPrincipalArns: [`arn:aws:iam::111111111111:role/${NAME}`, DEPLOYER],
      terraformPrincipalArns: [DEPLOYER],
      maxWaitSeconds: 120,
    });
  });

  test('the role policy: exactly these actions on exactly these resources', () => {
    const policy = policyOf(onlyResource(json, 'aws_iam_role_policy'));
    expect(policy.Statement.map((s: any) => [s.Sid, s.Action, s.Resource, s.Condition])).toEqual([
      ['GovernProjectTables', [...GOVERNANCE_DYNAMODB_ACTIONS], `arn:aws:dynamodb:us-east-1:111111111111:table/project-${UUID}-*`, undefined],
      ['UseProjectTableKeyThroughDynamoDb', ['kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant'], TABLE_KEY, { StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' } }],
      ['PublishGovernanceNotifications', 'sns:Publish', TOPIC, undefined],
      ['WriteOwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents'], `arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/${NAME}:*`, undefined],
      ['SendFailedEventsToDeadLetterQueue', 'sqs:SendMessage', `arn:aws:sqs:us-east-1:111111111111:${NAME}-dlq`, undefined],
      ['UseOperationsKeyThroughSqs', ['kms:GenerateDataKey', 'kms:Decrypt'], '${aws_kms_key.governance_key.arn}', { StringEquals: { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' } }],
      ['WriteTraces', ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], '*', undefined],
    ]);
    expect(policy.Statement.every((s: any) => s.Effect === 'Allow')).toBe(true);
    expect(GOVERNANCE_DYNAMODB_ACTIONS).toEqual([
      'dynamodb:DescribeTable',
      'dynamodb:UpdateTable',
      'dynamodb:DescribeContinuousBackups',
      'dynamodb:UpdateContinuousBackups',
      'dynamodb:GetResourcePolicy',
      'dynamodb:PutResourcePolicy',
      'dynamodb:ListTagsOfResource',
      'dynamodb:TagResource',
    ]);
    // dynamodb:012: no wildcard DynamoDB action, no "*" resource for any DynamoDB action.
    const dynamoStatements = policy.Statement.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
    expect(dynamoStatements.flatMap((s: any) => [s.Action].flat()).some((a: string) => a.includes('*'))).toBe(false);
    expect(dynamoStatements.every((s: any) => s.Resource !== '*')).toBe(true);
    // "*" only where AWS has no resource-level permissions (X-Ray).
    expect(policy.Statement.filter((s: any) => s.Resource === '*').map((s: any) => s.Sid)).toEqual(['WriteTraces']);
  });

  test('the role: Lambda trust only, exactly one inline policy, no managed policies', () => {
    expect(policyOf({ policy: onlyResource(json, 'aws_iam_role').assume_role_policy })).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'LambdaAssumesRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect(onlyResource(json, 'aws_iam_role').name).toBe(NAME);
    expect(onlyResource(json, 'aws_iam_role_policies_exclusive').policy_names).toEqual(['${aws_iam_role_policy.governance_role_policy.name}']);
    expect(onlyResource(json, 'aws_iam_role_policy_attachments_exclusive').policy_arns).toEqual([]);
  });

  test('the EventBridge rule pattern equals seed 000 §5.1.1', () => {
    const rule = resourcesOfType(json, 'aws_cloudwatch_event_rule').governance_rule;
    expect(JSON.parse(rule.event_pattern)).toEqual(SEED_EVENT_PATTERN);
    expect(rule).toMatchObject({ name: NAME, state: 'ENABLED', description: 'Trigger governance Lambda when DynamoDB tables are created' });
  });

  test('the target: retry policy 3 attempts / 300 s and the DLQ', () => {
    expect(resourcesOfType(json, 'aws_cloudwatch_event_target').governance_target).toEqual({
      rule: '${aws_cloudwatch_event_rule.governance_rule.name}',
      target_id: 'DynamoDBPolicyAttachment',
      arn: '${aws_lambda_function.governance.arn}',
      retry_policy: { maximum_retry_attempts: 3, maximum_event_age_in_seconds: 300 },
      dead_letter_config: { arn: '${aws_sqs_queue.governance_dead_letter_queue.arn}' },
    });
  });

  test('EventBridge may invoke the function, from this rule only', () => {
    expect(resourcesOfType(json, 'aws_lambda_permission').governance_invoke_permission).toEqual({
      statement_id: 'AllowEventBridgeInvoke',
      action: 'lambda:InvokeFunction',
      function_name: '${aws_lambda_function.governance.function_name}',
      principal: 'events.amazonaws.com',
      source_arn: '${aws_cloudwatch_event_rule.governance_rule.arn}',
      source_account: '111111111111',
    });
  });

  test('asynchronous invocations: bounded retries, then the DLQ', () => {
    expect(onlyResource(json, 'aws_lambda_function_event_invoke_config')).toEqual({
      function_name: '${aws_lambda_function.governance.function_name}',
      maximum_retry_attempts: 2,
      maximum_event_age_in_seconds: 3600,
    });
  });

  test('the dead-letter queue: KMS-encrypted, 14 days, only this rule may send (TLS only)', () => {
    const queue = onlyResource(json, 'aws_sqs_queue');
    expect(queue).toEqual({
      name: `${NAME}-dlq`,
      kms_master_key_id: '${aws_kms_key.governance_key.arn}',
      kms_data_key_reuse_period_seconds: 300,
      message_retention_seconds: 1209600,
    });
    const queuePolicy = onlyResource(json, 'aws_sqs_queue_policy');
    expect(queuePolicy.queue_url).toBe('${aws_sqs_queue.governance_dead_letter_queue.url}');
    // Both rules (CreateTable, later changes) park their dead letters here, and only they.
    const ruleArn = [`arn:aws:events:us-east-1:111111111111:rule/${NAME}`, `arn:aws:events:us-east-1:111111111111:rule/project-${UUID}-dynamodb-changes`];
    expect(policyOf(queuePolicy).Statement).toEqual([
      {
        Sid: 'EventBridgeRuleSendsDeadLetters',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: `arn:aws:sqs:us-east-1:111111111111:${NAME}-dlq`,
        Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } },
      },
      { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: `arn:aws:sqs:us-east-1:111111111111:${NAME}-dlq`, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ]);
  });

  test('the log group: KMS-encrypted, 365 days', () => {
    expect(onlyResource(json, 'aws_cloudwatch_log_group')).toEqual({ name: `/aws/lambda/${NAME}`, kms_key_id: '${aws_kms_key.governance_key.arn}', retention_in_days: 365 });
  });

  test('the operations key lets CloudWatch Logs (this log group), EventBridge (this rule) and SQS use it', () => {
    const key = onlyResource(json, 'aws_kms_key');
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    const policy = policyOf(key);
    expect(policy.Statement.map((s: any) => s.Sid)).toEqual(['AccountRootAdministersKey', 'CloudWatchLogsEncryptsGovernanceLogs', 'EventBridgeWritesDeadLetters', 'AccountPrincipalsUseOnlyThroughSqs']);
    expect(statement(policy, 'CloudWatchLogsEncryptsGovernanceLogs').Condition).toEqual({ ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/${NAME}` } });
    expect(statement(policy, 'EventBridgeWritesDeadLetters').Condition).toEqual({ ArnEquals: { 'aws:SourceArn': [`arn:aws:events:us-east-1:111111111111:rule/${NAME}`, `arn:aws:events:us-east-1:111111111111:rule/project-${UUID}-dynamodb-changes`] } });
    expect(onlyResource(json, 'aws_kms_alias').name).toBe(`alias/${NAME}`);
  });

  test('stable addresses', () => {
    expect(Object.keys(resourcesOfType(json, 'aws_lambda_function'))).toEqual(['governance']);
    expect(Object.keys(resourcesOfType(json, 'aws_cloudwatch_event_rule'))).toEqual(['governance_changes_rule', 'governance_rule']);
    expect(Object.keys(resourcesOfType(json, 'aws_sqs_queue'))).toEqual(['governance_dead_letter_queue']);
  });

  test('synthesis is byte-identical across runs', () => {
    expect(JSON.stringify(synth())).toBe(JSON.stringify(json));
  });
});

describe('TableGovernance options', () => {
  test('an existing operations key: no key created, used by the log group, the queue and the role', () => {
    const operationsKeyArn = 'arn:aws:kms:us-east-1:111111111111:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
    const json = synth({ operationsKeyArn });
    expect(resourcesOfType(json, 'aws_kms_key')).toEqual({});
    expect(onlyResource(json, 'aws_cloudwatch_log_group').kms_key_id).toBe(operationsKeyArn);
    expect(onlyResource(json, 'aws_sqs_queue').kms_master_key_id).toBe(operationsKeyArn);
    expect(statement(policyOf(onlyResource(json, 'aws_iam_role_policy')), 'UseOperationsKeyThroughSqs').Resource).toBe(operationsKeyArn);
  });

  test('topic key, environment key, report-only and sizing options', () => {
    const topicKey = 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555';
    const envKey = 'arn:aws:kms:us-east-1:111111111111:key/66666666-7777-8888-9999-000000000000';
    const json = synth({
      notificationTopicKeyArn: topicKey,
      environmentKeyArn: envKey,
      quarantineAction: 'report-only',
      memorySize: 512,
      timeoutSeconds: 600,
      maxWaitSeconds: 300,
      reservedConcurrency: 2,
      asyncRetryAttempts: 0,
      logRetentionDays: 731,
      functionName: 'ml-governance',
      requiredTags: { Project: 'ml-platform', Owner: 'ml-team', Environment: 'dev', CostCenter: 'cc-1' },
      tags: { Team: 'platform' },
    });
    const fn = onlyResource(json, 'aws_lambda_function');
    expect(fn).toMatchObject({ function_name: 'ml-governance', kms_key_arn: envKey, memory_size: 512, timeout: 600, reserved_concurrent_executions: 2, tags: { Team: 'platform' } });
    expect(fn.environment.variables).toMatchObject({ GOVERNANCE_QUARANTINE_ACTION: 'report-only', GOVERNANCE_MAX_WAIT_SECONDS: '300' });
    expect(JSON.parse(fn.environment.variables.GOVERNANCE_REQUIRED_TAGS)).toEqual({ Project: 'ml-platform', Owner: 'ml-team', Environment: 'dev', CostCenter: 'cc-1' });
    const policy = policyOf(onlyResource(json, 'aws_iam_role_policy'));
    expect(statement(policy, 'UseTopicKeyThroughSns')).toMatchObject({ Resource: topicKey, Condition: { StringEquals: { 'kms:ViaService': 'sns.us-east-1.amazonaws.com' } } });
    expect(statement(policy, 'DecryptEnvironment')).toMatchObject({ Action: 'kms:Decrypt', Resource: envKey });
    expect(onlyResource(json, 'aws_lambda_function_event_invoke_config').maximum_retry_attempts).toBe(0);
    expect(onlyResource(json, 'aws_cloudwatch_log_group')).toMatchObject({ name: '/aws/lambda/ml-governance', retention_in_days: 731 });
    // The rule keeps the seed's name; role and queue follow the function name.
    expect(resourcesOfType(json, 'aws_cloudwatch_event_rule').governance_rule.name).toBe(NAME);
    expect(onlyResource(json, 'aws_iam_role').name).toBe('ml-governance');
    expect(onlyResource(json, 'aws_sqs_queue').name).toBe('ml-governance-dlq');
  });

  test('a table key from a DynamoDbKey in the same stack is referenced', () => {
    const json = synthConstructs((stack) => {
      const key = new DynamoDbKey(stack, 'dynamodb_key', { accountId: '111111111111', region: 'us-east-1', aliasName: 'alias/ml-platform-prod-dynamodb' });
      new TableGovernance(stack, 'governance', props({ tableKeyArn: key.keyArn }));
    });
    const fn = resourcesOfType(json, 'aws_lambda_function').governance;
    expect(fn.environment.variables.GOVERNANCE_KMS_KEY_ARN).toBe('${aws_kms_key.dynamodb_key.arn}');
  });
});

describe('TableGovernance validation', () => {
  test.each<[string, Partial<TableGovernanceProps>, string]>([
    ['projectUuid with hyphens', { projectUuid: '3f2a9c1e-5b7d' }, "projectUuid = '3f2a9c1e-5b7d': must be 1 to 40 lowercase letters or digits"],
    ['projectUuid too long for the rule name', { projectUuid: 'a'.repeat(40) }, 'the limit is 64'],
    ['accountId', { accountId: '1234' }, "accountId = '1234': must be a 12-digit AWS account id"],
    ['region', { region: 'moon-1' }, "region = 'moon-1'"],
    ['vpcEndpointId', { vpcEndpointId: 'vpce-project-x' }, 'vpcEndpointId'],
    ['vpcId', { vpcId: 'vpc-project-x' }, 'vpcId'],
    ['tableKeyArn alias', { tableKeyArn: 'alias/project-x-dynamodb' }, 'tableKeyArn'],
    ['tableKeyArn in another region', { tableKeyArn: TABLE_KEY.replace('us-east-1', 'eu-west-1') }, "must be in region 'us-east-1'"],
    ['topic ARN', { notificationTopicArn: 'ml-alarms' }, 'notificationTopicArn'],
    ['topic in another region', { notificationTopicArn: TOPIC.replace('us-east-1', 'eu-west-1') }, "must be in region 'us-east-1'"],
    ['exempt wildcard', { exemptPrincipalArns: ['arn:aws:iam::111111111111:role/*'] }, 'exemptPrincipalArns[0]'],
    ['exempt root', { exemptPrincipalArns: ['arn:aws:iam::111111111111:root'] }, 'the account root cannot be exempted'],
    ['exempt other account', { exemptPrincipalArns: ['arn:aws:iam::222222222222:role/x'] }, 'must belong to account 111111111111'],
    ['Terraform principal wildcard', { terraformPrincipalArns: ['arn:aws:iam::111111111111:role/deploy-*'] }, 'terraformPrincipalArns[0]'],
    ['quarantineAction', { quarantineAction: 'delete' as never }, "quarantineAction = 'delete'"],
    ['empty Owner tag', { requiredTags: { Owner: '', Environment: 'prod', CostCenter: 'c' } }, 'requiredTags.Owner'],
    ['memory below 128', { memorySize: 64 }, 'memorySize = 64: must be a whole number from 128 to 10240'],
    ['memory above 10240', { memorySize: 20_000 }, 'memorySize = 20000'],
    ['timeout shorter than the wait', { timeoutSeconds: 120 }, 'timeoutSeconds = 120: must be a whole number from 180 to 900'],
    ['timeout above 900', { timeoutSeconds: 1_000 }, 'timeoutSeconds = 1000'],
    ['wait too short', { maxWaitSeconds: 5 }, 'maxWaitSeconds = 5'],
    ['concurrency 0', { reservedConcurrency: 0 }, 'reservedConcurrency = 0: must be a whole number from 1 to 1000'],
    ['fractional concurrency', { reservedConcurrency: 1.5 }, 'reservedConcurrency = 1.5'],
    ['async retries', { asyncRetryAttempts: 3 }, 'asyncRetryAttempts = 3'],
    ['event age', { asyncMaxEventAgeSeconds: 30 }, 'asyncMaxEventAgeSeconds = 30'],
    ['retention not offered by CloudWatch', { logRetentionDays: 42 }, `logRetentionDays = 42: must be one of the values CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(', ')}`],
    ['function name', { functionName: 'bad name' }, "functionName = 'bad name'"],
  ])('%s', (_label, overrides, message) => {
    const text = guardrailError(overrides);
    expect(text.startsWith('test/governance: ')).toBe(true);
    expect(text).toContain(message);
  });
});

describe('offline terraform validate', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-governance-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('a stack with the construct (created key and every option) passes, and the package is in the stack folder', () => {
    const app = Testing.app({ outdir });
    const stack = new TerraformStack(app, 'governance-validate');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const key = new DynamoDbKey(stack, 'dynamodb_key', { accountId: '111111111111', region: 'us-east-1', aliasName: 'alias/ml-platform-dynamodb' });
    new TableGovernance(stack, 'governance', props({ tableKeyArn: key.keyArn, notificationTopicKeyArn: TABLE_KEY, environmentKeyArn: TABLE_KEY }));
    new TableGovernance(stack, 'governance_external_key', props({ projectUuid: 'b2', operationsKeyArn: TABLE_KEY, quarantineAction: 'report-only' }));
    app.synth();
    const dir = path.join(outdir, 'stacks', 'governance-validate');
    const synthesized = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
    const filename = synthesized.resource.aws_lambda_function.governance.filename;
    expect(fs.readFileSync(path.join(dir, filename)).equals(governanceBundle().zip)).toBe(true);
    const result = terraformValidate(dir);
    expect(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test('the HCL form (cdktf synth --hcl) passes too', () => {
    // Like stacks/synth.ts: cdktf reads SYNTH_HCL_OUTPUT both when building the app and when synthesizing it.
    const previous = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = 'true';
    try {
      const app = new App({ outdir: path.join(outdir, 'hcl') });
      const stack = new TerraformStack(app, 'governance-hcl');
      new AwsProvider(stack, 'aws', { region: 'us-east-1' });
      new TableGovernance(stack, 'governance', props());
      app.synth();
    } finally {
      if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = previous;
    }
    const dir = path.join(outdir, 'hcl', 'stacks', 'governance-hcl');
    expect(fs.existsSync(path.join(dir, 'cdk.tf'))).toBe(true);
    const result = terraformValidate(dir);
    expect(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
    expect(result.valid).toBe(true);
  });
});

describe('governance after creation', () => {
  const json = synth();

  test('a second rule sends the successful calls that can weaken a project table to the same function', () => {
    const rule = resourcesOfType(json, 'aws_cloudwatch_event_rule').governance_changes_rule;
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ['aws.dynamodb'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['dynamodb.amazonaws.com'],
        eventName: ['UpdateTable', 'UpdateContinuousBackups', 'PutResourcePolicy', 'DeleteResourcePolicy', 'UntagResource'],
        errorCode: [{ exists: false }],
        $or: [
          { requestParameters: { tableName: [{ prefix: `project-${UUID}-` }] } },
          { requestParameters: { tableName: [{ prefix: `arn:aws:dynamodb:us-east-1:111111111111:table/project-${UUID}-` }] } },
          { requestParameters: { resourceArn: [{ prefix: `arn:aws:dynamodb:us-east-1:111111111111:table/project-${UUID}-` }] } },
        ],
      },
    });
    expect(resourcesOfType(json, 'aws_cloudwatch_event_target').governance_changes_target).toEqual(expect.objectContaining({ rule: '${aws_cloudwatch_event_rule.governance_changes_rule.name}', arn: '${aws_lambda_function.governance.arn}' }));
    expect(resourcesOfType(json, 'aws_lambda_permission').governance_changes_invoke_permission).toEqual(expect.objectContaining({ source_arn: '${aws_cloudwatch_event_rule.governance_changes_rule.arn}', principal: 'events.amazonaws.com' }));
  });
});
