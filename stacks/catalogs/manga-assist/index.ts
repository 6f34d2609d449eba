import { AccessProfile, DANGEROUS_ACTIONS, ResourcePolicySpec, RoleSpec, RoleTrust } from '../../../modules/access';
import { Billing, Capacity } from '../../../modules/capacity';
import { EndpointSpec } from '../../../modules/network/catalog-endpoints';
import { AccessPattern, Catalog, CatalogTable } from '../types';

/**
 * MangaAssist's chat sessions (seed 001): one single-table design keyed `PK = SESSION#<id>`, `SK = META | TURN#<n> |
 * SUMMARY… | HANDOFF…`, and GSI1 on `customer_id` for "sessions of a customer" (GDPR access and deletion). The seed
 * gives the GSI no sort key, so it has none. Streams feed the stream-router Lambda; the seed names no TTL attribute,
 * so `ttl` (epoch seconds) is used, as in the other catalogs.
 */
const sessions: CatalogTable = {
  id: 'sessions',
  baseName: 'manga-assist-sessions',
  partitionKey: { name: 'PK', type: 'S' },
  sortKey: { name: 'SK', type: 'S' },
  billing: Billing.onDemand(),
  timeToLiveAttribute: 'ttl',
  stream: 'NEW_AND_OLD_IMAGES',
  globalSecondaryIndexes: [{ indexName: 'GSI1-customer-sessions', partitionKey: { name: 'customer_id', type: 'S' }, projection: 'ALL' }],
  environmentOverrides: {
    // Staging runs the provisioned path (with autoscaling of the table and its GSI) so every release exercises it.
    staging: {
      billing: Billing.provisioned({
        readCapacity: Capacity.autoscaled({ min: 5, max: 200, targetUtilization: 70 }),
        writeCapacity: Capacity.autoscaled({ min: 5, max: 100, targetUtilization: 70 }),
      }),
    },
    // Chat sessions follow customers across US Regions: a global table with replicas in us-east-2 and us-west-2.
    prod: { replicas: ['us-east-2', 'us-west-2'] },
  },
};

/** The queries of seed 001's message handler, stream processor and GDPR deletion code. */
const accessPatterns: AccessPattern[] = [
  {
    id: 'manga-assist-1',
    description: 'The 20 most recent turns of a session (LoadContext)',
    table: 'sessions',
    keyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    expressionAttributeValues: { ':pk': 'SESSION#abc-123', ':prefix': 'TURN#' },
    scanIndexForward: false,
  },
  {
    id: 'manga-assist-2',
    description: 'The META item of a session',
    table: 'sessions',
    keyConditionExpression: 'PK = :pk AND SK = :sk',
    expressionAttributeValues: { ':pk': 'SESSION#abc-123', ':sk': 'META' },
  },
  {
    id: 'manga-assist-3',
    description: 'Every session of a customer (GDPR right of access and deletion)',
    table: 'sessions',
    indexName: 'GSI1-customer-sessions',
    keyConditionExpression: 'customer_id = :cid',
    expressionAttributeValues: { ':cid': 'customer-42' },
  },
  {
    id: 'manga-assist-4',
    description: 'Every item of one session (META, TURN, SUMMARY, HANDOFF) before deleting it',
    table: 'sessions',
    keyConditionExpression: 'PK = :pk',
    expressionAttributeValues: { ':pk': 'SESSION#abc-123' },
  },
];

/** Lambda functions run in the VPC (DAX, Redis): logs plus the network interfaces Lambda needs there. */
const VPC_LAMBDA = ['service-role/AWSLambdaVPCAccessExecutionRole'];
const SESSION_KEYS = ['SESSION#*'];

/**
 * Seed 001's four roles, one per function, with the seed's exact DynamoDB permission sets and statement ids.
 * Every role also gets the explicit `DenyDangerous` statement (the seed's five actions plus the ones that undo other
 * guardrails), minus what the role is granted.
 */
const roles: RoleSpec[] = [
  {
    id: 'msg_role',
    roleName: 'manga-msg-role',
    description: 'MangaAssist message handler: session items under SESSION# only (seed 001)',
    trust: RoleTrust.lambda(),
    grants: [
      {
        table: 'sessions',
        profile: AccessProfile.custom('SessionAccess', ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']),
        leadingKeys: SESSION_KEYS,
        sid: 'DynamoDBSessionAccess',
      },
    ],
    additionalStatements: ({ partition, region, accountId }) => [
      // Claude models newer than 3.5 are reached through cross-Region inference profiles (`us.anthropic.…`), which
      // route to the model in another Region of the geography: the role needs the profile and the model in those
      // Regions, the latter only through the profile (Amazon Bedrock User Guide, "Prerequisites for inference profiles"
      // and the bedrock:InferenceProfileArn condition key).
      {
        Sid: 'BedrockInvoke',
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel'],
        Resource: [`arn:${partition}:bedrock:${region}::foundation-model/anthropic.*`, `arn:${partition}:bedrock:${region}:${accountId}:inference-profile/*.anthropic.*`],
      },
      {
        Sid: 'BedrockInvokeThroughInferenceProfile',
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel'],
        Resource: `arn:${partition}:bedrock:*::foundation-model/anthropic.*`,
        Condition: { StringLike: { 'bedrock:InferenceProfileArn': `arn:${partition}:bedrock:${region}:${accountId}:inference-profile/*.anthropic.*` } },
      },
      // Seed 001: the message handler reads and writes sessions through DAX (prod). The same four operations as its
      // DynamoDB grant, on the sessions cache only. DAX cannot apply the SESSION# leading-keys condition: see help/dax.md.
      {
        Sid: 'DaxSessionAccess',
        Effect: 'Allow',
        Action: ['dax:GetItem', 'dax:Query', 'dax:PutItem', 'dax:UpdateItem'],
        Resource: `arn:${partition}:dax:${region}:${accountId}:cache/manga-sess-*`,
      },
      { Sid: 'XRayTrace', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
    ],
    awsManagedPolicies: VPC_LAMBDA,
  },
  {
    id: 'stream_role',
    roleName: 'manga-stream-role',
    description: 'MangaAssist stream processor: reads the session stream, writes summaries (seed 001)',
    trust: RoleTrust.lambda(),
    grants: [
      { table: 'sessions', profile: AccessProfile.streamConsumer(), sid: 'DynamoDBStreamRead' },
      {
        table: 'sessions',
        profile: AccessProfile.custom('WriteSummaries', ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:Query']),
        leadingKeys: SESSION_KEYS,
        indexes: false,
        sid: 'DynamoDBWriteSummaries',
      },
    ],
    additionalStatements: ({ partition, region, accountId }) => [
      { Sid: 'KinesisWrite', Effect: 'Allow', Action: ['kinesis:PutRecord', 'kinesis:PutRecords'], Resource: `arn:${partition}:kinesis:${region}:${accountId}:stream/manga-assist-events` },
      { Sid: 'SNSPublish', Effect: 'Allow', Action: ['sns:Publish'], Resource: `arn:${partition}:sns:${region}:${accountId}:manga-assist-handoffs` },
    ],
    awsManagedPolicies: VPC_LAMBDA,
  },
  {
    id: 'admin_role',
    roleName: 'manga-admin-role',
    description: 'MangaAssist admin operations: Scan, Query, DeleteItem, export; never CreateTable/DeleteTable (seed 001)',
    trust: RoleTrust.lambda(),
    grants: [{ table: 'sessions', profile: AccessProfile.admin(), sid: 'DynamoDBAdminOperations' }],
    awsManagedPolicies: VPC_LAMBDA,
  },
  {
    id: 'sf_role',
    roleName: 'manga-sf-role',
    description: 'MangaAssist Step Functions: GetItem, UpdateItem, Query; no Scan, DeleteItem or PutItem (seed 001)',
    trust: RoleTrust.stepFunctions(),
    grants: [
      {
        table: 'sessions',
        profile: AccessProfile.custom('WorkflowAccess', ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query']),
        sid: 'DynamoDBWorkflowAccess',
      },
    ],
    // Seed 001's matrix also forbids PutItem for Step Functions.
    denyActions: [...DANGEROUS_ACTIONS, 'dynamodb:PutItem'],
  },
];

/**
 * Only the four roles may use the table; Lambda traffic must come through the VPC endpoint. Step Functions' SDK
 * integration calls DynamoDB from the AWS network, so its role is exempt from the endpoint condition only.
 */
const resourcePolicies: ResourcePolicySpec[] = [
  { table: 'sessions', roles: ['msg_role', 'stream_role', 'admin_role', 'sf_role'], outsideVpcRoles: ['sf_role'], requireVpcEndpoint: true },
];

/**
 * Seed 001's endpoint policy: `manga-assist-*` tables only, its six actions plus the admin role's Scan and export
 * (the admin Lambda runs in the VPC too), TLS only. Streams do not pass through the gateway endpoint.
 */
const endpoint: EndpointSpec = {
  tableNamePrefixes: ['manga-assist-'],
  allowedActions: [
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:Scan',
    'dynamodb:ExportTableToPointInTime',
  ],
};

export const mangaAssistCatalog: Catalog = {
  name: 'manga-assist',
  project: 'manga-assist',
  defaultRegion: 'us-east-1',
  tables: [sessions],
  accessPatterns,
  roles,
  resourcePolicies,
  endpoint,
  // Seed 001's stream Lambda (role manga-stream-role); the seed names no function, so this name is our convention.
  streamConsumers: { sessions: [{ type: 'lambda', functionName: 'manga-stream-processor' }] },
  // Seed 001: DAX in the VPC, TLS only, in front of the sessions table (prod only).
  // The message handler is the cluster's only client (its DaxSessionAccess statement): the cluster role gets its four
  // item actions only, not Scan, DeleteItem or BatchWriteItem on the whole table.
  dax: { clusterName: 'manga-sess', tables: ['sessions'], environments: ['prod'], clientActions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] },
};
