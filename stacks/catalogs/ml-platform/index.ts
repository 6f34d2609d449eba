import {
  AccessProfile,
  PROJECT_TABLE_ACTIONS,
  ResourcePolicySpec,
  RoleSpec,
  RoleTrust,
  projectRoleNames,
  projectTablePrefix,
} from '../../../modules/access';
import { Billing } from '../../../modules/capacity';
import { EndpointSpec } from '../../../modules/network/catalog-endpoints';
import { AccessPattern, Catalog, CatalogTable } from '../types';

/**
 * The example project of seed 000. Its uuid has no hyphens because seed 000 recovers it with
 * `project_id.split('-')[1]`; role names (`project-<uuid>-ml-scientist-role`, 58 characters) stay within IAM's 64.
 */
export const ML_PROJECT_UUID = '7f3c2a9e4b1d4e8a9c6f2d5b8e1a0c47';
const PREFIX = projectTablePrefix(ML_PROJECT_UUID);
const ROLE_NAMES = projectRoleNames(ML_PROJECT_UUID);

/**
 * Seed 000 gives the key of user-sessions (`session_id` + `timestamp`, epoch seconds) and its `ttl`; it caps sessions
 * per user, so a `user_id` index serves "sessions of a user". The other two key schemas are not in the seed:
 * conversation turns by conversation and time, model metadata by model and version.
 */
const userSessions: CatalogTable = {
  id: 'user_sessions',
  baseName: `${PREFIX}user-sessions`,
  partitionKey: { name: 'session_id', type: 'S' },
  sortKey: { name: 'timestamp', type: 'N' },
  billing: Billing.onDemand(),
  timeToLiveAttribute: 'ttl',
  globalSecondaryIndexes: [
    { indexName: 'user_id-timestamp-index', partitionKey: { name: 'user_id', type: 'S' }, sortKey: { name: 'timestamp', type: 'N' }, projection: 'ALL' },
  ],
};

const conversationHistory: CatalogTable = {
  id: 'conversation_history',
  baseName: `${PREFIX}conversation-history`,
  partitionKey: { name: 'conversation_id', type: 'S' },
  sortKey: { name: 'timestamp', type: 'N' },
  billing: Billing.onDemand(),
  timeToLiveAttribute: 'ttl',
};

const modelMetadata: CatalogTable = {
  id: 'model_metadata',
  baseName: `${PREFIX}model-metadata`,
  partitionKey: { name: 'model_id', type: 'S' },
  sortKey: { name: 'version', type: 'S' },
  billing: Billing.onDemand(),
  // Live model versions carry no `expires_at` and are kept; retiring a version sets it, and TTL removes the item
  // (dynamodb:014) instead of leaving stale metadata behind.
  timeToLiveAttribute: 'expires_at',
};

/** `timestamp` is a DynamoDB reserved word, so the patterns that use it need a name placeholder. */
const accessPatterns: AccessPattern[] = [
  {
    id: 'ml-platform-1',
    description: 'A session and its history, newest first',
    table: 'user_sessions',
    keyConditionExpression: 'session_id = :sid',
    expressionAttributeValues: { ':sid': '0b7e9c1a-5d2f-4c3b-8a6e-1f9d2c4b7a10' },
    scanIndexForward: false,
  },
  {
    id: 'ml-platform-2',
    description: "A user's sessions of the last 24 hours (max_sessions_per_user check)",
    table: 'user_sessions',
    indexName: 'user_id-timestamp-index',
    keyConditionExpression: 'user_id = :uid AND #ts > :since',
    expressionAttributeNames: { '#ts': 'timestamp' },
    expressionAttributeValues: { ':uid': 'user-17', ':since': 1753488000 },
  },
  {
    id: 'ml-platform-3',
    description: 'The turns of a conversation in order',
    table: 'conversation_history',
    keyConditionExpression: 'conversation_id = :cid',
    expressionAttributeValues: { ':cid': 'conv-001' },
  },
  {
    id: 'ml-platform-4',
    description: 'The versions of a model, latest first',
    table: 'model_metadata',
    keyConditionExpression: 'model_id = :mid',
    expressionAttributeValues: { ':mid': 'intent-classifier' },
    scanIndexForward: false,
  },
];

/** Seed 000 §3.1.1's ML scientist actions. */
const TABLE_MANAGEMENT_ACTIONS = [
  'dynamodb:CreateTable',
  'dynamodb:UpdateTable',
  'dynamodb:DeleteTable',
  'dynamodb:DescribeTable',
  'dynamodb:ListTables',
  'dynamodb:TagResource',
  'dynamodb:UntagResource',
  'dynamodb:ListTagsOfResource',
  'dynamodb:CreateBackup',
  'dynamodb:DeleteBackup',
  'dynamodb:DescribeBackup',
  'dynamodb:ListBackups',
  'dynamodb:RestoreTableFromBackup',
  'dynamodb:RestoreTableToPointInTime',
];

/**
 * Restores go to tables named `project-<uuid>-restore-*`: the scientists get item access there only, never on the
 * other project tables (the Terraform-managed ones hold personal data).
 */
const RESTORE_PREFIX = `${PREFIX}restore-`;

/** What a restore needs on the table it creates (DynamoDB backup/restore IAM guide). */
const RESTORE_TARGET_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/**
 * Seed 000's two roles, scoped to `table/project-<uuid>-*` and usable only through the project VPC endpoint
 * (`aws:SourceVpce` + `aws:SourceVpc`, plus `DenyNonVPCAccess`). Deviations, forced by dynamodb:012 or by what IAM
 * evaluates:
 * - lambda role: the explicit action list of §11.2.1 instead of §3.1.1's `dynamodb:*`; TransactGetItems and
 *   TransactWriteItems are API names, not IAM actions (transactions are authorized per item action), so they are
 *   replaced by ConditionCheckItem; the `/stream/*` resource is dropped because the role has no stream action.
 * - ML scientist role: table ARNs `table/project-<uuid>-*` instead of `"Resource": "*"` with a `dynamodb:TableName`
 *   condition. DynamoDB has no `dynamodb:TableName` condition key, so the seed's Allow never matched and its
 *   `StringNotLike` deny matched every request. Backup actions get `/backup/*`, ListTables/ListBackups `*` (they have
 *   no resource type). `aws:RequestedRegion` is dropped: the ARNs name the region. Instead of the broken
 *   `DenyNonProjectTables`, the explicit Deny keeps scientists from replacing or removing the resource policy the
 *   governance Lambda attaches.
 */
const roles: RoleSpec[] = [
  {
    id: 'lambda_role',
    roleName: ROLE_NAMES.lambdaRole,
    description: `Project ${ML_PROJECT_UUID} Lambda functions: project tables only, VPC only (seed 000)`,
    trust: RoleTrust.lambda(),
    grants: [
      {
        tableNamePrefix: PREFIX,
        profile: AccessProfile.custom('VPCOnlyAccess', PROJECT_TABLE_ACTIONS),
        indexes: true,
        sid: 'DynamoDBVPCOnlyAccess',
      },
    ],
    vpcEndpointOnly: true,
    sourceVpcCondition: true,
    awsManagedPolicies: ['service-role/AWSLambdaVPCAccessExecutionRole'],
  },
  {
    id: 'ml_scientist_role',
    roleName: ROLE_NAMES.mlScientistRole,
    description: `Project ${ML_PROJECT_UUID} ML scientists: table management on project tables, VPC only (seed 000)`,
    trust: RoleTrust.sameAccount(),
    grants: [
      { tableNamePrefix: PREFIX, profile: AccessProfile.custom('TableManagement', TABLE_MANAGEMENT_ACTIONS), sid: 'DynamoDBTableManagement' },
      // A restore writes the new table with the caller's permissions: item read and write on the target are needed
      // (DynamoDB Developer Guide, "Using IAM with DynamoDB backup and restore"). The Terraform-managed tables deny
      // scientists every write and change in their resource policies (protectedFrom below).
      { tableNamePrefix: RESTORE_PREFIX, profile: AccessProfile.custom('RestoreTargetItems', RESTORE_TARGET_ACTIONS), sid: 'DynamoDBRestoreTargets' },
    ],
    // The Terraform-managed tables' backups are not the scientists' (a table policy does not cover backup ARNs).
    additionalStatements: ({ partition, region, accountId }) => [
      {
        Sid: 'DenyTerraformTableBackups',
        Effect: 'Deny',
        Action: ['dynamodb:DeleteBackup', 'dynamodb:RestoreTableFromBackup'],
        Resource: MANAGED_TABLE_NAMES.map((name) => `arn:${partition}:dynamodb:${region}:${accountId}:table/${name}*/backup/*`),
      },
    ],
    vpcEndpointOnly: true,
    denyActions: ['dynamodb:PutResourcePolicy', 'dynamodb:DeleteResourcePolicy'],
  },
];

/**
 * Seed 000 §3.1.3 for the Terraform-managed tables: only the two project roles, only through the project endpoint,
 * never the root user, TLS only. Unlike the governance template (`projectTableResourcePolicy`), it has no Allow:
 * same-account roles get exactly what their IAM policies grant.
 */
const resourcePolicies: ResourcePolicySpec[] = ['user_sessions', 'conversation_history', 'model_metadata'].map((table) => ({
  table,
  roles: ['lambda_role', 'ml_scientist_role'],
  requireVpcEndpoint: true,
  // Scientists manage the project tables they create; these are Terraform's: no UpdateTable (deletion protection
  // off), no DeleteTable, no writes.
  protectedFrom: ['ml_scientist_role'],
}));

/** Seed 000 §3.1.2 / §4.2: project tables only, the project roles only, TLS only. */
const endpoint: EndpointSpec = {
  tableNamePrefixes: [PREFIX],
  allowedActions: [...PROJECT_TABLE_ACTIONS, ...TABLE_MANAGEMENT_ACTIONS.filter((a) => !['dynamodb:ListTables', 'dynamodb:ListBackups', 'dynamodb:DescribeTable'].includes(a))],
  accountLevelActions: ['dynamodb:ListTables', 'dynamodb:ListBackups'],
  restrictToCatalogRoles: true,
};

/** The Terraform-managed tables (with any environment suffix). */
const MANAGED_TABLE_NAMES = [userSessions, conversationHistory, modelMetadata].map((table) => table.baseName);

export const mlPlatformCatalog: Catalog = {
  governance: { projectUuid: ML_PROJECT_UUID },
  name: 'ml-platform',
  project: `project-${ML_PROJECT_UUID}`,
  defaultRegion: 'us-east-1',
  tables: [userSessions, conversationHistory, modelMetadata],
  accessPatterns,
  roles,
  resourcePolicies,
  endpoint,
};
