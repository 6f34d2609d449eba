import type { ResourcePolicySpec, RoleSpec } from '../../modules/access/catalog-access';
import type { Catalog, CatalogTable } from './types';

/**
 * What a catalog gets when it leaves out the parts that make a table compliant, so a catalog of one table is
 * compliant in prod as it stands:
 * - no `endpoint`: a DynamoDB VPC endpoint whose policy allows exactly the catalog's table names (dynamodb:015);
 * - a table with no entry in `resourcePolicies`: the restrictive table policy (dynamodb:006). It denies non-TLS
 *   requests, the root user and every principal except the catalog roles granted the table, the deployers, the
 *   break-glass roles and the service roles the stack needs (AWS Backup, replication, DAX, autoscaling, Config). It
 *   requires the VPC endpoint when every role granted the table works through it.
 * A catalog that declares them keeps its own.
 */
export function withSecureDefaults(catalog: Catalog): Catalog {
  const declared = new Set((catalog.resourcePolicies ?? []).map((policy) => policy.table));
  const defaults = catalog.tables.filter((table) => !declared.has(table.id)).map((table) => defaultResourcePolicy(table, catalog.roles ?? []));
  if (catalog.endpoint && defaults.length === 0) return catalog;
  return {
    ...catalog,
    endpoint: catalog.endpoint ?? { tableNamePrefixes: catalog.tables.map((table) => table.baseName) },
    resourcePolicies: [...(catalog.resourcePolicies ?? []), ...defaults],
  };
}

function defaultResourcePolicy(table: CatalogTable, roles: readonly RoleSpec[]): ResourcePolicySpec {
  const granted = roles.filter((role) => role.grants.some((grant) => grant.table === table.id || (grant.tableNamePrefix !== undefined && table.baseName.startsWith(grant.tableNamePrefix))));
  return { table: table.id, roles: granted.map((role) => role.id), requireVpcEndpoint: granted.every((role) => role.vpcEndpointOnly === true) };
}
