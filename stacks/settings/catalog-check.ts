import { GuardrailError } from '../../modules/validation';
import { Catalog } from '../catalogs/types';
import { ENVIRONMENT_NAMES, EnvironmentName, EnvironmentSettings } from './types';

/**
 * Checks the settings that name catalogs against the catalogs the app actually builds: a misspelled catalog name
 * must not silently fall back to a default (a new key instead of the central one, no copy Region, another VPC).
 */
export function checkSettingsAgainstCatalogs(settings: Record<EnvironmentName, EnvironmentSettings>, catalogs: readonly Catalog[]): void {
  const names = catalogs.map((catalog) => catalog.name);
  for (const environment of ENVIRONMENT_NAMES) {
    const env = settings[environment];
    const perCatalog: Array<[string, Readonly<Record<string, unknown>>]> = [
      ['kmsKeyArns', env.kmsKeyArns],
      ['catalogRegions', env.catalogRegions],
      ['networks', env.networks],
      ['backup.copyRegions', env.backup.copyRegions ?? {}],
    ];
    for (const [field, map] of perCatalog) {
      for (const [key, value] of Object.entries(map)) {
        if (!names.includes(key)) {
          throw new GuardrailError('settings', `environments.${environment}.${field}.${key}`, value, `'${key}' is not a catalog; the catalogs are ${names.join(', ')}`);
        }
      }
    }
    if (env.deployerPrincipalArns.length === 0) {
      throw new GuardrailError('settings', `environments.${environment}.deployerPrincipalArns`, [], 'needs the principal(s) that run terraform apply, or the table resource policies would lock them out');
    }
    checkRouteTablesNotShared(environment, env);
  }
}

/** A route table can hold one DynamoDB gateway endpoint: two catalogs on the same route table fail at apply. */
function checkRouteTablesNotShared(environment: EnvironmentName, env: EnvironmentSettings): void {
  const owner = new Map<string, string>();
  for (const [catalog, network] of Object.entries(env.networks)) {
    for (const routeTable of network.routeTableIds) {
      const other = owner.get(routeTable);
      if (other) {
        throw new GuardrailError('settings', `environments.${environment}.networks.${catalog}.routeTableIds`, routeTable, `is also a route table of catalog '${other}'; a route table holds only one DynamoDB gateway endpoint`);
      }
      owner.set(routeTable, catalog);
    }
  }
}
