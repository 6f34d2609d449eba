import {
  AlarmTopic,
  AlarmTopicProps,
  DynamoDbAlarms,
  DynamoDbAlarmsProps,
  DynamoDbDashboard,
  MonitoredTable,
  TableContributorInsights,
  alarmTopicKeyPolicy,
  alarmTopicPolicy,
  dashboardBody,
  describeTable,
} from '../../modules/observability';
import { existingKey } from '../../modules/encryption';
import { SecureTable } from '../../modules/table';
import { TerraformJson, onlyResource, resourcesOfType, synthConstructs } from '../support/synth';

const ACCOUNT = '333333333333';
const REGION = 'ap-south-1';
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:auditflow-prod-dynamodb-alarms`;
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const documents: MonitoredTable = {
  key: 'documents',
  tableName: 'AuditFlow-Documents',
  tableArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/AuditFlow-Documents`,
  indexNames: ['by-loan', 'by-status'],
  provisioned: false,
  streamEnabled: true,
};
const orders: MonitoredTable = {
  key: 'orders',
  tableName: 'Orders',
  tableArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/Orders`,
  indexNames: ['by-customer'],
  provisioned: true,
  streamEnabled: false,
};

function synthAlarms(overrides: Partial<DynamoDbAlarmsProps> = {}): TerraformJson {
  return synthConstructs((stack) => new DynamoDbAlarms(stack, 'alarms', { namePrefix: 'auditflow-prod', tables: [documents], topicArns: [TOPIC], ...overrides }));
}

function alarm(json: TerraformJson, address: string): any {
  const found = resourcesOfType(json, 'aws_cloudwatch_metric_alarm')[address];
  if (!found) throw new Error(`no alarm ${address}; have ${Object.keys(resourcesOfType(json, 'aws_cloudwatch_metric_alarm')).join(', ')}`);
  const { ['//']: _metadata, ...rest } = found;
  return rest;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a GuardrailError');
}

const ACTIONS = { actions_enabled: true, alarm_actions: [TOPIC], ok_actions: [TOPIC] };

describe('DynamoDbAlarms: one alarm per signal of seed 001 §5', () => {
  const json = synthAlarms();

  test('ThrottledRequests > 0 in 1 minute, summed over every operation with Metrics Insights', () => {
    expect(alarm(json, 'alarms_documents_throttled_requests')).toEqual({
      ...ACTIONS,
      alarm_name: 'auditflow-prod-documents-throttled-requests',
      alarm_description: 'CRITICAL: Requests to documents are being throttled (ThrottledRequests summed over all operations). Runbook: help/monitoring.md#throttled-requests',
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
      evaluation_periods: 1,
      treat_missing_data: 'notBreaching',
      metric_query: [
        {
          id: 'throttled',
          label: 'ThrottledRequests (all operations)',
          expression: `SELECT SUM(ThrottledRequests) FROM SCHEMA("AWS/DynamoDB", Operation, TableName) WHERE TableName = 'AuditFlow-Documents'`,
          period: 60,
          return_data: true,
        },
      ],
    });
  });

  test('read + write throttle events of the table and of each GSI, 1 minute', () => {
    expect(alarm(json, 'alarms_documents_throttle_events')).toEqual({
      ...ACTIONS,
      alarm_name: 'auditflow-prod-documents-throttle-events',
      alarm_description: 'CRITICAL: Read or write events on documents are being throttled (ReadThrottleEvents + WriteThrottleEvents). Runbook: help/monitoring.md#throttle-events',
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
      evaluation_periods: 1,
      treat_missing_data: 'notBreaching',
      metric_query: [
        { id: 'reads', metric: { namespace: 'AWS/DynamoDB', metric_name: 'ReadThrottleEvents', dimensions: { TableName: 'AuditFlow-Documents' }, stat: 'Sum', period: 60 }, return_data: false },
        { id: 'writes', metric: { namespace: 'AWS/DynamoDB', metric_name: 'WriteThrottleEvents', dimensions: { TableName: 'AuditFlow-Documents' }, stat: 'Sum', period: 60 }, return_data: false },
        { id: 'throttle_events', label: 'Read + write throttle events', expression: 'SUM([reads, writes])', return_data: true },
      ],
    });
    const gsi = alarm(json, 'alarms_documents_by_status_throttle_events');
    expect(gsi.alarm_name).toBe('auditflow-prod-documents-by-status-throttle-events');
    expect(gsi.metric_query[0].metric.dimensions).toEqual({ TableName: 'AuditFlow-Documents', GlobalSecondaryIndexName: 'by-status' });
    expect(gsi.metric_query[1].metric.dimensions).toEqual({ TableName: 'AuditFlow-Documents', GlobalSecondaryIndexName: 'by-status' });
    expect(alarm(json, 'alarms_documents_by_loan_throttle_events').alarm_name).toBe('auditflow-prod-documents-by-loan-throttle-events');
  });

  test('SystemErrors > 0 in 1 minute, summed over every operation', () => {
    expect(alarm(json, 'alarms_documents_system_errors')).toEqual({
      ...ACTIONS,
      alarm_name: 'auditflow-prod-documents-system-errors',
      alarm_description: 'CRITICAL: DynamoDB returned HTTP 500 errors for documents (SystemErrors summed over all operations). Runbook: help/monitoring.md#system-errors',
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
      evaluation_periods: 1,
      treat_missing_data: 'notBreaching',
      metric_query: [
        {
          id: 'system_errors',
          label: 'SystemErrors (all operations)',
          expression: `SELECT SUM(SystemErrors) FROM SCHEMA("AWS/DynamoDB", Operation, TableName) WHERE TableName = 'AuditFlow-Documents'`,
          period: 60,
          return_data: true,
        },
      ],
    });
  });

  test('p99 SuccessfulRequestLatency > 25 ms for 3 × 5 minutes, per operation', () => {
    expect(alarm(json, 'alarms_documents_latency_query')).toEqual({
      ...ACTIONS,
      alarm_name: 'auditflow-prod-documents-p99-latency-Query',
      alarm_description: 'WARNING: p99 latency of Query on documents is above 25 ms. Runbook: help/monitoring.md#p99-latency',
      comparison_operator: 'GreaterThanThreshold',
      namespace: 'AWS/DynamoDB',
      metric_name: 'SuccessfulRequestLatency',
      dimensions: { TableName: 'AuditFlow-Documents', Operation: 'Query' },
      extended_statistic: 'p99',
      period: 300,
      evaluation_periods: 3,
      threshold: 25,
      treat_missing_data: 'notBreaching',
    });
    const operations = Object.values(resourcesOfType(json, 'aws_cloudwatch_metric_alarm'))
      .filter((a: any) => a.metric_name === 'SuccessfulRequestLatency')
      .map((a: any) => a.dimensions.Operation);
    expect(operations.sort()).toEqual(['GetItem', 'PutItem', 'Query', 'UpdateItem']);
  });

  test('an on-demand table has no capacity alarms; a table without consumers has no iterator-age alarm', () => {
    const names = Object.values(resourcesOfType(json, 'aws_cloudwatch_metric_alarm')).map((a: any) => a.alarm_name);
    expect(names.filter((n) => n.includes('capacity') || n.includes('iterator-age') || n.includes('user-errors'))).toEqual([]);
    expect(names).toHaveLength(1 + 3 + 1 + 4);
  });
});

describe('DynamoDbAlarms: provisioned tables, streams, options', () => {
  test('consumed vs provisioned capacity > 80 % for 10 minutes, table and GSIs, read and write', () => {
    const json = synthAlarms({ tables: [orders] });
    expect(alarm(json, 'alarms_orders_write_capacity')).toEqual({
      ...ACTIONS,
      alarm_name: 'auditflow-prod-orders-write-capacity',
      alarm_description: 'WARNING: Consumed write capacity of orders is above 80% of provisioned. Runbook: help/monitoring.md#capacity-utilization',
      comparison_operator: 'GreaterThanThreshold',
      threshold: 80,
      evaluation_periods: 2,
      treat_missing_data: 'notBreaching',
      metric_query: [
        { id: 'consumed', metric: { namespace: 'AWS/DynamoDB', metric_name: 'ConsumedWriteCapacityUnits', dimensions: { TableName: 'Orders' }, stat: 'Sum', period: 300 }, return_data: false },
        { id: 'provisioned', metric: { namespace: 'AWS/DynamoDB', metric_name: 'ProvisionedWriteCapacityUnits', dimensions: { TableName: 'Orders' }, stat: 'Average', period: 300 }, return_data: false },
        { id: 'utilization', label: 'Write capacity utilization (%)', expression: '100 * (FILL(consumed, 0) / 300) / provisioned', return_data: true },
      ],
    });
    const gsiRead = alarm(json, 'alarms_orders_by_customer_read_capacity');
    expect(gsiRead.alarm_name).toBe('auditflow-prod-orders-by-customer-read-capacity');
    expect(gsiRead.metric_query.map((q: any) => q.metric?.metric_name)).toEqual(['ConsumedReadCapacityUnits', 'ProvisionedReadCapacityUnits', undefined]);
    expect(gsiRead.metric_query[0].metric.dimensions).toEqual({ TableName: 'Orders', GlobalSecondaryIndexName: 'by-customer' });
    const capacity = Object.keys(resourcesOfType(json, 'aws_cloudwatch_metric_alarm')).filter((a) => a.endsWith('_capacity'));
    expect(capacity).toEqual(['alarms_orders_by_customer_read_capacity', 'alarms_orders_by_customer_write_capacity', 'alarms_orders_read_capacity', 'alarms_orders_write_capacity']);
  });

  test('capacity alarms can be turned off', () => {
    const json = synthAlarms({ tables: [orders], capacityAlarms: false });
    expect(Object.keys(resourcesOfType(json, 'aws_cloudwatch_metric_alarm')).filter((a) => a.endsWith('_capacity'))).toEqual([]);
  });

  test('stream consumer lag > 60 s: Lambda IteratorAge and Kinesis GetRecords.IteratorAgeMilliseconds, Maximum, 5 × 1 minute', () => {
    const json = synthAlarms({
      streamConsumers: { documents: [{ type: 'lambda', functionName: 'documents-stream' }, { type: 'kinesis', streamName: 'documents-events' }] },
    });
    expect(alarm(json, 'alarms_documents_iterator_age_documents_stream')).toEqual({
      ...ACTIONS,
      alarm_name: 'auditflow-prod-documents-iterator-age-documents-stream',
      alarm_description: 'INFO: Stream consumer documents-stream of documents is more than 60 s behind (AWS/Lambda IteratorAge). Runbook: help/monitoring.md#stream-iterator-age',
      comparison_operator: 'GreaterThanThreshold',
      namespace: 'AWS/Lambda',
      metric_name: 'IteratorAge',
      dimensions: { FunctionName: 'documents-stream' },
      statistic: 'Maximum',
      period: 60,
      evaluation_periods: 5,
      threshold: 60000,
      treat_missing_data: 'missing',
    });
    expect(alarm(json, 'alarms_documents_iterator_age_documents_events')).toMatchObject({
      namespace: 'AWS/Kinesis',
      metric_name: 'GetRecords.IteratorAgeMilliseconds',
      dimensions: { StreamName: 'documents-events' },
      statistic: 'Maximum',
    });
  });

  test('UserErrors is off by default and account-wide (no dimensions) when turned on', () => {
    const json = synthAlarms({ userErrorsAlarm: true });
    expect(alarm(json, 'alarms_user_errors')).toEqual({
      ...ACTIONS,
      alarm_name: 'auditflow-prod-dynamodb-user-errors',
      alarm_description: 'WARNING: More than 10 DynamoDB client errors (HTTP 400) in 5 minutes in this account and region. Runbook: help/monitoring.md#user-errors',
      comparison_operator: 'GreaterThanThreshold',
      namespace: 'AWS/DynamoDB',
      metric_name: 'UserErrors',
      statistic: 'Sum',
      period: 300,
      evaluation_periods: 1,
      threshold: 10,
      treat_missing_data: 'notBreaching',
    });
  });

  test('thresholds, operations, throttle-event alarms, runbook URL and tags are overridable', () => {
    const json = synthAlarms({
      tables: [orders],
      // An explicit undefined keeps the default.
      thresholds: { throttledRequests: 5, systemErrors: 2, latencyP99Ms: 10, capacityUtilizationPercent: 90, throttleEvents: undefined },
      latencyOperations: ['BatchWriteItem'],
      throttleEventAlarms: false,
      runbookUrl: 'https://wiki.example.com/dynamodb',
      tags: { Team: 'data' },
    });
    expect(alarm(json, 'alarms_orders_throttled_requests').threshold).toBe(5);
    expect(alarm(json, 'alarms_orders_system_errors').threshold).toBe(2);
    expect(alarm(json, 'alarms_orders_latency_batchwriteitem')).toMatchObject({ threshold: 10, dimensions: { TableName: 'Orders', Operation: 'BatchWriteItem' } });
    expect(alarm(json, 'alarms_orders_read_capacity').threshold).toBe(90);
    expect(Object.keys(resourcesOfType(json, 'aws_cloudwatch_metric_alarm')).filter((a) => a.includes('throttle_events'))).toEqual([]);
    expect(alarm(json, 'alarms_orders_system_errors').alarm_description).toContain('Runbook: https://wiki.example.com/dynamodb#system-errors');
    expect(alarm(json, 'alarms_orders_system_errors').tags).toEqual({ Team: 'data' });
  });

  test('SecureTables are described by their key, name, GSIs, billing and stream', () => {
    const json = synthConstructs((stack) => {
      const table = new SecureTable(stack, 'documents', {
        tableName: 'AuditFlow-Documents',
        partitionKey: { name: 'document_id', type: 'S' },
        globalSecondaryIndexes: [{ indexName: 'by-status', partitionKey: { name: 'status', type: 'S' } }],
        encryptionKey: existingKey('test', KEY_ARN),
        stream: false,
      });
      const described = describeTable(table);
      expect(described).toMatchObject({ key: 'documents', indexNames: ['by-status'], provisioned: false, streamEnabled: false });
      new DynamoDbAlarms(stack, 'alarms', { namePrefix: 'auditflow-prod', tables: [table], topicArns: [TOPIC] });
    });
    expect(alarm(json, 'alarms_documents_latency_getitem').dimensions).toEqual({ TableName: 'AuditFlow-Documents', Operation: 'GetItem' });
    expect(alarm(json, 'alarms_documents_throttled_requests').metric_query[0].expression).toBe(
      `SELECT SUM(ThrottledRequests) FROM SCHEMA("AWS/DynamoDB", Operation, TableName) WHERE TableName = 'AuditFlow-Documents'`,
    );
  });
});

describe('DynamoDbAlarms validation', () => {
  const subject = 'test/alarms';
  const error = (overrides: Partial<DynamoDbAlarmsProps>) => errorOf(() => synthAlarms(overrides));

  test('tables, topics and prefix', () => {
    expect(error({ tables: [] })).toBe(`${subject}: tables = []: at least one table to monitor is needed`);
    expect(error({ topicArns: [] })).toBe(`${subject}: topicArns = []: alarms need at least one SNS topic to notify; an alarm nobody receives is no control`);
    expect(error({ tables: [documents, { ...orders, key: 'documents' }] })).toBe(`${subject}: tables = 'documents': table keys must be unique (they name the alarms)`);
    expect(error({ namePrefix: '-prod' })).toContain(`${subject}: namePrefix = '-prod': must be 1 to 32 lower-case letters`);
  });

  test('thresholds', () => {
    expect(error({ thresholds: { latencyP99Ms: -1 } })).toBe(`${subject}: thresholds.latencyP99Ms = -1: must be a number of at least 0`);
    expect(error({ thresholds: { capacityUtilizationPercent: 120 } })).toBe(`${subject}: thresholds.capacityUtilizationPercent = 120: must be a percentage from 1 to 100`);
  });

  test('latency operations', () => {
    expect(error({ latencyOperations: ['GetItems' as never] })).toBe(
      `${subject}: latencyOperations = 'GetItems': is not a DynamoDB operation CloudWatch reports latency for (GetItem, BatchGetItem, Query, Scan, PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactGetItems, TransactWriteItems, ExecuteStatement, BatchExecuteStatement, ExecuteTransaction, GetRecords)`,
    );
    expect(error({ latencyOperations: ['Query', 'Query'] })).toBe(`${subject}: latencyOperations = ["Query","Query"]: lists an operation twice`);
  });

  test('stream consumers', () => {
    expect(error({ streamConsumers: { invoices: [] } })).toBe(`${subject}: streamConsumers = 'invoices': is not one of the monitored tables (documents)`);
    expect(error({ tables: [orders], streamConsumers: { orders: [{ type: 'lambda', functionName: 'f' }] } })).toBe(
      `${subject}: streamConsumers.orders = 'orders': the table has no stream, so it has no stream consumers to watch`,
    );
    expect(error({ streamConsumers: { documents: [{ type: 'lambda', functionName: 'my function' }] } })).toBe(
      `${subject}: streamConsumers.documents = 'my function': must be a Lambda function name (1 to 64 letters, digits, - or _)`,
    );
    expect(error({ streamConsumers: { documents: [{ type: 'kinesis', streamName: 'a/b' }] } })).toBe(
      `${subject}: streamConsumers.documents = 'a/b': must be a Kinesis stream name (1 to 128 letters, digits, ., - or _)`,
    );
  });

  test('alarm names stay within 255 characters', () => {
    const longIndex = 'i'.repeat(240);
    expect(error({ tables: [{ ...documents, indexNames: [longIndex] }] })).toBe(
      `${subject}: alarmName = 'auditflow-prod-documents-${longIndex}-throttle-events': alarm names can be at most 255 characters; shorten namePrefix or the index name`,
    );
  });
});

describe('AlarmTopic', () => {
  const base: AlarmTopicProps = { namePrefix: 'auditflow-prod', accountId: ACCOUNT, region: REGION };
  const synthTopic = (overrides: Partial<AlarmTopicProps> = {}) => synthConstructs((stack) => new AlarmTopic(stack, 'alarm_topic', { ...base, ...overrides }));

  test('SSE-KMS with a dedicated key that CloudWatch alarms of this account may use', () => {
    const json = synthTopic();
    const topic = onlyResource(json, 'aws_sns_topic');
    expect(topic).toMatchObject({ name: 'auditflow-prod-dynamodb-alarms', kms_master_key_id: '${aws_kms_key.alarm_topic_key.arn}' });
    const keyPolicy = JSON.parse(onlyResource(json, 'aws_kms_key').policy);
    expect(keyPolicy).toEqual(alarmTopicKeyPolicy(ACCOUNT, REGION));
    expect(keyPolicy.Statement[1]).toEqual({
      Sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:*` } },
    });
    expect(onlyResource(json, 'aws_kms_alias').name).toBe('alias/auditflow-prod-dynamodb-alarms');
  });

  test('topic policy: CloudWatch alarms of this account may publish, TLS only', () => {
    const json = synthTopic();
    const policy = onlyResource(json, 'aws_sns_topic_policy');
    expect(policy.arn).toBe('${aws_sns_topic.alarm_topic.arn}');
    const document = JSON.parse(policy.policy);
    expect(document).toEqual(alarmTopicPolicy(ACCOUNT, REGION, 'auditflow-prod-dynamodb-alarms'));
    expect(document.Statement.map((s: any) => s.Sid)).toEqual(['AccountOwnsTopic', 'CloudWatchAlarmsPublish', 'DenyInsecureTransport']);
    expect(document.Statement[1].Resource).toBe(TOPIC);
  });

  test('email and https subscribers, addressed by endpoint', () => {
    const json = synthTopic({ emailSubscribers: ['oncall@example.com'], httpsSubscribers: ['https://events.pagerduty.com/integration/abc/enqueue'] });
    const subscriptions = resourcesOfType(json, 'aws_sns_topic_subscription');
    expect(Object.keys(subscriptions)).toEqual(['alarm_topic_email_oncall_example_com', 'alarm_topic_https_events_pagerduty_com_integration_abc_enqueue']);
    expect(subscriptions.alarm_topic_email_oncall_example_com).toMatchObject({ protocol: 'email', endpoint: 'oncall@example.com', topic_arn: '${aws_sns_topic.alarm_topic.arn}' });
    expect(subscriptions.alarm_topic_https_events_pagerduty_com_integration_abc_enqueue).toMatchObject({ protocol: 'https', endpoint: 'https://events.pagerduty.com/integration/abc/enqueue' });
  });

  test('an existing key, a custom name and AWS Backup notifications', () => {
    const json = synthTopic({ keyArn: KEY_ARN, topicName: 'ops-alarms', allowAwsBackupNotifications: true });
    expect(resourcesOfType(json, 'aws_kms_key')).toEqual({});
    expect(onlyResource(json, 'aws_sns_topic')).toMatchObject({ name: 'ops-alarms', kms_master_key_id: KEY_ARN });
    const sids = JSON.parse(onlyResource(json, 'aws_sns_topic_policy').policy).Statement.map((s: any) => s.Sid);
    expect(sids).toEqual(['AccountOwnsTopic', 'CloudWatchAlarmsPublish', 'AwsBackupPublishesVaultEvents', 'DenyInsecureTransport']);
    expect(alarmTopicKeyPolicy(ACCOUNT, REGION, { allowAwsBackupNotifications: true }).Statement).toHaveLength(4);
  });

  test('validation', () => {
    const subject = 'test/alarm_topic';
    expect(errorOf(() => synthTopic({ emailSubscribers: ['oncall'] }))).toBe(`${subject}: emailSubscribers = 'oncall': must be an email address`);
    expect(errorOf(() => synthTopic({ httpsSubscribers: ['http://hooks.example.com/x'] }))).toBe(
      `${subject}: httpsSubscribers = 'http://hooks.example.com/x': must be an https:// URL (plain http would send alarm contents unencrypted)`,
    );
    expect(errorOf(() => synthTopic({ emailSubscribers: ['a@example.com', 'a@example.com'] }))).toBe(
      `${subject}: emailSubscribers = ["a@example.com","a@example.com"]: lists the same subscriber twice`,
    );
    expect(errorOf(() => synthTopic({ topicName: 'ops alarms' }))).toBe(`${subject}: topicName = 'ops alarms': must be 1 to 256 letters, digits, '-' or '_'`);
    expect(errorOf(() => synthTopic({ keyArn: 'alias/aws/sns' }))).toBe(
      `${subject}: keyArn = 'alias/aws/sns': must be a customer-managed KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); aliases and AWS-managed keys are not accepted`,
    );
  });
});

describe('DynamoDbDashboard', () => {
  const input = {
    title: 'DynamoDB — auditflow-prod',
    region: REGION,
    tables: [documents, orders],
    latencyOperations: ['GetItem', 'Query'] as const,
    latencyThresholdMs: 25,
    streamConsumers: { documents: [{ type: 'lambda' as const, functionName: 'documents-stream' }] },
  };

  test('deterministic body: capacity, throttling, errors, latency, stream lag per table, then account signals', () => {
    const body = dashboardBody(input);
    expect(dashboardBody(input)).toBe(body);
    const widgets = JSON.parse(body).widgets;
    expect(widgets.map((w: any) => [w.x, w.y, w.properties.title ?? 'text'])).toEqual([
      [0, 0, 'text'],
      [0, 2, 'documents: capacity (table)'],
      [8, 2, 'documents: throttled requests (all operations)'],
      [16, 2, 'documents: throttle events (table and GSIs)'],
      [0, 8, 'documents: system errors (all operations)'],
      [8, 8, 'documents: p99 latency (ms)'],
      [16, 8, 'documents: stream consumer lag (ms)'],
      [0, 14, 'orders: capacity (table)'],
      [8, 14, 'orders: throttled requests (all operations)'],
      [16, 14, 'orders: throttle events (table and GSIs)'],
      [0, 20, 'orders: system errors (all operations)'],
      [8, 20, 'orders: p99 latency (ms)'],
      [16, 20, 'Account: user errors and provisioned capacity utilization'],
    ]);
    expect(widgets[2].properties.metrics).toEqual([
      [{ expression: `SELECT SUM(ThrottledRequests) FROM SCHEMA("AWS/DynamoDB", Operation, TableName) WHERE TableName = 'AuditFlow-Documents'`, label: 'ThrottledRequests', id: 'q1' }],
    ]);
    expect(widgets[3].properties.metrics).toContainEqual(['AWS/DynamoDB', 'WriteThrottleEvents', 'TableName', 'AuditFlow-Documents', 'GlobalSecondaryIndexName', 'by-status', { stat: 'Sum', label: 'Write by-status' }]);
    expect(widgets[5].properties.metrics).toEqual([
      ['AWS/DynamoDB', 'SuccessfulRequestLatency', 'TableName', 'AuditFlow-Documents', 'Operation', 'GetItem', { stat: 'p99', label: 'GetItem p99' }],
      ['AWS/DynamoDB', 'SuccessfulRequestLatency', 'TableName', 'AuditFlow-Documents', 'Operation', 'Query', { stat: 'p99', label: 'Query p99' }],
    ]);
    expect(widgets[5].properties.annotations).toEqual({ horizontal: [{ label: 'alarm threshold', value: 25 }] });
    expect(widgets[6].properties.metrics).toEqual([['AWS/Lambda', 'IteratorAge', 'FunctionName', 'documents-stream', { stat: 'Maximum', label: 'documents-stream' }]]);
    // Provisioned capacity only for provisioned tables.
    expect(JSON.stringify(widgets[1].properties.metrics)).not.toContain('Provisioned');
    expect(JSON.stringify(widgets[7].properties.metrics)).toContain('ProvisionedReadCapacityUnits');
    expect(widgets.every((w: any) => w.type === 'text' || w.properties.region === REGION)).toBe(true);
  });

  test('one aws_cloudwatch_dashboard per catalog and environment', () => {
    const json = synthConstructs((stack) => new DynamoDbDashboard(stack, 'dashboard', { namePrefix: 'auditflow-prod', region: REGION, tables: [documents] }));
    const dashboard = onlyResource(json, 'aws_cloudwatch_dashboard');
    expect(dashboard.dashboard_name).toBe('auditflow-prod-dynamodb');
    expect(JSON.parse(dashboard.dashboard_body).widgets).toHaveLength(1 + 5 + 1);
  });

  test('validation', () => {
    const synth = (props: object) => errorOf(() => synthConstructs((stack) => new DynamoDbDashboard(stack, 'dashboard', { namePrefix: 'auditflow-prod', region: REGION, tables: [documents], ...props })));
    expect(synth({ dashboardName: 'my dashboard' })).toBe(`test/dashboard: dashboardName = 'my dashboard': must be 1 to 255 letters, digits, '-' or '_'`);
    expect(synth({ tables: [] })).toBe('test/dashboard: tables = []: a dashboard needs at least one table');
  });
});

describe('TableContributorInsights (seed 001 §8)', () => {
  test('on every table and every GSI, accessed and throttled keys by default', () => {
    const json = synthConstructs((stack) => new TableContributorInsights(stack, 'contributor_insights', { tables: [documents, orders] }));
    const rules = resourcesOfType(json, 'aws_dynamodb_contributor_insights');
    expect(Object.fromEntries(Object.entries(rules).map(([address, rule]: [string, any]) => [address, [rule.table_name, rule.index_name, rule.mode]]))).toEqual({
      contributor_insights_documents: ['AuditFlow-Documents', undefined, 'ACCESSED_AND_THROTTLED_KEYS'],
      contributor_insights_documents_index_by_loan: ['AuditFlow-Documents', 'by-loan', 'ACCESSED_AND_THROTTLED_KEYS'],
      contributor_insights_documents_index_by_status: ['AuditFlow-Documents', 'by-status', 'ACCESSED_AND_THROTTLED_KEYS'],
      contributor_insights_orders: ['Orders', undefined, 'ACCESSED_AND_THROTTLED_KEYS'],
      contributor_insights_orders_index_by_customer: ['Orders', 'by-customer', 'ACCESSED_AND_THROTTLED_KEYS'],
    });
  });

  test('throttled keys only, and validation of the mode', () => {
    const json = synthConstructs((stack) => new TableContributorInsights(stack, 'ci', { tables: [orders], mode: 'THROTTLED_KEYS' }));
    expect(Object.values(resourcesOfType(json, 'aws_dynamodb_contributor_insights')).map((r: any) => r.mode)).toEqual(['THROTTLED_KEYS', 'THROTTLED_KEYS']);
    expect(errorOf(() => synthConstructs((stack) => new TableContributorInsights(stack, 'ci', { tables: [orders], mode: 'ALL' as never })))).toBe(
      `test/ci: mode = 'ALL': must be one of ACCESSED_AND_THROTTLED_KEYS, THROTTLED_KEYS`,
    );
  });
});
