import { Construct } from 'constructs';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault';
import { BackupVaultLockConfiguration } from '@cdktf/provider-aws/lib/backup-vault-lock-configuration';
import { useStableAddress } from '../naming';
import { ManagedKey } from './managed-key';
import { backupVaultKeyPolicy } from './policies';

export const DEFAULT_CHANGEABLE_FOR_DAYS = 3;

/**
 * Vault lock (WORM). In compliance mode the lock becomes immutable after `changeableForDays`: from then on nobody,
 * not even the account root, can shorten retention, delete recovery points early or remove the lock.
 */
export interface VaultLockOptions {
  /** Recovery points kept less than this are rejected. */
  readonly minRetentionDays: number;
  /** Recovery points kept longer than this are rejected. */
  readonly maxRetentionDays: number;
  /**
   * `governance` locks can be removed by principals allowed backup:DeleteBackupVaultLockConfiguration.
   * @default 'compliance'
   */
  readonly mode?: 'compliance' | 'governance';
  /** Compliance mode only: grace time before the lock becomes immutable (3 to 36500). @default 3 */
  readonly changeableForDays?: number;
}

export interface EncryptedVaultProps {
  readonly vaultName: string;
  readonly accountId: string;
  /** Region of the vault and its key (provider 6 per-resource `region` when it is not the provider's). */
  readonly region: string;
  /** Sets the per-resource `region` argument (for the cross-region copy vault). @default false */
  readonly pinRegion?: boolean;
  /** Existing customer-managed key; a dedicated key is created when absent. */
  readonly keyArn?: string;
  readonly lock?: VaultLockOptions;
  readonly tags?: Record<string, string>;
  readonly preventDestroy?: boolean;
}

/** A backup vault encrypted with a customer-managed key, optionally locked. */
export class EncryptedVault extends Construct {
  readonly vault: BackupVault;
  readonly key?: ManagedKey;
  readonly keyArn: string;
  readonly lock?: BackupVaultLockConfiguration;
  readonly vaultName: string;
  readonly vaultArn: string;

  constructor(scope: Construct, id: string, props: EncryptedVaultProps) {
    super(scope, id);
    const region = props.pinRegion ? props.region : undefined;
    if (props.keyArn === undefined) {
      this.key = new ManagedKey(this, 'key', {
        // The vault shares its name with the stack's table key alias (`<prefix>-dynamodb`), so the key alias says "vault".
        aliasName: `alias/${props.vaultName}-vault`,
        description: `AWS Backup vault ${props.vaultName} (dynamodb:005)`,
        policy: backupVaultKeyPolicy(props.accountId, props.region),
        region,
        tags: props.tags,
        preventDestroy: props.preventDestroy,
      });
    }
    this.keyArn = props.keyArn ?? this.key!.keyArn;

    this.vault = useStableAddress(
      new BackupVault(this, 'vault', {
        name: props.vaultName,
        kmsKeyArn: this.keyArn,
        // Never let Terraform delete recovery points together with the vault.
        forceDestroy: false,
        region,
        tags: props.tags,
        lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
      }),
      { primary: true },
    );
    if (props.lock) {
      this.lock = useStableAddress(
        new BackupVaultLockConfiguration(this, 'lock', {
          backupVaultName: this.vault.name,
          minRetentionDays: props.lock.minRetentionDays,
          maxRetentionDays: props.lock.maxRetentionDays,
          changeableForDays: (props.lock.mode ?? 'compliance') === 'compliance' ? (props.lock.changeableForDays ?? DEFAULT_CHANGEABLE_FOR_DAYS) : undefined,
          region,
        }),
      );
    }
    this.vaultName = this.vault.name;
    this.vaultArn = this.vault.arn;
  }
}
