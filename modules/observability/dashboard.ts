import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { SecureTable } from '../table';
import { validateNamePrefix, validateRegion } from '../backup/aws-identifiers';
import { useStableAddress } from '../naming';
import { GuardrailError, isResolved } from '../validation';
import { DEFAULT_THRESHOLDS } from './alarm-specs';
import {
  DEFAULT_LATENCY_OPERATIONS,
  DYNAMODB_NAMESPACE,
  DynamoDbOperation,
  MonitoredTable,
  StreamConsumer,
  consumerName,
  iteratorAgeMetric,
  sumOverOperationsQuery,
} from './metrics';
import { toMonitoredTable } from './monitored-table';
import { policyJson } from '../rendering';

export const DASHBOARD_NAME_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;
const GRID_WIDTH = 24;
const WIDGET_WIDTH = 8;
const WIDGET_HEIGHT = 6;
const PERIOD = 60;

export interface DashboardBodyInput {
  readonly title: string;
  readonly region: string;
  readonly tables: readonly MonitoredTable[];
  readonly latencyOperations: readonly DynamoDbOperation[];
  readonly latencyThresholdMs: number;
  readonly streamConsumers: Readonly<Record<string, readonly StreamConsumer[]>>;
}

type MetricLine = Array<string | Record<string, unknown>>;

interface Widget {
  readonly type: 'metric' | 'text';
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, unknown>;
}

function metricWidget(title: string, region: string, metrics: MetricLine[], extra: Record<string, unknown> = {}): Widget {
  return {
    type: 'metric',
    width: WIDGET_WIDTH,
    height: WIDGET_HEIGHT,
    properties: { title, region, view: 'timeSeries', stacked: false, period: PERIOD, metrics, ...extra },
  };
}

function insightsWidget(title: string, region: string, query: string, label: string): Widget {
  return metricWidget(title, region, [[{ expression: query, label, id: 'q1' }]], { stat: 'Sum' });
}

function capacityWidget(table: MonitoredTable, region: string): Widget {
  const lines: MetricLine[] = [];
  for (const [kind, id] of [['Read', 'r'], ['Write', 'w']] as const) {
    lines.push([{ expression: `${id}c / PERIOD(${id}c)`, label: `Consumed ${kind} units/s`, id: `${id}e` }]);
    lines.push([DYNAMODB_NAMESPACE, `Consumed${kind}CapacityUnits`, 'TableName', table.tableName, { id: `${id}c`, stat: 'Sum', visible: false }]);
    if (table.provisioned) {
      lines.push([DYNAMODB_NAMESPACE, `Provisioned${kind}CapacityUnits`, 'TableName', table.tableName, { stat: 'Average', label: `Provisioned ${kind} units/s` }]);
    }
  }
  return metricWidget(`${table.key}: capacity (table)`, region, lines);
}

function throttleEventsWidget(table: MonitoredTable, region: string): Widget {
  const lines: MetricLine[] = [];
  for (const indexName of [undefined, ...table.indexNames]) {
    for (const kind of ['Read', 'Write'] as const) {
      const dimensions = indexName === undefined ? ['TableName', table.tableName] : ['TableName', table.tableName, 'GlobalSecondaryIndexName', indexName];
      lines.push([DYNAMODB_NAMESPACE, `${kind}ThrottleEvents`, ...dimensions, { stat: 'Sum', label: `${kind} ${indexName ?? 'table'}` }]);
    }
  }
  return metricWidget(`${table.key}: throttle events (table and GSIs)`, region, lines);
}

function latencyWidget(table: MonitoredTable, region: string, input: DashboardBodyInput): Widget {
  const lines: MetricLine[] = input.latencyOperations.map((operation) => [
    DYNAMODB_NAMESPACE,
    'SuccessfulRequestLatency',
    'TableName',
    table.tableName,
    'Operation',
    operation,
    { stat: 'p99', label: `${operation} p99` },
  ]);
  return metricWidget(`${table.key}: p99 latency (ms)`, region, lines, {
    period: 300,
    annotations: { horizontal: [{ label: 'alarm threshold', value: input.latencyThresholdMs }] },
  });
}

function replicationLatencyWidget(table: MonitoredTable, region: string, homeRegion: string): Widget {
  const receiving = [homeRegion, ...(table.replicaRegions ?? [])].filter((member) => member !== region);
  const lines: MetricLine[] = receiving.map((member) => [DYNAMODB_NAMESPACE, 'ReplicationLatency', 'TableName', table.tableName, 'ReceivingRegion', member, { stat: 'Average', label: `to ${member}` }]);
  return metricWidget(`${table.key}: replication latency from ${region} (ms)`, region, lines, { period: 300 });
}

/** The widgets of one table (or one of its replicas) in one Region. */
function tableWidgets(table: MonitoredTable, region: string, input: DashboardBodyInput): Widget[] {
  const title = region === input.region ? table.key : `${table.key} (${region})`;
  const named = { ...table, key: title };
  const widgets = [
    capacityWidget(named, region),
    insightsWidget(`${title}: throttled requests (all operations)`, region, sumOverOperationsQuery('ThrottledRequests', table.tableName), 'ThrottledRequests'),
    throttleEventsWidget(named, region),
    insightsWidget(`${title}: system errors (all operations)`, region, sumOverOperationsQuery('SystemErrors', table.tableName), 'SystemErrors'),
    latencyWidget(named, region, input),
  ];
  if ((table.replicaRegions ?? []).length > 0) widgets.push(replicationLatencyWidget(table, region, input.region));
  return widgets;
}

function iteratorAgeWidget(table: MonitoredTable, region: string, consumers: readonly StreamConsumer[]): Widget {
  const lines: MetricLine[] = consumers.map((consumer) => {
    const metric = iteratorAgeMetric(consumer);
    return [metric.namespace, metric.metricName, ...Object.entries(metric.dimensions).flat(), { stat: 'Maximum', label: consumerName(consumer) }];
  });
  return metricWidget(`${table.key}: stream consumer lag (ms)`, region, lines);
}

function accountWidget(region: string): Widget {
  return metricWidget('Account: user errors and provisioned capacity utilization', region, [
    [DYNAMODB_NAMESPACE, 'UserErrors', { stat: 'Sum', label: 'UserErrors (HTTP 400, whole account/region)' }],
    [DYNAMODB_NAMESPACE, 'AccountProvisionedReadCapacityUtilization', { stat: 'Maximum', yAxis: 'right', label: 'Account read utilization %' }],
    [DYNAMODB_NAMESPACE, 'AccountProvisionedWriteCapacityUtilization', { stat: 'Maximum', yAxis: 'right', label: 'Account write utilization %' }],
  ]);
}

/**
 * The dashboard body (seed 000 §7.1.1, extended with seed 001 §5's signals): for each table, capacity, throttling,
 * errors, p99 latency and stream lag; then account-wide signals. Widgets are laid out left to right, three per row,
 * in table order, so the same input always gives the same JSON.
 */
export function dashboardBody(input: DashboardBodyInput): string {
  const widgets: Widget[] = [
    {
      type: 'text',
      width: GRID_WIDTH,
      height: 2,
      properties: {
        markdown: `# ${input.title}\nCapacity, throttling, errors and latency of the DynamoDB tables. Runbook for every alarm: help/monitoring.md`,
      },
    },
  ];
  for (const table of input.tables) {
    widgets.push(...tableWidgets(table, input.region, input));
    const consumers = input.streamConsumers[table.key] ?? [];
    if (consumers.length > 0) widgets.push(iteratorAgeWidget(table, input.region, consumers));
  }
  // A replica's metrics exist only in its own Region; a dashboard widget may show any Region's metrics.
  for (const region of [...new Set(input.tables.flatMap((table) => table.replicaRegions ?? []))]) {
    widgets.push({ type: 'text', width: GRID_WIDTH, height: 1, properties: { markdown: `## Replicas in ${region}` } });
    for (const table of input.tables.filter((t) => (t.replicaRegions ?? []).includes(region))) widgets.push(...tableWidgets(table, region, input));
  }
  widgets.push(accountWidget(input.region));

  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const placed = widgets.map((widget) => {
    if (x + widget.width > GRID_WIDTH) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const result = { type: widget.type, x, y, width: widget.width, height: widget.height, properties: widget.properties };
    x += widget.width;
    rowHeight = Math.max(rowHeight, widget.height);
    return result;
  });
  return policyJson({ widgets: placed });
}

export interface DynamoDbDashboardProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly tables: readonly (SecureTable | MonitoredTable)[];
  /** @default `<namePrefix>-dynamodb` */
  readonly dashboardName?: string;
  /** @default the alarms' operations: GetItem, Query, PutItem, UpdateItem */
  readonly latencyOperations?: readonly DynamoDbOperation[];
  /** Drawn as a line on the latency graphs. @default 25 */
  readonly latencyThresholdMs?: number;
  /** @default {} */
  readonly streamConsumers?: Readonly<Record<string, readonly StreamConsumer[]>>;
}

/** One CloudWatch dashboard per catalog and environment. */
export class DynamoDbDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;
  readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: DynamoDbDashboardProps) {
    super(scope, id);
    const subject = this.node.path;
    validateNamePrefix(subject, 'namePrefix', props.namePrefix);
    validateRegion(subject, 'region', props.region);
    const dashboardName = props.dashboardName ?? `${props.namePrefix}-dynamodb`;
    if (isResolved(dashboardName) && !DASHBOARD_NAME_PATTERN.test(dashboardName)) {
      throw new GuardrailError(subject, 'dashboardName', dashboardName, "must be 1 to 255 letters, digits, '-' or '_'");
    }
    const tables = props.tables.map(toMonitoredTable);
    if (tables.length === 0) throw new GuardrailError(subject, 'tables', [], 'a dashboard needs at least one table');

    this.dashboardName = dashboardName;
    this.dashboard = useStableAddress(
      new CloudwatchDashboard(this, 'dashboard', {
        dashboardName,
        dashboardBody: dashboardBody({
          title: `DynamoDB — ${props.namePrefix}`,
          region: props.region,
          tables,
          latencyOperations: props.latencyOperations ?? DEFAULT_LATENCY_OPERATIONS,
          latencyThresholdMs: props.latencyThresholdMs ?? DEFAULT_THRESHOLDS.latencyP99Ms,
          streamConsumers: props.streamConsumers ?? {},
        }),
      }),
      { primary: true },
    );
  }
}
