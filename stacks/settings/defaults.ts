import { CatalogNetworkSettings, EnvironmentName, EnvironmentSettings } from './types';

const ENVIRONMENT_DIGIT: Record<EnvironmentName, number> = { dev: 1, staging: 2, prod: 3 };
const CATALOG_NETWORKS: ReadonlyArray<[catalog: string, digit: number, region: string]> = [
  ['auditflow', 1, 'ap-south-1'],
  ['manga-assist', 2, 'us-east-1'],
  ['ml-platform', 3, 'us-east-1'],
];

/** Example VPC ids: one VPC per catalog and environment, three private subnets in three zones. */
function exampleNetworks(environment: EnvironmentName): Record<string, CatalogNetworkSettings> {
  const networks: Record<string, CatalogNetworkSettings> = {};
  for (const [catalog, digit, region] of CATALOG_NETWORKS) {
    const id = (kind: string, n: number) => `${kind}-0${digit}${ENVIRONMENT_DIGIT[environment]}${n}${'0'.repeat(13)}`;
    networks[catalog] = {
      vpcId: id('vpc', 0),
      routeTableIds: [id('rtb', 1), id('rtb', 2), id('rtb', 3)],
      privateSubnetIds: [id('subnet', 1), id('subnet', 2), id('subnet', 3)],
      availabilityZones: [`${region}a`, `${region}b`, `${region}c`],
      applicationSecurityGroupIds: [id('sg', 1)],
    };
  }
  return networks;
}

const deployer = (accountId: string) => [`arn:aws:iam::${accountId}:role/terraform-deployer`];
const breakGlass = (accountId: string) => [`arn:aws:iam::${accountId}:role/break-glass-admin`];

/**
 * Embedded example values, so `npm run synth` works with no input and no AWS account. Real account ids, the state
 * bucket and the Terraform Cloud organization come from `guardrails.config.json` or GUARDRAILS_* environment
 * variables (see help/configuration.md).
 */
export const EXAMPLE_ENVIRONMENTS: Readonly<Record<EnvironmentName, EnvironmentSettings>> = {
  dev: {
    name: 'dev',
    accountId: '111111111111',
    region: 'us-east-1',
    catalogRegions: { auditflow: 'ap-south-1' },
    tableNameSuffix: '-dev',
    tags: { Owner: 'platform-team', CostCenter: 'platform-dev' },
    deletionProtection: true,
    pointInTimeRecovery: true,
    preventDestroy: false,
    backend: { type: 'local' },
    kmsKeyArns: {},
    networks: exampleNetworks('dev'),
    deployerPrincipalArns: deployer('111111111111'),
    exemptPrincipalArns: breakGlass('111111111111'),
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
  },
  staging: {
    name: 'staging',
    accountId: '222222222222',
    region: 'us-east-1',
    catalogRegions: { auditflow: 'ap-south-1' },
    tableNameSuffix: '-staging',
    tags: { Owner: 'platform-team', CostCenter: 'platform-staging' },
    deletionProtection: true,
    pointInTimeRecovery: true,
    preventDestroy: false,
    backend: { type: 'local' },
    kmsKeyArns: {},
    networks: exampleNetworks('staging'),
    deployerPrincipalArns: deployer('222222222222'),
    exemptPrincipalArns: breakGlass('222222222222'),
    backup: { enabled: true },
    monitoring: { alarmEmails: ['dynamodb-alerts@example.com'], contributorInsights: false, auditTrail: true, configRules: false },
    waivers: [],
  },
  prod: {
    name: 'prod',
    accountId: '333333333333',
    region: 'us-east-1',
    catalogRegions: { auditflow: 'ap-south-1' },
    tableNameSuffix: '',
    tags: { Owner: 'platform-team', CostCenter: 'platform-prod' },
    deletionProtection: true,
    pointInTimeRecovery: true,
    preventDestroy: true,
    backend: { type: 'local' },
    kmsKeyArns: {},
    networks: exampleNetworks('prod'),
    deployerPrincipalArns: deployer('333333333333'),
    exemptPrincipalArns: breakGlass('333333333333'),
    backup: { enabled: true, copyRegions: { auditflow: 'ap-south-2', 'manga-assist': 'us-west-2', 'ml-platform': 'us-west-2' }, vaultLock: 'governance' },
    monitoring: { alarmEmails: ['dynamodb-alerts@example.com'], contributorInsights: true, auditTrail: true, configRules: false },
    waivers: [],
  },
};
