import { partitionOf } from '../encryption';
import { KeyPolicyDocument, keyAdministrationStatement } from '../backup/managed-key';

/**
 * Every policy of the observability module, as small pure functions returning plain JSON objects: they are
 * serialized verbatim into the synthesized Terraform, so a reviewer reads exactly what AWS will evaluate.
 * ARNs are built from names (not resource references) so the policies stay literal and create no dependency cycles.
 */

export function topicArn(accountId: string, region: string, topicName: string): string {
  return `arn:${partitionOf(region)}:sns:${region}:${accountId}:${topicName}`;
}

export function trailArn(accountId: string, region: string, trailName: string): string {
  return `arn:${partitionOf(region)}:cloudtrail:${region}:${accountId}:trail/${trailName}`;
}

export function logGroupArn(accountId: string, region: string, logGroupName: string): string {
  return `arn:${partitionOf(region)}:logs:${region}:${accountId}:log-group:${logGroupName}`;
}

export function alarmArnPattern(accountId: string, region: string): string {
  return `arn:${partitionOf(region)}:cloudwatch:${region}:${accountId}:alarm:*`;
}

export interface AlarmTopicPolicyOptions {
  /** Let AWS Backup publish vault notifications (backup/restore/copy jobs) to the topic. */
  readonly allowAwsBackupNotifications?: boolean;
}

/**
 * Key of the alarm topic. CloudWatch alarms can publish to an SSE-KMS topic only when the key policy lets
 * cloudwatch.amazonaws.com use the key (GenerateDataKey* and Decrypt); the grant is limited to alarms of this
 * account and region. Principals of the account use the key only through SNS.
 */
export function alarmTopicKeyPolicy(accountId: string, region: string, options: AlarmTopicPolicyOptions = {}): KeyPolicyDocument {
  const statements: object[] = [
    keyAdministrationStatement(accountId, region),
    {
      Sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': accountId },
        ArnLike: { 'aws:SourceArn': alarmArnPattern(accountId, region) },
      },
    },
    {
      Sid: 'AccountPrincipalsUseOnlyThroughSns',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': `sns.${region}.amazonaws.com`, 'kms:CallerAccount': accountId } },
    },
  ];
  if (options.allowAwsBackupNotifications) {
    statements.push({
      Sid: 'AwsBackupPublishesToEncryptedTopic',
      Effect: 'Allow',
      Principal: { Service: 'backup.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}

/** Topic policy: the account owns the topic, CloudWatch alarms of this account/region may publish, TLS only. */
export function alarmTopicPolicy(accountId: string, region: string, topicName: string, options: AlarmTopicPolicyOptions = {}) {
  const arn = topicArn(accountId, region, topicName);
  const statements: object[] = [
    {
      Sid: 'AccountOwnsTopic',
      Effect: 'Allow',
      Principal: { AWS: `arn:${partitionOf(region)}:iam::${accountId}:root` },
      Action: [
        'sns:GetTopicAttributes',
        'sns:SetTopicAttributes',
        'sns:AddPermission',
        'sns:RemovePermission',
        'sns:DeleteTopic',
        'sns:Subscribe',
        'sns:ListSubscriptionsByTopic',
        'sns:Publish',
      ],
      Resource: arn,
    },
    {
      Sid: 'CloudWatchAlarmsPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: arn,
      Condition: {
        StringEquals: { 'aws:SourceAccount': accountId },
        ArnLike: { 'aws:SourceArn': alarmArnPattern(accountId, region) },
      },
    },
  ];
  if (options.allowAwsBackupNotifications) {
    statements.push({
      Sid: 'AwsBackupPublishesVaultEvents',
      Effect: 'Allow',
      Principal: { Service: 'backup.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: arn,
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    });
  }
  statements.push({
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 'sns:Publish',
    Resource: arn,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  });
  return { Version: '2012-10-17', Statement: statements };
}

export interface AuditKeyPolicyInput {
  readonly accountId: string;
  readonly region: string;
  readonly trailName: string;
  readonly logGroupName: string;
}

/**
 * Key of the audit trail: encrypts CloudTrail log and digest files (S3) and the CloudWatch Logs group.
 * CloudTrail may generate data keys only for this trail (`aws:SourceArn`) and its own encryption context; CloudWatch
 * Logs may use it only for this log group; principals of the account may decrypt CloudTrail files (reading the trail).
 */
export function auditKeyPolicy(input: AuditKeyPolicyInput): KeyPolicyDocument {
  const { accountId, region } = input;
  const trail = trailArn(accountId, region, input.trailName);
  const trailContext = `arn:${partitionOf(region)}:cloudtrail:*:${accountId}:trail/*`;
  return {
    Version: '2012-10-17',
    Statement: [
      keyAdministrationStatement(accountId, region),
      {
        Sid: 'CloudTrailEncryptsLogFiles',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceArn': trail },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trailContext },
        },
      },
      {
        Sid: 'CloudTrailDescribesKey',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:DescribeKey',
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceArn': trail } },
      },
      {
        Sid: 'AccountPrincipalsDecryptTrailFiles',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Decrypt', 'kms:ReEncryptFrom'],
        Resource: '*',
        Condition: {
          StringEquals: { 'kms:CallerAccount': accountId },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trailContext },
        },
      },
      {
        Sid: 'CloudWatchLogsEncryptsTrailLogGroup',
        Effect: 'Allow',
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn(accountId, region, input.logGroupName) } },
      },
    ],
  };
}

/** Bucket policy CloudTrail needs (ACL check + write under AWSLogs/<account>/ for this trail only), TLS only. */
export function cloudTrailBucketPolicy(bucketName: string, accountId: string, region: string, trailName: string) {
  const partition = partitionOf(region);
  const bucket = `arn:${partition}:s3:::${bucketName}`;
  const trail = trailArn(accountId, region, trailName);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'CloudTrailAclCheck',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:GetBucketAcl',
        Resource: bucket,
        Condition: { StringEquals: { 'aws:SourceArn': trail } },
      },
      {
        Sid: 'CloudTrailWritesLogFiles',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `${bucket}/AWSLogs/${accountId}/*`,
        Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trail } },
      },
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [bucket, `${bucket}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
}

/** Trust policy of the role CloudTrail assumes to write to CloudWatch Logs. */
export function cloudTrailAssumeRolePolicy() {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'CloudTrailAssumesRole',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'sts:AssumeRole',
      },
    ],
  };
}

/** What that role may do: create streams in and put events to the trail's log group, nothing else. */
export function cloudTrailLogsPolicy(accountId: string, region: string, logGroupName: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'WriteTrailLogGroup',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `${logGroupArn(accountId, region, logGroupName)}:log-stream:*`,
      },
    ],
  };
}
