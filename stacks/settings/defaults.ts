import { GuardrailError } from '../../modules/validation';
import { CatalogNetworkSettings, EnvironmentName, EnvironmentSettings } from './types';

/** The embedded example accounts. While every environment uses one, the other embedded examples apply too. */
export const EXAMPLE_ACCOUNT_IDS: Readonly<Record<EnvironmentName, string>> = { dev: '111111111111', staging: '222222222222', prod: '333333333333' };

/** Role names (optionally with an IAM path) that every environment's principals are built from, in its own account. */
export const DEFAULT_DEPLOYER_ROLES: readonly string[] = ['terraform-deployer'];
export const DEFAULT_BREAK_GLASS_ROLES: readonly string[] = ['break-glass-admin'];

const EXAMPLE_ALARM_EMAILS = ['dynamodb-alerts@example.com'];

const ENVIRONMENT_DIGIT: Record<EnvironmentName, number> = { dev: 1, staging: 2, prod: 3 };
const CATALOG_NETWORKS: ReadonlyArray<[catalog: string, digit: number, region: string]> = [
  ['auditflow', 1, 'ap-south-1'],
  ['manga-assist', 2, 'us-east-1'],
  ['ml-platform', 3, 'us-east-1'],
];

/** Example network ids end in twelve zeros, which makes them recognisable when they are copied into real settings. */
export const EXAMPLE_NETWORK_ID = /^(vpc|rtb|subnet|sg)-0[0-9a-f]{4}0{12}$/;
/** Domains reserved for documentation (RFC 2606); mail to them never arrives. */
export const EXAMPLE_EMAIL = /@(.+\.)?example\.(com|org|net)$/i;

/** A catalog as the example settings need it: its name and the Region its stacks use. */
export interface ExampleCatalog {
  readonly name: string;
  readonly region: string;
}

/** Two-hex-digit tags a0–ff: the example networks of catalogs other than the shipped ones. */
const EXAMPLE_NETWORK_SLOTS = 96;

function exampleNetwork(environment: EnvironmentName, tag: string, region: string): CatalogNetworkSettings {
  const id = (kind: string, n: number) => `${kind}-0${tag}${ENVIRONMENT_DIGIT[environment]}${n}${'0'.repeat(13 - (tag.length - 1))}`;
  return {
    vpcId: id('vpc', 0),
    routeTableIds: [id('rtb', 1), id('rtb', 2), id('rtb', 3)],
    privateSubnetIds: [id('subnet', 1), id('subnet', 2), id('subnet', 3)],
    availabilityZones: [`${region}a`, `${region}b`, `${region}c`],
    applicationSecurityGroupIds: [id('sg', 1)],
  };
}

/**
 * Example VPC ids: one VPC per catalog and environment, three private subnets in three zones. The shipped catalogs
 * have fixed ones; any other catalog gets its own, from a two-hex-digit tag derived from its name (never one another
 * catalog holds: a route table carries one DynamoDB gateway endpoint). More than 96 other catalogs need real networks:
 * that is one clear error (it used to loop forever).
 */
export function exampleNetworks(environment: EnvironmentName, others: readonly ExampleCatalog[] = []): Record<string, CatalogNetworkSettings> {
  const networks: Record<string, CatalogNetworkSettings> = {};
  for (const [catalog, digit, region] of CATALOG_NETWORKS) networks[catalog] = exampleNetwork(environment, String(digit), region);
  const taken = new Set<number>();
  const own = [...others].filter((c) => !(c.name in networks)).sort((a, b) => (a.name < b.name ? -1 : 1));
  if (own.length > EXAMPLE_NETWORK_SLOTS) {
    const first = own[EXAMPLE_NETWORK_SLOTS];
    throw new GuardrailError(
      'settings',
      `environments.${environment}.networks.${first.name}`,
      undefined,
      `the examples have networks for at most ${EXAMPLE_NETWORK_SLOTS} catalogs besides the shipped ones, and ${own.length} are built; set real account ids and each catalog's network (vpcId and routeTableIds, or GUARDRAILS_${environment.toUpperCase()}_<CATALOG>_VPC_ID and _ROUTE_TABLE_IDS)`,
    );
  }
  for (const catalog of own) {
    // Tags a0–ff: a shipped catalog's ids start with its digit 1–3, so the two can never meet.
    let slot = [...catalog.name].reduce((hash, char) => (hash * 31 + char.charCodeAt(0)) % EXAMPLE_NETWORK_SLOTS, 7);
    while (taken.has(slot)) slot = (slot + 1) % EXAMPLE_NETWORK_SLOTS;
    taken.add(slot);
    networks[catalog.name] = exampleNetwork(environment, (slot + 0xa0).toString(16), catalog.region);
  }
  return networks;
}

/** `arn:aws:iam::<account>:role/<path/name>` for each role name of a setting. */
export function roleArns(partition: string, accountId: string, roleNames: readonly string[]): string[] {
  return roleNames.map((role) => `arn:${partition}:iam::${accountId}:role/${role}`);
}

function exampleEnvironment(name: EnvironmentName, rest: Omit<EnvironmentSettings, 'name' | 'accountId' | 'region' | 'catalogRegions' | 'tableNameSuffix' | 'backend' | 'kmsKeyArns' | 'networks' | 'deployerRoles' | 'breakGlassRoles' | 'deployerPrincipalArns' | 'exemptPrincipalArns' | 'trustedAccountIds'>): EnvironmentSettings {
  const accountId = EXAMPLE_ACCOUNT_IDS[name];
  return {
    name,
    accountId,
    region: 'us-east-1',
    catalogRegions: { auditflow: 'ap-south-1' },
    tableNameSuffix: name === 'prod' ? '' : `-${name}`,
    backend: { type: 'local' },
    kmsKeyArns: {},
    networks: exampleNetworks(name),
    deployerRoles: DEFAULT_DEPLOYER_ROLES,
    breakGlassRoles: DEFAULT_BREAK_GLASS_ROLES,
    deployerPrincipalArns: roleArns('aws', accountId, DEFAULT_DEPLOYER_ROLES),
    exemptPrincipalArns: roleArns('aws', accountId, DEFAULT_BREAK_GLASS_ROLES),
    trustedAccountIds: [],
    ...rest,
  };
}

/**
 * Embedded example values, so `npm run synth` works with no input and no AWS account. Real account ids, networks,
 * the state bucket and the Terraform Cloud organization come from `guardrails.config.json` or GUARDRAILS_* environment
 * variables (see help/configuration.md). The example accounts, networks and e-mail addresses apply only while every
 * environment still uses its example account (stacks/settings/load.ts).
 */
export const EXAMPLE_ENVIRONMENTS: Readonly<Record<EnvironmentName, EnvironmentSettings>> = {
  dev: exampleEnvironment('dev', {
    tags: { Owner: 'platform-team', CostCenter: 'platform-dev' },
    deletionProtection: true,
    pointInTimeRecovery: true,
    preventDestroy: false,
    backup: { enabled: false },
    monitoring: { alarmEmails: [], contributorInsights: false, auditTrail: false, configRules: false },
    waivers: [
      {
        requirement: 'dynamodb:005',
        resource: '*',
        reason: 'dev holds disposable fixture data that is reloaded from scripts; PITR covers mistakes',
        expires: '2027-06-30',
      },
    ],
  }),
  staging: exampleEnvironment('staging', {
    tags: { Owner: 'platform-team', CostCenter: 'platform-staging' },
    deletionProtection: true,
    pointInTimeRecovery: true,
    preventDestroy: false,
    backup: { enabled: true },
    monitoring: { alarmEmails: EXAMPLE_ALARM_EMAILS, contributorInsights: false, auditTrail: true, configRules: false },
    waivers: [],
  }),
  prod: exampleEnvironment('prod', {
    tags: { Owner: 'platform-team', CostCenter: 'platform-prod' },
    deletionProtection: true,
    pointInTimeRecovery: true,
    preventDestroy: true,
    backup: { enabled: true, copyRegions: { auditflow: 'ap-south-2', 'manga-assist': 'us-west-2', 'ml-platform': 'us-west-2' }, vaultLock: 'governance' },
    monitoring: { alarmEmails: EXAMPLE_ALARM_EMAILS, contributorInsights: true, auditTrail: true, configRules: false },
    waivers: [],
  }),
};
