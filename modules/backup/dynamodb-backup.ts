import { Construct } from 'constructs';
import { BackupPlan, BackupPlanRule } from '@cdktf/provider-aws/lib/backup-plan';
import { BackupSelection } from '@cdktf/provider-aws/lib/backup-selection';
import { BackupVaultNotifications } from '@cdktf/provider-aws/lib/backup-vault-notifications';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamRolePolicyAttachmentsExclusive } from '@cdktf/provider-aws/lib/iam-role-policy-attachments-exclusive';
import { partitionOf } from '../encryption';
import { useStableAddress } from '../naming';
import { GuardrailError, isResolved, requireIntegerInRange } from '../validation';
import { validateAccountId, validateKeyArn, validateNamePrefix, validateRegion, validateTag } from './aws-identifiers';
import { backupAssumeRolePolicy, backupServiceRolePolicyArns } from './policies';
import {
  MAX_CHANGEABLE_FOR_DAYS,
  MAX_RETENTION_DAYS,
  MIN_CHANGEABLE_FOR_DAYS,
  MIN_RETENTION_DAYS,
  VAULT_NAME_PATTERN,
  validateColdStorage,
  validateName,
  validateRetention,
  validateSchedule,
  validateWindows,
} from './validation';
import { EncryptedVault, VaultLockOptions } from './vault';
import { policyJson } from '../rendering';

/** A table to protect; `SecureTable` satisfies it. */
export interface BackupTarget {
  readonly tableArn: string;
}

export interface BackupRuleOptions {
  /** AWS Backup cron expression (UTC unless `scheduleTimezone`). */
  readonly schedule?: string;
  /** IANA time zone of the schedule, e.g. 'Asia/Kolkata'. @default UTC */
  readonly scheduleTimezone?: string;
  /** Retention of each recovery point. */
  readonly deleteAfterDays?: number;
  /**
   * Move recovery points to cold storage after this many days (needs AWS Backup's advanced DynamoDB backup features;
   * see help/backups.md). `deleteAfterDays` must then be at least 90 days later.
   * @default never
   */
  readonly coldStorageAfterDays?: number;
  /** @default 60 */
  readonly startWindowMinutes?: number;
  /** @default 480 (8 hours) */
  readonly completionWindowMinutes?: number;
}

export interface CrossRegionCopyOptions {
  /** Region of the copy vault; must differ from the source region. */
  readonly region: string;
  /** Existing key in the copy region; a dedicated key is created there (per-resource `region`) when absent. */
  readonly vaultKeyArn?: string;
  /** @default `<namePrefix>-dynamodb-copy` */
  readonly vaultName?: string;
  /** Retention of the copies. @default the retention of the rule that made the backup */
  readonly deleteAfterDays?: number;
  /** @default the rule's cold storage setting */
  readonly coldStorageAfterDays?: number;
}

export interface DynamoDbBackupProps {
  /** Prefix of every name: `<namePrefix>-dynamodb` vault, `<namePrefix>-dynamodb` plan, role, selection. */
  readonly namePrefix: string;
  readonly accountId: string;
  /** Region of the tables (and of the primary vault). */
  readonly region: string;
  /** Tables selected by ARN; at least one (waive dynamodb:005 per environment instead of passing none). */
  readonly tables: readonly BackupTarget[];
  /**
   * Also back up every DynamoDB table carrying this tag (a second selection limited to DynamoDB table ARNs).
   * @default tables are selected by ARN only
   */
  readonly selectByTag?: { readonly key: string; readonly value: string };
  /** Existing customer-managed key for the vault; a dedicated key (use only via backup.<region>) when absent. */
  readonly vaultKeyArn?: string;
  /** `false` drops a rule. @default daily at 05:00 UTC kept 35 days */
  readonly daily?: BackupRuleOptions | false;
  /** @default 1st of the month at 05:00 UTC kept 365 days */
  readonly monthly?: BackupRuleOptions | false;
  /** Copy every recovery point to a vault in another region. @default no copy */
  readonly crossRegionCopy?: CrossRegionCopyOptions;
  /** Lock the vault(s); every rule's retention must fall within the lock's bounds. @default no lock */
  readonly vaultLock?: VaultLockOptions;
  /**
   * Send backup/restore/copy job events of the vault to this SNS topic (the topic must let backup.amazonaws.com
   * publish: AlarmTopic's `allowAwsBackupNotifications`). @default no notifications
   */
  readonly notificationTopicArn?: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
  /** `lifecycle.prevent_destroy` on vaults and keys. @default false */
  readonly preventDestroy?: boolean;
}

export const DEFAULT_DAILY_RULE = { schedule: 'cron(0 5 ? * * *)', deleteAfterDays: 35 } as const;
export const DEFAULT_MONTHLY_RULE = { schedule: 'cron(0 5 1 * ? *)', deleteAfterDays: 365 } as const;
export const DEFAULT_START_WINDOW_MINUTES = 60;
export const DEFAULT_COMPLETION_WINDOW_MINUTES = 480;
/** Vault events worth a notification; deprecated event names (BACKUP_JOB_FAILED…) no longer fire. */
export const VAULT_NOTIFICATION_EVENTS = ['BACKUP_JOB_COMPLETED', 'COPY_JOB_FAILED', 'RESTORE_JOB_STARTED', 'RESTORE_JOB_COMPLETED', 'RECOVERY_POINT_MODIFIED'];

interface ResolvedRule {
  readonly name: 'daily' | 'monthly';
  readonly schedule: string;
  readonly scheduleTimezone?: string;
  readonly deleteAfterDays: number;
  readonly coldStorageAfterDays?: number;
  readonly startWindowMinutes: number;
  readonly completionWindowMinutes: number;
}

/**
 * dynamodb:005 — the given tables in an AWS Backup plan: a vault encrypted with a customer-managed key, a daily and a
 * monthly rule, optional cross-region copy and cold storage, an optional vault lock, and a selection of exactly the
 * given table ARNs made by a role holding only the two AWS-managed AWS Backup service policies.
 */
export class DynamoDbBackup extends Construct {
  readonly vault: EncryptedVault;
  readonly copyVault?: EncryptedVault;
  readonly plan: BackupPlan;
  readonly role: IamRole;
  readonly selection: BackupSelection;
  readonly tagSelection?: BackupSelection;
  readonly rules: readonly ResolvedRule[];

  constructor(scope: Construct, id: string, props: DynamoDbBackupProps) {
    super(scope, id);
    const subject = this.node.path;
    this.validateIdentity(subject, props);
    this.rules = this.resolveRules(subject, props);
    this.validateCopy(subject, props);
    this.validateLock(subject, props);

    const vaultName = `${props.namePrefix}-dynamodb`;
    this.vault = new EncryptedVault(this, 'vault', {
      vaultName,
      accountId: props.accountId,
      region: props.region,
      keyArn: props.vaultKeyArn,
      lock: props.vaultLock,
      tags: props.tags,
      preventDestroy: props.preventDestroy,
    });
    const copy = props.crossRegionCopy;
    if (copy) {
      this.copyVault = new EncryptedVault(this, 'copy_vault', {
        vaultName: copy.vaultName ?? `${props.namePrefix}-dynamodb-copy`,
        accountId: props.accountId,
        region: copy.region,
        pinRegion: true,
        keyArn: copy.vaultKeyArn,
        lock: props.vaultLock,
        tags: props.tags,
        preventDestroy: props.preventDestroy,
      });
    }

    this.plan = useStableAddress(
      new BackupPlan(this, 'plan', {
        name: `${props.namePrefix}-dynamodb`,
        rule: this.rules.map((rule) => this.renderRule(rule, copy)),
        tags: props.tags,
      }),
    );
    this.role = this.createRole(props);
    this.selection = useStableAddress(
      new BackupSelection(this, 'selection', {
        name: `${props.namePrefix}-tables`,
        planId: this.plan.id,
        iamRoleArn: this.role.arn,
        resources: props.tables.map((table) => table.tableArn),
      }),
    );
    if (props.selectByTag) {
      this.tagSelection = useStableAddress(
        new BackupSelection(this, 'tag_selection', {
          name: `${props.namePrefix}-tagged-tables`,
          planId: this.plan.id,
          iamRoleArn: this.role.arn,
          // Only DynamoDB tables, however many other resources carry the tag.
          resources: [`arn:${partitionOf(props.region)}:dynamodb:*:*:table/*`],
          condition: [{ stringEquals: [{ key: `aws:ResourceTag/${props.selectByTag.key}`, value: props.selectByTag.value }] }],
        }),
      );
    }
    if (props.notificationTopicArn) {
      useStableAddress(
        new BackupVaultNotifications(this, 'notifications', {
          backupVaultName: this.vault.vaultName,
          snsTopicArn: props.notificationTopicArn,
          backupVaultEvents: VAULT_NOTIFICATION_EVENTS,
        }),
      );
    }
  }

  private renderRule(rule: ResolvedRule, copy: CrossRegionCopyOptions | undefined): BackupPlanRule {
    return {
      ruleName: rule.name,
      targetVaultName: this.vault.vaultName,
      schedule: rule.schedule,
      scheduleExpressionTimezone: rule.scheduleTimezone,
      startWindow: rule.startWindowMinutes,
      completionWindow: rule.completionWindowMinutes,
      lifecycle: { deleteAfter: rule.deleteAfterDays, coldStorageAfter: rule.coldStorageAfterDays },
      copyAction:
        copy && this.copyVault
          ? [
              {
                destinationVaultArn: this.copyVault.vaultArn,
                lifecycle: {
                  deleteAfter: copy.deleteAfterDays ?? rule.deleteAfterDays,
                  coldStorageAfter: copy.coldStorageAfterDays ?? rule.coldStorageAfterDays,
                },
              },
            ]
          : undefined,
    };
  }

  private createRole(props: DynamoDbBackupProps): IamRole {
    const role = useStableAddress(
      new IamRole(this, 'role', {
        name: `${props.namePrefix}-dynamodb-backup`,
        description: 'Assumed by AWS Backup to back up and restore the selected DynamoDB tables (dynamodb:005)',
        assumeRolePolicy: policyJson(backupAssumeRolePolicy()),
        tags: props.tags,
      }),
    );
    const policyArns = backupServiceRolePolicyArns(props.region);
    const attachments = [
      new IamRolePolicyAttachment(this, 'backup_policy', { role: role.name, policyArn: policyArns[0] }),
      new IamRolePolicyAttachment(this, 'restore_policy', { role: role.name, policyArn: policyArns[1] }),
    ];
    attachments.forEach((attachment) => useStableAddress(attachment));
    // Exactly these two managed policies: anything else attached later is detached on the next apply.
    useStableAddress(
      new IamRolePolicyAttachmentsExclusive(this, 'exclusive_policies', {
        roleName: role.name,
        policyArns,
        dependsOn: attachments,
      }),
    );
    return role;
  }

  private validateIdentity(subject: string, props: DynamoDbBackupProps): void {
    validateNamePrefix(subject, 'namePrefix', props.namePrefix);
    validateAccountId(subject, 'accountId', props.accountId);
    validateRegion(subject, 'region', props.region);
    if (props.tables.length === 0) {
      throw new GuardrailError(subject, 'tables', [], 'at least one table must be selected for backup (dynamodb:005); waive the requirement for the environment instead of creating an empty plan');
    }
    const arns = props.tables.map((table) => table.tableArn);
    const duplicate = arns.find((arn, index) => isResolved(arn) && arns.indexOf(arn) !== index);
    if (duplicate !== undefined) {
      throw new GuardrailError(subject, 'tables', duplicate, 'each table may be selected only once');
    }
    for (const arn of arns) {
      if (isResolved(arn) && !/^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}$/.test(arn)) {
        throw new GuardrailError(subject, 'tables', arn, 'must be a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>)');
      }
    }
    if (props.vaultKeyArn !== undefined) validateKeyArn(subject, 'vaultKeyArn', props.vaultKeyArn, props.region);
    if (props.selectByTag) validateTag(subject, 'selectByTag.key', props.selectByTag.key, props.selectByTag.value);
  }

  private resolveRules(subject: string, props: DynamoDbBackupProps): ResolvedRule[] {
    const rules: ResolvedRule[] = [];
    for (const [name, options, defaults] of [
      ['daily', props.daily, DEFAULT_DAILY_RULE],
      ['monthly', props.monthly, DEFAULT_MONTHLY_RULE],
    ] as const) {
      if (options === false) continue;
      const rule: ResolvedRule = {
        name,
        schedule: options?.schedule ?? defaults.schedule,
        scheduleTimezone: options?.scheduleTimezone,
        deleteAfterDays: options?.deleteAfterDays ?? defaults.deleteAfterDays,
        coldStorageAfterDays: options?.coldStorageAfterDays,
        startWindowMinutes: options?.startWindowMinutes ?? DEFAULT_START_WINDOW_MINUTES,
        completionWindowMinutes: options?.completionWindowMinutes ?? DEFAULT_COMPLETION_WINDOW_MINUTES,
      };
      validateSchedule(subject, `${name}.schedule`, rule.schedule);
      validateRetention(subject, `${name}.deleteAfterDays`, rule.deleteAfterDays);
      validateColdStorage(subject, `${name}.`, rule.deleteAfterDays, rule.coldStorageAfterDays);
      validateWindows(subject, `${name}.`, rule.startWindowMinutes, rule.completionWindowMinutes);
      rules.push(rule);
    }
    if (rules.length === 0) {
      throw new GuardrailError(subject, 'daily/monthly', false, 'at least one backup rule is needed; keep the daily or the monthly rule');
    }
    return rules;
  }

  private validateCopy(subject: string, props: DynamoDbBackupProps): void {
    const copy = props.crossRegionCopy;
    if (!copy) return;
    validateRegion(subject, 'crossRegionCopy.region', copy.region);
    if (isResolved(copy.region) && isResolved(props.region) && copy.region === props.region) {
      throw new GuardrailError(subject, 'crossRegionCopy.region', copy.region, `the copy must go to another region than the source vault ('${props.region}')`);
    }
    if (copy.vaultKeyArn !== undefined) validateKeyArn(subject, 'crossRegionCopy.vaultKeyArn', copy.vaultKeyArn, copy.region);
    if (copy.vaultName !== undefined) {
      validateName(subject, 'crossRegionCopy.vaultName', copy.vaultName, VAULT_NAME_PATTERN, "must be 2 to 50 letters, digits, '-' or '_'");
    }
    for (const rule of this.rules) {
      const deleteAfter = copy.deleteAfterDays ?? rule.deleteAfterDays;
      validateRetention(subject, 'crossRegionCopy.deleteAfterDays', deleteAfter);
      validateColdStorage(subject, 'crossRegionCopy.', deleteAfter, copy.coldStorageAfterDays ?? rule.coldStorageAfterDays);
    }
  }

  private validateLock(subject: string, props: DynamoDbBackupProps): void {
    const lock = props.vaultLock;
    if (!lock) return;
    requireIntegerInRange(subject, 'vaultLock.minRetentionDays', lock.minRetentionDays, MIN_RETENTION_DAYS, MAX_RETENTION_DAYS);
    requireIntegerInRange(subject, 'vaultLock.maxRetentionDays', lock.maxRetentionDays, MIN_RETENTION_DAYS, MAX_RETENTION_DAYS);
    if (lock.minRetentionDays > lock.maxRetentionDays) {
      throw new GuardrailError(subject, 'vaultLock.minRetentionDays', lock.minRetentionDays, `must not exceed vaultLock.maxRetentionDays (${lock.maxRetentionDays})`);
    }
    if (lock.changeableForDays !== undefined) {
      if (lock.mode === 'governance') {
        throw new GuardrailError(subject, 'vaultLock.changeableForDays', lock.changeableForDays, "applies only to compliance mode; remove it or use mode 'compliance'");
      }
      requireIntegerInRange(subject, 'vaultLock.changeableForDays', lock.changeableForDays, MIN_CHANGEABLE_FOR_DAYS, MAX_CHANGEABLE_FOR_DAYS);
    }
    const retentions: Array<[string, number]> = this.rules.map((rule) => [`${rule.name}.deleteAfterDays`, rule.deleteAfterDays]);
    if (props.crossRegionCopy) {
      for (const rule of this.rules) retentions.push(['crossRegionCopy.deleteAfterDays', props.crossRegionCopy.deleteAfterDays ?? rule.deleteAfterDays]);
    }
    for (const [field, days] of retentions) {
      if (isResolved(days) && (days < lock.minRetentionDays || days > lock.maxRetentionDays)) {
        throw new GuardrailError(subject, field, days, `the vault lock only accepts recovery points kept ${lock.minRetentionDays} to ${lock.maxRetentionDays} days`);
      }
    }
  }
}
