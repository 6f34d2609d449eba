/** The source of a new catalog folder's index.ts: one table, one role, its resource policy and the VPC endpoint. */
export interface SkeletonOptions {
  /** Catalog name, also the folder name and stack prefix (`<name>-dev`). */
  readonly name: string;
  /** The Region its stacks deploy to, unless the settings pin another. */
  readonly region?: string;
}

/** `order-history` → `orderHistory`; `orders` → `Orders`. */
export function camelCase(name: string, upperFirst = false): string {
  const camel = name.replace(/-([a-z0-9])/g, (_match, char: string) => char.toUpperCase());
  return upperFirst ? camel.charAt(0).toUpperCase() + camel.slice(1) : camel;
}

export function catalogSkeleton(options: SkeletonOptions): string {
  const { name } = options;
  const title = camelCase(name, true);
  const variable = `${camelCase(name)}Catalog`;
  const region = options.region ? `\n  defaultRegion: '${options.region}',` : '';
  return `import { AccessProfile, ResourcePolicySpec, RoleSpec, RoleTrust } from '../../../modules/access';
import { EndpointSpec } from '../../../modules/network/catalog-endpoints';
import { AccessPattern, Catalog, CatalogTable } from '../types';

// The ${name} catalog: its tables, who may use them and the queries they serve. Synth finds this folder by itself;
// stacks ${name}-dev, ${name}-staging and ${name}-prod are built from it (help/getting-started.md).

/**
 * A table, as data. It is encrypted with the stack's customer-managed key and has point-in-time recovery, deletion
 * protection and a NEW_AND_OLD_IMAGES stream unless you say otherwise. Key attributes are declared with their types;
 * attribute definitions are derived from them.
 */
const items: CatalogTable = {
  id: 'items', // Terraform address aws_dynamodb_table.items: never change it once deployed
  baseName: '${title}-Items', // the prod name; other environments add their suffix (${title}-Items-dev)
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  timeToLiveAttribute: 'expires_at',
  globalSecondaryIndexes: [{ indexName: 'by-owner', partitionKey: { name: 'owner_id', type: 'S' }, sortKey: { name: 'created_at', type: 'N' } }],
};

/** The queries the application runs; the tests run each against DynamoDB Local to prove the indexes serve it. */
const accessPatterns: AccessPattern[] = [
  {
    id: '${name}-1',
    description: 'Items of one owner, newest first',
    table: 'items',
    indexName: 'by-owner',
    keyConditionExpression: 'owner_id = :owner',
    expressionAttributeValues: { ':owner': 'owner-1' },
    scanIndexForward: false,
  },
];

/** One least-privilege role per function (dynamodb:012): here a Lambda that reads and writes items. */
const roles: RoleSpec[] = [
  {
    id: 'app_role',
    roleName: '${name}-app-role',
    description: '${title} application: read and write items, no Scan or Delete',
    trust: RoleTrust.lambda(),
    grants: [{ table: 'items', profile: AccessProfile.custom('ItemAccess', ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']) }],
    vpcEndpointOnly: true,
    // Through the VPC endpoint only, so the function runs in the VPC and needs Lambda's VPC permissions.
    awsManagedPolicies: ['service-role/AWSLambdaVPCAccessExecutionRole'],
  },
];

/**
 * Table resource policies (dynamodb:006): only these roles, the deployers and the break-glass roles reach the table.
 * A table left out here gets the same restrictive policy, naming the roles granted the table.
 */
const resourcePolicies: ResourcePolicySpec[] = [{ table: 'items', roles: ['app_role'], requireVpcEndpoint: true }];

/** The VPC endpoint policy (dynamodb:015): every table name must start with one of these prefixes. */
const endpoint: EndpointSpec = { tableNamePrefixes: ['${title}-'] };

export const ${variable}: Catalog = {
  name: '${name}', // the folder's name
  project: '${name}', // the Project tag${region}
  tables: [items],
  accessPatterns,
  roles,
  resourcePolicies,
  endpoint,
};
`;
}
