import {
  DYNAMODB_NAMESPACE,
  DynamoDbOperation,
  MonitoredTable,
  StreamConsumer,
  consumerName,
  iteratorAgeMetric,
  sumOverOperationsQuery,
  tableDimensions,
} from './metrics';

/**
 * Every alarm as plain data, built by pure functions: the construct renders them, the tests assert them and
 * help/monitoring.md documents them (anchor = `runbookAnchor`). All compare with GreaterThanThreshold.
 */

export type Severity = 'CRITICAL' | 'WARNING' | 'INFO';
export type TreatMissingData = 'notBreaching' | 'breaching' | 'missing' | 'ignore';

export interface MetricStatSpec {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions?: Readonly<Record<string, string>>;
}

export interface MetricQuerySpec {
  readonly id: string;
  readonly label?: string;
  /** A metric-math expression or a Metrics Insights query. */
  readonly expression?: string;
  /** Period of an expression query (Metrics Insights needs it). */
  readonly period?: number;
  readonly returnData?: boolean;
  readonly metric?: MetricStatSpec & { readonly stat: string; readonly period: number };
}

export interface AlarmSpec {
  /** Construct id, unique within the alarm's parent. */
  readonly id: string;
  readonly alarmName: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly runbookAnchor: string;
  readonly threshold: number;
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm?: number;
  readonly treatMissingData: TreatMissingData;
  /** Single-metric alarm… */
  readonly metric?: MetricStatSpec & { readonly statistic?: string; readonly extendedStatistic?: string };
  /** …or an alarm on metric math / a Metrics Insights query. */
  readonly queries?: readonly MetricQuerySpec[];
}

export interface AlarmThresholds {
  /** Sum of ThrottledRequests over all operations per minute. @default 0 */
  readonly throttledRequests?: number;
  /** Read + write throttle events of the table or one GSI per minute. @default 0 */
  readonly throttleEvents?: number;
  /** Sum of SystemErrors over all operations per minute. @default 0 */
  readonly systemErrors?: number;
  /** p99 SuccessfulRequestLatency in milliseconds, per operation (seed 001: alert above 25 ms). @default 25 */
  readonly latencyP99Ms?: number;
  /** Consumed / provisioned capacity in percent, provisioned tables only. @default 80 */
  readonly capacityUtilizationPercent?: number;
  /** Stream consumer lag in milliseconds. @default 60000 */
  readonly iteratorAgeMs?: number;
  /** Account-wide UserErrors per 5 minutes (only when the UserErrors alarm is turned on). @default 10 */
  readonly userErrors?: number;
  /** Average time a write takes to reach a global table's replica, in milliseconds. @default 60000 */
  readonly replicationLatencyMs?: number;
}

export const DEFAULT_THRESHOLDS: Required<AlarmThresholds> = {
  throttledRequests: 0,
  throttleEvents: 0,
  systemErrors: 0,
  latencyP99Ms: 25,
  capacityUtilizationPercent: 80,
  iteratorAgeMs: 60_000,
  userErrors: 10,
  replicationLatencyMs: 60_000,
};

const ONE_MINUTE = 60;
const FIVE_MINUTES = 300;

function indexSlug(indexName: string | undefined): string {
  return indexName === undefined ? '' : `${indexName}-`;
}

/** CRITICAL — any throttled request on the table (all operations, Metrics Insights), 1 minute. */
export function throttledRequestsAlarm(prefix: string, table: MonitoredTable, threshold: number): AlarmSpec {
  return {
    id: 'throttled_requests',
    alarmName: `${prefix}-${table.key}-throttled-requests`,
    severity: 'CRITICAL',
    summary: `Requests to ${table.key} are being throttled (ThrottledRequests summed over all operations).`,
    runbookAnchor: 'throttled-requests',
    threshold,
    period: ONE_MINUTE,
    evaluationPeriods: 1,
    // DynamoDB publishes ThrottledRequests only when a request is throttled: no data = no throttling.
    treatMissingData: 'notBreaching',
    queries: [{ id: 'throttled', label: 'ThrottledRequests (all operations)', expression: sumOverOperationsQuery('ThrottledRequests', table.tableName), period: ONE_MINUTE, returnData: true }],
  };
}

/**
 * CRITICAL — read + write throttle events of the table itself or of one GSI, 1 minute. Catches what ThrottledRequests
 * hides: partially throttled batches and which index is the hot one.
 */
export function throttleEventsAlarm(prefix: string, table: MonitoredTable, threshold: number, indexName?: string): AlarmSpec {
  const dimensions = tableDimensions(table.tableName, indexName);
  const target = indexName === undefined ? table.key : `${table.key} index ${indexName}`;
  return {
    id: indexName === undefined ? 'throttle_events' : `${indexName}_throttle_events`,
    alarmName: `${prefix}-${table.key}-${indexSlug(indexName)}throttle-events`,
    severity: 'CRITICAL',
    summary: `Read or write events on ${target} are being throttled (ReadThrottleEvents + WriteThrottleEvents).`,
    runbookAnchor: 'throttle-events',
    threshold,
    period: ONE_MINUTE,
    evaluationPeriods: 1,
    // Published only when non-zero: no data = no throttled event.
    treatMissingData: 'notBreaching',
    queries: [
      { id: 'reads', metric: { namespace: DYNAMODB_NAMESPACE, metricName: 'ReadThrottleEvents', dimensions, stat: 'Sum', period: ONE_MINUTE }, returnData: false },
      { id: 'writes', metric: { namespace: DYNAMODB_NAMESPACE, metricName: 'WriteThrottleEvents', dimensions, stat: 'Sum', period: ONE_MINUTE }, returnData: false },
      // SUM over the array adds whichever series has data at each timestamp.
      { id: 'throttle_events', label: 'Read + write throttle events', expression: 'SUM([reads, writes])', returnData: true },
    ],
  };
}

/** CRITICAL — any 5xx from DynamoDB for the table (all operations, Metrics Insights), 1 minute. */
export function systemErrorsAlarm(prefix: string, table: MonitoredTable, threshold: number): AlarmSpec {
  return {
    id: 'system_errors',
    alarmName: `${prefix}-${table.key}-system-errors`,
    severity: 'CRITICAL',
    summary: `DynamoDB returned HTTP 500 errors for ${table.key} (SystemErrors summed over all operations).`,
    runbookAnchor: 'system-errors',
    threshold,
    period: ONE_MINUTE,
    evaluationPeriods: 1,
    // Published only when an error happens: no data = no error.
    treatMissingData: 'notBreaching',
    queries: [{ id: 'system_errors', label: 'SystemErrors (all operations)', expression: sumOverOperationsQuery('SystemErrors', table.tableName), period: ONE_MINUTE, returnData: true }],
  };
}

/** WARNING — p99 latency of one operation above the threshold for 3 consecutive 5-minute periods. */
export function latencyAlarm(prefix: string, table: MonitoredTable, operation: DynamoDbOperation, thresholdMs: number): AlarmSpec {
  return {
    id: `latency_${operation.toLowerCase()}`,
    alarmName: `${prefix}-${table.key}-p99-latency-${operation}`,
    severity: 'WARNING',
    summary: `p99 latency of ${operation} on ${table.key} is above ${thresholdMs} ms.`,
    runbookAnchor: 'p99-latency',
    threshold: thresholdMs,
    period: FIVE_MINUTES,
    evaluationPeriods: 3,
    // No data = no successful request of this operation (idle table): not a latency problem.
    treatMissingData: 'notBreaching',
    metric: {
      namespace: DYNAMODB_NAMESPACE,
      metricName: 'SuccessfulRequestLatency',
      dimensions: { TableName: table.tableName, Operation: operation },
      extendedStatistic: 'p99',
    },
  };
}

/**
 * WARNING — consumed capacity above a share of provisioned capacity for 10 minutes (2 × 5 min), provisioned tables
 * and their GSIs only. Provisioned capacity comes from CloudWatch, so auto scaling changes are followed.
 */
export function capacityAlarm(prefix: string, table: MonitoredTable, kind: 'read' | 'write', percent: number, indexName?: string): AlarmSpec {
  const Kind = kind === 'read' ? 'Read' : 'Write';
  const dimensions = tableDimensions(table.tableName, indexName);
  const target = indexName === undefined ? table.key : `${table.key} index ${indexName}`;
  return {
    id: indexName === undefined ? `${kind}_capacity` : `${indexName}_${kind}_capacity`,
    alarmName: `${prefix}-${table.key}-${indexSlug(indexName)}${kind}-capacity`,
    severity: 'WARNING',
    summary: `Consumed ${kind} capacity of ${target} is above ${percent}% of provisioned.`,
    runbookAnchor: 'capacity-utilization',
    threshold: percent,
    period: FIVE_MINUTES,
    evaluationPeriods: 2,
    // Consumed capacity is missing when the table is idle (FILL turns that into 0 %); a missing provisioned metric
    // means the table is not provisioned (anymore): nothing to alarm on.
    treatMissingData: 'notBreaching',
    queries: [
      { id: 'consumed', metric: { namespace: DYNAMODB_NAMESPACE, metricName: `Consumed${Kind}CapacityUnits`, dimensions, stat: 'Sum', period: FIVE_MINUTES }, returnData: false },
      { id: 'provisioned', metric: { namespace: DYNAMODB_NAMESPACE, metricName: `Provisioned${Kind}CapacityUnits`, dimensions, stat: 'Average', period: FIVE_MINUTES }, returnData: false },
      { id: 'utilization', label: `${Kind} capacity utilization (%)`, expression: `100 * (FILL(consumed, 0) / ${FIVE_MINUTES}) / provisioned`, returnData: true },
    ],
  };
}

/** INFO — a stream consumer is more than the threshold behind (Maximum over 1 minute, 5 consecutive minutes). */
export function iteratorAgeAlarm(prefix: string, table: MonitoredTable, consumer: StreamConsumer, thresholdMs: number): AlarmSpec {
  const metric = iteratorAgeMetric(consumer);
  const name = consumerName(consumer);
  return {
    id: `iterator_age_${name}`,
    alarmName: `${prefix}-${table.key}-iterator-age-${name}`,
    severity: 'INFO',
    summary: `Stream consumer ${name} of ${table.key} is more than ${thresholdMs / 1000} s behind (${metric.namespace} ${metric.metricName}).`,
    runbookAnchor: 'stream-iterator-age',
    threshold: thresholdMs,
    period: ONE_MINUTE,
    evaluationPeriods: 5,
    // A consumer publishes iterator age only while it reads: no data means an idle stream or a stalled consumer.
    // We cannot tell which, so the alarm shows INSUFFICIENT_DATA (no action) instead of guessing OK or ALARM.
    treatMissingData: 'missing',
    metric: { ...metric, statistic: 'Maximum' },
  };
}

/**
 * WARNING — writes reach one replica of a global table late: average ReplicationLatency above the threshold for 15
 * minutes (3 × 5 min). DynamoDB publishes the metric in the table's own Region, per receiving Region (DynamoDB
 * Developer Guide, "DynamoDB metrics and dimensions": ReplicationLatency, dimensions TableName and ReceivingRegion), so
 * the alarm lives next to the others. No data means no writes to replicate.
 */
export function replicationLatencyAlarm(prefix: string, table: MonitoredTable, receivingRegion: string, thresholdMs: number): AlarmSpec {
  return {
    id: `replication_latency_${receivingRegion.replace(/-/g, '_')}`,
    alarmName: `${prefix}-${table.key}-replication-latency-${receivingRegion}`,
    severity: 'WARNING',
    summary: `Writes to ${table.key} reach its replica in ${receivingRegion} more than ${thresholdMs / 1000} s late (ReplicationLatency).`,
    runbookAnchor: 'replication-latency',
    threshold: thresholdMs,
    period: FIVE_MINUTES,
    evaluationPeriods: 3,
    treatMissingData: 'notBreaching',
    metric: { namespace: DYNAMODB_NAMESPACE, metricName: 'ReplicationLatency', dimensions: { TableName: table.tableName, ReceivingRegion: receivingRegion }, statistic: 'Average' },
  };
}

/**
 * WARNING, off by default — account- and region-wide HTTP 400s (UserErrors has no TableName dimension). It already
 * excludes ConditionalCheckFailedException and throttling, but still fires on every client bug in the account, which
 * is why seed 001 warns against alarming on it blindly.
 */
export function userErrorsAlarm(prefix: string, threshold: number): AlarmSpec {
  return {
    id: 'user_errors',
    alarmName: `${prefix}-dynamodb-user-errors`,
    severity: 'WARNING',
    summary: `More than ${threshold} DynamoDB client errors (HTTP 400) in 5 minutes in this account and region.`,
    runbookAnchor: 'user-errors',
    threshold,
    period: FIVE_MINUTES,
    evaluationPeriods: 1,
    // Published only when non-zero.
    treatMissingData: 'notBreaching',
    metric: { namespace: DYNAMODB_NAMESPACE, metricName: 'UserErrors', statistic: 'Sum' },
  };
}
