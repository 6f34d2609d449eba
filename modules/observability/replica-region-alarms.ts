import { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { validateNamePrefix, validateRegion } from '../backup/aws-identifiers';
import { GuardrailError } from '../validation';
import { AlarmActions, renderAlarm, requireAlarmNameLength } from './alarm';
import {
  AlarmSpec,
  AlarmThresholds,
  latencyAlarm,
  replicationLatencyAlarm,
  systemErrorsAlarm,
  throttleEventsAlarm,
  throttledRequestsAlarm,
} from './alarm-specs';
import { DEFAULT_LATENCY_OPERATIONS, DynamoDbOperation, MonitoredTable } from './metrics';

export interface ReplicaRegionAlarmsProps extends AlarmActions {
  /** `<catalog>-<env>`; the alarm names add the Region: `<namePrefix>-<region>-<table key>-throttled-requests`. */
  readonly namePrefix: string;
  /** The replica Region watched; every alarm and its topics live there. */
  readonly region: string;
  /** The Region of the tables themselves (the other end of their replication). */
  readonly homeRegion: string;
  /** The global tables; those without a replica in `region` are skipped. */
  readonly tables: readonly MonitoredTable[];
  readonly thresholds: Required<AlarmThresholds>;
  /** @default ['GetItem', 'Query', 'PutItem', 'UpdateItem'] */
  readonly latencyOperations?: readonly DynamoDbOperation[];
  /** @default true */
  readonly throttleEventAlarms?: boolean;
}

/**
 * The alarms of a global table's replica, in the replica's own Region. CloudWatch metrics are regional: a replica's
 * requests, throttles and errors are published in its Region only (DynamoDB Developer Guide, "DynamoDB metrics and
 * dimensions"), and a metric alarm can only watch metrics of the Region it is created in, so the home Region's alarms
 * see nothing of a replica. The alarms notify a topic of their own Region, whose policy admits only that Region's
 * alarms (policies.ts). Per replica: throttling (requests, and events of the table and each GSI), system errors, p99
 * latency, and the ReplicationLatency of the writes it sends to every other member of the global table (published in
 * the sending Region, per ReceivingRegion).
 */
export class ReplicaRegionAlarms extends Construct {
  readonly specs: readonly AlarmSpec[];
  readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: ReplicaRegionAlarmsProps) {
    super(scope, id);
    const subject = this.node.path;
    validateNamePrefix(subject, 'namePrefix', props.namePrefix);
    validateRegion(subject, 'region', props.region);
    if (props.topicArns.length === 0) {
      throw new GuardrailError(subject, 'topicArns', [], `alarms in ${props.region} need at least one SNS topic of that Region to notify`);
    }
    const specs: AlarmSpec[] = [];
    const alarms: CloudwatchMetricAlarm[] = [];
    for (const table of props.tables.filter((t) => (t.replicaRegions ?? []).includes(props.region))) {
      const tableScope = new Construct(this, table.key);
      for (const spec of replicaAlarmSpecs(props, table)) {
        requireAlarmNameLength(subject, spec);
        alarms.push(renderAlarm(tableScope, spec, props, { region: props.region }));
        specs.push(spec);
      }
    }
    this.specs = specs;
    this.alarms = alarms;
  }
}

/** The alarm specs of one table's replica in `props.region`, in a fixed order; each summary names the Region. */
export function replicaAlarmSpecs(props: Omit<ReplicaRegionAlarmsProps, 'topicArns'>, table: MonitoredTable): AlarmSpec[] {
  const prefix = `${props.namePrefix}-${props.region}`;
  const { thresholds } = props;
  const specs: AlarmSpec[] = [throttledRequestsAlarm(prefix, table, thresholds.throttledRequests)];
  if (props.throttleEventAlarms ?? true) {
    for (const index of [undefined, ...table.indexNames]) specs.push(throttleEventsAlarm(prefix, table, thresholds.throttleEvents, index));
  }
  specs.push(systemErrorsAlarm(prefix, table, thresholds.systemErrors));
  for (const operation of props.latencyOperations ?? DEFAULT_LATENCY_OPERATIONS) specs.push(latencyAlarm(prefix, table, operation, thresholds.latencyP99Ms));
  const otherMembers = [props.homeRegion, ...(table.replicaRegions ?? [])].filter((region) => region !== props.region);
  for (const receiving of otherMembers) specs.push(replicationLatencyAlarm(prefix, table, receiving, thresholds.replicationLatencyMs));
  return specs.map((spec) => ({ ...spec, summary: `${spec.summary} Replica in ${props.region}.` }));
}
