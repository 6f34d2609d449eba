import { partitionOf } from '../encryption';
import { KeyPolicyDocument, keyAdministrationStatement, useOnlyThroughServiceStatement } from './managed-key';

/** The only two policies the AWS Backup service role gets (AWS-managed, maintained by AWS as services evolve). */
export function backupServiceRolePolicyArns(region: string): [string, string] {
  const partition = partitionOf(region);
  return [
    `arn:${partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup`,
    `arn:${partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores`,
  ];
}

/** Trust policy of the backup role: only the AWS Backup service may assume it. */
export function backupAssumeRolePolicy() {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AwsBackupAssumesRole',
        Effect: 'Allow',
        Principal: { Service: 'backup.amazonaws.com' },
        Action: 'sts:AssumeRole',
      },
    ],
  };
}

/**
 * Key policy of a backup vault key: the account root administers it; principals of the account may use it only
 * through AWS Backup in the vault's region (`kms:ViaService`), which is how backup, copy and restore jobs reach it
 * (AWS Backup creates grants for the duration of a job, hence `kms:CreateGrant` limited to AWS resources).
 */
export function backupVaultKeyPolicy(accountId: string, region: string): KeyPolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      keyAdministrationStatement(accountId, region),
      useOnlyThroughServiceStatement('UseOnlyThroughAwsBackup', 'backup', accountId, region),
      {
        Sid: 'GrantsOnlyForAwsBackupJobs',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'kms:CreateGrant',
        Resource: '*',
        Condition: {
          StringEquals: { 'kms:ViaService': `backup.${region}.amazonaws.com`, 'kms:CallerAccount': accountId },
          Bool: { 'kms:GrantIsForAWSResource': 'true' },
        },
      },
    ],
  };
}
