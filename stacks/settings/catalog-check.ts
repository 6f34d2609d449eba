import { MIN_REPLICATION_FACTOR } from '../../modules/dax';
import { describeValue, GuardrailError } from '../../modules/validation';
import { nearest } from '../../modules/validation/schema';
import { Catalog } from '../catalogs/types';
import { EXAMPLE_ACCOUNT_IDS, EXAMPLE_EMAIL, EXAMPLE_ENVIRONMENTS, EXAMPLE_NETWORK_ID } from './defaults';
import { catalogVariable, environmentVariable, settingNames } from './load';
import { ENVIRONMENT_NAMES, EnvironmentName, EnvironmentSettings } from './types';

/**
 * Checks the settings that name catalogs against the catalogs the app actually builds: a misspelled catalog name
 * must not silently fall back to a default (a new key instead of the central one, no copy Region, another VPC).
 */
export function checkSettingsAgainstCatalogs(settings: Record<EnvironmentName, EnvironmentSettings>, catalogs: readonly Catalog[], knownNames: readonly string[] = catalogs.map((catalog) => catalog.name)): void {
  const names = [...knownNames];
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
    env.waivers.forEach((waiver, i) => {
      const stacks = names.map((name) => `${name}-${environment}`);
      if (waiver.stack !== undefined && !stacks.includes(waiver.stack)) {
        const suggestion = nearest(waiver.stack, stacks);
        throw new GuardrailError('settings', `environments.${environment}.waivers[${i}].stack`, waiver.stack, `is not a ${environment} stack; ${suggestion ? `did you mean '${suggestion}'? ` : ''}the ${environment} stacks are ${stacks.join(', ')}`);
      }
    });
    if (env.deployerPrincipalArns.length === 0) {
      throw new GuardrailError('settings', `environments.${environment}.deployerPrincipalArns`, [], 'needs the principal(s) that run terraform apply, or the table resource policies would lock them out');
    }
    checkRouteTablesNotShared(environment, env);
  }
  checkNoExampleValuesInRealStacks(settings, catalogs);
}

interface MissingSetting {
  readonly field: string;
  readonly value: unknown;
  readonly line: string;
}

/**
 * The embedded example accounts, networks and e-mail addresses make `npm run synth` work out of the box; in a stack
 * for a real account they would be wrong without a word (another VPC, a mailbox nobody reads). While every account is
 * an example one they apply; with any real account id, each example value still in use is an error, listed together
 * with the network settings a catalog needs and nobody has set.
 */
function checkNoExampleValuesInRealStacks(settings: Record<EnvironmentName, EnvironmentSettings>, catalogs: readonly Catalog[]): void {
  const realAccounts = ENVIRONMENT_NAMES.filter((name) => settings[name].accountId !== EXAMPLE_ACCOUNT_IDS[name]);
  const missing: MissingSetting[] = [];
  for (const environment of ENVIRONMENT_NAMES) {
    const env = settings[environment];
    if (realAccounts.length > 0 && env.accountId === EXAMPLE_ACCOUNT_IDS[environment]) {
      missing.push({ field: `environments.${environment}.accountId`, value: env.accountId, line: `is the example account; set ${settingNames(environment, 'accountId', environmentVariable(environment, 'ACCOUNT_ID'))}` });
    }
    for (const catalog of catalogs.filter((c) => c.endpoint || c.dax)) {
      const network = env.networks[catalog.name];
      const variable = (suffix: Parameters<typeof catalogVariable>[2]) => catalogVariable(environment, catalog.name, suffix);
      const variables = `${variable('VPC_ID')} and ${variable('ROUTE_TABLE_IDS')}`;
      const field = `environments.${environment}.networks.${catalog.name}`;
      const runsDax = catalog.dax?.environments.includes(environment) === true;
      const daxNeeds = `${MIN_REPLICATION_FACTOR} privateSubnetIds in ${MIN_REPLICATION_FACTOR} availabilityZones and applicationSecurityGroupIds for its DAX cluster (dynamodb:009), or ${variable('PRIVATE_SUBNET_IDS')}, ${variable('AVAILABILITY_ZONES')} and ${variable('SECURITY_GROUP_IDS')}`;
      if (!network) {
        missing.push({ field, value: undefined, line: `catalog '${catalog.name}' needs its VPC id and route tables (VPC endpoint, dynamodb:015); set vpcId and routeTableIds, or ${variables}${runsDax ? `; and ${daxNeeds}` : ''}` });
        continue;
      }
      if (runsDax && (network.privateSubnetIds.length < MIN_REPLICATION_FACTOR || network.availabilityZones.length < MIN_REPLICATION_FACTOR || network.applicationSecurityGroupIds.length === 0)) {
        missing.push({ field: `${field}.privateSubnetIds`, value: network.privateSubnetIds, line: `catalog '${catalog.name}' needs ${daxNeeds}` });
      }
      if (realAccounts.length === 0) continue;
      const ids = [network.vpcId, ...network.routeTableIds, ...network.privateSubnetIds, ...network.applicationSecurityGroupIds].filter((id) => EXAMPLE_NETWORK_ID.test(id));
      if (ids.length > 0) missing.push({ field, value: ids[0], line: `holds example ids (${ids.join(', ')}); set the catalog's real network, or ${variables}` });
    }
    const exampleEmails = realAccounts.length > 0 ? env.monitoring.alarmEmails.filter((email) => EXAMPLE_EMAIL.test(email)) : [];
    if (exampleEmails.length > 0) {
      missing.push({ field: `environments.${environment}.monitoring.alarmEmails`, value: exampleEmails[0], line: `is a documentation address (${exampleEmails.join(', ')}) where alarms would never arrive; set real addresses, or GUARDRAILS_${environment.toUpperCase()}_ALARM_EMAILS` });
    }
  }
  if (missing.length === 0) return;
  const [first, ...others] = missing;
  const context = realAccounts.length > 0 ? `real account ids are set (${realAccounts.map((name) => `${name} ${settings[name].accountId}`).join(', ')}), so the embedded examples no longer apply` : 'the settings do not cover every catalog';
  throw new GuardrailError(
    'settings',
    first.field,
    first.value,
    `${first.line}${others.length > 0 ? `. Also (${others.length} more; ${context}):` : ` (${context})`}`,
    others.map((other) => `${other.field} = ${describeValue(other.value)}: ${other.line}`),
  );
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
