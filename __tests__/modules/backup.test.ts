import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  DynamoDbBackup,
  DynamoDbBackupProps,
  backupAssumeRolePolicy,
  backupServiceRolePolicyArns,
  backupVaultKeyPolicy,
} from '../../modules/backup';
import { existingKey } from '../../modules/encryption';
import { SecureTable } from '../../modules/table';
import { TerraformJson, onlyResource, resourcesOfType, synthConstructs } from '../support/synth';
import { formatDiagnostic, terraformValidate } from '../support/terraform/validate';
import { errorMessageOf } from '../support/errors';

const ACCOUNT = '333333333333';
const REGION = 'ap-south-1';
const DOCUMENTS_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/AuditFlow-Documents`;
const RECORDS_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/AuditFlow-AuditRecords`;
const VAULT_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const COPY_KEY_ARN = `arn:aws:kms:ap-southeast-1:${ACCOUNT}:key/5678abcd-12ab-34cd-56ef-1234567890ab`;

function baseProps(): DynamoDbBackupProps {
  return {
    namePrefix: 'auditflow-prod',
    accountId: ACCOUNT,
    region: REGION,
    tables: [{ tableArn: DOCUMENTS_ARN }, { tableArn: RECORDS_ARN }],
  };
}

function synthBackup(overrides: Partial<DynamoDbBackupProps> = {}): TerraformJson {
  return synthConstructs((stack) => new DynamoDbBackup(stack, 'backup', { ...baseProps(), ...overrides }));
}

function backupError(overrides: Partial<DynamoDbBackupProps>): string {
  return errorMessageOf(() => synthBackup(overrides));
}

function rule(json: TerraformJson, name: string): any {
  return onlyResource(json, 'aws_backup_plan').rule.find((r: any) => r.rule_name === name);
}

describe('DynamoDbBackup defaults (dynamodb:005)', () => {
  const json = synthBackup();

  test('a vault encrypted with a dedicated customer-managed key that only AWS Backup can use', () => {
    const vault = onlyResource(json, 'aws_backup_vault');
    expect(vault).toMatchObject({ name: 'auditflow-prod-dynamodb', kms_key_arn: '${aws_kms_key.backup_vault_key.arn}', force_destroy: false });
    expect(vault.region).toBeUndefined();
    const key = onlyResource(json, 'aws_kms_key');
    expect(key.enable_key_rotation).toBe(true);
    expect(JSON.parse(key.policy)).toEqual(backupVaultKeyPolicy(ACCOUNT, REGION));
    expect(JSON.parse(key.policy).Statement[1].Condition.StringEquals['kms:ViaService']).toBe('backup.ap-south-1.amazonaws.com');
    expect(onlyResource(json, 'aws_kms_alias').name).toBe('alias/auditflow-prod-dynamodb-vault');
  });

  test('a daily rule kept 35 days and a monthly rule kept a year, no copy, no cold storage', () => {
    const plan = onlyResource(json, 'aws_backup_plan');
    expect(plan.name).toBe('auditflow-prod-dynamodb');
    expect(plan.rule).toHaveLength(2);
    expect(rule(json, 'daily')).toEqual({
      rule_name: 'daily',
      target_vault_name: '${aws_backup_vault.backup_vault.name}',
      schedule: 'cron(0 5 ? * * *)',
      start_window: 60,
      completion_window: 480,
      lifecycle: { delete_after: 35 },
    });
    expect(rule(json, 'monthly')).toMatchObject({ schedule: 'cron(0 5 1 * ? *)', lifecycle: { delete_after: 365 } });
    expect(rule(json, 'monthly').copy_action).toBeUndefined();
  });

  test('the selection is exactly the given table ARNs', () => {
    const selection = onlyResource(json, 'aws_backup_selection');
    expect(selection).toEqual(
      expect.objectContaining({
        name: 'auditflow-prod-tables',
        plan_id: '${aws_backup_plan.backup_plan.id}',
        iam_role_arn: '${aws_iam_role.backup_role.arn}',
        resources: [DOCUMENTS_ARN, RECORDS_ARN],
      }),
    );
    expect(selection.selection_tag).toBeUndefined();
    expect(selection.condition).toBeUndefined();
  });

  test('the role trusts backup.amazonaws.com and has exactly the two AWS-managed backup policies', () => {
    const role = onlyResource(json, 'aws_iam_role');
    expect(role.name).toBe('auditflow-prod-dynamodb-backup');
    expect(JSON.parse(role.assume_role_policy)).toEqual(backupAssumeRolePolicy());
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: 'backup.amazonaws.com' });
    const attached = Object.values(resourcesOfType(json, 'aws_iam_role_policy_attachment')).map((a: any) => a.policy_arn);
    expect(attached).toEqual([
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
    ]);
    const exclusive = onlyResource(json, 'aws_iam_role_policy_attachments_exclusive');
    expect(exclusive.role_name).toBe('${aws_iam_role.backup_role.name}');
    expect(exclusive.policy_arns).toEqual(attached);
    expect(resourcesOfType(json, 'aws_iam_role_policy')).toEqual({});
  });

  test('no lock, copy vault or notifications unless asked', () => {
    expect(resourcesOfType(json, 'aws_backup_vault_lock_configuration')).toEqual({});
    expect(resourcesOfType(json, 'aws_backup_vault_notifications')).toEqual({});
    expect(Object.keys(resourcesOfType(json, 'aws_backup_vault'))).toEqual(['backup_vault']);
  });

  test('SecureTables can be passed directly: their ARNs are selected', () => {
    const tableJson = synthConstructs((stack) => {
      const table = new SecureTable(stack, 'documents', {
        tableName: 'AuditFlow-Documents',
        partitionKey: { name: 'document_id', type: 'S' },
        encryptionKey: existingKey('test', VAULT_KEY_ARN),
      });
      new DynamoDbBackup(stack, 'backup', { ...baseProps(), tables: [table] });
    });
    expect(onlyResource(tableJson, 'aws_backup_selection').resources).toEqual(['${aws_dynamodb_table.documents.arn}']);
  });

  test('policy ARNs follow the partition', () => {
    expect(backupServiceRolePolicyArns('cn-north-1')[0]).toBe('arn:aws-cn:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup');
  });
});

describe('DynamoDbBackup options', () => {
  test('an existing vault key: no key is created', () => {
    const json = synthBackup({ vaultKeyArn: VAULT_KEY_ARN });
    expect(resourcesOfType(json, 'aws_kms_key')).toEqual({});
    expect(onlyResource(json, 'aws_backup_vault').kms_key_arn).toBe(VAULT_KEY_ARN);
  });

  test('cross-region copy: a vault and key in the copy region (per-resource region) and a copy action per rule', () => {
    const json = synthBackup({ crossRegionCopy: { region: 'ap-southeast-1' } });
    const copyVault = resourcesOfType(json, 'aws_backup_vault').backup_copy_vault;
    expect(copyVault).toMatchObject({ name: 'auditflow-prod-dynamodb-copy', region: 'ap-southeast-1', kms_key_arn: '${aws_kms_key.backup_copy_vault_key.arn}' });
    const copyKey = resourcesOfType(json, 'aws_kms_key').backup_copy_vault_key;
    expect(copyKey.region).toBe('ap-southeast-1');
    expect(JSON.parse(copyKey.policy)).toEqual(backupVaultKeyPolicy(ACCOUNT, 'ap-southeast-1'));
    expect(resourcesOfType(json, 'aws_kms_alias').backup_copy_vault_key_alias.region).toBe('ap-southeast-1');
    expect(rule(json, 'daily').copy_action).toEqual([{ destination_vault_arn: '${aws_backup_vault.backup_copy_vault.arn}', lifecycle: { delete_after: 35 } }]);
    expect(rule(json, 'monthly').copy_action).toEqual([{ destination_vault_arn: '${aws_backup_vault.backup_copy_vault.arn}', lifecycle: { delete_after: 365 } }]);
  });

  test('cross-region copy with its own key, vault name and retention', () => {
    const json = synthBackup({ crossRegionCopy: { region: 'ap-southeast-1', vaultKeyArn: COPY_KEY_ARN, vaultName: 'dr-vault', deleteAfterDays: 90 } });
    expect(resourcesOfType(json, 'aws_backup_vault').backup_copy_vault).toMatchObject({ name: 'dr-vault', kms_key_arn: COPY_KEY_ARN });
    expect(rule(json, 'daily').copy_action[0].lifecycle).toEqual({ delete_after: 90 });
  });

  test('cold storage on the monthly rule, followed by its copies', () => {
    const json = synthBackup({ monthly: { coldStorageAfterDays: 30, deleteAfterDays: 365 }, crossRegionCopy: { region: 'ap-southeast-1' } });
    expect(rule(json, 'monthly').lifecycle).toEqual({ cold_storage_after: 30, delete_after: 365 });
    expect(rule(json, 'monthly').copy_action[0].lifecycle).toEqual({ cold_storage_after: 30, delete_after: 365 });
    expect(rule(json, 'daily').lifecycle).toEqual({ delete_after: 35 });
  });

  test('custom schedules, time zone and windows; a rule can be dropped', () => {
    const json = synthBackup({
      daily: { schedule: 'cron(30 22 ? * * *)', scheduleTimezone: 'Asia/Kolkata', deleteAfterDays: 14, startWindowMinutes: 120, completionWindowMinutes: 300 },
      monthly: false,
    });
    expect(onlyResource(json, 'aws_backup_plan').rule).toEqual([
      {
        rule_name: 'daily',
        target_vault_name: '${aws_backup_vault.backup_vault.name}',
        schedule: 'cron(30 22 ? * * *)',
        schedule_expression_timezone: 'Asia/Kolkata',
        start_window: 120,
        completion_window: 300,
        lifecycle: { delete_after: 14 },
      },
    ]);
  });

  test('vault lock in compliance mode on the vault and the copy vault', () => {
    const json = synthBackup({ vaultLock: { minRetentionDays: 7, maxRetentionDays: 3650 }, crossRegionCopy: { region: 'ap-southeast-1' } });
    const locks = resourcesOfType(json, 'aws_backup_vault_lock_configuration');
    expect(locks.backup_vault_lock).toEqual(
      expect.objectContaining({ backup_vault_name: '${aws_backup_vault.backup_vault.name}', min_retention_days: 7, max_retention_days: 3650, changeable_for_days: 3 }),
    );
    expect(locks.backup_copy_vault_lock).toMatchObject({ region: 'ap-southeast-1', changeable_for_days: 3 });
  });

  test('vault lock grace time, and governance mode without one', () => {
    const compliance = synthBackup({ vaultLock: { minRetentionDays: 1, maxRetentionDays: 400, changeableForDays: 14 } });
    expect(onlyResource(compliance, 'aws_backup_vault_lock_configuration').changeable_for_days).toBe(14);
    const governance = synthBackup({ vaultLock: { minRetentionDays: 1, maxRetentionDays: 400, mode: 'governance' } });
    expect(onlyResource(governance, 'aws_backup_vault_lock_configuration').changeable_for_days).toBeUndefined();
  });

  test('selection by tag: a second selection limited to DynamoDB tables carrying the tag', () => {
    const json = synthBackup({ selectByTag: { key: 'Backup', value: 'daily' } });
    const selections = resourcesOfType(json, 'aws_backup_selection');
    expect(selections.backup_selection.resources).toEqual([DOCUMENTS_ARN, RECORDS_ARN]);
    expect(selections.backup_tag_selection).toEqual(
      expect.objectContaining({
        name: 'auditflow-prod-tagged-tables',
        resources: ['arn:aws:dynamodb:*:*:table/*'],
        condition: [{ string_equals: [{ key: 'aws:ResourceTag/Backup', value: 'daily' }] }],
      }),
    );
  });

  test('vault notifications to a topic, with supported (non-deprecated) events only', () => {
    const topic = `arn:aws:sns:${REGION}:${ACCOUNT}:auditflow-prod-dynamodb-alarms`;
    const json = synthBackup({ notificationTopicArn: topic });
    expect(onlyResource(json, 'aws_backup_vault_notifications')).toEqual(
      expect.objectContaining({
        backup_vault_name: '${aws_backup_vault.backup_vault.name}',
        sns_topic_arn: topic,
        backup_vault_events: ['BACKUP_JOB_COMPLETED', 'COPY_JOB_FAILED', 'RESTORE_JOB_STARTED', 'RESTORE_JOB_COMPLETED', 'RECOVERY_POINT_MODIFIED'],
      }),
    );
  });

  test('tags and prevent_destroy reach the vaults and keys', () => {
    const json = synthBackup({ tags: { DataClassification: 'confidential' }, preventDestroy: true, crossRegionCopy: { region: 'ap-southeast-1' } });
    for (const vault of Object.values(resourcesOfType(json, 'aws_backup_vault'))) {
      expect(vault.lifecycle).toEqual({ prevent_destroy: true });
      expect(vault.tags).toEqual({ DataClassification: 'confidential' });
    }
    for (const key of Object.values(resourcesOfType(json, 'aws_kms_key'))) expect(key.lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(json, 'aws_backup_plan').tags).toEqual({ DataClassification: 'confidential' });
  });
});

describe('DynamoDbBackup validation', () => {
  const subject = 'test/backup';

  test('at least one table', () => {
    expect(backupError({ tables: [] })).toBe(
      `${subject}: tables = []: at least one table must be selected for backup (dynamodb:005); waive the requirement for the environment instead of creating an empty plan`,
    );
  });

  test('table ARNs: well-formed and unique', () => {
    expect(backupError({ tables: [{ tableArn: 'AuditFlow-Documents' }] })).toBe(
      `${subject}: tables = 'AuditFlow-Documents': must be a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>)`,
    );
    expect(backupError({ tables: [{ tableArn: DOCUMENTS_ARN }, { tableArn: DOCUMENTS_ARN }] })).toBe(
      `${subject}: tables = '${DOCUMENTS_ARN}': each table may be selected only once`,
    );
  });

  test('identity: name prefix, account, region', () => {
    expect(backupError({ namePrefix: 'AuditFlow_Prod' })).toBe(
      `${subject}: namePrefix = 'AuditFlow_Prod': must be 1 to 32 lower-case letters, digits or single hyphens, starting and ending with a letter or digit (it prefixes bucket, vault, alarm and role names)`,
    );
    expect(backupError({ accountId: '3333' })).toBe(`${subject}: accountId = '3333': must be a 12-digit AWS account id`);
    expect(backupError({ region: 'mumbai' })).toBe(`${subject}: region = 'mumbai': must be an AWS region code such as 'us-east-1' or 'ap-south-1'`);
  });

  test('retention of at least one day', () => {
    expect(backupError({ daily: { deleteAfterDays: 0 } })).toBe(`${subject}: daily.deleteAfterDays = 0: must be a whole number from 1 to 36500`);
    expect(backupError({ monthly: { deleteAfterDays: 36501 } })).toBe(`${subject}: monthly.deleteAfterDays = 36501: must be a whole number from 1 to 36500`);
  });

  test('cold storage needs 90 days before deletion', () => {
    expect(backupError({ monthly: { coldStorageAfterDays: 30, deleteAfterDays: 100 } })).toBe(
      `${subject}: monthly.deleteAfterDays = 100: backups must stay in cold storage for at least 90 days, so deleteAfterDays must be at least coldStorageAfterDays + 90 = 120`,
    );
    expect(backupError({ crossRegionCopy: { region: 'ap-southeast-1', coldStorageAfterDays: 10, deleteAfterDays: 60 } })).toBe(
      `${subject}: crossRegionCopy.deleteAfterDays = 60: backups must stay in cold storage for at least 90 days, so deleteAfterDays must be at least coldStorageAfterDays + 90 = 100`,
    );
  });

  test('schedule expression format', () => {
    expect(backupError({ daily: { schedule: 'cron(0 5 * * *)' } })).toBe(
      `${subject}: daily.schedule = 'cron(0 5 * * *)': must be an AWS Backup cron expression 'cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)' with '?' in exactly one of day-of-month and day-of-week, e.g. 'cron(0 5 ? * * *)'`,
    );
    expect(backupError({ daily: { schedule: 'cron(0 5 * * * *)' } })).toBe(
      `${subject}: daily.schedule = 'cron(0 5 * * * *)': must be an AWS Backup cron expression 'cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)' with '?' in exactly one of day-of-month and day-of-week, e.g. 'cron(0 5 ? * * *)'`,
    );
    expect(backupError({ daily: { schedule: 'rate(1 day)' } })).toContain(`${subject}: daily.schedule = 'rate(1 day)': must be an AWS Backup cron expression`);
    expect(backupError({ daily: { schedule: 'cron(*/5 * ? * * *)' } })).toBe(
      `${subject}: daily.schedule = 'cron(*/5 * ? * * *)': must start at a fixed minute (0-59), not '*/5': AWS Backup runs a rule at most once an hour`,
    );
  });

  test('start and completion windows', () => {
    expect(backupError({ daily: { startWindowMinutes: 30 } })).toBe(`${subject}: daily.startWindowMinutes = 30: must be a whole number from 60 to 52560000`);
    expect(backupError({ daily: { startWindowMinutes: 120, completionWindowMinutes: 150 } })).toBe(
      `${subject}: daily.completionWindowMinutes = 150: must be at least 60 minutes longer than startWindowMinutes (120)`,
    );
  });

  test('at least one rule', () => {
    expect(backupError({ daily: false, monthly: false })).toBe(
      `${subject}: daily/monthly = false: at least one backup rule is needed; keep the daily or the monthly rule`,
    );
  });

  test('the copy region differs from the source region', () => {
    expect(backupError({ crossRegionCopy: { region: REGION } })).toBe(
      `${subject}: crossRegionCopy.region = 'ap-south-1': the copy must go to another region than the source vault ('ap-south-1')`,
    );
    expect(backupError({ crossRegionCopy: { region: 'singapore' } })).toBe(
      `${subject}: crossRegionCopy.region = 'singapore': must be an AWS region code such as 'us-east-1' or 'ap-south-1'`,
    );
  });

  test('vault keys: customer-managed key ARNs in the vault region', () => {
    expect(backupError({ vaultKeyArn: 'alias/backup' })).toBe(
      `${subject}: vaultKeyArn = 'alias/backup': must be a customer-managed KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); aliases and AWS-managed keys are not accepted`,
    );
    expect(backupError({ crossRegionCopy: { region: 'ap-southeast-1', vaultKeyArn: VAULT_KEY_ARN } })).toBe(
      `${subject}: crossRegionCopy.vaultKeyArn = '${VAULT_KEY_ARN}': the key must be in region 'ap-southeast-1', not 'ap-south-1' (KMS keys cannot be used across regions)`,
    );
    expect(backupError({ crossRegionCopy: { region: 'ap-southeast-1', vaultName: 'dr vault' } })).toBe(
      `${subject}: crossRegionCopy.vaultName = 'dr vault': must be 2 to 50 letters, digits, '-' or '_'`,
    );
  });

  test('vault lock: min ≤ max, grace time, retention within the bounds', () => {
    expect(backupError({ vaultLock: { minRetentionDays: 400, maxRetentionDays: 365 } })).toBe(
      `${subject}: vaultLock.minRetentionDays = 400: must not exceed vaultLock.maxRetentionDays (365)`,
    );
    expect(backupError({ vaultLock: { minRetentionDays: 7, maxRetentionDays: 3650, changeableForDays: 1 } })).toBe(
      `${subject}: vaultLock.changeableForDays = 1: must be a whole number from 3 to 36500`,
    );
    expect(backupError({ vaultLock: { minRetentionDays: 7, maxRetentionDays: 3650, mode: 'governance', changeableForDays: 3 } })).toBe(
      `${subject}: vaultLock.changeableForDays = 3: applies only to compliance mode; remove it or use mode 'compliance'`,
    );
    expect(backupError({ vaultLock: { minRetentionDays: 60, maxRetentionDays: 3650 } })).toBe(
      `${subject}: daily.deleteAfterDays = 35: the vault lock only accepts recovery points kept 60 to 3650 days`,
    );
    expect(backupError({ vaultLock: { minRetentionDays: 7, maxRetentionDays: 100 } })).toBe(
      `${subject}: monthly.deleteAfterDays = 365: the vault lock only accepts recovery points kept 7 to 100 days`,
    );
    expect(backupError({ vaultLock: { minRetentionDays: 7, maxRetentionDays: 3650 }, crossRegionCopy: { region: 'ap-southeast-1', deleteAfterDays: 5000 } })).toBe(
      `${subject}: crossRegionCopy.deleteAfterDays = 5000: the vault lock only accepts recovery points kept 7 to 3650 days`,
    );
    expect(backupError({ vaultLock: { minRetentionDays: 0, maxRetentionDays: 10 } })).toBe(
      `${subject}: vaultLock.minRetentionDays = 0: must be a whole number from 1 to 36500`,
    );
  });

  test('tag selection key', () => {
    expect(backupError({ selectByTag: { key: 'aws:backup', value: 'x' } })).toBe(
      `${subject}: selectByTag.key = 'aws:backup': tag keys must be 1 to 128 characters and must not start with 'aws:'`,
    );
  });
});

describe('DynamoDbBackup passes terraform validate', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-backup-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('every option together, with SecureTables', () => {
    const app = Testing.app({ outdir });
    const stack = new TerraformStack(app, 'backup-validate');
    new AwsProvider(stack, 'aws', { region: REGION });
    const key = existingKey('test', VAULT_KEY_ARN);
    const documents = new SecureTable(stack, 'documents', { tableName: 'AuditFlow-Documents', partitionKey: { name: 'document_id', type: 'S' }, encryptionKey: key });
    const records = new SecureTable(stack, 'audit_records', { tableName: 'AuditFlow-AuditRecords', partitionKey: { name: 'audit_record_id', type: 'S' }, encryptionKey: key });
    new DynamoDbBackup(stack, 'backup', {
      ...baseProps(),
      tables: [documents, records],
      selectByTag: { key: 'Backup', value: 'daily' },
      daily: { scheduleTimezone: 'Asia/Kolkata' },
      monthly: { coldStorageAfterDays: 30, deleteAfterDays: 365 },
      crossRegionCopy: { region: 'ap-southeast-1' },
      vaultLock: { minRetentionDays: 7, maxRetentionDays: 3650, changeableForDays: 7 },
      notificationTopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:auditflow-prod-dynamodb-alarms`,
      tags: { DataClassification: 'confidential' },
      preventDestroy: true,
    });
    new DynamoDbBackup(stack, 'backup_existing_keys', {
      ...baseProps(),
      namePrefix: 'auditflow-prod-b',
      vaultKeyArn: VAULT_KEY_ARN,
      crossRegionCopy: { region: 'ap-southeast-1', vaultKeyArn: COPY_KEY_ARN },
      vaultLock: { minRetentionDays: 1, maxRetentionDays: 400, mode: 'governance' },
    });
    app.synth();

    const result = terraformValidate(path.join(outdir, 'stacks', 'backup-validate'));
    expect(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
