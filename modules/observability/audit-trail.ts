import { partitionForRegion } from '../access/arns';
import { Construct } from 'constructs';
import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { SecureTable } from '../table';
import { ManagedKey } from '../backup/managed-key';
import { validateAccountId, validateKeyArn, validateNamePrefix, validateRegion } from '../backup/aws-identifiers';
import { useStableAddress } from '../naming';
import { GuardrailError, isResolved, requireIntegerInRange } from '../validation';
import { AlarmActions, renderAlarm } from './alarm';
import { AuditFilterSpec, AuditThresholds, ManagementEvents, auditFilterSpecs, dynamoDbAdvancedEventSelectors, managementEventsSelector } from './audit-patterns';
import { MonitoredTable } from './metrics';
import { toMonitoredTable } from './monitored-table';
import { auditKeyPolicy, cloudTrailAssumeRolePolicy, cloudTrailBucketPolicy, cloudTrailLogsPolicy } from './policies';
import { policyJson } from '../rendering';

/** Retention values CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
export const DEFAULT_LOG_RETENTION_DAYS = 365;
export const DEFAULT_BUCKET_RETENTION_DAYS = 2557;
export const BUCKET_NAME_PATTERN = /^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
export const LOG_GROUP_NAME_PATTERN = /^[A-Za-z0-9_./#-]{1,512}$/;
export const METRIC_NAMESPACE_PREFIX = 'DynamoDBGuardrails';

/** A trail this construct creates and owns. */
export interface CreateTrailOptions {
  readonly mode: 'create';
  /** @default `<namePrefix>-dynamodb-audit` */
  readonly trailName?: string;
  /** @default `<namePrefix>-dynamodb-audit-<accountId>` */
  readonly bucketName?: string;
  /** Existing customer-managed key; must contain the statements of `auditKeyPolicy`. @default a dedicated key */
  readonly keyArn?: string;
  /** CloudWatch Logs retention (one of LOG_RETENTION_DAYS). @default 365 */
  readonly logRetentionDays?: number;
  /** Log files are deleted from S3 after this many days. @default 2557 (7 years) */
  readonly bucketRetentionDays?: number;
  /**
   * Record every Region. A global table's replicas are written in their own Regions, so their data events exist only
   * there (CloudTrail User Guide, "Working with CloudTrail multi-Region trails").
   * @default true when a table has replicas, else false
   */
  readonly multiRegion?: boolean;
  /**
   * Also record management events (DeleteTable, UpdateTable, restores). Needed by the table-changes alarm; turn it off
   * only when the organization trail's log group is not reachable and you accept losing that alarm. `'writes-only'`
   * records the write calls only (all the alarm and the governance rule use), for a trail whose account already has
   * a trail recording every management event.
   * @default true
   */
  readonly includeManagementEvents?: ManagementEvents;
  /**
   * Record the tables' data events and send the trail to CloudWatch Logs with the audit metric filters and alarms.
   * Off, the trail records management events only, into its bucket: what the governance rule needs (EventBridge gets
   * "AWS API Call via CloudTrail" events from any trail with logging on), at the cost of the first copy of management
   * events, which CloudTrail does not charge for (AWS CloudTrail pricing). @default true
   */
  readonly auditing?: boolean;
}

/**
 * A trail managed elsewhere (typically an organization trail). It cannot be changed from here: nothing is created
 * for it; `advancedEventSelectors` holds what its owners must add. With `logGroupName` (the trail's CloudWatch Logs
 * group in this account and region) the metric filters and alarms are created on that group.
 */
export interface ExistingTrailOptions {
  readonly mode: 'existing';
  readonly logGroupName?: string;
}

export interface AuditTrailProps extends AlarmActions {
  readonly namePrefix: string;
  readonly accountId: string;
  readonly region: string;
  /** Tables whose data events are recorded and whose Scans are alarmed on. */
  readonly tables: readonly (SecureTable | MonitoredTable)[];
  /** @default { mode: 'create' } */
  readonly trail?: CreateTrailOptions | ExistingTrailOptions;
  /** @default every alarm at 0 */
  readonly thresholds?: AuditThresholds;
  /** `lifecycle.prevent_destroy` on the bucket and the key. @default false */
  readonly preventDestroy?: boolean;
}

/**
 * Seed 001 §6 audit trail: a CloudTrail trail with management events and DynamoDB data events of exactly the given
 * tables (advanced event selectors), delivered to a KMS-encrypted, versioned, private S3 bucket and to a
 * KMS-encrypted CloudWatch Logs group, with metric filters and alarms for Scans on protected tables, table
 * deletions/changes and restores, and AccessDenied errors.
 */
export class AuditTrail extends Construct {
  readonly trail?: Cloudtrail;
  readonly bucket?: S3Bucket;
  readonly key?: ManagedKey;
  readonly logGroupName?: string;
  readonly filters: readonly AuditFilterSpec[];
  readonly alarms: readonly CloudwatchMetricAlarm[];
  /** PutEventSelectors JSON for the owners of an existing trail (also what a created trail selects). */
  readonly advancedEventSelectors: string;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const subject = this.node.path;
    const options = props.trail ?? { mode: 'create' };
    const tables = props.tables.map(toMonitoredTable);
    this.validate(subject, props, options, tables);
    const includeManagementEvents = options.mode === 'create' ? (options.includeManagementEvents ?? true) : true;
    this.advancedEventSelectors = JSON.stringify(dynamoDbAdvancedEventSelectors(recordedTableArns(tables, props.accountId), includeManagementEvents));

    if (options.mode === 'create') {
      // Without auditing the trail has no log group, so no metric filters follow.
      const created = this.createTrail(props, options, tables, includeManagementEvents, options.auditing !== false);
      this.trail = created.trail;
      this.bucket = created.bucket;
      this.key = created.key;
      this.logGroupName = created.logGroupName;
    } else {
      this.logGroupName = options.logGroupName;
    }
    const namespace = `${METRIC_NAMESPACE_PREFIX}/${props.namePrefix}`;
    this.filters =
      this.logGroupName === undefined
        ? []
        : auditFilterSpecs(props.namePrefix, namespace, tables.map((t) => t.tableName), props.thresholds).filter(
            // Without management events the table-changes filter could never match.
            (filter) => includeManagementEvents || filter.id !== 'table_changes_and_restores',
          );
    const alarms: CloudwatchMetricAlarm[] = [];
    for (const filter of this.filters) {
      const filterScope = new Construct(this, filter.id);
      const metricFilter = useStableAddress(
        new CloudwatchLogMetricFilter(filterScope, 'filter', {
          name: `${props.namePrefix}-dynamodb-${filter.id.replace(/_/g, '-')}`,
          logGroupName: this.logGroupName!,
          pattern: filter.pattern,
          metricTransformation: { name: filter.metricName, namespace, value: '1', unit: 'Count' },
        }),
      );
      // The metric exists only once the filter does.
      alarms.push(renderAlarm(filterScope, { ...filter.alarm, id: 'alarm' }, props, { dependsOn: [metricFilter] }));
    }
    this.alarms = alarms;
  }

  private createTrail(props: AuditTrailProps, options: CreateTrailOptions, tables: MonitoredTable[], includeManagementEvents: ManagementEvents, auditing: boolean) {
    const { accountId, region } = props;
    const trailName = options.trailName ?? `${props.namePrefix}-dynamodb-audit`;
    const bucketName = options.bucketName ?? `${props.namePrefix}-dynamodb-audit-${accountId}`;
    const logGroupName = `/aws/cloudtrail/${trailName}`;
    const tags = props.tags;
    const lifecycle = props.preventDestroy ? { preventDestroy: true } : undefined;

    const key =
      options.keyArn === undefined
        ? new ManagedKey(this, 'key', {
            aliasName: `alias/${trailName}`,
            description: `CloudTrail trail ${trailName}: log files and CloudWatch Logs group`,
            policy: auditKeyPolicy({ accountId, region, trailName, logGroupName }),
            tags,
            preventDestroy: props.preventDestroy,
          })
        : undefined;
    const keyArn = options.keyArn ?? key!.keyArn;

    const bucket = useStableAddress(new S3Bucket(this, 'bucket', { bucket: bucketName, forceDestroy: false, tags, lifecycle }));
    const publicAccess = useStableAddress(
      new S3BucketPublicAccessBlock(this, 'bucket_public_access', {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      }),
    );
    useStableAddress(new S3BucketOwnershipControls(this, 'bucket_ownership', { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }));
    useStableAddress(new S3BucketVersioningA(this, 'bucket_versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } }));
    useStableAddress(
      new S3BucketServerSideEncryptionConfigurationA(this, 'bucket_encryption', {
        bucket: bucket.id,
        rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: keyArn }, bucketKeyEnabled: true }],
      }),
    );
    useStableAddress(
      new S3BucketLifecycleConfiguration(this, 'bucket_lifecycle', {
        bucket: bucket.id,
        rule: [
          {
            id: 'expire-audit-logs',
            status: 'Enabled',
            filter: [{}],
            expiration: [{ days: options.bucketRetentionDays ?? DEFAULT_BUCKET_RETENTION_DAYS }],
            noncurrentVersionExpiration: [{ noncurrentDays: 30 }],
            abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
          },
        ],
      }),
    );
    const bucketPolicy = useStableAddress(
      new S3BucketPolicy(this, 'bucket_policy', {
        bucket: bucket.id,
        policy: policyJson(cloudTrailBucketPolicy(bucketName, accountId, region, trailName)),
        dependsOn: [publicAccess],
      }),
    );

    const logs = auditing ? this.createLogs(props, options, trailName, logGroupName, keyArn, tags) : undefined;
    const recorded = recordedTableArns(tables, accountId);
    const selectors = auditing ? dynamoDbAdvancedEventSelectors(recorded, includeManagementEvents) : [managementEventsSelector(includeManagementEvents as true | 'writes-only')];
    const trail = useStableAddress(
      new Cloudtrail(this, 'trail', {
        name: trailName,
        s3BucketName: bucket.id,
        kmsKeyId: keyArn,
        enableLogFileValidation: true,
        enableLogging: true,
        includeGlobalServiceEvents: true,
        isMultiRegionTrail: options.multiRegion ?? recorded.length > tables.length,
        ...(logs ? { cloudWatchLogsGroupArn: `${logs.logGroup.arn}:*`, cloudWatchLogsRoleArn: logs.role.arn } : {}),
        advancedEventSelector: selectors.map((selector) => ({
          name: selector.Name,
          fieldSelector: selector.FieldSelectors.map((field) => ({ field: field.Field, equalTo: field.Equals })),
        })),
        tags,
        // CloudTrail checks the bucket policy and the role when the trail is created.
        dependsOn: [bucketPolicy, ...(logs ? [logs.rolePolicy] : [])],
      }),
      { primary: true },
    );
    // The resource attribute, so metric filters wait for the log group.
    return { trail, bucket, key, logGroupName: logs?.logGroup.name };
  }

  /** The trail's CloudWatch Logs group and the role CloudTrail writes to it with. */
  private createLogs(props: AuditTrailProps, options: CreateTrailOptions, trailName: string, logGroupName: string, keyArn: string, tags: Record<string, string> | undefined) {
    const { accountId, region } = props;
    const logGroup = useStableAddress(
      new CloudwatchLogGroup(this, 'log_group', {
        name: logGroupName,
        retentionInDays: options.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
        kmsKeyId: keyArn,
        tags,
      }),
    );
    const role = useStableAddress(
      new IamRole(this, 'logs_role', {
        name: `${props.namePrefix}-cloudtrail-logs`,
        description: `Lets CloudTrail trail ${trailName} write to ${logGroupName}`,
        assumeRolePolicy: policyJson(cloudTrailAssumeRolePolicy()),
        tags,
      }),
    );
    const rolePolicy = useStableAddress(
      new IamRolePolicy(this, 'logs_role_policy', {
        name: 'write-trail-log-group',
        role: role.id,
        policy: policyJson(cloudTrailLogsPolicy(accountId, region, logGroupName)),
      }),
    );
    return { logGroup, role, rolePolicy };
  }

  private validate(subject: string, props: AuditTrailProps, options: CreateTrailOptions | ExistingTrailOptions, tables: MonitoredTable[]): void {
    validateNamePrefix(subject, 'namePrefix', props.namePrefix);
    validateAccountId(subject, 'accountId', props.accountId);
    validateRegion(subject, 'region', props.region);
    if (tables.length === 0) throw new GuardrailError(subject, 'tables', [], 'at least one table must be audited');
    if (options.mode === 'create' && options.auditing === false && options.includeManagementEvents === false) {
      throw new GuardrailError(subject, 'trail.includeManagementEvents', false, 'a trail without auditing records only management events; with none it would record nothing');
    }
    if (props.topicArns.length === 0) {
      throw new GuardrailError(subject, 'topicArns', [], 'the audit alarms need at least one SNS topic to notify');
    }
    for (const [field, value] of Object.entries(props.thresholds ?? {})) {
      if (value !== undefined && isResolved(value) && (!Number.isInteger(value) || value < 0)) {
        throw new GuardrailError(subject, `thresholds.${field}`, value, 'must be a whole number of at least 0');
      }
    }
    if (options.mode === 'existing') {
      if (options.logGroupName !== undefined && isResolved(options.logGroupName) && !LOG_GROUP_NAME_PATTERN.test(options.logGroupName)) {
        throw new GuardrailError(subject, 'trail.logGroupName', options.logGroupName, "must be a CloudWatch Logs group name (1 to 512 letters, digits, '_', '-', '/', '.', '#')");
      }
      return;
    }
    if (options.bucketName !== undefined && isResolved(options.bucketName) && !BUCKET_NAME_PATTERN.test(options.bucketName)) {
      throw new GuardrailError(subject, 'trail.bucketName', options.bucketName, "must be a valid S3 bucket name: 3 to 63 lower-case letters, digits, '.' or '-', starting and ending with a letter or digit");
    }
    if (options.trailName !== undefined && isResolved(options.trailName) && !/^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/.test(options.trailName)) {
      throw new GuardrailError(subject, 'trail.trailName', options.trailName, "must be 3 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    if (options.keyArn !== undefined) validateKeyArn(subject, 'trail.keyArn', options.keyArn, props.region);
    const retention = options.logRetentionDays;
    if (retention !== undefined && isResolved(retention) && !(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) {
      throw new GuardrailError(subject, 'trail.logRetentionDays', retention, `must be one of the retention periods CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(', ')}`);
    }
    if (options.bucketRetentionDays !== undefined) {
      requireIntegerInRange(subject, 'trail.bucketRetentionDays', options.bucketRetentionDays, 1, 36500);
    }
  }
}

/** The tables whose data events are recorded: each table, and each replica of a global table in its own Region. */
function recordedTableArns(tables: readonly MonitoredTable[], accountId: string): string[] {
  const replicas = tables.flatMap((table) => (table.replicaRegions ?? []).map((region) => `arn:${partitionForRegion(region)}:dynamodb:${region}:${accountId}:table/${table.tableName}`));
  return [...tables.map((table) => table.tableArn), ...replicas];
}
