import * as path from 'path';
import { parseWaivers } from '../../modules/compliance/waivers';
import { KMS_KEY_ARN } from '../../modules/encryption';
import { REGION_PATTERN as REGION, requireAwsId, requireAwsIds } from '../../modules/network/ids';
import { GuardrailError } from '../../modules/validation';
import { fileKind, readJsonFile } from '../../modules/validation/json-file';
import { nearest } from '../../modules/validation/schema';
import { EXAMPLE_ENVIRONMENTS } from './defaults';
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
const FILE_KEYS = ['backend', 'environments'];
const ENVIRONMENT_KEYS = keysOf<EnvironmentSection>()(['backend', 'accountId', 'region', 'catalogRegions', 'owner', 'costCenter', 'deletionProtection', 'pointInTimeRecovery', 'preventDestroy', 'kmsKeyArns', 'networks', 'deployerPrincipalArns', 'exemptPrincipalArns', 'backup', 'monitoring', 'waivers'] as const);
const NETWORK_KEYS = keysOf<CatalogNetworkSettings>()(['vpcId', 'routeTableIds', 'privateSubnetIds', 'availabilityZones', 'applicationSecurityGroupIds', 'interfaceEndpoint'] as const);
const INTERFACE_ENDPOINT_KEYS = keysOf<NonNullable<CatalogNetworkSettings['interfaceEndpoint']>>()(['subnetIds', 'allowedCidrs', 'allowedSecurityGroupIds'] as const);
const BACKUP_KEYS = keysOf<BackupSettings>()(['enabled', 'copyRegions', 'vaultLock'] as const);
const MONITORING_KEYS = keysOf<MonitoringSettings>()(['alarmEmails', 'contributorInsights', 'auditTrail', 'configRules', 'thresholds'] as const);
const THRESHOLD_KEYS = keysOf<AlarmThresholdSettings>()(['latencyP99Ms', 'capacityUtilizationPercent', 'iteratorAgeMs', 'throttledRequests', 'systemErrors'] as const);
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;
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
}

/**
 * Resolves the settings of every environment: embedded examples, overridden by `guardrails.config.json`
 * (or the file named by GUARDRAILS_CONFIG), overridden by GUARDRAILS_* environment variables.
 */
export function loadEnvironmentSettings(options: LoadOptions = {}): Record<EnvironmentName, EnvironmentSettings> {
  const env = options.env ?? process.env;
  checkEnvironmentVariables(env);
  const { file, fileName, exists } = readConfigFile(env, options.cwd ?? process.cwd());
  // Without a file, a missing setting is reported against "settings" (the file would be the place to add it).
  const fileSubject = exists ? `settings file ${fileName}` : `settings (no ${fileName})`;
  checkKeys(fileSubject, '', file, FILE_KEYS);
  const backend = resolveBackend(env, file.backend, fileSubject);
  const fileEnvironments = asObject(fileSubject, 'environments', file.environments ?? {});
  checkKeys(fileSubject, 'environments.', fileEnvironments, [...ENVIRONMENT_NAMES]);

  const result = {} as Record<EnvironmentName, EnvironmentSettings>;
  for (const name of ENVIRONMENT_NAMES) {
    const example = EXAMPLE_ENVIRONMENTS[name];
    const fromFile = asObject(fileSubject, `environments.${name}`, fileEnvironments[name] ?? {});
    checkKeys(fileSubject, `environments.${name}.`, fromFile, ENVIRONMENT_KEYS);
    const pick = (key: string, envVar?: string): { value: unknown; source: Source } | undefined => {
      if (envVar && env[envVar] !== undefined && env[envVar] !== '') {
        return { value: env[envVar], source: { subject: 'environment', field: envVar } };
      }
      if (fromFile[key] !== undefined) return { value: fromFile[key], source: { subject: fileSubject, field: `environments.${name}.${key}` } };
      return undefined;
    };
    const upper = name.toUpperCase();
    const accountId = pick('accountId', `GUARDRAILS_${upper}_ACCOUNT_ID`);
    const region = pick('region', `GUARDRAILS_${upper}_REGION`);
    const owner = pick('owner');
    const costCenter = pick('costCenter');
    const catalogRegions = pick('catalogRegions');
    result[name] = {
      ...example,
      accountId: accountId ? matching(accountId, ACCOUNT_ID, 'must be a 12-digit AWS account id') : example.accountId,
      region: region ? matching(region, REGION, "must be an AWS region such as 'us-east-1'") : example.region,
      catalogRegions: catalogRegions ? regionMap(catalogRegions) : example.catalogRegions,
      tags: {
        Owner: owner ? matching(owner, TAG_VALUE, 'must be a tag value of 1 to 256 characters') : example.tags.Owner,
        CostCenter: costCenter ? matching(costCenter, TAG_VALUE, 'must be a tag value of 1 to 256 characters') : example.tags.CostCenter,
      },
      deletionProtection: flag(pick('deletionProtection'), example.deletionProtection),
      pointInTimeRecovery: flag(pick('pointInTimeRecovery'), example.pointInTimeRecovery),
      preventDestroy: flag(pick('preventDestroy'), example.preventDestroy),
      kmsKeyArns: fromFile.kmsKeyArns === undefined ? example.kmsKeyArns : keyArnMap(fileSubject, `environments.${name}.kmsKeyArns`, fromFile.kmsKeyArns),
      // A backend in the environment's own section wins over the shared one (prod state in its own bucket or
      // organization); GUARDRAILS_* variables configure only the shared one.
      backend: fromFile.backend === undefined ? backend : resolveBackend({}, fromFile.backend, fileSubject, `environments.${name}.backend`),
      networks: fromFile.networks === undefined ? example.networks : parseNetworks(fileSubject, `environments.${name}.networks`, fromFile.networks),
      deployerPrincipalArns:
        fromFile.deployerPrincipalArns === undefined
          ? example.deployerPrincipalArns
          : stringList(fileSubject, `environments.${name}.deployerPrincipalArns`, fromFile.deployerPrincipalArns, PRINCIPAL_ARN, 'must be IAM role or user ARNs'),
      exemptPrincipalArns:
        fromFile.exemptPrincipalArns === undefined
          ? example.exemptPrincipalArns
          : stringList(fileSubject, `environments.${name}.exemptPrincipalArns`, fromFile.exemptPrincipalArns, PRINCIPAL_ARN, 'must be IAM role or user ARNs'),
      backup: fromFile.backup === undefined ? example.backup : parseBackup(fileSubject, `environments.${name}.backup`, fromFile.backup),
      monitoring: fromFile.monitoring === undefined ? example.monitoring : parseMonitoring(fileSubject, `environments.${name}.monitoring`, fromFile.monitoring, example.monitoring),
      waivers: fromFile.waivers === undefined ? example.waivers : parseWaivers(fromFile.waivers, { subject: fileSubject, field: `environments.${name}.waivers` }),
    };
  }
  return result;
}

function parseNetworks(subject: string, field: string, value: unknown): Record<string, CatalogNetworkSettings> {
  const result: Record<string, CatalogNetworkSettings> = {};
  for (const [catalog, raw] of Object.entries(asObject(subject, field, value))) {
    const at = `${field}.${catalog}`;
    const network = asObject(subject, at, raw);
    checkKeys(subject, `${at}.`, network, NETWORK_KEYS);
    const list = (key: string) => (network[key] === undefined ? [] : stringList(subject, `${at}.${key}`, network[key], /./, 'must be strings'));
    if (typeof network.vpcId !== 'string') throw new GuardrailError(subject, `${at}.vpcId`, network.vpcId, 'is required (the VPC of the catalog in this environment)');
    const vpcId = network.vpcId;
    requireAwsId(subject, `${at}.vpcId`, vpcId, 'vpc');
    let parsed: CatalogNetworkSettings = {
      vpcId,
      routeTableIds: list('routeTableIds'),
      privateSubnetIds: list('privateSubnetIds'),
      availabilityZones: list('availabilityZones'),
      applicationSecurityGroupIds: list('applicationSecurityGroupIds'),
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
      if (!/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/.test(zone)) throw new GuardrailError(subject, `${at}.availabilityZones[${i}]`, zone, "must be an availability zone such as 'us-east-1a'");
    });
    if (parsed.availabilityZones.length !== parsed.privateSubnetIds.length) {
      throw new GuardrailError(subject, `${at}.availabilityZones`, parsed.availabilityZones, `must list the zone of each private subnet (${parsed.privateSubnetIds.length} subnets)`);
    }
    result[catalog] = parsed;
  }
  return result;
}

function parseBackup(subject: string, field: string, value: unknown): BackupSettings {
  const backup = asObject(subject, field, value);
  checkKeys(subject, `${field}.`, backup, BACKUP_KEYS);
  // Left out, backups stay on (dynamodb:005): only an explicit false (with a waiver) turns them off.
  const enabled = flag(backup.enabled === undefined ? undefined : { value: backup.enabled, source: { subject, field: `${field}.enabled` } }, true);
  const copyRegions = backup.copyRegions === undefined ? undefined : regionMap({ value: backup.copyRegions, source: { subject, field: `${field}.copyRegions` } });
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
  'GUARDRAILS_DEBUG',
  ...ENVIRONMENT_NAMES.flatMap((name) => [`GUARDRAILS_${name.toUpperCase()}_ACCOUNT_ID`, `GUARDRAILS_${name.toUpperCase()}_REGION`]),
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

function checkEnvironmentVariables(env: NodeJS.ProcessEnv): void {
  for (const name of Object.keys(env).filter((key) => key.startsWith('GUARDRAILS_')).sort()) {
    if (KNOWN_ENVIRONMENT_VARIABLES.includes(name)) continue;
    const suggestion = nearest(name, KNOWN_ENVIRONMENT_VARIABLES);
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
