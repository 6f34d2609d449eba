import * as path from 'path';
import { parseWaivers } from '../../modules/compliance/waivers';
import { KMS_KEY_ARN } from '../../modules/encryption';
import { AwsIdKind, REGION_PATTERN as REGION, requireAwsId, requireAwsIds } from '../../modules/network/ids';
import { GuardrailError, printable } from '../../modules/validation';
import { CATALOG_NAME } from '../catalogs/types';
import { fileKind, readJsonFile } from '../../modules/validation/json-file';
import { nearest } from '../../modules/validation/schema';
import { partitionForRegion } from '../../modules/access/arns';
import { DEFAULT_BREAK_GLASS_ROLES, DEFAULT_DEPLOYER_ROLES, EXAMPLE_ACCOUNT_IDS, EXAMPLE_ENVIRONMENTS, exampleNetworks, roleArns } from './defaults';
import { AlarmThresholdSettings, BackendSettings, BackupSettings, CatalogNetworkSettings, ENVIRONMENT_NAMES, EnvironmentName, EnvironmentSettings, MonitoringSettings } from './types';

export const CONFIG_FILE_NAME = 'guardrails.config.json';

const ACCOUNT_ID = /^\d{12}$/;
/** S3 bucket naming rules (S3 User Guide, "General purpose bucket naming rules"). */
const BUCKET = /^(?!\d+\.\d+\.\d+\.\d+$)(?!xn--|sthree-|amzn-s3-demo-)(?!.*(\.\.|\.-|-\.))(?!.*(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** A KMS key for the state object: key id, key ARN, alias name or alias ARN (KMS Developer Guide, key identifiers). */
const STATE_KMS_KEY = /^(arn:aws[a-z-]*:kms:[a-z0-9-]{1,32}:\d{12}:(key\/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})|alias\/[A-Za-z0-9/_-]{1,250})|mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|alias\/[A-Za-z0-9/_-]{1,250})$/;
const TFC_NAME = /^[A-Za-z0-9_-]+$/;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

/**
 * The keys the file accepts at each level. `keysOf<T>()` fails to compile unless a list names exactly the fields of
 * its settings type, so a field added to the types cannot be forgotten here (or the other way round).
 */
const keysOf =
  <T>() =>
  <K extends readonly (keyof T & string)[]>(keys: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : { readonly missing: Exclude<keyof T, K[number]> })): string[] =>
    [...keys];
/** What an environment's section of the file holds: the settings, with the tags as two plain keys. */
type EnvironmentSection = Omit<EnvironmentSettings, 'name' | 'tableNameSuffix' | 'tags'> & { owner: string; costCenter: string };
const FILE_KEYS = ['backend', 'catalogs', 'environments'];
const ENVIRONMENT_KEYS = keysOf<EnvironmentSection>()(['backend', 'accountId', 'region', 'catalogRegions', 'owner', 'costCenter', 'deletionProtection', 'pointInTimeRecovery', 'preventDestroy', 'kmsKeyArns', 'networks', 'deployerRoles', 'breakGlassRoles', 'deployerPrincipalArns', 'exemptPrincipalArns', 'trustedAccountIds', 'backup', 'monitoring', 'waivers'] as const);
const NETWORK_KEYS = keysOf<CatalogNetworkSettings>()(['vpcId', 'routeTableIds', 'privateSubnetIds', 'availabilityZones', 'applicationSecurityGroupIds', 'extraTableNames', 'interfaceEndpoint'] as const);
const INTERFACE_ENDPOINT_KEYS = keysOf<NonNullable<CatalogNetworkSettings['interfaceEndpoint']>>()(['subnetIds', 'allowedCidrs', 'allowedSecurityGroupIds'] as const);
const BACKUP_KEYS = keysOf<BackupSettings>()(['enabled', 'copyRegions', 'vaultLock'] as const);
const MONITORING_KEYS = keysOf<MonitoringSettings>()(['alarmEmails', 'contributorInsights', 'auditTrail', 'configRules', 'managementTrail', 'thresholds'] as const);
const THRESHOLD_KEYS = keysOf<AlarmThresholdSettings>()(['latencyP99Ms', 'capacityUtilizationPercent', 'iteratorAgeMs', 'throttledRequests', 'systemErrors', 'replicationLatencyMs'] as const);
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):(role|user)\/[\w+=,.@/-]+$/;
/** An IAM role name with an optional path (IAM User Guide, "IAM identifiers": path and name characters). */
const ROLE_NAME = /^([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** The variables of each backend type; setting one for another backend is an error, not silently ignored. */
const BACKEND_VARIABLES: Record<Exclude<BackendSettings['type'], 'local'>, string[]> = {
  s3: ['GUARDRAILS_STATE_BUCKET', 'GUARDRAILS_STATE_REGION', 'GUARDRAILS_STATE_KEY_PREFIX', 'GUARDRAILS_STATE_KMS_KEY_ID'],
  cloud: ['GUARDRAILS_TFC_ORGANIZATION', 'GUARDRAILS_TFC_WORKSPACE_PREFIX', 'GUARDRAILS_TFC_HOSTNAME'],
};
type BackendOf<T extends BackendSettings['type']> = Extract<BackendSettings, { type: T }>;
const BACKEND_KEYS: Record<BackendSettings['type'], string[]> = {
  local: keysOf<BackendOf<'local'>>()(['type'] as const),
  s3: keysOf<BackendOf<'s3'>>()(['type', 'bucket', 'region', 'keyPrefix', 'kmsKeyId'] as const),
  cloud: keysOf<BackendOf<'cloud'>>()(['type', 'organization', 'workspacePrefix', 'hostname'] as const),
};

type Json = Record<string, unknown>;

/** One setting together with where it came from, so errors can point at the file key or the variable. */
interface Source {
  readonly subject: string;
  readonly field: string;
}

export interface LoadOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Directory searched for guardrails.config.json. @default process.cwd() */
  readonly cwd?: string;
  /**
   * The catalogs built: their per-catalog GUARDRAILS_<ENV>_<CATALOG>_* variables are accepted, and while the example
   * accounts are in use each gets an example network. @default none
   */
  readonly catalogs?: ReadonlyArray<{ readonly name: string; readonly defaultRegion?: string }>;
}

/** Per-catalog settings that a variable `GUARDRAILS_<ENV>_<CATALOG>_<SUFFIX>` sets. */
const CATALOG_VARIABLES = {
  VPC_ID: 'networks.<catalog>.vpcId',
  ROUTE_TABLE_IDS: 'networks.<catalog>.routeTableIds',
  PRIVATE_SUBNET_IDS: 'networks.<catalog>.privateSubnetIds',
  AVAILABILITY_ZONES: 'networks.<catalog>.availabilityZones',
  SECURITY_GROUP_IDS: 'networks.<catalog>.applicationSecurityGroupIds',
  EXTRA_TABLE_NAMES: 'networks.<catalog>.extraTableNames',
  REGION: 'catalogRegions.<catalog>',
  KMS_KEY_ARN: 'kmsKeyArns.<catalog>',
  BACKUP_COPY_REGION: 'backup.copyRegions.<catalog>',
} as const;
type CatalogVariable = keyof typeof CATALOG_VARIABLES;

/** `manga-assist` → `MANGA_ASSIST`, as it appears in variable names. */
export function catalogVariablePart(catalog: string): string {
  return catalog.toUpperCase().replace(/-/g, '_');
}

/** The variable that sets a per-catalog setting of one environment. */
export function catalogVariable(environment: EnvironmentName, catalog: string, suffix: CatalogVariable): string {
  return `GUARDRAILS_${environment.toUpperCase()}_${catalogVariablePart(catalog)}_${suffix}`;
}

/** Environment-wide settings that a variable `GUARDRAILS_<ENV>_<SUFFIX>` sets (lists are comma-separated). */
const ENVIRONMENT_VARIABLES = ['ACCOUNT_ID', 'REGION', 'OWNER', 'COST_CENTER', 'DEPLOYER_ROLES', 'BREAK_GLASS_ROLES', 'ALARM_EMAILS', 'DELETION_PROTECTION', 'POINT_IN_TIME_RECOVERY', 'PREVENT_DESTROY', 'TRUSTED_ACCOUNT_IDS'] as const;
type EnvironmentVariable = (typeof ENVIRONMENT_VARIABLES)[number];

export function environmentVariable(environment: EnvironmentName, suffix: EnvironmentVariable): string {
  return `GUARDRAILS_${environment.toUpperCase()}_${suffix}`;
}

/** Both places a setting can come from, as messages name them: `environments.prod.accountId or GUARDRAILS_PROD_ACCOUNT_ID`. */
export function settingNames(environment: EnvironmentName, fileField: string, variable?: string): string {
  return `environments.${environment}.${fileField}${variable ? ` (or ${variable})` : ''}`;
}

/**
 * Resolves the settings of every environment: embedded examples, overridden by `guardrails.config.json`
 * (or the file named by GUARDRAILS_CONFIG), overridden by GUARDRAILS_* environment variables.
 */
export function loadEnvironmentSettings(options: LoadOptions = {}): Record<EnvironmentName, EnvironmentSettings> {
  const env = options.env ?? process.env;
  const catalogs = options.catalogs ?? [];
  const catalogNames = catalogs.map((catalog) => catalog.name);
  checkEnvironmentVariables(env, catalogNames);
  const { file, fileName, exists } = readConfigFile(env, options.cwd ?? process.cwd());
  // Without a file, a missing setting is reported against "settings" (the file would be the place to add it).
  const fileSubject = exists ? `settings file ${fileName}` : `settings (no ${fileName})`;
  checkKeys(fileSubject, '', file, FILE_KEYS);
  const backend = resolveBackend(env, file.backend, fileSubject);
  const fileEnvironments = asObject(fileSubject, 'environments', file.environments ?? {});
  checkKeys(fileSubject, 'environments.', fileEnvironments, [...ENVIRONMENT_NAMES]);
  const sections = Object.fromEntries(ENVIRONMENT_NAMES.map((name) => [name, asObject(fileSubject, `environments.${name}`, fileEnvironments[name] ?? {})])) as Record<EnvironmentName, Json>;
  for (const name of ENVIRONMENT_NAMES) checkKeys(fileSubject, `environments.${name}.`, sections[name], ENVIRONMENT_KEYS);

  const pickerFor = (name: EnvironmentName) => (key: string, suffix?: EnvironmentVariable): Setting | undefined => {
    const variable = suffix && fromVariable(env, environmentVariable(name, suffix));
    if (variable) return variable;
    if (sections[name][key] !== undefined) return { value: sections[name][key], source: { subject: fileSubject, field: `environments.${name}.${key}` } };
    return undefined;
  };
  const accountIds = Object.fromEntries(
    ENVIRONMENT_NAMES.map((name) => {
      const accountId = pickerFor(name)('accountId', 'ACCOUNT_ID');
      const problem = typeof accountId?.value === 'number' ? `must be a 12-digit AWS account id written as a string ("${accountId.value}")` : 'must be a 12-digit AWS account id';
      return [name, accountId ? matching(accountId, ACCOUNT_ID, problem) : EXAMPLE_ACCOUNT_IDS[name]];
    }),
  ) as Record<EnvironmentName, string>;
  // The example networks and alarm addresses belong to the example accounts: with any real account they would put
  // another organisation's VPC ids (and a mailbox nobody reads) into real stacks, so they stop applying.
  const examplesApply = ENVIRONMENT_NAMES.every((name) => accountIds[name] === EXAMPLE_ACCOUNT_IDS[name]);

  const result = {} as Record<EnvironmentName, EnvironmentSettings>;
  for (const name of ENVIRONMENT_NAMES) {
    const example = EXAMPLE_ENVIRONMENTS[name];
    const fromFile = sections[name];
    const pick = pickerFor(name);
    const field = (key: string) => `environments.${name}.${key}`;
    const accountId = accountIds[name];
    const region = pick('region', 'REGION');
    const resolvedRegion = region ? matching(region, REGION, "must be an AWS region such as 'us-east-1'") : example.region;
    const partition = partitionForRegion(resolvedRegion);
    const owner = pick('owner', 'OWNER');
    const costCenter = pick('costCenter', 'COST_CENTER');
    const perCatalog = catalogVariables(env, name, catalogNames);
    const inAccount = (arn: string, at: Source) => requireAccount(arn, accountId, at, name);

    const deployerRoles = roleNames(pick('deployerRoles', 'DEPLOYER_ROLES'), DEFAULT_DEPLOYER_ROLES);
    const breakGlassRoles = roleNames(pick('breakGlassRoles', 'BREAK_GLASS_ROLES'), DEFAULT_BREAK_GLASS_ROLES);
    if (fromFile.deployerPrincipalArns !== undefined && pick('deployerRoles', 'DEPLOYER_ROLES')) {
      throw new GuardrailError(fileSubject, field('deployerPrincipalArns'), fromFile.deployerPrincipalArns, `and ${field('deployerRoles')} (or ${environmentVariable(name, 'DEPLOYER_ROLES')}) are both set; give the deployers one way`);
    }
    const principalList = (key: 'deployerPrincipalArns' | 'exemptPrincipalArns') =>
      stringList(fileSubject, field(key), fromFile[key], PRINCIPAL_ARN, 'must be IAM role or user ARNs').map((arn, i) => inAccount(arn, { subject: fileSubject, field: `${field(key)}[${i}]` }));
    const deployerPrincipalArns = fromFile.deployerPrincipalArns === undefined ? roleArns(partition, accountId, deployerRoles) : principalList('deployerPrincipalArns');
    const exemptPrincipalArns = [...roleArns(partition, accountId, breakGlassRoles), ...(fromFile.exemptPrincipalArns === undefined ? [] : principalList('exemptPrincipalArns'))];

    const kmsKeyArns = {
      ...example.kmsKeyArns,
      ...(fromFile.kmsKeyArns === undefined ? {} : keyArnMap(fileSubject, field('kmsKeyArns'), fromFile.kmsKeyArns)),
      ...perCatalog.strings('KMS_KEY_ARN', KMS_KEY_ARN, 'must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)'),
    };
    for (const [catalog, arn] of Object.entries(kmsKeyArns)) {
      inAccount(arn, perCatalog.sourceOf('KMS_KEY_ARN', catalog) ?? { subject: fileSubject, field: `${field('kmsKeyArns')}.${catalog}` });
    }
    const catalogRegions = pick('catalogRegions');
    const resolvedCatalogRegions = {
      ...example.catalogRegions,
      ...(catalogRegions ? regionMap(catalogRegions) : {}),
      ...perCatalog.strings('REGION', REGION, "must be an AWS region such as 'ap-south-1'"),
    };
    const catalogRegionOf = (catalog: { name: string; defaultRegion?: string }) => resolvedCatalogRegions[catalog.name] ?? catalog.defaultRegion ?? resolvedRegion;
    const fileNetworks = fromFile.networks === undefined ? {} : asObject(fileSubject, field('networks'), fromFile.networks);
    const networkSources = new Map<string, Source>();
    const exampleNetworksHere = examplesApply ? exampleNetworksOf(name, catalogs, catalogRegionOf) : {};
    // Parsed where the object below reaches `networks`, so errors keep their order.
    const userNetworks = () => parseNetworks(fileSubject, field('networks'), mergeNetworkVariables(fileNetworks, perCatalog, networkSources, exampleNetworksHere), name, networkSources);
    const monitoringDefaults = examplesApply ? example.monitoring : { ...example.monitoring, alarmEmails: [] };
    const alarmEmails = fromVariable(env, environmentVariable(name, 'ALARM_EMAILS'));
    const monitoring = fromFile.monitoring === undefined ? monitoringDefaults : parseMonitoring(fileSubject, field('monitoring'), fromFile.monitoring, monitoringDefaults);
    result[name] = {
      ...example,
      accountId,
      region: resolvedRegion,
      catalogRegions: resolvedCatalogRegions,
      tags: {
        Owner: owner ? matching(owner, TAG_VALUE, 'must be a tag value of 1 to 256 characters') : example.tags.Owner,
        CostCenter: costCenter ? matching(costCenter, TAG_VALUE, 'must be a tag value of 1 to 256 characters') : example.tags.CostCenter,
      },
      deletionProtection: flag(pick('deletionProtection', 'DELETION_PROTECTION'), example.deletionProtection),
      pointInTimeRecovery: flag(pick('pointInTimeRecovery', 'POINT_IN_TIME_RECOVERY'), example.pointInTimeRecovery),
      preventDestroy: flag(pick('preventDestroy', 'PREVENT_DESTROY'), example.preventDestroy),
      kmsKeyArns,
      // A backend in the environment's own section wins over the shared one (prod state in its own bucket or
      // organization); GUARDRAILS_* variables configure only the shared one.
      backend: fromFile.backend === undefined ? backend : resolveBackend({}, fromFile.backend, fileSubject, field('backend')),
      // Per catalog: the file's network of one catalog leaves the others' as they were, and a variable replaces one
      // field of one catalog's network (from the file, or the example while the examples apply).
      networks: { ...exampleNetworksHere, ...userNetworks() },
      deployerRoles,
      breakGlassRoles,
      deployerPrincipalArns,
      exemptPrincipalArns,
      trustedAccountIds: trustedAccounts(pick('trustedAccountIds', 'TRUSTED_ACCOUNT_IDS'), accountId),
      backup: withCopyRegions(fromFile.backup === undefined ? example.backup : parseBackup(fileSubject, field('backup'), fromFile.backup, example.backup), perCatalog.strings('BACKUP_COPY_REGION', REGION, "must be an AWS region such as 'ap-south-2'")),
      monitoring: alarmEmails ? { ...monitoring, alarmEmails: commaList(alarmEmails, EMAIL, 'must be email addresses, separated by commas') } : monitoring,
      waivers: fromFile.waivers === undefined ? example.waivers : parseWaivers(fromFile.waivers, { subject: fileSubject, field: field('waivers') }),
    };
  }
  return result;
}

type Setting = { value: unknown; source: Source };

/** The example networks of the catalogs built (all shipped ones when the caller names none). */
function exampleNetworksOf(environment: EnvironmentName, catalogs: NonNullable<LoadOptions['catalogs']>, regionOf: (catalog: { name: string; defaultRegion?: string }) => string): Record<string, CatalogNetworkSettings> {
  const all = exampleNetworks(environment, catalogs.map((catalog) => ({ name: catalog.name, region: regionOf(catalog) })));
  return catalogs.length === 0 ? all : Object.fromEntries(catalogs.map((catalog) => [catalog.name, all[catalog.name]]));
}

/**
 * `catalogs` in the file or GUARDRAILS_CATALOGS (comma-separated): the catalogs to build, by name, when not every
 * folder of stacks/catalogs should become stacks (a team starting with its own service). @default every catalog
 */
export function selectedCatalogNames(options: Pick<LoadOptions, 'env' | 'cwd'>, available: readonly string[]): string[] | undefined {
  const env = options.env ?? process.env;
  const variable = fromVariable(env, 'GUARDRAILS_CATALOGS');
  let names: string[];
  let source: Source;
  if (variable) {
    names = commaList(variable, CATALOG_NAME, 'must be catalog names, separated by commas');
    source = variable.source;
  } else {
    const { file, fileName, exists } = readConfigFile(env, options.cwd ?? process.cwd());
    if (file.catalogs === undefined) return undefined;
    const subject = exists ? `settings file ${fileName}` : 'settings';
    names = stringList(subject, 'catalogs', file.catalogs, CATALOG_NAME, 'must be a catalog name');
    source = { subject, field: 'catalogs' };
  }
  if (names.length === 0) throw new GuardrailError(source.subject, source.field, names, `must name at least one catalog (${available.join(', ')})`);
  for (const name of names) {
    if (!available.includes(name)) {
      const suggestion = nearest(name, available);
      throw new GuardrailError(source.subject, source.field, name, `is not a catalog; ${suggestion ? `did you mean '${suggestion}'? ` : ''}the catalogs are ${available.join(', ')}`);
    }
  }
  return names;
}

/** A variable's value as a setting; empty counts as unset, like every GUARDRAILS_* variable. */
function fromVariable(env: NodeJS.ProcessEnv, variable: string): Setting | undefined {
  return env[variable] !== undefined && env[variable] !== '' ? { value: env[variable], source: { subject: 'environment', field: variable } } : undefined;
}

function requireAccount(arn: string, accountId: string, at: Source, environment: EnvironmentName): string {
  const account = /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(arn)?.[1];
  if (account !== undefined && account !== accountId) {
    throw new GuardrailError(at.subject, at.field, arn, `is in account ${account}, but ${environment} deploys to account ${accountId} (${settingNames(environment, 'accountId', environmentVariable(environment, 'ACCOUNT_ID'))}); use a principal or key of that account`);
  }
  return arn;
}

function trustedAccounts(setting: Setting | undefined, accountId: string): readonly string[] {
  if (!setting) return [];
  const ids = setting.source.subject === 'environment' ? commaList(setting, ACCOUNT_ID, 'must be 12-digit account ids, separated by commas') : stringList(setting.source.subject, setting.source.field, setting.value, ACCOUNT_ID, 'must be a 12-digit AWS account id (a quoted string)');
  if (ids.includes(accountId)) throw new GuardrailError(setting.source.subject, setting.source.field, accountId, "is the environment's own account; list only other accounts");
  return ids;
}

function roleNames(setting: Setting | undefined, fallback: readonly string[]): readonly string[] {
  if (!setting) return fallback;
  if (setting.source.subject === 'environment') return commaList(setting, ROLE_NAME, 'must be IAM role names (with an optional path, platform/terraform-deployer), separated by commas');
  return stringList(setting.source.subject, setting.source.field, setting.value, ROLE_NAME, 'must be an IAM role name, with an optional path (platform/terraform-deployer)');
}

/** A comma-separated list from a variable; `none` is the empty list. */
function commaList(setting: Setting, pattern: RegExp, problem: string): string[] {
  const text = String(setting.value).trim();
  if (text === 'none') return [];
  const items = text.split(',').map((item) => item.trim());
  const bad = items.find((item) => !pattern.test(item));
  if (bad !== undefined) throw new GuardrailError(setting.source.subject, setting.source.field, setting.value, `${problem}; '${printable(bad)}' is not (use 'none' for no entries)`);
  return items;
}

/** The GUARDRAILS_<ENV>_<CATALOG>_* variables of one environment, by catalog. */
function catalogVariables(env: NodeJS.ProcessEnv, environment: EnvironmentName, catalogNames: readonly string[]) {
  const set = (suffix: CatalogVariable) =>
    catalogNames.flatMap((catalog): Array<[string, Setting]> => {
      const setting = fromVariable(env, catalogVariable(environment, catalog, suffix));
      return setting ? [[catalog, setting]] : [];
    });
  return {
    set,
    sourceOf: (suffix: CatalogVariable, catalog: string) => set(suffix).find(([name]) => name === catalog)?.[1].source,
    strings: (suffix: CatalogVariable, pattern: RegExp, problem: string) => Object.fromEntries(set(suffix).map(([catalog, setting]) => [catalog, matching(setting, pattern, problem)])),
  };
}

/** The network variables of each catalog laid over its network from the file, field by field. */
function mergeNetworkVariables(fileNetworks: Json, perCatalog: ReturnType<typeof catalogVariables>, sources: Map<string, Source>, examples: Json): Json {
  const merged: Json = { ...fileNetworks };
  const base = (catalog: string) => (merged[catalog] ?? examples[catalog]) as Json | undefined;
  const lists: Array<[CatalogVariable, keyof CatalogNetworkSettings, AwsIdKind | undefined]> = [
    ['ROUTE_TABLE_IDS', 'routeTableIds', 'rtb'],
    ['PRIVATE_SUBNET_IDS', 'privateSubnetIds', 'subnet'],
    ['AVAILABILITY_ZONES', 'availabilityZones', undefined],
    ['SECURITY_GROUP_IDS', 'applicationSecurityGroupIds', 'sg'],
    ['EXTRA_TABLE_NAMES', 'extraTableNames', undefined],
  ];
  // Checked here as well, so that a wrong id names the variable it came from.
  for (const [catalog, setting] of perCatalog.set('VPC_ID')) {
    requireAwsId(setting.source.subject, setting.source.field, String(setting.value), 'vpc');
    merged[catalog] = { ...base(catalog), vpcId: setting.value };
    sources.set(`${catalog}.vpcId`, setting.source);
  }
  for (const [suffix, key, kind] of lists) {
    for (const [catalog, setting] of perCatalog.set(suffix)) {
      const ids = commaList(setting, /^[\w.-]+$/, 'must be names or ids separated by commas');
      if (kind) requireAwsIds(setting.source.subject, setting.source.field, ids, kind, 0);
      merged[catalog] = { ...base(catalog), [key]: ids };
      sources.set(`${catalog}.${key}`, setting.source);
    }
  }
  return merged;
}

function withCopyRegions(backup: BackupSettings, fromVariables: Record<string, string>): BackupSettings {
  if (Object.keys(fromVariables).length === 0) return backup;
  return { ...backup, copyRegions: { ...backup.copyRegions, ...fromVariables } };
}

/** Where a network field came from when a variable set it: `<catalog>.<key>` → the variable. */
type VariableSources = ReadonlyMap<string, Source>;

function parseNetworks(subject: string, field: string, value: unknown, environment: EnvironmentName, variables: VariableSources = new Map()): Record<string, CatalogNetworkSettings> {
  const result: Record<string, CatalogNetworkSettings> = {};
  for (const [catalog, raw] of Object.entries(asObject(subject, field, value))) {
    const at = `${field}.${catalog}`;
    const network = asObject(subject, at, raw);
    checkKeys(subject, `${at}.`, network, NETWORK_KEYS);
    const list = (key: string) => (network[key] === undefined ? [] : stringList(subject, `${at}.${key}`, network[key], /./, 'must be strings'));
    // A field a variable set is reported against the variable.
    const where = (key: string, suffix = '') => variables.get(`${catalog}.${key}`) ?? { subject, field: `${at}.${key}${suffix}` };
    if (typeof network.vpcId !== 'string') throw new GuardrailError(subject, `${at}.vpcId`, network.vpcId, `is required (the VPC of the catalog in this environment; or set ${catalogVariable(environment, catalog, 'VPC_ID')})`);
    const vpcId = network.vpcId;
    requireAwsId(subject, `${at}.vpcId`, vpcId, 'vpc');
    let parsed: CatalogNetworkSettings = {
      vpcId,
      routeTableIds: list('routeTableIds'),
      privateSubnetIds: list('privateSubnetIds'),
      availabilityZones: list('availabilityZones'),
      applicationSecurityGroupIds: list('applicationSecurityGroupIds'),
      ...(network.extraTableNames !== undefined ? { extraTableNames: stringList(where('extraTableNames').subject, where('extraTableNames').field, network.extraTableNames, /^[A-Za-z0-9_.-]{3,255}$/, 'must be DynamoDB table names (3 to 255 letters, digits, _, - or .)') } : {}),
    };
    requireAwsIds(subject, `${at}.routeTableIds`, parsed.routeTableIds, 'rtb');
    requireAwsIds(subject, `${at}.privateSubnetIds`, parsed.privateSubnetIds, 'subnet', 0);
    requireAwsIds(subject, `${at}.applicationSecurityGroupIds`, parsed.applicationSecurityGroupIds, 'sg', 0);
    if (network.interfaceEndpoint !== undefined) {
      const endpoint = asObject(subject, `${at}.interfaceEndpoint`, network.interfaceEndpoint);
      checkKeys(subject, `${at}.interfaceEndpoint.`, endpoint, INTERFACE_ENDPOINT_KEYS);
      const endpointList = (key: string) => (endpoint[key] === undefined ? [] : stringList(subject, `${at}.interfaceEndpoint.${key}`, endpoint[key], /./, 'must be strings'));
      // Id and CIDR formats are checked by the endpoint construct itself, with the same field names.
      parsed = { ...parsed, interfaceEndpoint: { subnetIds: endpointList('subnetIds'), allowedCidrs: endpointList('allowedCidrs'), allowedSecurityGroupIds: endpointList('allowedSecurityGroupIds') } };
    }
    parsed.availabilityZones.forEach((zone, i) => {
      const source = where('availabilityZones', `[${i}]`);
      if (!/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/.test(zone)) throw new GuardrailError(source.subject, source.field, zone, "must be an availability zone such as 'us-east-1a'");
    });
    if (parsed.availabilityZones.length !== parsed.privateSubnetIds.length) {
      const source = where('availabilityZones');
      throw new GuardrailError(source.subject, source.field, parsed.availabilityZones, `must list the zone of each private subnet, in the same order (${parsed.privateSubnetIds.length} subnets in ${where('privateSubnetIds').field})`);
    }
    result[catalog] = parsed;
  }
  return result;
}

function parseBackup(subject: string, field: string, value: unknown, example: BackupSettings): BackupSettings {
  const backup = asObject(subject, field, value);
  checkKeys(subject, `${field}.`, backup, BACKUP_KEYS);
  // Left out, backups stay on (dynamodb:005): only an explicit false (with a waiver) turns them off.
  const enabled = flag(backup.enabled === undefined ? undefined : { value: backup.enabled, source: { subject, field: `${field}.enabled` } }, true);
  // Per catalog: a copy Region for one catalog leaves the others' as they were.
  const copyRegions = backup.copyRegions === undefined ? example.copyRegions : { ...example.copyRegions, ...regionMap({ value: backup.copyRegions, source: { subject, field: `${field}.copyRegions` } }) };
  const vaultLock = backup.vaultLock === undefined ? undefined : (oneOf({ value: backup.vaultLock, source: { subject, field: `${field}.vaultLock` } }, ['governance', 'compliance']) as BackupSettings['vaultLock']);
  return { enabled, copyRegions, vaultLock };
}

function parseMonitoring(subject: string, field: string, value: unknown, example: MonitoringSettings): MonitoringSettings {
  const monitoring = asObject(subject, field, value);
  checkKeys(subject, `${field}.`, monitoring, MONITORING_KEYS);
  const bool = (key: keyof MonitoringSettings & string, fallback: boolean) => flag(monitoring[key] === undefined ? undefined : { value: monitoring[key], source: { subject, field: `${field}.${key}` } }, fallback);
  return {
    alarmEmails: monitoring.alarmEmails === undefined ? example.alarmEmails : stringList(subject, `${field}.alarmEmails`, monitoring.alarmEmails, EMAIL, 'must be email addresses'),
    contributorInsights: bool('contributorInsights', example.contributorInsights),
    auditTrail: bool('auditTrail', example.auditTrail),
    configRules: bool('configRules', example.configRules),
    thresholds: monitoring.thresholds === undefined ? example.thresholds : parseThresholds(subject, `${field}.thresholds`, monitoring.thresholds),
    ...(monitoring.managementTrail !== undefined
      ? { managementTrail: oneOf({ value: monitoring.managementTrail, source: { subject, field: `${field}.managementTrail` } }, ['create', 'existing']) as MonitoringSettings['managementTrail'] }
      : {}),
  };
}

function parseThresholds(subject: string, field: string, value: unknown): Record<string, number> {
  const thresholds = asObject(subject, field, value);
  checkKeys(subject, `${field}.`, thresholds, THRESHOLD_KEYS);
  for (const [key, threshold] of Object.entries(thresholds)) {
    if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold < 0) {
      throw new GuardrailError(subject, `${field}.${key}`, threshold, 'must be a number of at least 0');
    }
    if (key === 'capacityUtilizationPercent' && (threshold < 1 || threshold > 100)) {
      throw new GuardrailError(subject, `${field}.${key}`, threshold, 'must be a percentage from 1 to 100');
    }
  }
  return thresholds as Record<string, number>;
}

function keyArnMap(subject: string, field: string, value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [catalog, arn] of Object.entries(asObject(subject, field, value))) {
    result[catalog] = matching({ value: arn, source: { subject, field: `${field}.${catalog}` } }, KMS_KEY_ARN, 'must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)');
  }
  return result;
}

function stringList(subject: string, field: string, value: unknown, pattern: RegExp, problem: string): string[] {
  if (!Array.isArray(value)) throw new GuardrailError(subject, field, value, 'must be a list of strings');
  value.forEach((item, i) => {
    if (typeof item !== 'string' || !pattern.test(item)) throw new GuardrailError(subject, `${field}[${i}]`, item, problem);
    if (value.indexOf(item) !== i) throw new GuardrailError(subject, `${field}[${i}]`, item, `is listed twice (also at [${value.indexOf(item)}])`);
  });
  return value as string[];
}

/** Every GUARDRAILS_* variable anything in this project reads; any other is a typo that would silently do nothing. */
export const KNOWN_ENVIRONMENT_VARIABLES: readonly string[] = [
  'GUARDRAILS_CONFIG',
  'GUARDRAILS_CATALOGS',
  'GUARDRAILS_DEBUG',
  // cdktf or cdk-terrain (flavours/flavour.cjs, help/cdk-terrain.md).
  'GUARDRAILS_FLAVOUR',
  ...ENVIRONMENT_NAMES.flatMap((name) => ENVIRONMENT_VARIABLES.map((suffix) => environmentVariable(name, suffix))),
  'GUARDRAILS_BACKEND',
  ...Object.values(BACKEND_VARIABLES).flat(),
  // Tools and the test harnesses (help/verification.md).
  'GUARDRAILS_TERRAFORM_BIN',
  'GUARDRAILS_TF_PROVIDER_LOG',
  'GUARDRAILS_TF_REATTACH',
  'GUARDRAILS_TF_PROVIDER_PID',
  'GUARDRAILS_TF_PROVIDER_DIR',
  'GUARDRAILS_DDB_LOCAL_ENDPOINT',
  'GUARDRAILS_DDB_LOCAL_SCRATCH_DIR',
  'GUARDRAILS_DDB_LOCAL_PID',
];

/** The variables accepted with these catalogs: the fixed ones and each catalog's GUARDRAILS_<ENV>_<CATALOG>_*. */
export function knownVariables(catalogNames: readonly string[]): string[] {
  const perCatalog = ENVIRONMENT_NAMES.flatMap((name) => catalogNames.flatMap((catalog) => (Object.keys(CATALOG_VARIABLES) as CatalogVariable[]).map((suffix) => catalogVariable(name, catalog, suffix))));
  return [...KNOWN_ENVIRONMENT_VARIABLES, ...perCatalog];
}

function checkEnvironmentVariables(env: NodeJS.ProcessEnv, catalogNames: readonly string[]): void {
  const known = knownVariables(catalogNames);
  for (const name of Object.keys(env).filter((key) => key.startsWith('GUARDRAILS_')).sort()) {
    if (known.includes(name)) continue;
    const suggestion = nearest(name, known);
    throw new GuardrailError('environment', name, env[name], `is not a setting of dynamodb-guardrails; ${suggestion ? `did you mean ${suggestion}?` : 'see help/configuration.md for the variables'}`);
  }
}

function readConfigFile(env: NodeJS.ProcessEnv, cwd: string): { file: Json; fileName: string; exists: boolean } {
  // An empty variable counts as unset, like every GUARDRAILS_* variable.
  const explicit = env.GUARDRAILS_CONFIG === '' ? undefined : env.GUARDRAILS_CONFIG;
  const filePath = path.resolve(cwd, explicit ?? CONFIG_FILE_NAME);
  const fileName = explicit ?? CONFIG_FILE_NAME;
  if (fileKind(filePath) === 'absent') {
    if (explicit) throw new GuardrailError('environment', 'GUARDRAILS_CONFIG', explicit, 'no such file');
    return { file: {}, fileName, exists: false };
  }
  const subject = `settings file ${fileName}`;
  const parsed = readJsonFile(filePath, subject);
  rejectNullsAndReservedKeys(subject, '', parsed);
  return { file: asObject(subject, '(whole file)', parsed), fileName, exists: true };
}

/** Keys that would reach an object's prototype instead of becoming a setting. */
const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype'];

/**
 * `null` is never a value of a setting: left in, it would silently mean "default" in some places and fail as a wrong
 * type in others. Prototype keys are refused outright.
 */
function rejectNullsAndReservedKeys(subject: string, at: string, value: unknown): void {
  if (value === null) throw new GuardrailError(subject, at || '(whole file)', null, 'null is not accepted; leave the setting out to use its default');
  if (Array.isArray(value)) value.forEach((item, i) => rejectNullsAndReservedKeys(subject, `${at}[${i}]`, item));
  else if (typeof value === 'object') {
    for (const key of Object.keys(value as object)) {
      const field = at ? `${at}.${key}` : key;
      if (RESERVED_KEYS.includes(key)) throw new GuardrailError(subject, field, key, 'is not a valid key');
      rejectNullsAndReservedKeys(subject, field, (value as Json)[key]);
    }
  }
}

function resolveBackend(env: NodeJS.ProcessEnv, fromFile: unknown, fileSubject: string, field = 'backend'): BackendSettings {
  const file = asObject(fileSubject, field, fromFile ?? {});
  const pick = (key: string, envVar: string): { value: unknown; source: Source } | undefined => {
    if (env[envVar] !== undefined && env[envVar] !== '') return { value: env[envVar], source: { subject: 'environment', field: envVar } };
    if (file[key] !== undefined) return { value: file[key], source: { subject: fileSubject, field: `${field}.${key}` } };
    return undefined;
  };
  const type = pick('type', 'GUARDRAILS_BACKEND') ?? { value: 'local', source: { subject: fileSubject, field: `${field}.type` } };
  const backendType = oneOf(type, Object.keys(BACKEND_KEYS)) as BackendSettings['type'];
  for (const key of Object.keys(file)) {
    const owner = (Object.keys(BACKEND_KEYS) as BackendSettings['type'][]).find((other) => other !== backendType && BACKEND_KEYS[other].includes(key) && !BACKEND_KEYS[backendType].includes(key));
    if (owner) throw new GuardrailError(fileSubject, `${field}.${key}`, file[key], `applies only to the '${owner}' backend, but the backend is '${backendType}' (${type.source.field}); remove it or select the '${owner}' backend`);
  }
  checkKeys(fileSubject, `${field}.`, file, BACKEND_KEYS[backendType]);
  for (const [other, variables] of Object.entries(BACKEND_VARIABLES).filter(([name]) => name !== backendType)) {
    const stray = variables.find((variable) => env[variable] !== undefined && env[variable] !== '');
    if (stray) throw new GuardrailError('environment', stray, env[stray], `applies only to the '${other}' backend, but the backend is '${backendType}'; set GUARDRAILS_BACKEND=${other} (or backend.type in ${CONFIG_FILE_NAME}) or unset ${stray}`);
  }
  const required = (key: string, envVar: string) => {
    const setting = pick(key, envVar);
    if (!setting) {
      const hint = field === 'backend' ? ` (or set ${envVar})` : '';
      throw new GuardrailError(fileSubject, `${field}.${key}`, undefined, `is required for the '${backendType}' backend${hint}`);
    }
    return setting;
  };
  switch (backendType) {
    case 'local':
      return { type: 'local' };
    case 's3': {
      const kmsKeyId = pick('kmsKeyId', 'GUARDRAILS_STATE_KMS_KEY_ID');
      const keyPrefix = pick('keyPrefix', 'GUARDRAILS_STATE_KEY_PREFIX');
      return {
        type: 's3',
        bucket: matching(required('bucket', 'GUARDRAILS_STATE_BUCKET'), BUCKET, 'must be an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, no two adjacent dots, not an IP address'),
        region: matching(required('region', 'GUARDRAILS_STATE_REGION'), REGION, "must be an AWS region such as 'us-east-1'"),
        keyPrefix: keyPrefix ? matching(keyPrefix, /^[A-Za-z0-9!_.*'()/-]{1,512}$/, 'must be an S3 key prefix without spaces') : 'dynamodb-guardrails',
        kmsKeyId: kmsKeyId ? matching(kmsKeyId, STATE_KMS_KEY, "must be a KMS key id (a UUID or 'mrk-…'), key ARN, 'alias/<name>' or alias ARN") : undefined,
      };
    }
    case 'cloud': {
      const prefix = pick('workspacePrefix', 'GUARDRAILS_TFC_WORKSPACE_PREFIX');
      const hostname = pick('hostname', 'GUARDRAILS_TFC_HOSTNAME');
      return {
        type: 'cloud',
        organization: matching(required('organization', 'GUARDRAILS_TFC_ORGANIZATION'), TFC_NAME, 'must be a Terraform Cloud organization name (letters, digits, _ and -)'),
        workspacePrefix: prefix ? matching(prefix, /^[A-Za-z0-9_-]{0,60}$/, 'may contain only letters, digits, _ and -') : '',
        hostname: hostname ? matching(hostname, /^[a-z0-9.-]+$/, 'must be a host name') : undefined,
      };
    }
  }
}

function matching(setting: { value: unknown; source: Source }, pattern: RegExp, problem: string): string {
  const { value, source } = setting;
  if (typeof value !== 'string' || !pattern.test(value)) throw new GuardrailError(source.subject, source.field, value, problem);
  return value;
}

function oneOf(setting: { value: unknown; source: Source }, allowed: string[]): string {
  if (typeof setting.value !== 'string' || !allowed.includes(setting.value)) {
    throw new GuardrailError(setting.source.subject, setting.source.field, setting.value, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return setting.value;
}

function flag(setting: { value: unknown; source: Source } | undefined, fallback: boolean): boolean {
  if (!setting) return fallback;
  if (setting.source.subject === 'environment' && (setting.value === 'true' || setting.value === 'false')) return setting.value === 'true';
  if (typeof setting.value !== 'boolean') throw new GuardrailError(setting.source.subject, setting.source.field, setting.value, 'must be true or false');
  return setting.value;
}

function regionMap(setting: { value: unknown; source: Source }): Record<string, string> {
  const map = asObject(setting.source.subject, setting.source.field, setting.value);
  const result: Record<string, string> = {};
  for (const [catalog, region] of Object.entries(map)) {
    result[catalog] = matching({ value: region, source: { ...setting.source, field: `${setting.source.field}.${catalog}` } }, REGION, "must be an AWS region such as 'ap-south-1'");
  }
  return result;
}

function asObject(subject: string, field: string, value: unknown): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new GuardrailError(subject, field, value, 'must be a JSON object');
  return value as Json;
}

function checkKeys(subject: string, prefix: string, value: Json, allowed: string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      const suggestion = nearest(key, allowed);
      throw new GuardrailError(subject, `${prefix}${key}`, value[key], `is not a known setting; ${suggestion ? `did you mean '${suggestion}'?` : `expected one of ${allowed.join(', ')}`}`);
    }
  }
}
