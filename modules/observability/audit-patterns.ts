import { AlarmSpec } from './alarm-specs';

/**
 * Seed 001 §6: CloudWatch Logs metric filters over the CloudTrail log group, and the CloudTrail advanced event
 * selectors that produce the events they match.
 */

const DYNAMODB = '($.eventSource = "dynamodb.amazonaws.com")';

/** Any Scan on one of the protected tables (needs data events; the application roles never scan). */
export function scanOnProtectedTablesPattern(tableNames: readonly string[]): string {
  const tables = tableNames.map((name) => `($.requestParameters.tableName = "${name}")`).join(' || ');
  return `{ ${DYNAMODB} && ($.eventName = "Scan") && (${tables}) }`;
}

/**
 * Management calls that delete or reshape a table or its recovery points, and every restore (DynamoDB restores and
 * AWS Backup restore jobs). CreateBackup is left out on purpose: AWS Backup creates one per table every day.
 */
export const TABLE_CHANGE_EVENTS = [
  'DeleteTable',
  'UpdateTable',
  'UpdateContinuousBackups',
  'DeleteBackup',
  'RestoreTableFromBackup',
  'RestoreTableToPointInTime',
] as const;

export function tableChangesAndRestoresPattern(): string {
  const events = TABLE_CHANGE_EVENTS.map((event) => `($.eventName = "${event}")`).join(' || ');
  return `{ (${DYNAMODB} && (${events})) || (($.eventSource = "backup.amazonaws.com") && ($.eventName = "StartRestoreJob")) }`;
}

/** DynamoDB calls refused by IAM (possible credential misuse or a broken deployment). */
export const ACCESS_DENIED_ERROR_CODES = ['AccessDenied', 'AccessDeniedException', 'UnauthorizedAccess'] as const;

export function accessDeniedPattern(): string {
  const codes = ACCESS_DENIED_ERROR_CODES.map((code) => `($.errorCode = "${code}")`).join(' || ');
  return `{ ${DYNAMODB} && (${codes}) }`;
}

export interface AuditFilterSpec {
  readonly id: string;
  readonly metricName: string;
  readonly pattern: string;
  readonly alarm: AlarmSpec;
}

export interface AuditThresholds {
  /** Scans per 5 minutes. @default 0 */
  readonly scans?: number;
  /** Table changes and restores per 5 minutes. @default 0 */
  readonly tableChanges?: number;
  /** AccessDenied errors per 5 minutes. @default 0 */
  readonly accessDenied?: number;
}

function auditAlarm(id: string, alarmName: string, namespace: string, metricName: string, summary: string, anchor: string, threshold: number): AlarmSpec {
  return {
    id,
    alarmName,
    severity: 'CRITICAL',
    summary,
    runbookAnchor: anchor,
    threshold,
    period: 300,
    // CloudTrail delivers events to CloudWatch Logs 5 to 15 minutes late: looking at the last three 5-minute periods
    // and alarming on any one of them keeps a late event from being missed.
    evaluationPeriods: 3,
    datapointsToAlarm: 1,
    // A metric filter publishes only when a log event matches: no data = nothing suspicious happened.
    treatMissingData: 'notBreaching',
    metric: { namespace, metricName, statistic: 'Sum' },
  };
}

/** The three filters with their alarms; metrics go to `namespace` (one per stack). */
export function auditFilterSpecs(prefix: string, namespace: string, tableNames: readonly string[], thresholds: AuditThresholds = {}): AuditFilterSpec[] {
  return [
    {
      id: 'scan_on_protected_tables',
      metricName: 'ScanOnProtectedTables',
      pattern: scanOnProtectedTablesPattern(tableNames),
      alarm: auditAlarm('scan_on_protected_tables', `${prefix}-dynamodb-scan-on-protected-tables`, namespace, 'ScanOnProtectedTables', 'A Scan was run on a protected DynamoDB table (CloudTrail data event).', 'scan-on-protected-tables', thresholds.scans ?? 0),
    },
    {
      id: 'table_changes_and_restores',
      metricName: 'TableChangesAndRestores',
      pattern: tableChangesAndRestoresPattern(),
      alarm: auditAlarm('table_changes_and_restores', `${prefix}-dynamodb-table-changes-and-restores`, namespace, 'TableChangesAndRestores', 'A DynamoDB table or its backups were deleted or changed, or a restore was started (CloudTrail).', 'table-changes-and-restores', thresholds.tableChanges ?? 0),
    },
    {
      id: 'access_denied',
      metricName: 'AccessDenied',
      pattern: accessDeniedPattern(),
      alarm: auditAlarm('access_denied', `${prefix}-dynamodb-access-denied`, namespace, 'AccessDenied', 'DynamoDB refused calls with AccessDenied (CloudTrail).', 'access-denied', thresholds.accessDenied ?? 0),
    },
  ];
}

type AdvancedEventSelector = { Name: string; FieldSelectors: Array<{ Field: string; Equals: string[] }> };

/** Every management event (what EventBridge's "AWS API Call via CloudTrail" events come from). */
/** Which management events a trail records: none, all, or only the write calls (`readOnly = false`). */
export type ManagementEvents = boolean | 'writes-only';

/**
 * Management events of the whole account and Region: a trail cannot narrow them to one service (only `readOnly` and
 * `eventSource` NotEquals kms/rdsdata apply to them; CloudTrail API Reference, "AdvancedFieldSelector"). Write calls
 * are all the governance rule and the table-changes alarm need, and a small share of the events, so a trail that
 * only adds a second copy of them records `readOnly = false` (AWS CloudTrail pricing charges every copy after the
 * first).
 */
export function managementEventsSelector(events: true | 'writes-only'): AdvancedEventSelector {
  return events === 'writes-only'
    ? { Name: 'Management events (write calls)', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }] }
    : { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] };
}

/**
 * CloudTrail advanced event selectors: all management events, plus data events (reads and writes) of exactly the
 * given tables. Shaped as the PutEventSelectors API takes them, for the owners of an existing trail:
 * `aws cloudtrail put-event-selectors --trail-name <trail> --advanced-event-selectors file://selectors.json`
 * (replacing a trail's selectors replaces all of them: merge with what the trail already selects).
 */
export function dynamoDbAdvancedEventSelectors(tableArns: readonly string[], managementEvents: ManagementEvents = true) {
  const selectors: AdvancedEventSelector[] = [];
  if (managementEvents) selectors.push(managementEventsSelector(managementEvents));
  selectors.push({
    Name: 'DynamoDB data events on guarded tables',
    FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
      { Field: 'resources.ARN', Equals: [...tableArns] },
    ],
  });
  return selectors;
}
