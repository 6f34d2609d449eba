import { Construct } from 'constructs';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsReplicaKey } from '@cdktf/provider-aws/lib/kms-replica-key';
import { GuardrailError, isResolved, requireIntegerInRange } from '../validation';
import { partitionForRegion } from '../access/arns';
import { useStableAddress } from '../naming';
import { policyJson } from '../rendering';

/** AWS KMS accepts a pending-deletion window of 7 to 30 days. */
export const MIN_DELETION_WINDOW_DAYS = 7;
export const MAX_DELETION_WINDOW_DAYS = 30;

/** What the account root may do with a key: administer it, never use it (use is granted per service). */
export const KEY_ADMINISTRATION_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

const KEY_USE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'];

export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(mrk-)?[0-9a-f-]{32,36}$/;

export interface DynamoDbKeyProps {
  /** Account that owns the key; its root principal administers the key. */
  readonly accountId: string;
  /** Region of the key; use is allowed only through `dynamodb.<region>.amazonaws.com`. */
  readonly region: string;
  /** Alias name, e.g. `alias/auditflow-prod-dynamodb`. */
  readonly aliasName: string;
  /** @default 'Customer-managed key for DynamoDB tables (dynamodb:001)' */
  readonly description?: string;
  /** @default 30 */
  readonly deletionWindowInDays?: number;
  /**
   * IAM principal ARNs allowed to use the key through DynamoDB.
   * @default every principal of the account (`kms:CallerAccount`), still only through DynamoDB
   */
  readonly keyUserArns?: string[];
  /** @default {} */
  readonly tags?: Record<string, string>;
  /** Adds Terraform's `lifecycle.prevent_destroy`: losing the key makes every table it encrypts unreadable. @default false */
  readonly preventDestroy?: boolean;
  /**
   * Regions of global-table replicas. The key becomes a multi-Region primary key with an `aws_kms_replica_key` in
   * each of these Regions (dynamodb:010). Decide at creation: making an existing key multi-Region replaces it.
   * @default [] (single-Region key)
   */
  readonly replicaRegions?: string[];
}

/** Where a table's key comes from: a key this stack manages, or an existing key ARN. */
export interface TableKey {
  readonly keyArn: string;
  /** The key to use for a replica in `region`, when this key has one there. */
  replicaKeyArn?(region: string): string | undefined;
}

/**
 * A customer-managed KMS key for DynamoDB (dynamodb:001): annual rotation, a key policy in which the account root
 * administers the key but cryptographic use is only possible through DynamoDB in the key's region, and an alias.
 */
export class DynamoDbKey extends Construct implements TableKey {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  readonly keyArn: string;
  readonly aliasName: string;
  private readonly replicaKeys = new Map<string, KmsReplicaKey>();

  constructor(scope: Construct, id: string, props: DynamoDbKeyProps) {
    super(scope, id);
    const deletionWindow = props.deletionWindowInDays ?? MAX_DELETION_WINDOW_DAYS;
    const replicaRegions = [...new Set(props.replicaRegions ?? [])].sort();
    requireIntegerInRange(this.node.path, 'deletionWindowInDays', deletionWindow, MIN_DELETION_WINDOW_DAYS, MAX_DELETION_WINDOW_DAYS);
    validateAliasName(this.node.path, props.aliasName);

    this.key = useStableAddress(
      new KmsKey(this, 'key', {
        description: props.description ?? 'Customer-managed key for DynamoDB tables (dynamodb:001)',
        enableKeyRotation: true,
        deletionWindowInDays: deletionWindow,
        policy: policyJson(dynamoDbKeyPolicy({ ...props, multiRegion: replicaRegions.length > 0 ? 'primary' : undefined })),
        multiRegion: replicaRegions.length > 0 ? true : undefined,
        tags: props.tags,
        lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
      }),
      { primary: true },
    );
    // Provider 6's per-resource `region` places each replica key in its Region without extra provider aliases, and
    // keeps the Region visible on the resource itself for reviewers and the compliance rules.
    for (const region of replicaRegions) {
      const replica = new KmsReplicaKey(this, `replica_${region}`, {
        region,
        primaryKeyArn: this.key.arn,
        description: `${props.description ?? 'Customer-managed key for DynamoDB tables'} (replica in ${region})`,
        deletionWindowInDays: deletionWindow,
        policy: policyJson(dynamoDbKeyPolicy({ ...props, region, multiRegion: 'replica' })),
        tags: props.tags,
        lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
      });
      this.replicaKeys.set(region, useStableAddress(replica));
    }
    this.alias = useStableAddress(new KmsAlias(this, 'alias', { name: props.aliasName, targetKeyId: this.key.keyId }));
    this.keyArn = this.key.arn;
    this.aliasName = props.aliasName;
  }

  replicaKeyArn(region: string): string | undefined {
    return this.replicaKeys.get(region)?.arn;
  }
}

/**
 * An existing customer-managed key, referenced by ARN (for keys managed by a central security team). DynamoDB can only
 * use a key of the table's own Region, so give `region` whenever it is known.
 */
export function existingKey(subject: string, keyArn: string, region?: string, field = 'encryptionKey'): TableKey {
  if (!isResolved(keyArn)) return { keyArn };
  if (!KMS_KEY_ARN.test(keyArn)) {
    throw new GuardrailError(subject, field, keyArn, 'must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); aliases and AWS-owned keys do not satisfy dynamodb:001');
  }
  requireKeyInRegion(subject, field, keyArn, region);
  return { keyArn };
}

/** Throws when a literal key ARN names another Region than the data it encrypts (DynamoDB would refuse it at apply). */
export function requireKeyInRegion(subject: string, field: string, keyArn: string, region: string | undefined): void {
  if (!region || !isResolved(keyArn) || !isResolved(region)) return;
  const keyRegion = keyArn.split(':')[3];
  if (keyRegion !== region) {
    throw new GuardrailError(subject, field, keyArn, `the key is in ${keyRegion}, but the data it encrypts is in ${region}; DynamoDB needs a key of the same Region`);
  }
}

/** The ARN partition of a Region; the rule lives in the dependency-free modules/access/arns (bundled by the Lambda). */
export const partitionOf = partitionForRegion;

/**
 * The key policy of a table key. For a global table's multi-Region key:
 * - the primary's policy must itself allow `kms:ReplicateKey` to the account, or no replica key can be created
 *   (KMS API reference, ReplicateKey: "include this permission in the primary key's key policy"; an account-root
 *   statement that lists actions delegates only those to IAM policies);
 * - `kms:ViaService` is `dynamodb.*.amazonaws.com`: DynamoDB calls KMS across Regions to keep the replicas in step
 *   (DynamoDB Developer Guide, encryption at rest, "Using the KMS key" usage notes for global tables).
 */
export function dynamoDbKeyPolicy(props: Pick<DynamoDbKeyProps, 'accountId' | 'region' | 'keyUserArns'> & { readonly multiRegion?: 'primary' | 'replica' }) {
  const root = `arn:${partitionOf(props.region)}:iam::${props.accountId}:root`;
  const users = props.keyUserArns && props.keyUserArns.length > 0 ? props.keyUserArns : undefined;
  const viaDynamoDb = props.multiRegion
    ? { StringLike: { 'kms:ViaService': 'dynamodb.*.amazonaws.com' }, StringEquals: { 'kms:CallerAccount': props.accountId } }
    : { StringEquals: { 'kms:ViaService': `dynamodb.${props.region}.amazonaws.com`, 'kms:CallerAccount': props.accountId } };
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AccountRootAdministersKey',
        Effect: 'Allow',
        Principal: { AWS: root },
        Action: props.multiRegion === 'primary' ? [...KEY_ADMINISTRATION_ACTIONS, 'kms:ReplicateKey'] : KEY_ADMINISTRATION_ACTIONS,
        Resource: '*',
      },
      {
        Sid: 'UseOnlyThroughDynamoDb',
        Effect: 'Allow',
        Principal: { AWS: users ?? '*' },
        Action: KEY_USE_ACTIONS,
        Resource: '*',
        Condition: viaDynamoDb,
      },
      // DynamoDB itself reads the key's state, so it can tell an inaccessible key apart from a missing one and notify
      // (DynamoDB Developer Guide, encryption at rest, "Key policy for a customer managed key"). Read-only, no use.
      {
        Sid: 'DynamoDbDescribesKey',
        Effect: 'Allow',
        Principal: { Service: 'dynamodb.amazonaws.com' },
        Action: ['kms:Describe*', 'kms:Get*', 'kms:List*'],
        Resource: '*',
      },
    ],
  };
}

function validateAliasName(subject: string, aliasName: string): void {
  if (!isResolved(aliasName)) return;
  if (!/^alias\/[A-Za-z0-9/_-]{1,250}$/.test(aliasName) || aliasName.startsWith('alias/aws/')) {
    throw new GuardrailError(subject, 'aliasName', aliasName, "must look like 'alias/<name>' using letters, digits, '/', '_' or '-', and must not start with 'alias/aws/' (reserved for AWS-managed keys)");
  }
}
