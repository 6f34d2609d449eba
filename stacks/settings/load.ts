import * as fs from 'fs';
import * as path from 'path';
import { parseWaivers } from '../../modules/compliance/waivers';
import { KMS_KEY_ARN } from '../../modules/encryption';
import { REGION_PATTERN as REGION, requireAwsId, requireAwsIds } from '../../modules/network/ids';
import { GuardrailError } from '../../modules/validation';
import { EXAMPLE_ENVIRONMENTS } from './defaults';
import { BackendSettings, BackupSettings, CatalogNetworkSettings, ENVIRONMENT_NAMES, EnvironmentName, EnvironmentSettings, MonitoringSettings } from './types';

export const CONFIG_FILE_NAME = 'guardrails.config.json';

const ACCOUNT_ID = /^\d{12}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const TFC_NAME = /^[A-Za-z0-9_-]+$/;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

const FILE_KEYS = ['backend', 'environments'];
const ENVIRONMENT_KEYS = ['backend', 'accountId', 'region', 'catalogRegions', 'owner', 'costCenter', 'deletionProtection', 'pointInTimeRecovery', 'preventDestroy', 'kmsKeyArns', 'networks', 'deployerPrincipalArns', 'exemptPrincipalArns', 'backup', 'monitoring', 'waivers'];
const NETWORK_KEYS = ['vpcId', 'routeTableIds', 'privateSubnetIds', 'availabilityZones', 'applicationSecurityGroupIds', 'interfaceEndpoint'];
const INTERFACE_ENDPOINT_KEYS = ['subnetIds', 'allowedCidrs', 'allowedSecurityGroupIds'];
const BACKUP_KEYS = ['enabled', 'copyRegions', 'vaultLock'];
const MONITORING_KEYS = ['alarmEmails', 'contributorInsights', 'auditTrail', 'configRules', 'thresholds'];
const THRESHOLD_KEYS = ['latencyP99Ms', 'capacityUtilizationPercent', 'iteratorAgeMs', 'throttledRequests', 'systemErrors'];
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const BACKEND_KEYS: Record<BackendSettings['type'], string[]> = {
  local: ['type'],
  s3: ['type', 'bucket', 'region', 'keyPrefix', 'kmsKeyId'],
  cloud: ['type', 'organization', 'workspacePrefix', 'hostname'],
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
  const enabled = flag({ value: backup.enabled, source: { subject, field: `${field}.enabled` } }, true);
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
  });
  return value as string[];
}

function readConfigFile(env: NodeJS.ProcessEnv, cwd: string): { file: Json; fileName: string; exists: boolean } {
  const explicit = env.GUARDRAILS_CONFIG;
  const filePath = path.resolve(cwd, explicit ?? CONFIG_FILE_NAME);
  const fileName = explicit ?? CONFIG_FILE_NAME;
  if (!fs.existsSync(filePath)) {
    if (explicit) throw new GuardrailError('environment', 'GUARDRAILS_CONFIG', explicit, 'no such file');
    return { file: {}, fileName, exists: false };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(filePath, 'utf8'));
  } catch (error) {
    throw new GuardrailError(`settings file ${fileName}`, '(whole file)', '<unparsable>', `is not valid JSON: ${(error as Error).message}`);
  }
  return { file: asObject(`settings file ${fileName}`, '(whole file)', parsed), fileName, exists: true };
}

function resolveBackend(env: NodeJS.ProcessEnv, fromFile: unknown, fileSubject: string, field = 'backend'): BackendSettings {
  const file = asObject(fileSubject, 'backend', fromFile ?? {});
  const pick = (key: string, envVar: string): { value: unknown; source: Source } | undefined => {
    if (env[envVar] !== undefined && env[envVar] !== '') return { value: env[envVar], source: { subject: 'environment', field: envVar } };
    if (file[key] !== undefined) return { value: file[key], source: { subject: fileSubject, field: `${field}.${key}` } };
    return undefined;
  };
  const type = pick('type', 'GUARDRAILS_BACKEND') ?? { value: 'local', source: { subject: fileSubject, field: `${field}.type` } };
  const backendType = oneOf(type, Object.keys(BACKEND_KEYS)) as BackendSettings['type'];
  checkKeys(fileSubject, `${field}.`, file, BACKEND_KEYS[backendType]);
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
        bucket: matching(required('bucket', 'GUARDRAILS_STATE_BUCKET'), BUCKET, 'must be an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)'),
        region: matching(required('region', 'GUARDRAILS_STATE_REGION'), REGION, "must be an AWS region such as 'us-east-1'"),
        keyPrefix: keyPrefix ? matching(keyPrefix, /^[A-Za-z0-9!_.*'()/-]{1,512}$/, 'must be an S3 key prefix without spaces') : 'dynamodb-guardrails',
        kmsKeyId: kmsKeyId ? matching(kmsKeyId, /^(arn:aws[a-z-]*:kms:|alias\/)?[A-Za-z0-9:/_-]+$/, 'must be a KMS key id, ARN or alias') : undefined,
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
      throw new GuardrailError(subject, `${prefix}${key}`, value[key], `is not a known setting; expected one of ${allowed.join(', ')}`);
    }
  }
}
