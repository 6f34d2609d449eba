import { AccessProfile, ResourcePolicySpec, RoleSpec, RoleTrust } from '../../modules/access';
import { Billing } from '../../modules/capacity';
import { Catalog, CatalogTable } from '../../stacks/catalogs/types';
import { catalogVariablePart } from '../../stacks/settings/load';
import { ENVIRONMENT_NAMES } from '../../stacks/settings/types';

/**
 * Catalogs shaped like a platform team's services, for the scale benchmark: `perCatalog` tables per catalog (a key
 * and sort key, two GSIs, TTL, a stream), one least-privilege role reading and writing every table, a resource policy
 * per table and a VPC endpoint per catalog. `tables` in all, the last catalog taking the remainder.
 */
export function syntheticCatalogs(tables: number, perCatalog = 10): Catalog[] {
  if (!Number.isInteger(tables) || tables < 1) throw new Error(`--tables needs a whole number of at least 1, got ${tables}`);
  if (!Number.isInteger(perCatalog) || perCatalog < 1) throw new Error(`--per-catalog needs a whole number of at least 1, got ${perCatalog}`);
  const catalogs: Catalog[] = [];
  for (let first = 0; first < tables; first += perCatalog) {
    const name = `svc${String(catalogs.length + 1).padStart(3, '0')}`;
    catalogs.push(syntheticCatalog(name, Math.min(perCatalog, tables - first)));
  }
  return catalogs;
}

function syntheticCatalog(name: string, count: number): Catalog {
  const tables: CatalogTable[] = Array.from({ length: count }, (_, i) => ({
    id: `t${i + 1}`,
    baseName: `${name}-table-${i + 1}`,
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    billing: Billing.onDemand(),
    timeToLiveAttribute: 'ttl',
    stream: 'NEW_AND_OLD_IMAGES',
    globalSecondaryIndexes: [
      { indexName: 'by-owner', partitionKey: { name: 'owner', type: 'S' }, sortKey: { name: 'created_at', type: 'N' }, projection: 'ALL' },
      { indexName: 'by-status', partitionKey: { name: 'status', type: 'S' }, projection: 'KEYS_ONLY' },
    ],
  }));
  const role: RoleSpec = {
    id: 'app_role',
    roleName: `${name}-app`,
    description: `${name}: reads and writes its own tables`,
    trust: RoleTrust.lambda(),
    grants: tables.map((table) => ({ table: table.id, profile: AccessProfile.writer() })),
  };
  const resourcePolicies: ResourcePolicySpec[] = tables.map((table) => ({ table: table.id, roles: ['app_role'] }));
  return {
    name,
    project: name,
    defaultRegion: 'us-east-1',
    tables,
    accessPatterns: [],
    roles: [role],
    resourcePolicies,
    endpoint: { tableNamePrefixes: [`${name}-`], allowedActions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] },
  };
}

/**
 * The settings a team with that many catalogs has: its own accounts and one network per catalog and environment
 * (GUARDRAILS_* variables; the example networks stop at 96 catalogs). Ids are 17 hex digits, unique per network.
 */
export function syntheticSettingsEnv(catalogs: readonly Catalog[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { GUARDRAILS_DEV_ACCOUNT_ID: '123456789012', GUARDRAILS_STAGING_ACCOUNT_ID: '234567890123', GUARDRAILS_PROD_ACCOUNT_ID: '345678901234' };
  catalogs.forEach((catalog, c) =>
    ENVIRONMENT_NAMES.forEach((environment, e) => {
      const id = (kind: string, n: number) => `${kind}-0a1b2c3d${(c * 16 + e * 4 + n).toString(16).padStart(8, '0')}f`;
      const prefix = `GUARDRAILS_${environment.toUpperCase()}_${catalogVariablePart(catalog.name)}`;
      env[`${prefix}_VPC_ID`] = id('vpc', 0);
      env[`${prefix}_ROUTE_TABLE_IDS`] = `${id('rtb', 1)},${id('rtb', 2)}`;
    }),
  );
  return env;
}
