import { Construct } from 'constructs';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { MAX_DELETION_WINDOW_DAYS, MIN_DELETION_WINDOW_DAYS, partitionOf } from '../encryption';
import { useStableAddress } from '../naming';
import { GuardrailError, isResolved, requireIntegerInRange } from '../validation';
import { policyJson } from '../rendering';
import { KEY_ADMINISTRATION_ACTIONS } from '../encryption';

export { KEY_ADMINISTRATION_ACTIONS };

/** Key policy statement: the account root administers the key (keeps the key manageable, grants no data access). */
export function keyAdministrationStatement(accountId: string, region: string) {
  return {
    Sid: 'AccountRootAdministersKey',
    Effect: 'Allow',
    Principal: { AWS: `arn:${partitionOf(region)}:iam::${accountId}:root` },
    Action: KEY_ADMINISTRATION_ACTIONS,
    Resource: '*',
  };
}

/** The data-key actions a service uses on its customers' behalf to encrypt and decrypt. */
export const DATA_KEY_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

/**
 * Key policy statement: principals of the account may use the key only through one AWS service in its Region
 * (`kms:ViaService <service>.<region>.amazonaws.com`, `kms:CallerAccount`), e.g. AWS Backup jobs or Kinesis streams.
 */
export function useOnlyThroughServiceStatement(sid: string, service: string, accountId: string, region: string) {
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: { AWS: '*' },
    Action: DATA_KEY_ACTIONS,
    Resource: '*',
    Condition: { StringEquals: { 'kms:ViaService': `${service}.${region}.amazonaws.com`, 'kms:CallerAccount': accountId } },
  };
}

export interface KeyPolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly object[];
}

export interface ManagedKeyProps {
  /** e.g. `alias/auditflow-prod-backup-vault`. */
  readonly aliasName: string;
  readonly description: string;
  /** The full key policy, built by one of the pure policy functions so it stays readable in the synthesized JSON. */
  readonly policy: KeyPolicyDocument;
  /**
   * Region of the key when it differs from the provider's (provider 6 per-resource `region`), e.g. the key of a
   * cross-region backup copy vault.
   * @default the provider's region
   */
  readonly region?: string;
  /** @default 30 */
  readonly deletionWindowInDays?: number;
  /** @default {} */
  readonly tags?: Record<string, string>;
  /** Adds `lifecycle.prevent_destroy`: losing the key makes everything it encrypts unreadable. @default false */
  readonly preventDestroy?: boolean;
}

/**
 * A symmetric customer-managed KMS key with annual rotation and an alias, for a service that is not DynamoDB itself
 * (backup vaults, alarm topics, audit logs). Candidate for modules/encryption once the lead merges the modules.
 */
export class ManagedKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  readonly keyArn: string;

  constructor(scope: Construct, id: string, props: ManagedKeyProps) {
    super(scope, id);
    const deletionWindow = props.deletionWindowInDays ?? MAX_DELETION_WINDOW_DAYS;
    requireIntegerInRange(this.node.path, 'deletionWindowInDays', deletionWindow, MIN_DELETION_WINDOW_DAYS, MAX_DELETION_WINDOW_DAYS);
    validateAliasName(this.node.path, props.aliasName);

    this.key = useStableAddress(
      new KmsKey(this, 'key', {
        description: props.description,
        enableKeyRotation: true,
        deletionWindowInDays: deletionWindow,
        policy: policyJson(props.policy),
        region: props.region,
        tags: props.tags,
        lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
      }),
      { primary: true },
    );
    this.alias = useStableAddress(
      new KmsAlias(this, 'alias', { name: props.aliasName, targetKeyId: this.key.keyId, region: props.region }),
    );
    this.keyArn = this.key.arn;
  }
}

function validateAliasName(subject: string, aliasName: string): void {
  if (!isResolved(aliasName)) return;
  if (!/^alias\/[A-Za-z0-9/_-]{1,250}$/.test(aliasName) || aliasName.startsWith('alias/aws/')) {
    throw new GuardrailError(subject, 'aliasName', aliasName, "must look like 'alias/<name>' using letters, digits, '/', '_' or '-', and must not start with 'alias/aws/' (reserved for AWS-managed keys)");
  }
}
