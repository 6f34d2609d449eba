import { Construct } from 'constructs';
import { SecureTable } from '../table';
import { validateAccountId, validateNamePrefix, validateRegion } from '../backup/aws-identifiers';
import { GuardrailError, isResolved } from '../validation';
import { AlarmTopic, AlarmTopicProps } from './alarm-topic';
import { AuditThresholds } from './audit-patterns';
import { AuditTrail, CreateTrailOptions, ExistingTrailOptions } from './audit-trail';
import { DynamoDbConfigRules, DynamoDbConfigRulesProps } from './config-rules';
import { ContributorInsightsMode, TableContributorInsights } from './contributor-insights';
import { DynamoDbDashboard } from './dashboard';
import { MonitoredTable } from './metrics';
import { toMonitoredTable } from './monitored-table';
import { DynamoDbAlarms, DynamoDbAlarmsProps, resolveThresholds } from './table-alarms';
import { ReplicaRegionAlarms } from './replica-region-alarms';

export type AlarmTopicOptions =
  | Omit<AlarmTopicProps, 'namePrefix' | 'accountId' | 'region' | 'tags' | 'preventDestroy' | 'pinRegion'>
  | {
      readonly existingTopicArn: string;
      /** Existing topics of the replica Regions, by Region: an alarm notifies topics of its own Region. @default {} */
      readonly existingReplicaRegionTopicArns?: Readonly<Record<string, string>>;
    };

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}$/;

export interface DynamoDbObservabilityProps {
  /** `<catalog>-<env>`, e.g. 'auditflow-prod': prefixes every name. */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly region: string;
  readonly tables: readonly (SecureTable | MonitoredTable)[];
  /** Topic for every alarm: created (CMK-encrypted) with these subscribers, or an existing topic ARN. @default created, no subscribers */
  readonly alarmTopic?: AlarmTopicOptions;
  /** Per-table alarms (seed 001 §5). @default default thresholds and operations */
  readonly alarms?: Omit<DynamoDbAlarmsProps, 'namePrefix' | 'tables' | 'topicArns' | 'tags' | 'runbookUrl'>;
  /** The dashboard (seed 000 §7.1.1). @default true */
  readonly dashboard?: boolean;
  /** Contributor Insights on every table and GSI (seed 001 §8). @default { mode: 'ACCESSED_AND_THROTTLED_KEYS' } */
  readonly contributorInsights?: false | { readonly mode?: ContributorInsightsMode };
  /** CloudTrail audit trail + metric-filter alarms (seed 001 §6). @default { trail: { mode: 'create' } } */
  readonly auditTrail?: false | { readonly trail?: CreateTrailOptions | ExistingTrailOptions; readonly thresholds?: AuditThresholds };
  /** AWS Config managed rules; many organizations deploy Config centrally. @default false */
  readonly configRules?: false | Omit<DynamoDbConfigRulesProps, 'namePrefix' | 'region' | 'tags'>;
  /** Base of the runbook link in alarm descriptions. @default 'help/monitoring.md' */
  readonly runbookUrl?: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
  /** `lifecycle.prevent_destroy` on keys and the audit bucket. @default false */
  readonly preventDestroy?: boolean;
}

/**
 * Everything seeds 000 §7 and 001 §5–8 ask to watch for one catalog in one environment, composed from the module's
 * constructs: alarm topic, per-table alarms, dashboard, Contributor Insights, audit trail and (optionally) Config rules.
 */
export class DynamoDbObservability extends Construct {
  readonly topicArn: string;
  readonly alarmTopic?: AlarmTopic;
  readonly alarms: DynamoDbAlarms;
  /** Topic of the alarms in each replica Region of a global table, by Region. */
  readonly replicaRegionTopicArns: Readonly<Record<string, string>>;
  readonly replicaRegionAlarms: readonly ReplicaRegionAlarms[];
  readonly dashboard?: DynamoDbDashboard;
  readonly contributorInsights?: TableContributorInsights;
  readonly auditTrail?: AuditTrail;
  readonly configRules?: DynamoDbConfigRules;

  constructor(scope: Construct, id: string, props: DynamoDbObservabilityProps) {
    super(scope, id);
    const subject = this.node.path;
    validateNamePrefix(subject, 'namePrefix', props.namePrefix);
    validateAccountId(subject, 'accountId', props.accountId);
    validateRegion(subject, 'region', props.region);
    const tables = props.tables.map(toMonitoredTable);
    const { namePrefix, accountId, region, tags } = props;

    const topic = props.alarmTopic ?? {};
    const replicaRegions = [...new Set(tables.flatMap((table) => table.replicaRegions ?? []))];
    const replicaRegionTopicArns: Record<string, string> = {};
    if ('existingTopicArn' in topic) {
      this.topicArn = existingTopicArn(subject, 'alarmTopic.existingTopicArn', topic.existingTopicArn, region);
      for (const replicaRegion of replicaRegions) {
        const arn = topic.existingReplicaRegionTopicArns?.[replicaRegion];
        if (arn === undefined) {
          throw new GuardrailError(subject, 'alarmTopic.existingReplicaRegionTopicArns', replicaRegion, `has no topic: the alarms of the replicas in ${replicaRegion} notify a topic of that Region; give its ARN or let the construct create the topics`);
        }
        replicaRegionTopicArns[replicaRegion] = existingTopicArn(subject, `alarmTopic.existingReplicaRegionTopicArns.${replicaRegion}`, arn, replicaRegion);
      }
    } else {
      this.alarmTopic = new AlarmTopic(this, 'alarm_topic', { ...topic, namePrefix, accountId, region, tags, preventDestroy: props.preventDestroy });
      this.topicArn = this.alarmTopic.topicArn;
      for (const replicaRegion of replicaRegions) {
        // Topic and key names are per Region, so every Region's topic has the home topic's name.
        // AWS Backup notifies the home topic only (the vaults notify there).
        const regional = new AlarmTopic(this, `alarm_topic_${replicaRegion}`, { ...topic, allowAwsBackupNotifications: false, namePrefix, accountId, region: replicaRegion, pinRegion: true, tags, preventDestroy: props.preventDestroy });
        replicaRegionTopicArns[replicaRegion] = regional.topicArn;
      }
    }
    this.replicaRegionTopicArns = replicaRegionTopicArns;
    const actions = { topicArns: [this.topicArn], runbookUrl: props.runbookUrl, tags };

    this.alarms = new DynamoDbAlarms(this, 'alarms', { ...props.alarms, ...actions, namePrefix, tables });
    this.replicaRegionAlarms = replicaRegions.map(
      (replicaRegion) =>
        new ReplicaRegionAlarms(this, `alarms_${replicaRegion}`, {
          ...actions,
          topicArns: [replicaRegionTopicArns[replicaRegion]],
          namePrefix,
          region: replicaRegion,
          homeRegion: region,
          tables,
          thresholds: resolveThresholds(props.alarms?.thresholds),
          latencyOperations: props.alarms?.latencyOperations,
          throttleEventAlarms: props.alarms?.throttleEventAlarms,
        }),
    );
    if (props.dashboard ?? true) {
      this.dashboard = new DynamoDbDashboard(this, 'dashboard', {
        namePrefix,
        region,
        tables,
        latencyOperations: props.alarms?.latencyOperations,
        latencyThresholdMs: resolveThresholds(props.alarms?.thresholds).latencyP99Ms,
        streamConsumers: props.alarms?.streamConsumers,
      });
    }
    if (props.contributorInsights !== false) {
      this.contributorInsights = new TableContributorInsights(this, 'contributor_insights', { tables, mode: props.contributorInsights?.mode });
    }
    if (props.auditTrail !== false) {
      this.auditTrail = new AuditTrail(this, 'audit_trail', {
        ...actions,
        namePrefix,
        accountId,
        region,
        tables,
        trail: props.auditTrail?.trail,
        thresholds: props.auditTrail?.thresholds,
        preventDestroy: props.preventDestroy,
      });
    }
    if (props.configRules) {
      this.configRules = new DynamoDbConfigRules(this, 'config_rules', { ...props.configRules, namePrefix, region, tags });
    }
  }
}

/** An existing SNS topic ARN, which must be in the Region of the alarms that notify it. */
function existingTopicArn(subject: string, field: string, arn: string, region: string): string {
  if (!isResolved(arn)) return arn;
  const match = SNS_TOPIC_ARN.exec(arn);
  if (!match) throw new GuardrailError(subject, field, arn, 'must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)');
  if (match[1] !== region) throw new GuardrailError(subject, field, arn, `is a topic in ${match[1]}; the alarms it serves are in ${region} and notify topics of their own Region`);
  return arn;
}
