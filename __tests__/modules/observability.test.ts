import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { existingKey } from '../../modules/encryption';
import { AuditTrail, DynamoDbObservability, DynamoDbObservabilityProps, MonitoredTable } from '../../modules/observability';
import { SecureTable } from '../../modules/table';
import { TerraformJson, onlyResource, resourcesOfType, synthConstructs } from '../support/synth';
import { formatDiagnostic, terraformValidate } from '../support/terraform/validate';

const ACCOUNT = '333333333333';
const REGION = 'ap-south-1';
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const EXISTING_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:central-alarms`;

const orders: MonitoredTable = {
  key: 'orders',
  tableName: 'Orders',
  tableArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/Orders`,
  indexNames: ['by-customer'],
  provisioned: true,
  streamEnabled: true,
};
const REPLICA_REGION = 'ap-southeast-1';
const globalOrders: MonitoredTable = { ...orders, replicaRegions: [REPLICA_REGION] };
const REPLICA_TOPIC = `arn:aws:sns:${REPLICA_REGION}:${ACCOUNT}:central-alarms`;

function documentsTable(stack: TerraformStack): SecureTable {
  return new SecureTable(stack, 'documents', {
    tableName: 'AuditFlow-Documents',
    partitionKey: { name: 'document_id', type: 'S' },
    globalSecondaryIndexes: [{ indexName: 'processing_status-upload_timestamp-index', partitionKey: { name: 'processing_status', type: 'S' }, sortKey: { name: 'upload_timestamp', type: 'S' } }],
    encryptionKey: existingKey('test', KEY_ARN),
  });
}

function synthObservability(overrides: Partial<DynamoDbObservabilityProps> = {}): TerraformJson {
  return synthConstructs((stack) => {
    new DynamoDbObservability(stack, 'observability', {
      namePrefix: 'auditflow-prod',
      accountId: ACCOUNT,
      region: REGION,
      tables: [documentsTable(stack)],
      ...overrides,
    });
  });
}

function count(json: TerraformJson, type: string): number {
  return Object.keys(resourcesOfType(json, type)).length;
}

describe('DynamoDbObservability: seed 000 §7 and seed 001 §5–8 for one catalog and environment', () => {
  test('defaults: topic, alarms, dashboard, Contributor Insights and an audit trail; no Config rules', () => {
    const json = synthObservability();
    expect(onlyResource(json, 'aws_sns_topic').name).toBe('auditflow-prod-dynamodb-alarms');
    // 1 throttled + 2 throttle-event (table, GSI) + 1 system errors + 4 latency + 3 audit alarms
    expect(count(json, 'aws_cloudwatch_metric_alarm')).toBe(11);
    for (const alarm of Object.values(resourcesOfType(json, 'aws_cloudwatch_metric_alarm'))) {
      expect(alarm.alarm_actions).toEqual(['${aws_sns_topic.observability_alarm_topic.arn}']);
    }
    expect(onlyResource(json, 'aws_cloudwatch_dashboard').dashboard_name).toBe('auditflow-prod-dynamodb');
    expect(count(json, 'aws_dynamodb_contributor_insights')).toBe(2);
    expect(onlyResource(json, 'aws_cloudtrail').name).toBe('auditflow-prod-dynamodb-audit');
    expect(count(json, 'aws_config_config_rule')).toBe(0);
  });

  test('stable, readable addresses', () => {
    const json = synthObservability();
    expect(Object.keys(resourcesOfType(json, 'aws_sns_topic'))).toEqual(['observability_alarm_topic']);
    expect(Object.keys(resourcesOfType(json, 'aws_cloudwatch_metric_alarm'))).toContain('observability_alarms_documents_throttled_requests');
    expect(Object.keys(resourcesOfType(json, 'aws_cloudwatch_metric_alarm'))).toContain(
      'observability_alarms_documents_processing_status_upload_timestamp_index_throttle_events',
    );
    expect(Object.keys(resourcesOfType(json, 'aws_cloudtrail'))).toEqual(['observability_audit_trail']);
  });

  test('an existing topic, alarm options shared with the dashboard, Config rules, parts turned off', () => {
    const json = synthObservability({
      alarmTopic: { existingTopicArn: EXISTING_TOPIC },
      alarms: { thresholds: { latencyP99Ms: 40 }, latencyOperations: ['Query'], streamConsumers: { documents: [{ type: 'lambda', functionName: 'documents-stream' }] } },
      contributorInsights: false,
      auditTrail: false,
      configRules: { allowedKmsKeyArns: [KEY_ARN], requiredTags: { Project: 'auditflow', Owner: undefined, Environment: 'prod', CostCenter: undefined }, daxRules: false },
    });
    expect(count(json, 'aws_sns_topic')).toBe(0);
    expect(count(json, 'aws_cloudtrail')).toBe(0);
    expect(count(json, 'aws_dynamodb_contributor_insights')).toBe(0);
    expect(count(json, 'aws_config_config_rule')).toBe(6);
    const alarms = Object.values(resourcesOfType(json, 'aws_cloudwatch_metric_alarm'));
    expect(alarms.every((a: any) => a.alarm_actions[0] === EXISTING_TOPIC)).toBe(true);
    expect(alarms.find((a: any) => a.metric_name === 'SuccessfulRequestLatency').threshold).toBe(40);
    expect(alarms.find((a: any) => a.metric_name === 'IteratorAge').dimensions).toEqual({ FunctionName: 'documents-stream' });
    const body = JSON.parse(onlyResource(json, 'aws_cloudwatch_dashboard').dashboard_body.replace(/\$\{/g, '$<'));
    const latency = body.widgets.find((w: any) => w.properties.title === 'documents: p99 latency (ms)');
    expect(latency.properties.annotations.horizontal[0].value).toBe(40);
    expect(latency.properties.metrics).toHaveLength(1);
    expect(body.widgets.some((w: any) => w.properties.title === 'documents: stream consumer lag (ms)')).toBe(true);
  });

  test("a global table's replica Region gets its own topic, key and alarms (negative control: a table without replicas gets none)", () => {
    const json = synthConstructs((stack) => {
      new DynamoDbObservability(stack, 'observability', { namePrefix: 'auditflow-prod', accountId: ACCOUNT, region: REGION, tables: [globalOrders], alarmTopic: { emailSubscribers: ['oncall@example.com'] } });
    });
    const topics = resourcesOfType(json, 'aws_sns_topic');
    expect(Object.keys(topics).sort()).toEqual(['observability_alarm_topic', 'observability_alarm_topic_ap_southeast_1']);
    expect(topics.observability_alarm_topic_ap_southeast_1.region).toBe(REPLICA_REGION);
    expect(resourcesOfType(json, 'aws_kms_alias').observability_alarm_topic_ap_southeast_1_key_alias.region).toBe(REPLICA_REGION);
    const replicaAlarms = Object.values(resourcesOfType(json, 'aws_cloudwatch_metric_alarm')).filter((alarm: any) => alarm.region === REPLICA_REGION);
    // throttled requests, throttle events of the table and its GSI, system errors, 4 latency, replication back home
    expect(replicaAlarms).toHaveLength(1 + 2 + 1 + 4 + 1);
    expect(replicaAlarms.find((alarm: any) => alarm.metric_name === 'ReplicationLatency')).toEqual(expect.objectContaining({ dimensions: { TableName: 'Orders', ReceivingRegion: REGION }, alarm_name: `auditflow-prod-${REPLICA_REGION}-orders-replication-latency-${REGION}` }));
    // Capacity-utilization alarms are home-only (help/monitoring.md); a replica out of capacity shows as throttle events.
    expect(replicaAlarms.some((alarm: any) => alarm.alarm_name.includes('capacity'))).toBe(false);

    const single = synthConstructs((stack) => {
      new DynamoDbObservability(stack, 'observability', { namePrefix: 'auditflow-prod', accountId: ACCOUNT, region: REGION, tables: [orders] });
    });
    expect(Object.keys(resourcesOfType(single, 'aws_sns_topic'))).toEqual(['observability_alarm_topic']);
    expect(Object.values(resourcesOfType(single, 'aws_cloudwatch_metric_alarm')).filter((alarm: any) => alarm.region !== undefined && alarm.region !== REGION)).toEqual([]);
  });

  test('existing topics: one per replica Region, each in the Region of the alarms it serves', () => {
    const synth = (alarmTopic: DynamoDbObservabilityProps['alarmTopic']) =>
      synthConstructs((stack) => {
        new DynamoDbObservability(stack, 'observability', { namePrefix: 'auditflow-prod', accountId: ACCOUNT, region: REGION, tables: [globalOrders], alarmTopic, auditTrail: false });
      });
    const json = synth({ existingTopicArn: EXISTING_TOPIC, existingReplicaRegionTopicArns: { [REPLICA_REGION]: REPLICA_TOPIC } });
    expect(count(json, 'aws_sns_topic')).toBe(0);
    for (const alarm of Object.values(resourcesOfType(json, 'aws_cloudwatch_metric_alarm')) as any[]) {
      expect(alarm.alarm_actions).toEqual([alarm.region === REPLICA_REGION ? REPLICA_TOPIC : EXISTING_TOPIC]);
    }
    expect(() => synth({ existingTopicArn: EXISTING_TOPIC })).toThrow(
      `test/observability: alarmTopic.existingReplicaRegionTopicArns = '${REPLICA_REGION}': has no topic: the alarms of the replicas in ${REPLICA_REGION} notify a topic of that Region; give its ARN or let the construct create the topics`,
    );
    expect(() => synth({ existingTopicArn: EXISTING_TOPIC, existingReplicaRegionTopicArns: { [REPLICA_REGION]: EXISTING_TOPIC } })).toThrow(
      `test/observability: alarmTopic.existingReplicaRegionTopicArns.${REPLICA_REGION} = '${EXISTING_TOPIC}': is a topic in ${REGION}; the alarms it serves are in ${REPLICA_REGION} and notify topics of their own Region`,
    );
    expect(() => synth({ existingTopicArn: REPLICA_TOPIC, existingReplicaRegionTopicArns: { [REPLICA_REGION]: REPLICA_TOPIC } })).toThrow(`alarmTopic.existingTopicArn = '${REPLICA_TOPIC}': is a topic in ${REPLICA_REGION}`);
  });

  test('validation', () => {
    const error = (overrides: Partial<DynamoDbObservabilityProps>) => {
      try {
        synthObservability(overrides);
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('expected a GuardrailError');
    };
    expect(error({ alarmTopic: { existingTopicArn: 'central-alarms' } })).toBe(
      `test/observability: alarmTopic.existingTopicArn = 'central-alarms': must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)`,
    );
    expect(error({ accountId: 'prod' })).toBe(`test/observability: accountId = 'prod': must be a 12-digit AWS account id`);
  });
});

describe('observability constructs pass terraform validate', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-observability-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('every construct and option in one stack', () => {
    const app = Testing.app({ outdir });
    const stack = new TerraformStack(app, 'observability-validate');
    new AwsProvider(stack, 'aws', { region: REGION });
    const documents = documentsTable(stack);
    new DynamoDbObservability(stack, 'observability', {
      namePrefix: 'auditflow-prod',
      accountId: ACCOUNT,
      region: REGION,
      tables: [documents, globalOrders],
      alarmTopic: { emailSubscribers: ['oncall@example.com'], httpsSubscribers: ['https://events.pagerduty.com/integration/abc/enqueue'], allowAwsBackupNotifications: true },
      alarms: {
        streamConsumers: { documents: [{ type: 'lambda', functionName: 'documents-stream' }], orders: [{ type: 'kinesis', streamName: 'orders-events' }] },
        userErrorsAlarm: true,
      },
      contributorInsights: { mode: 'THROTTLED_KEYS' },
      auditTrail: { trail: { mode: 'create', logRetentionDays: 731, multiRegion: true }, thresholds: { accessDenied: 5 } },
      configRules: {
        allowedKmsKeyArns: [KEY_ARN],
        requiredTags: { Project: 'auditflow', Owner: undefined, Environment: 'prod', CostCenter: undefined },
        backupPlanCheck: { crossRegionList: ['ap-southeast-1'], backupVaultLockCheck: true, minRetentionDays: 7 },
        autoscalingCheck: { targetReadUtilization: 70 },
      },
      runbookUrl: 'https://wiki.example.com/dynamodb',
      tags: { Team: 'platform' },
      preventDestroy: true,
    });
    new DynamoDbObservability(stack, 'observability_central', {
      namePrefix: 'auditflow-prod-b',
      accountId: ACCOUNT,
      region: REGION,
      tables: [documents, { ...globalOrders, key: 'orders_b' }],
      alarmTopic: { existingTopicArn: EXISTING_TOPIC, existingReplicaRegionTopicArns: { [REPLICA_REGION]: REPLICA_TOPIC } },
      auditTrail: { trail: { mode: 'create', keyArn: KEY_ARN, includeManagementEvents: false } },
      configRules: { allowedKmsKeyArns: [KEY_ARN], requiredTags: { Project: 'auditflow' }, backupRule: 'dynamodb-in-backup-plan', daxRules: false },
    });
    new AuditTrail(stack, 'org_trail_alarms', {
      namePrefix: 'auditflow-prod-c',
      accountId: ACCOUNT,
      region: REGION,
      tables: [documents],
      topicArns: [EXISTING_TOPIC],
      trail: { mode: 'existing', logGroupName: 'aws-controltower/CloudTrailLogs' },
    });
    app.synth();

    const result = terraformValidate(path.join(outdir, 'stacks', 'observability-validate'));
    expect(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
