import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingScheduledAction } from '@cdktf/provider-aws/lib/appautoscaling-scheduled-action';
import { useStableAddress } from '../naming';
import type { Capacity } from './index';

/** One provisioned dimension of a table or index: `{ indexName?, kind, capacity }`. */
export interface ScalableCapacity {
  readonly indexName?: string;
  readonly kind: 'read' | 'write';
  readonly capacity: Capacity;
}

export interface TableAutoscalingProps {
  /** Literal table name: Application Auto Scaling addresses tables as `table/<name>[/index/<index>]`. */
  readonly tableName: string;
  readonly dimensions: ScalableCapacity[];
  /** Replica region for a global table's replica; the provider region otherwise. @default provider region */
  readonly region?: string;
  readonly dependsOn: ITerraformDependable[];
}

const METRIC = { read: 'DynamoDBReadCapacityUtilization', write: 'DynamoDBWriteCapacityUtilization' } as const;
const UNIT = { read: 'ReadCapacityUnits', write: 'WriteCapacityUnits' } as const;

/**
 * Target-tracking autoscaling (dynamodb:004) for every autoscaled dimension given: one `aws_appautoscaling_target`
 * and one `aws_appautoscaling_policy` each. Fixed dimensions are skipped (they carry a waiver).
 */
export class TableAutoscaling extends Construct {
  readonly targets: AppautoscalingTarget[] = [];

  constructor(scope: Construct, id: string, props: TableAutoscalingProps) {
    super(scope, id);
    for (const dimension of props.dimensions) {
      const autoscaling = dimension.capacity.autoscaling;
      if (!autoscaling) continue;
      const level = dimension.indexName ? 'index' : 'table';
      const resourceId = dimension.indexName ? `table/${props.tableName}/index/${dimension.indexName}` : `table/${props.tableName}`;
      const name = `${dimension.indexName ? `index_${dimension.indexName}_` : ''}${dimension.kind}`;
      const target = useStableAddress(
        new AppautoscalingTarget(this, `${name}_target`, {
          serviceNamespace: 'dynamodb',
          resourceId,
          scalableDimension: `dynamodb:${level}:${UNIT[dimension.kind]}`,
          minCapacity: autoscaling.min,
          maxCapacity: autoscaling.max,
          region: props.region,
          dependsOn: props.dependsOn,
          // A schedule changes min and max at run time; an apply during a peak must not lower the floor it raised.
          lifecycle: autoscaling.schedules.length > 0 ? { ignoreChanges: ['min_capacity', 'max_capacity'] } : undefined,
        }),
      );
      useStableAddress(
        new AppautoscalingPolicy(this, `${name}_policy`, {
          name: `${resourceId.replace(/\//g, '-')}-${dimension.kind}-target-tracking`.slice(0, 255),
          policyType: 'TargetTrackingScaling',
          serviceNamespace: target.serviceNamespace,
          resourceId: target.resourceId,
          scalableDimension: target.scalableDimension,
          region: props.region,
          targetTrackingScalingPolicyConfiguration: {
            targetValue: autoscaling.targetUtilization,
            scaleInCooldown: autoscaling.scaleInCooldown,
            scaleOutCooldown: autoscaling.scaleOutCooldown,
            predefinedMetricSpecification: { predefinedMetricType: METRIC[dimension.kind] },
          },
        }),
      );
      for (const schedule of autoscaling.schedules) {
        useStableAddress(
          new AppautoscalingScheduledAction(this, `${name}_schedule_${schedule.name}`, {
            name: scheduledActionName(resourceId, dimension.kind, schedule.name),
            serviceNamespace: target.serviceNamespace,
            resourceId: target.resourceId,
            scalableDimension: target.scalableDimension,
            schedule: schedule.schedule,
            timezone: schedule.timezone,
            startTime: schedule.startTime,
            endTime: schedule.endTime,
            scalableTargetAction: { minCapacity: schedule.min?.toString(), maxCapacity: schedule.max?.toString() },
            region: props.region,
          }),
        );
      }
      this.targets.push(target);
    }
  }
}

/** `table-Orders-index-by-status-read-peak`: unique per table, dimension and schedule, within the 256-character limit. */
export function scheduledActionName(resourceId: string, kind: 'read' | 'write', scheduleName: string): string {
  return `${resourceId.replace(/\//g, '-')}-${kind}-${scheduleName}`.slice(0, 256);
}
