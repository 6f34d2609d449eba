/**
 * Facts about the CloudWatch metrics DynamoDB (and its stream consumers) publish, and pure builders for the metric
 * queries shared by alarms and the dashboard.
 *
 * - ThrottledRequests and SystemErrors exist only per (TableName, Operation): there is no table-wide series. We sum
 *   over every operation with one CloudWatch Metrics Insights query, which also covers operations added later and
 *   avoids the 10-metric limit of metric-math alarms.
 * - ThrottledRequests counts a request once even when only a GSI write was throttled, and batch requests only when
 *   every item was throttled. ReadThrottleEvents / WriteThrottleEvents count every throttled event and exist per table
 *   (TableName) and per GSI (TableName + GlobalSecondaryIndexName; the table series excludes its indexes).
 * - SuccessfulRequestLatency is per (TableName, Operation).
 * - UserErrors has no dimension at all: it is account- and region-wide (and already excludes
 *   ConditionalCheckFailedException and throttling).
 * - DynamoDB Streams publish no iterator age. `GetRecords.IteratorAgeMilliseconds` is a Kinesis Data Streams metric
 *   (AWS/Kinesis, StreamName); a Lambda consumer's lag is AWS/Lambda IteratorAge (FunctionName).
 * - DynamoDB publishes these metrics only when they are non-zero: "no data" means "nothing happened".
 */

export const DYNAMODB_NAMESPACE = 'AWS/DynamoDB';
export const LAMBDA_NAMESPACE = 'AWS/Lambda';
export const KINESIS_NAMESPACE = 'AWS/Kinesis';

/** Values of the `Operation` dimension DynamoDB publishes latency for. */
export const DYNAMODB_OPERATIONS = [
  'GetItem',
  'BatchGetItem',
  'Query',
  'Scan',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
  'GetRecords',
] as const;
export type DynamoDbOperation = (typeof DYNAMODB_OPERATIONS)[number];

/** The operations seed 001's message handler uses (GetItem, Query, PutItem, UpdateItem). */
export const DEFAULT_LATENCY_OPERATIONS: readonly DynamoDbOperation[] = ['GetItem', 'Query', 'PutItem', 'UpdateItem'];

/** A table as the alarms and the dashboard see it. */
export interface MonitoredTable {
  /** Stable key (the table's construct id, e.g. 'audit_records'): alarm names and addresses use it. */
  readonly key: string;
  /** Usually a Terraform reference (`aws_dynamodb_table.x.name`). */
  readonly tableName: string;
  readonly tableArn: string;
  readonly indexNames: readonly string[];
  readonly provisioned: boolean;
  readonly streamEnabled: boolean;
  /** Regions of the global table's replicas (besides the table's own). @default [] */
  readonly replicaRegions?: readonly string[];
}

/** A stream consumer whose lag is alarmed on. */
export type StreamConsumer =
  | { readonly type: 'lambda'; readonly functionName: string }
  | { readonly type: 'kinesis'; readonly streamName: string };

export function consumerName(consumer: StreamConsumer): string {
  return consumer.type === 'lambda' ? consumer.functionName : consumer.streamName;
}

/** Sum of a per-(TableName, Operation) metric over every operation of one table (Metrics Insights). */
export function sumOverOperationsQuery(metricName: 'ThrottledRequests' | 'SystemErrors', tableName: string): string {
  return `SELECT SUM(${metricName}) FROM SCHEMA("${DYNAMODB_NAMESPACE}", Operation, TableName) WHERE TableName = '${tableName}'`;
}

export function tableDimensions(tableName: string, indexName?: string): Record<string, string> {
  return indexName === undefined ? { TableName: tableName } : { TableName: tableName, GlobalSecondaryIndexName: indexName };
}

export function iteratorAgeMetric(consumer: StreamConsumer): { namespace: string; metricName: string; dimensions: Record<string, string> } {
  return consumer.type === 'lambda'
    ? { namespace: LAMBDA_NAMESPACE, metricName: 'IteratorAge', dimensions: { FunctionName: consumer.functionName } }
    : { namespace: KINESIS_NAMESPACE, metricName: 'GetRecords.IteratorAgeMilliseconds', dimensions: { StreamName: consumer.streamName } };
}
