import {
  AuditTrail,
  AuditTrailProps,
  MonitoredTable,
  accessDeniedPattern,
  auditKeyPolicy,
  cloudTrailAssumeRolePolicy,
  cloudTrailBucketPolicy,
  cloudTrailLogsPolicy,
  dynamoDbAdvancedEventSelectors,
  scanOnProtectedTablesPattern,
  tableChangesAndRestoresPattern,
} from '../../modules/observability';
import { TerraformJson, onlyResource, resourcesOfType, synthConstructs } from '../support/synth';
import { errorMessageOf } from '../support/errors';

const ACCOUNT = '333333333333';
const REGION = 'ap-south-1';
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:auditflow-prod-dynamodb-alarms`;
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const DOCUMENTS_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/AuditFlow-Documents`;
const RECORDS_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/AuditFlow-AuditRecords`;
const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/auditflow-prod-dynamodb-audit`;

const tables: MonitoredTable[] = [
  { key: 'documents', tableName: 'AuditFlow-Documents', tableArn: DOCUMENTS_ARN, indexNames: [], provisioned: false, streamEnabled: true },
  { key: 'audit_records', tableName: 'AuditFlow-AuditRecords', tableArn: RECORDS_ARN, indexNames: [], provisioned: false, streamEnabled: true },
];

function baseProps(): AuditTrailProps {
  return { namePrefix: 'auditflow-prod', accountId: ACCOUNT, region: REGION, tables, topicArns: [TOPIC] };
}

function synthTrail(overrides: Partial<AuditTrailProps> = {}): TerraformJson {
  return synthConstructs((stack) => new AuditTrail(stack, 'audit', { ...baseProps(), ...overrides }));
}

function trailError(overrides: Partial<AuditTrailProps>): string {
  return errorMessageOf(() => synthTrail(overrides));
}

const SCAN_PATTERN =
  '{ ($.eventSource = "dynamodb.amazonaws.com") && ($.eventName = "Scan") && (($.requestParameters.tableName = "AuditFlow-Documents") || ($.requestParameters.tableName = "AuditFlow-AuditRecords")) }';
const CHANGES_PATTERN =
  '{ (($.eventSource = "dynamodb.amazonaws.com") && (($.eventName = "DeleteTable") || ($.eventName = "UpdateTable") || ($.eventName = "UpdateContinuousBackups") || ($.eventName = "DeleteBackup") || ($.eventName = "RestoreTableFromBackup") || ($.eventName = "RestoreTableToPointInTime"))) || (($.eventSource = "backup.amazonaws.com") && ($.eventName = "StartRestoreJob")) }';
const DENIED_PATTERN =
  '{ ($.eventSource = "dynamodb.amazonaws.com") && (($.errorCode = "AccessDenied") || ($.errorCode = "AccessDeniedException") || ($.errorCode = "UnauthorizedAccess")) }';

describe('AuditTrail: a trail this stack owns (seed 001 §6)', () => {
  const json = synthTrail();

  test('management events and data events of exactly the given tables (advanced event selectors)', () => {
    const trail = onlyResource(json, 'aws_cloudtrail');
    expect(trail).toMatchObject({
      name: 'auditflow-prod-dynamodb-audit',
      s3_bucket_name: '${aws_s3_bucket.audit_bucket.id}',
      kms_key_id: '${aws_kms_key.audit_key.arn}',
      enable_log_file_validation: true,
      enable_logging: true,
      include_global_service_events: true,
      is_multi_region_trail: false,
      cloud_watch_logs_group_arn: '${aws_cloudwatch_log_group.audit_log_group.arn}:*',
      cloud_watch_logs_role_arn: '${aws_iam_role.audit_logs_role.arn}',
      depends_on: ['aws_s3_bucket_policy.audit_bucket_policy', 'aws_iam_role_policy.audit_logs_role_policy'],
    });
    expect(trail.event_selector).toBeUndefined();
    expect(trail.advanced_event_selector).toEqual([
      { name: 'Management events', field_selector: [{ field: 'eventCategory', equals: ['Management'] }] },
      {
        name: 'DynamoDB data events on guarded tables',
        field_selector: [
          { field: 'eventCategory', equals: ['Data'] },
          { field: 'resources.type', equals: ['AWS::DynamoDB::Table'] },
          { field: 'resources.ARN', equals: [DOCUMENTS_ARN, RECORDS_ARN] },
        ],
      },
    ]);
  });

  test('a private, versioned, KMS-encrypted bucket that only this trail can write to', () => {
    expect(onlyResource(json, 'aws_s3_bucket')).toMatchObject({ bucket: `auditflow-prod-dynamodb-audit-${ACCOUNT}`, force_destroy: false });
    expect(onlyResource(json, 'aws_s3_bucket_public_access_block')).toMatchObject({
      bucket: '${aws_s3_bucket.audit_bucket.id}',
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResource(json, 'aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    expect(onlyResource(json, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    expect(onlyResource(json, 'aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: '${aws_kms_key.audit_key.arn}' }, bucket_key_enabled: true },
    ]);
    expect(onlyResource(json, 'aws_s3_bucket_lifecycle_configuration').rule).toEqual([
      {
        id: 'expire-audit-logs',
        status: 'Enabled',
        filter: [{}],
        expiration: [{ days: 2557 }],
        noncurrent_version_expiration: [{ noncurrent_days: 30 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
    const policy = JSON.parse(onlyResource(json, 'aws_s3_bucket_policy').policy);
    expect(policy).toEqual(cloudTrailBucketPolicy(`auditflow-prod-dynamodb-audit-${ACCOUNT}`, ACCOUNT, REGION, 'auditflow-prod-dynamodb-audit'));
    expect(policy.Statement[1]).toEqual({
      Sid: 'CloudTrailWritesLogFiles',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::auditflow-prod-dynamodb-audit-${ACCOUNT}/AWSLogs/${ACCOUNT}/*`,
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': TRAIL_ARN } },
    });
    expect(policy.Statement[2].Effect).toBe('Deny');
  });

  test('the key lets CloudTrail encrypt for this trail only and CloudWatch Logs use it for this log group only', () => {
    const policy = JSON.parse(onlyResource(json, 'aws_kms_key').policy);
    expect(policy).toEqual(auditKeyPolicy({ accountId: ACCOUNT, region: REGION, trailName: 'auditflow-prod-dynamodb-audit', logGroupName: '/aws/cloudtrail/auditflow-prod-dynamodb-audit' }));
    expect(policy.Statement[1].Condition).toEqual({
      StringEquals: { 'aws:SourceArn': TRAIL_ARN },
      StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` },
    });
    expect(policy.Statement[4].Principal).toEqual({ Service: 'logs.ap-south-1.amazonaws.com' });
    expect(policy.Statement[4].Condition).toEqual({
      ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/cloudtrail/auditflow-prod-dynamodb-audit` },
    });
  });

  test('CloudWatch Logs: encrypted log group with retention, and a role CloudTrail assumes to write to it', () => {
    expect(onlyResource(json, 'aws_cloudwatch_log_group')).toMatchObject({
      name: '/aws/cloudtrail/auditflow-prod-dynamodb-audit',
      retention_in_days: 365,
      kms_key_id: '${aws_kms_key.audit_key.arn}',
    });
    const role = onlyResource(json, 'aws_iam_role');
    expect(role.name).toBe('auditflow-prod-cloudtrail-logs');
    expect(JSON.parse(role.assume_role_policy)).toEqual(cloudTrailAssumeRolePolicy());
    const rolePolicy = onlyResource(json, 'aws_iam_role_policy');
    expect(JSON.parse(rolePolicy.policy)).toEqual(cloudTrailLogsPolicy(ACCOUNT, REGION, '/aws/cloudtrail/auditflow-prod-dynamodb-audit'));
    expect(JSON.parse(rolePolicy.policy).Statement[0].Resource).toBe(
      `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/cloudtrail/auditflow-prod-dynamodb-audit:log-stream:*`,
    );
  });

  test('three metric filters: Scan on protected tables, table changes and restores, AccessDenied', () => {
    const filters = resourcesOfType(json, 'aws_cloudwatch_log_metric_filter');
    const summary = Object.fromEntries(Object.entries(filters).map(([address, f]: [string, any]) => [address, { name: f.name, pattern: f.pattern, log_group_name: f.log_group_name, metric_transformation: f.metric_transformation }]));
    const transformation = (name: string) => ({ name, namespace: 'DynamoDBGuardrails/auditflow-prod', value: '1', unit: 'Count' });
    const logGroup = '${aws_cloudwatch_log_group.audit_log_group.name}';
    expect(summary).toEqual({
      audit_scan_on_protected_tables_filter: { name: 'auditflow-prod-dynamodb-scan-on-protected-tables', pattern: SCAN_PATTERN, log_group_name: logGroup, metric_transformation: transformation('ScanOnProtectedTables') },
      audit_table_changes_and_restores_filter: { name: 'auditflow-prod-dynamodb-table-changes-and-restores', pattern: CHANGES_PATTERN, log_group_name: logGroup, metric_transformation: transformation('TableChangesAndRestores') },
      audit_access_denied_filter: { name: 'auditflow-prod-dynamodb-access-denied', pattern: DENIED_PATTERN, log_group_name: logGroup, metric_transformation: transformation('AccessDenied') },
    });
  });

  test('an alarm per filter: Sum > 0 in any of the last three 5-minute periods, to the topic', () => {
    const alarm = resourcesOfType(json, 'aws_cloudwatch_metric_alarm').audit_scan_on_protected_tables_alarm;
    expect(alarm).toMatchObject({
      alarm_name: 'auditflow-prod-dynamodb-scan-on-protected-tables',
      alarm_description: 'CRITICAL: A Scan was run on a protected DynamoDB table (CloudTrail data event). Runbook: help/monitoring.md#scan-on-protected-tables',
      namespace: 'DynamoDBGuardrails/auditflow-prod',
      metric_name: 'ScanOnProtectedTables',
      statistic: 'Sum',
      period: 300,
      evaluation_periods: 3,
      datapoints_to_alarm: 1,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
      treat_missing_data: 'notBreaching',
      alarm_actions: [TOPIC],
      ok_actions: [TOPIC],
      depends_on: ['aws_cloudwatch_log_metric_filter.audit_scan_on_protected_tables_filter'],
    });
    const alarms = resourcesOfType(json, 'aws_cloudwatch_metric_alarm');
    expect(Object.values(alarms).map((a: any) => [a.alarm_name, a.metric_name]).sort()).toEqual([
      ['auditflow-prod-dynamodb-access-denied', 'AccessDenied'],
      ['auditflow-prod-dynamodb-scan-on-protected-tables', 'ScanOnProtectedTables'],
      ['auditflow-prod-dynamodb-table-changes-and-restores', 'TableChangesAndRestores'],
    ]);
  });

  test('the selectors guidance matches what the trail selects', () => {
    const trail = new Map<string, AuditTrail>();
    synthConstructs((stack) => trail.set('t', new AuditTrail(stack, 'audit', baseProps())));
    expect(JSON.parse(trail.get('t')!.advancedEventSelectors)).toEqual(dynamoDbAdvancedEventSelectors([DOCUMENTS_ARN, RECORDS_ARN]));
  });

  test('pattern builders', () => {
    expect(scanOnProtectedTablesPattern(['AuditFlow-Documents', 'AuditFlow-AuditRecords'])).toBe(SCAN_PATTERN);
    expect(tableChangesAndRestoresPattern()).toBe(CHANGES_PATTERN);
    expect(accessDeniedPattern()).toBe(DENIED_PATTERN);
  });
});

describe('AuditTrail options', () => {
  test('existing key, names, retention, multi-region, thresholds, prevent_destroy', () => {
    const json = synthTrail({
      trail: { mode: 'create', keyArn: KEY_ARN, trailName: 'org-dynamodb', bucketName: 'acme-dynamodb-audit', logRetentionDays: 731, bucketRetentionDays: 3650, multiRegion: true },
      thresholds: { accessDenied: 10 },
      preventDestroy: true,
    });
    expect(resourcesOfType(json, 'aws_kms_key')).toEqual({});
    expect(onlyResource(json, 'aws_cloudtrail')).toMatchObject({ name: 'org-dynamodb', kms_key_id: KEY_ARN, is_multi_region_trail: true });
    expect(onlyResource(json, 'aws_s3_bucket')).toMatchObject({ bucket: 'acme-dynamodb-audit', lifecycle: { prevent_destroy: true } });
    expect(onlyResource(json, 'aws_cloudwatch_log_group')).toMatchObject({ name: '/aws/cloudtrail/org-dynamodb', retention_in_days: 731, kms_key_id: KEY_ARN });
    expect(onlyResource(json, 'aws_s3_bucket_lifecycle_configuration').rule[0].expiration).toEqual([{ days: 3650 }]);
    expect(resourcesOfType(json, 'aws_cloudwatch_metric_alarm').audit_access_denied_alarm.threshold).toBe(10);
    expect(JSON.parse(onlyResource(json, 'aws_s3_bucket_policy').policy).Statement[0].Condition.StringEquals['aws:SourceArn']).toBe(
      `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/org-dynamodb`,
    );
  });

  test('data events only: no management selector and no table-changes filter (it could never match)', () => {
    const json = synthTrail({ trail: { mode: 'create', includeManagementEvents: false } });
    expect(onlyResource(json, 'aws_cloudtrail').advanced_event_selector.map((s: any) => s.name)).toEqual(['DynamoDB data events on guarded tables']);
    expect(Object.keys(resourcesOfType(json, 'aws_cloudwatch_log_metric_filter')).sort()).toEqual(['audit_access_denied_filter', 'audit_scan_on_protected_tables_filter']);
  });

  test("write calls only: the management selector adds readOnly = false, and the table-changes filter stays (its calls are writes)", () => {
    const json = synthTrail({ trail: { mode: 'create', includeManagementEvents: 'writes-only' } });
    expect(onlyResource(json, 'aws_cloudtrail').advanced_event_selector[0]).toEqual({
      name: 'Management events (write calls)',
      field_selector: [
        { field: 'eventCategory', equals: ['Management'] },
        { field: 'readOnly', equals: ['false'] },
      ],
    });
    expect(Object.keys(resourcesOfType(json, 'aws_cloudwatch_log_metric_filter'))).toContain('audit_table_changes_and_restores_filter');
    // Negative control: the default records read calls too.
    expect(onlyResource(synthTrail(), 'aws_cloudtrail').advanced_event_selector[0].field_selector).toEqual([{ field: 'eventCategory', equals: ['Management'] }]);
    expect(trailError({ trail: { mode: 'create', auditing: false, includeManagementEvents: false } })).toBe(
      "test/audit: trail.includeManagementEvents = false: a trail without auditing records only management events; with none it would record nothing",
    );
  });

  test('an existing trail: nothing is created, only the selectors guidance', () => {
    let construct: AuditTrail | undefined;
    const json = synthConstructs((stack) => {
      construct = new AuditTrail(stack, 'audit', { ...baseProps(), trail: { mode: 'existing' } });
    });
    expect(json.resource ?? {}).toEqual({});
    expect(JSON.parse(construct!.advancedEventSelectors)).toEqual([
      { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
      {
        Name: 'DynamoDB data events on guarded tables',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
          { Field: 'resources.ARN', Equals: [DOCUMENTS_ARN, RECORDS_ARN] },
        ],
      },
    ]);
  });

  test("an existing trail with its log group: metric filters and alarms on that group only", () => {
    const json = synthTrail({ trail: { mode: 'existing', logGroupName: 'aws-controltower/CloudTrailLogs' } });
    expect(Object.keys(json.resource!).sort()).toEqual(['aws_cloudwatch_log_metric_filter', 'aws_cloudwatch_metric_alarm']);
    expect(Object.values(resourcesOfType(json, 'aws_cloudwatch_log_metric_filter')).map((f: any) => f.log_group_name)).toEqual([
      'aws-controltower/CloudTrailLogs',
      'aws-controltower/CloudTrailLogs',
      'aws-controltower/CloudTrailLogs',
    ]);
  });
});

describe('AuditTrail validation', () => {
  const subject = 'test/audit';

  test('tables and topics', () => {
    expect(trailError({ tables: [] })).toBe(`${subject}: tables = []: at least one table must be audited`);
    expect(trailError({ topicArns: [] })).toBe(`${subject}: topicArns = []: the audit alarms need at least one SNS topic to notify`);
  });

  test('bucket, trail and log group names', () => {
    expect(trailError({ trail: { mode: 'create', bucketName: 'Audit_Logs' } })).toBe(
      `${subject}: trail.bucketName = 'Audit_Logs': must be a valid S3 bucket name: 3 to 63 lower-case letters, digits, '.' or '-', starting and ending with a letter or digit`,
    );
    expect(trailError({ trail: { mode: 'create', trailName: 'a b' } })).toBe(
      `${subject}: trail.trailName = 'a b': must be 3 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
    expect(trailError({ trail: { mode: 'existing', logGroupName: 'logs with spaces' } })).toBe(
      `${subject}: trail.logGroupName = 'logs with spaces': must be a CloudWatch Logs group name (1 to 512 letters, digits, '_', '-', '/', '.', '#')`,
    );
  });

  test('retention', () => {
    expect(trailError({ trail: { mode: 'create', logRetentionDays: 100 } })).toBe(
      `${subject}: trail.logRetentionDays = 100: must be one of the retention periods CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653`,
    );
    expect(trailError({ trail: { mode: 'create', bucketRetentionDays: 0 } })).toBe(`${subject}: trail.bucketRetentionDays = 0: must be a whole number from 1 to 36500`);
  });

  test('key and thresholds', () => {
    expect(trailError({ trail: { mode: 'create', keyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` } })).toBe(
      `${subject}: trail.keyArn = 'arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab': the key must be in region 'ap-south-1', not 'us-east-1' (KMS keys cannot be used across regions)`,
    );
    expect(trailError({ thresholds: { scans: -1 } })).toBe(`${subject}: thresholds.scans = -1: must be a whole number of at least 0`);
  });
});
