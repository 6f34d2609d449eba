/**
 * DynamoDB IAM actions grouped by what they touch. Pure (no cdktf imports): the governance Lambda reuses it.
 * Action names are case-insensitive in IAM, so every lookup here is too.
 */

const ddb = (...names: string[]): readonly string[] => names.map((name) => `dynamodb:${name}`);

/** Seed 001's reader: point reads, queries and table metadata. */
export const READER_ACTIONS = ddb('GetItem', 'Query', 'BatchGetItem', 'DescribeTable');
/** Item writes that never delete; ConditionCheckItem lets writers use TransactWriteItems condition checks. */
export const ITEM_WRITE_ACTIONS = ddb('PutItem', 'UpdateItem', 'ConditionCheckItem');
/** BatchWriteItem is here because its DeleteRequest removes items without needing dynamodb:DeleteItem. */
export const ITEM_DELETE_ACTIONS = ddb('DeleteItem', 'BatchWriteItem');
/** Seed 001's admin role: ✅ Scan, Query, DeleteItem, ExportTableToPointInTime. */
export const ADMIN_ACTIONS = ddb('Query', 'Scan', 'DeleteItem', 'ExportTableToPointInTime');
/** Actions whose resource is the stream ARN (`table/<name>/stream/<label>`). */
export const STREAM_READ_ACTIONS = ddb('DescribeStream', 'GetRecords', 'GetShardIterator');
/** Actions whose resource is a backup ARN (`table/<name>/backup/<id>`). */
export const BACKUP_RESOURCE_ACTIONS = ddb('DescribeBackup', 'DeleteBackup', 'RestoreTableFromBackup');

/**
 * Actions with no resource type in the IAM service authorization reference: AWS only honours them with
 * `"Resource": "*"`. They list or describe account-level metadata and never return items, which is why the
 * no-`*`-resource rule (dynamodb:012) makes an exception for them and only them.
 */
export const ACTIONS_WITHOUT_RESOURCE_TYPES = ddb(
  'ListTables',
  'ListStreams',
  'ListBackups',
  'ListGlobalTables',
  'ListExports',
  'ListImports',
  'ListContributorInsights',
  'DescribeLimits',
  'DescribeEndpoints',
  'DescribeReservedCapacity',
  'DescribeReservedCapacityOfferings',
);

/** Actions that carry `dynamodb:LeadingKeys` (the partition key values of the items they touch). */
export const LEADING_KEY_ACTIONS = ddb(
  'GetItem',
  'BatchGetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'ConditionCheckItem',
);

/**
 * Seed 001's `DenyDangerous` (Scan, DeleteItem, DeleteTable, CreateTable, BatchWriteItem) plus the actions that undo
 * other guardrails: removing PITR (dynamodb:002), deleting backups, replacing or removing the table's resource policy
 * (dynamodb:006). A role's explicit Deny lists those of them it is not granted.
 */
export const DANGEROUS_ACTIONS = ddb(
  'Scan',
  'DeleteItem',
  'DeleteTable',
  'CreateTable',
  'BatchWriteItem',
  'UpdateContinuousBackups',
  'DeleteBackup',
  'PutResourcePolicy',
  'DeleteResourcePolicy',
);

/** Names that look like DynamoDB IAM actions but are API operations IAM never evaluates. */
export const NOT_IAM_ACTIONS: Readonly<Record<string, string>> = {
  'dynamodb:transactwriteitems':
    'is an API operation, not an IAM action: a transaction is authorized by the item actions it contains (dynamodb:PutItem, dynamodb:UpdateItem, dynamodb:DeleteItem, dynamodb:ConditionCheckItem)',
  'dynamodb:transactgetitems':
    'is an API operation, not an IAM action: a read transaction is authorized by dynamodb:GetItem on every item it reads',
  'dynamodb:executestatement':
    'is an API operation, not an IAM action: PartiQL is authorized as dynamodb:PartiQLSelect, PartiQLInsert, PartiQLUpdate or PartiQLDelete',
  'dynamodb:batchexecutestatement':
    'is an API operation, not an IAM action: PartiQL is authorized as dynamodb:PartiQLSelect, PartiQLInsert, PartiQLUpdate or PartiQLDelete',
  'dynamodb:executetransaction':
    'is an API operation, not an IAM action: PartiQL is authorized as dynamodb:PartiQLSelect, PartiQLInsert, PartiQLUpdate or PartiQLDelete',
};

/** Actions that write item data, so the caller needs a data key from the table's KMS key. */
const DATA_KEY_ACTIONS = ddb('PutItem', 'UpdateItem', 'BatchWriteItem', 'PartiQLInsert', 'PartiQLUpdate', 'ImportTable', 'RestoreTableFromBackup', 'RestoreTableToPointInTime');
/** Actions that create or re-key tables: DynamoDB describes the key and creates a grant on the caller's behalf. */
const KEY_GRANT_ACTIONS = ddb('CreateTable', 'UpdateTable', 'RestoreTableFromBackup', 'RestoreTableToPointInTime', 'ImportTable');

export function isDynamoDbAction(action: string): boolean {
  return action.toLowerCase().startsWith('dynamodb:');
}

export function hasWildcard(action: string): boolean {
  return action.includes('*') || action.includes('?');
}

export function includesAction(actions: readonly string[], action: string): boolean {
  const wanted = action.toLowerCase();
  return actions.some((a) => a.toLowerCase() === wanted);
}

export function withoutActions(actions: readonly string[], removed: readonly string[]): string[] {
  return actions.filter((a) => !includesAction(removed, a));
}

export function intersectActions(actions: readonly string[], others: readonly string[]): string[] {
  return actions.filter((a) => includesAction(others, a));
}

/** Where an action's Resource must point. */
export type ActionResourceKind = 'table' | 'stream' | 'backup' | 'account';

export function resourceKindOf(action: string): ActionResourceKind {
  if (includesAction(STREAM_READ_ACTIONS, action)) return 'stream';
  if (includesAction(BACKUP_RESOURCE_ACTIONS, action)) return 'backup';
  if (includesAction(ACTIONS_WITHOUT_RESOURCE_TYPES, action)) return 'account';
  return 'table';
}

/**
 * KMS actions a principal needs on a table's customer-managed key for these DynamoDB actions: reading needs
 * kms:Decrypt, writing adds kms:GenerateDataKey, creating or restoring tables adds kms:DescribeKey and
 * kms:CreateGrant. Always used with `kms:ViaService = dynamodb.<region>.amazonaws.com`.
 */
export function kmsActionsFor(actions: readonly string[]): string[] {
  const kms = ['kms:Decrypt'];
  if (actions.some((a) => includesAction(DATA_KEY_ACTIONS, a))) kms.push('kms:GenerateDataKey');
  if (actions.some((a) => includesAction(KEY_GRANT_ACTIONS, a))) kms.push('kms:DescribeKey', 'kms:CreateGrant');
  return kms;
}
