import { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SecureTable } from '../table';
import { validateNamePrefix } from '../backup/aws-identifiers';
import { GuardrailError, isResolved } from '../validation';
import { AlarmActions, renderAlarm, requireAlarmNameLength } from './alarm';
import {
  AlarmSpec,
  AlarmThresholds,
  DEFAULT_THRESHOLDS,
  capacityAlarm,
  iteratorAgeAlarm,
  latencyAlarm,
  systemErrorsAlarm,
  throttleEventsAlarm,
  throttledRequestsAlarm,
  replicationLatencyAlarm,
  userErrorsAlarm,
} from './alarm-specs';
import { DEFAULT_LATENCY_OPERATIONS, DYNAMODB_OPERATIONS, DynamoDbOperation, MonitoredTable, StreamConsumer } from './metrics';
import { toMonitoredTable } from './monitored-table';

export const LAMBDA_FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
export const KINESIS_STREAM_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

export interface DynamoDbAlarmsProps extends AlarmActions {
  /** Prefix of every alarm name: `<namePrefix>-<table key>-throttled-requests`. */
  readonly namePrefix: string;
  readonly tables: readonly (SecureTable | MonitoredTable)[];
  /** @default DEFAULT_THRESHOLDS (seed 001 §5) */
  readonly thresholds?: AlarmThresholds;
  /** Operations with a p99 latency alarm. @default ['GetItem', 'Query', 'PutItem', 'UpdateItem'] */
  readonly latencyOperations?: readonly DynamoDbOperation[];
  /** Per-table and per-GSI read/write throttle-event alarms besides ThrottledRequests. @default true */
  readonly throttleEventAlarms?: boolean;
  /** Consumed-vs-provisioned alarms (provisioned tables only). @default true */
  readonly capacityAlarms?: boolean;
  /** Consumers of each table's stream, by table key, whose lag is alarmed on. @default {} */
  readonly streamConsumers?: Readonly<Record<string, readonly StreamConsumer[]>>;
  /** The account-wide UserErrors alarm (see seed 001 §11 before turning it on). @default false */
  readonly userErrorsAlarm?: boolean;
}

/**
 * Seed 001 §5 alarms for every table, each notifying the given topics on ALARM and OK:
 * throttled requests and system errors (CRITICAL, 1 min), throttle events per table and GSI (CRITICAL, 1 min),
 * p99 latency per operation (WARNING, 3 × 5 min), consumed vs provisioned capacity (WARNING, 2 × 5 min, provisioned
 * tables), stream consumer iterator age (INFO, 5 × 1 min) and optionally the account-wide UserErrors alarm.
 */
export class DynamoDbAlarms extends Construct {
  readonly specs: readonly AlarmSpec[];
  readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: DynamoDbAlarmsProps) {
    super(scope, id);
    const subject = this.node.path;
    const tables = props.tables.map(toMonitoredTable);
    const thresholds = resolveThresholds(props.thresholds);
    const operations = props.latencyOperations ?? DEFAULT_LATENCY_OPERATIONS;
    const consumers = props.streamConsumers ?? {};
    this.validate(subject, props, tables, thresholds, operations, consumers);

    const specs: AlarmSpec[] = [];
    const alarms: CloudwatchMetricAlarm[] = [];
    for (const table of tables) {
      const tableScope = new Construct(this, table.key);
      const tableSpecs = tableAlarmSpecs(props.namePrefix, table, thresholds, operations, consumers[table.key] ?? [], props);
      for (const spec of tableSpecs) alarms.push(renderAlarm(tableScope, spec, props));
      specs.push(...tableSpecs);
    }
    if (props.userErrorsAlarm) {
      const spec = userErrorsAlarm(props.namePrefix, thresholds.userErrors);
      alarms.push(renderAlarm(this, spec, props));
      specs.push(spec);
    }
    for (const spec of specs) requireAlarmNameLength(subject, spec);
    this.specs = specs;
    this.alarms = alarms;
  }

  private validate(
    subject: string,
    props: DynamoDbAlarmsProps,
    tables: MonitoredTable[],
    thresholds: Required<AlarmThresholds>,
    operations: readonly DynamoDbOperation[],
    consumers: Readonly<Record<string, readonly StreamConsumer[]>>,
  ): void {
    validateNamePrefix(subject, 'namePrefix', props.namePrefix);
    if (tables.length === 0) throw new GuardrailError(subject, 'tables', [], 'at least one table to monitor is needed');
    if (props.topicArns.length === 0) {
      throw new GuardrailError(subject, 'topicArns', [], 'alarms need at least one SNS topic to notify; an alarm nobody receives is no control');
    }
    const keys = tables.map((t) => t.key);
    const duplicate = keys.find((key, index) => keys.indexOf(key) !== index);
    if (duplicate !== undefined) throw new GuardrailError(subject, 'tables', duplicate, 'table keys must be unique (they name the alarms)');

    for (const [field, value] of Object.entries(thresholds) as Array<[keyof AlarmThresholds, number]>) {
      if (!isResolved(value)) continue;
      if (!Number.isFinite(value) || value < 0) {
        throw new GuardrailError(subject, `thresholds.${field}`, value, 'must be a number of at least 0');
      }
    }
    if (thresholds.capacityUtilizationPercent < 1 || thresholds.capacityUtilizationPercent > 100) {
      throw new GuardrailError(subject, 'thresholds.capacityUtilizationPercent', thresholds.capacityUtilizationPercent, 'must be a percentage from 1 to 100');
    }
    for (const operation of operations) {
      if (!(DYNAMODB_OPERATIONS as readonly string[]).includes(operation)) {
        throw new GuardrailError(subject, 'latencyOperations', operation, `is not a DynamoDB operation CloudWatch reports latency for (${DYNAMODB_OPERATIONS.join(', ')})`);
      }
    }
    if (new Set(operations).size !== operations.length) {
      throw new GuardrailError(subject, 'latencyOperations', [...operations], 'lists an operation twice');
    }
    for (const [key, tableConsumers] of Object.entries(consumers)) {
      const table = tables.find((t) => t.key === key);
      if (!table) throw new GuardrailError(subject, 'streamConsumers', key, `is not one of the monitored tables (${keys.join(', ')})`);
      if (!table.streamEnabled && tableConsumers.length > 0) {
        throw new GuardrailError(subject, `streamConsumers.${key}`, key, 'the table has no stream, so it has no stream consumers to watch');
      }
      for (const consumer of tableConsumers) {
        const [name, pattern, rule] =
          consumer.type === 'lambda'
            ? [consumer.functionName, LAMBDA_FUNCTION_NAME, 'must be a Lambda function name (1 to 64 letters, digits, - or _)']
            : [consumer.streamName, KINESIS_STREAM_NAME, 'must be a Kinesis stream name (1 to 128 letters, digits, ., - or _)'];
        if (isResolved(name) && !pattern.test(name)) throw new GuardrailError(subject, `streamConsumers.${key}`, name, rule);
      }
    }
  }
}

/** The alarm specs of one table, in a fixed order. */
export function tableAlarmSpecs(
  prefix: string,
  table: MonitoredTable,
  thresholds: Required<AlarmThresholds>,
  operations: readonly DynamoDbOperation[],
  consumers: readonly StreamConsumer[],
  options: Pick<DynamoDbAlarmsProps, 'throttleEventAlarms' | 'capacityAlarms'> = {},
): AlarmSpec[] {
  const specs: AlarmSpec[] = [throttledRequestsAlarm(prefix, table, thresholds.throttledRequests)];
  if (options.throttleEventAlarms ?? true) {
    specs.push(throttleEventsAlarm(prefix, table, thresholds.throttleEvents));
    for (const index of table.indexNames) specs.push(throttleEventsAlarm(prefix, table, thresholds.throttleEvents, index));
  }
  specs.push(systemErrorsAlarm(prefix, table, thresholds.systemErrors));
  for (const operation of operations) specs.push(latencyAlarm(prefix, table, operation, thresholds.latencyP99Ms));
  if (table.provisioned && (options.capacityAlarms ?? true)) {
    for (const index of [undefined, ...table.indexNames]) {
      specs.push(capacityAlarm(prefix, table, 'read', thresholds.capacityUtilizationPercent, index));
      specs.push(capacityAlarm(prefix, table, 'write', thresholds.capacityUtilizationPercent, index));
    }
  }
  for (const consumer of consumers) specs.push(iteratorAgeAlarm(prefix, table, consumer, thresholds.iteratorAgeMs));
  for (const region of table.replicaRegions ?? []) specs.push(replicationLatencyAlarm(prefix, table, region, thresholds.replicationLatencyMs));
  return specs;
}

/** Defaults for every threshold not given (an explicit `undefined` also means the default). */
export function resolveThresholds(thresholds: AlarmThresholds = {}): Required<AlarmThresholds> {
  const resolved: Record<string, number> = { ...DEFAULT_THRESHOLDS };
  for (const [field, value] of Object.entries(thresholds)) if (value !== undefined) resolved[field] = value;
  return resolved as Required<AlarmThresholds>;
}
