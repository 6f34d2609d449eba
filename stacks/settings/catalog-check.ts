import { GuardrailError } from '../../modules/validation';
import { nearest } from '../../modules/validation/schema';
import { Catalog } from '../catalogs/types';
import { EXAMPLE_ENVIRONMENTS } from './defaults';
import { ENVIRONMENT_NAMES, EnvironmentName, EnvironmentSettings } from './types';

/**
 * Checks the settings that name catalogs against the catalogs the app actually builds: a misspelled catalog name
 * must not silently fall back to a default (a new key instead of the central one, no copy Region, another VPC).
 */
export function checkSettingsAgainstCatalogs(settings: Record<EnvironmentName, EnvironmentSettings>, catalogs: readonly Catalog[]): void {
  const names = catalogs.map((catalog) => catalog.name);
  for (const environment of ENVIRONMENT_NAMES) {
    const env = settings[environment];
    const example = EXAMPLE_ENVIRONMENTS[environment];
    const perCatalog: Array<[string, Readonly<Record<string, unknown>>, Readonly<Record<string, unknown>>]> = [
      ['kmsKeyArns', env.kmsKeyArns, example.kmsKeyArns],
      ['catalogRegions', env.catalogRegions, example.catalogRegions],
      ['networks', env.networks, example.networks],
      ['backup.copyRegions', env.backup.copyRegions ?? {}, example.backup.copyRegions ?? {}],
    ];
    for (const [field, map, examples] of perCatalog) {
      for (const [key, value] of Object.entries(map)) {
        // An embedded example for a catalog that is not built (renamed or removed) is nobody's mistake.
        if (!names.includes(key) && value !== examples[key]) {
          const suggestion = nearest(key, names);
          throw new GuardrailError('settings', `environments.${environment}.${field}.${key}`, value, `'${key}' is not a catalog; ${suggestion ? `did you mean '${suggestion}'? ` : ''}the catalogs are ${names.join(', ')}`);
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
