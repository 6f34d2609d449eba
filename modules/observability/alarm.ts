import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { useStableAddress } from '../naming';
import { AlarmSpec } from './alarm-specs';
import { GuardrailError, isResolved } from '../validation';

export const DEFAULT_RUNBOOK_URL = 'help/monitoring.md';
/** CloudWatch limits. */
export const MAX_ALARM_NAME_LENGTH = 255;
export const MAX_ALARM_DESCRIPTION_LENGTH = 1024;

export interface AlarmActions {
  /** SNS topic ARNs notified on ALARM and on return to OK. */
  readonly topicArns: readonly string[];
  /** Base of the runbook link in every alarm description. @default 'help/monitoring.md' */
  readonly runbookUrl?: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

export interface RenderAlarmOptions {
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Region of the alarm when it is not the provider's (provider 6 per-resource `region`), e.g. a replica Region of a
   * global table. Its topics must be in that Region too. Never taken from a props object, so constructs whose props
   * name their own Region do not move their alarms by accident.
   * @default the provider's Region
   */
  readonly region?: string;
}

/** CloudWatch refuses longer alarm names at apply; say so at synth. */
export function requireAlarmNameLength(subject: string, spec: AlarmSpec): void {
  if (isResolved(spec.alarmName) && spec.alarmName.length > MAX_ALARM_NAME_LENGTH) {
    throw new GuardrailError(subject, 'alarmName', spec.alarmName, `alarm names can be at most ${MAX_ALARM_NAME_LENGTH} characters; shorten namePrefix or the index name`);
  }
}

export function alarmDescription(spec: AlarmSpec, runbookUrl: string = DEFAULT_RUNBOOK_URL): string {
  return `${spec.severity}: ${spec.summary} Runbook: ${runbookUrl}#${spec.runbookAnchor}`;
}

/** Renders one AlarmSpec as an `aws_cloudwatch_metric_alarm` (always GreaterThanThreshold). */
export function renderAlarm(scope: Construct, spec: AlarmSpec, actions: AlarmActions, options: RenderAlarmOptions = {}): CloudwatchMetricAlarm {
  const topics = [...actions.topicArns];
  return useStableAddress(
    new CloudwatchMetricAlarm(scope, spec.id, {
      region: options.region,
      alarmName: spec.alarmName,
      alarmDescription: alarmDescription(spec, actions.runbookUrl),
      comparisonOperator: 'GreaterThanThreshold',
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm,
      treatMissingData: spec.treatMissingData,
      namespace: spec.metric?.namespace,
      metricName: spec.metric?.metricName,
      dimensions: spec.metric?.dimensions ? { ...spec.metric.dimensions } : undefined,
      statistic: spec.metric?.statistic,
      extendedStatistic: spec.metric?.extendedStatistic,
      period: spec.metric ? spec.period : undefined,
      metricQuery: spec.queries?.map((query) => ({
        id: query.id,
        label: query.label,
        expression: query.expression,
        period: query.period,
        returnData: query.returnData,
        metric: query.metric
          ? {
              namespace: query.metric.namespace,
              metricName: query.metric.metricName,
              dimensions: query.metric.dimensions ? { ...query.metric.dimensions } : undefined,
              stat: query.metric.stat,
              period: query.metric.period,
            }
          : undefined,
      })),
      actionsEnabled: true,
      alarmActions: topics,
      okActions: topics,
      tags: actions.tags,
      dependsOn: options.dependsOn,
    }),
  );
}
