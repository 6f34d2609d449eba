/**
 * The bad-input corpus: one row per case, from every source a user can get wrong — the settings file, GUARDRAILS_*
 * variables and catalog data. Each row says what the one error line must contain; the runner
 * (bad-input-corpus.test.ts) also checks its shape, the exit code, that no stack trace is printed and that the
 * previous output stays byte-identical.
 */
import { AccessProfile, RoleTrust } from '../../modules/access';
import { Billing, Capacity } from '../../modules/capacity';
import { auditFlowCatalog } from '../../stacks/catalogs/auditflow';
import { mangaAssistCatalog } from '../../stacks/catalogs/manga-assist';
import { mlPlatformCatalog } from '../../stacks/catalogs/ml-platform';
import type { Catalog } from '../../stacks/catalogs/types';

/** A file the case puts beside the run: text, or a special kind of file. */
export type CaseFile = string | { readonly fifo: true } | { readonly directory: true } | { readonly symlinkTo: string } | { readonly bytes: number };

export interface BadInputCase {
  readonly name: string;
  readonly files?: Readonly<Record<string, CaseFile>>;
  readonly env?: Readonly<Record<string, string>>;
  readonly catalogs?: readonly unknown[];
  /** What the error line must contain (after `Error: `). */
  readonly expected: string | RegExp;
}

const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
const config = (value: unknown) => ({ 'guardrails.config.json': typeof value === 'string' ? value : JSON.stringify(value) });
const inEnvironment = (environment: string, settings: Record<string, unknown>) => config({ environments: { [environment]: settings } });
const fileSubject = 'settings file guardrails.config.json: ';
const ARN = 'arn:aws:kms:ap-south-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** A copy of `value` with the value at `path` replaced (or removed for `undefined`); class instances are kept as they are. */
export function withChange(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const container = (value ?? {}) as Record<string | number, unknown>;
  const copy = (Array.isArray(value) ? [...value] : { ...container }) as Record<string | number, unknown>;
  const next = withChange(container[head], rest, replacement);
  if (next === undefined && rest.length === 0) delete copy[head];
  else copy[head] = next;
  return copy;
}

// ---------------------------------------------------------------------------------------------------------------
// Settings file: the whole file
const wholeFile: BadInputCase[] = [
  { name: 'file is not JSON', files: config('{ environments: '), expected: `${fileSubject}(whole file) = '<unparsable>': is not valid JSON` },
  { name: 'file is empty', files: config(''), expected: 'is not valid JSON' },
  { name: 'file has a comment', files: config('{ // dev\n "environments": {} }'), expected: /is not valid JSON: InvalidCommentToken at line 1/ },
  { name: 'file has a trailing comma', files: config('{ "environments": {}, }'), expected: /is not valid JSON: .* at line 1/ },
  { name: 'file is a list', files: config('[]'), expected: `${fileSubject}(whole file) = []: must be a JSON object` },
  { name: 'file is a string', files: config('"prod"'), expected: "(whole file) = 'prod': must be a JSON object" },
  { name: 'file is a number', files: config('42'), expected: '(whole file) = 42: must be a JSON object' },
  { name: 'file is null', files: config('null'), expected: '(whole file) = null: null is not accepted' },
  { name: 'duplicate top-level key', files: config('{ "environments": {}, "environments": {} }'), expected: "environments = 'environments': appears twice in one object (lines 1 and 1)" },
  { name: 'duplicate nested key', files: config('{\n "environments": {\n  "prod": { "accountId": "123456789012",\n "accountId": "210987654321" } } }'), expected: "environments.prod.accountId = 'accountId': appears twice in one object (lines 3 and 4)" },
  { name: 'settings file is a FIFO', files: { 'guardrails.config.json': { fifo: true } }, expected: 'is a FIFO (named pipe), not a regular file' },
  { name: 'settings file is a directory', files: { 'guardrails.config.json': { directory: true } }, expected: 'is a directory, not a regular file' },
  { name: 'settings file is a dangling symlink', files: { 'guardrails.config.json': { symlinkTo: 'nowhere.json' } }, expected: 'is a symbolic link to a file that does not exist' },
  { name: 'settings file over 1 MB', files: { 'guardrails.config.json': { bytes: 1024 * 1024 + 10 } }, expected: 'a settings file is at most 1048576 bytes' },
  { name: 'unknown top-level key', files: config({ enviroments: {} }), expected: "enviroments = {}: is not a known setting; did you mean 'environments'?" },
  { name: 'unknown top-level key far from any', files: config({ zzz: 1 }), expected: 'zzz = 1: is not a known setting; expected one of backend, catalogs, environments' },
  { name: '__proto__ key', files: config('{ "__proto__": { "x": 1 } }'), expected: "__proto__ = '__proto__': is not a valid key" },
  { name: 'constructor key in a map', files: config({ environments: { prod: { kmsKeyArns: { constructor: ARN } } } }), expected: "environments.prod.kmsKeyArns.constructor = 'constructor': is not a valid key" },
  { name: 'environments is null', files: config({ environments: null }), expected: 'environments = null: null is not accepted' },
  { name: 'environments is a list', files: config({ environments: [] }), expected: 'environments = []: must be a JSON object' },
  { name: 'environments is a string', files: config({ environments: 'prod' }), expected: "environments = 'prod': must be a JSON object" },
  { name: "environment 'production'", files: config({ environments: { production: {} } }), expected: "environments.production = {}: is not a known setting; did you mean 'prod'?" },
  { name: "environment 'Prod'", files: config({ environments: { Prod: {} } }), expected: "did you mean 'prod'?" },
  { name: "environment 'development'", files: config({ environments: { development: {} } }), expected: 'environments.development = {}: is not a known setting' },
  { name: "environment 'stage'", files: config({ environments: { stage: {} } }), expected: "did you mean 'staging'?" },
  { name: 'environment section is a list', files: config({ environments: { prod: [] } }), expected: 'environments.prod = []: must be a JSON object' },
  { name: 'environment section is null', files: config({ environments: { prod: null } }), expected: 'environments.prod = null: null is not accepted' },
  { name: 'file setting the s3 backend while GUARDRAILS_BACKEND says local', files: config({ backend: { type: 's3', bucket: 'acme-state', region: 'us-east-1' } }), env: { GUARDRAILS_BACKEND: 'local' }, expected: "backend.bucket = 'acme-state': applies only to the 's3' backend, but the backend is 'local' (GUARDRAILS_BACKEND)" },
  { name: 'GUARDRAILS_CONFIG names a missing file', env: { GUARDRAILS_CONFIG: 'missing.json' }, expected: "environment: GUARDRAILS_CONFIG = 'missing.json': no such file" },
  { name: 'GUARDRAILS_CONFIG names a directory', files: { site: { directory: true } }, env: { GUARDRAILS_CONFIG: 'site' }, expected: 'settings file site: (whole file)' },
  { name: 'GUARDRAILS_CONFIG names a FIFO', files: { 'site.json': { fifo: true } }, env: { GUARDRAILS_CONFIG: 'site.json' }, expected: 'is a FIFO (named pipe), not a regular file' },
];

// Settings file: one bad value per field, in every environment where the field is per environment.
const perEnvironmentValues: Array<[field: string, value: unknown, expected: string]> = [
  ['accountId', '42', 'must be a 12-digit AWS account id'],
  ['accountId', 123456789012, 'must be a 12-digit AWS account id'],
  ['accountId', '12345678901a', 'must be a 12-digit AWS account id'],
  ['accountId', '', 'must be a 12-digit AWS account id'],
  ['accountId', null, 'null is not accepted'],
  ['region', 'nowhere', "must be an AWS region such as 'us-east-1'"],
  ['region', 'US-EAST-1', "must be an AWS region such as 'us-east-1'"],
  ['region', `us-${'a'.repeat(5000)}-1`, '… (5005 characters)'],
  ['region', 'us-east-1\n', "'us-east-1\\n': must be an AWS region"],
  ['region', 5, '= 5: must be an AWS region'],
  ['owner', '', 'must be a tag value of 1 to 256 characters'],
  ['owner', 'x'.repeat(300), 'must be a tag value of 1 to 256 characters'],
  ['owner', 'team\u001b[2J', "'team\\u001b[2J': must be a tag value"],
  ['costCenter', 42, '= 42: must be a tag value'],
  ['deletionProtection', 'false', "= 'false': must be true or false"],
  ['deletionProtection', 0, '= 0: must be true or false'],
  ['pointInTimeRecovery', 'false', "= 'false': must be true or false"],
  ['pointInTimeRecovery', 'yes', "= 'yes': must be true or false"],
  ['preventDestroy', 1, '= 1: must be true or false'],
  ['catalogRegions', [], 'must be a JSON object'],
  ['kmsKeyArns', 'x', 'must be a JSON object'],
  ['networks', [], 'must be a JSON object'],
  ['deployerPrincipalArns', 'arn:aws:iam::123456789012:role/x', 'must be a list of strings'],
  ['deployerPrincipalArns', ['x'], 'must be IAM role or user ARNs'],
  ['deployerPrincipalArns', [5], 'must be IAM role or user ARNs'],
  ['deployerPrincipalArns', ['arn:aws:iam::123456789012:root'], 'must be IAM role or user ARNs'],
  ['deployerPrincipalArns', ['arn:aws:iam::123456789012:role/a', 'arn:aws:iam::123456789012:role/a'], 'is listed twice (also at [0])'],
  ['exemptPrincipalArns', ['arn:aws:iam::12345:role/a'], 'must be IAM role or user ARNs'],
  ['backup', 'on', 'must be a JSON object'],
  ['monitoring', true, 'must be a JSON object'],
  ['waivers', {}, 'must be a list of waivers'],
  ['acountId', '123456789012', "is not a known setting; did you mean 'accountId'?"],
  ['regoin', 'us-east-1', "is not a known setting; did you mean 'region'?"],
  ['pointInTimeRecoveryDays', 7, 'is not a known setting'],
  ['deletionprotection', true, "did you mean 'deletionProtection'?"],
  ['network', {}, "did you mean 'networks'?"],
];
const perEnvironment: BadInputCase[] = ENVIRONMENTS.flatMap((environment) =>
  perEnvironmentValues.map(([field, value, expected]) => ({
    name: `${environment}: ${field} = ${JSON.stringify(value)?.slice(0, 40)}`,
    files: inEnvironment(environment, { [field]: value }),
    expected: `environments.${environment}.${field}`.length > 0 ? new RegExp(`environments\\.${environment}\\.${field}.*${escape(expected)}`) : expected,
  })),
);

// Settings file: nested values (prod only; the same code reads every environment).
const nestedValues: Array<[name: string, settings: Record<string, unknown>, expected: string]> = [
  ['catalogRegions to a bad Region', { catalogRegions: { auditflow: 'mars-1' } }, "catalogRegions.auditflow = 'mars-1': must be an AWS region"],
  ['catalogRegions for a misspelt catalog', { catalogRegions: { 'audit-flow': 'ap-south-1' } }, "'audit-flow' is not a catalog; did you mean 'auditflow'?"],
  ['kmsKeyArns is not an ARN', { kmsKeyArns: { auditflow: 'x' } }, "kmsKeyArns.auditflow = 'x': must be a KMS key ARN"],
  ['kmsKeyArns is an alias', { kmsKeyArns: { auditflow: 'alias/ddb' } }, 'must be a KMS key ARN'],
  ['kmsKeyArns of another Region', { kmsKeyArns: { auditflow: ARN.replace('ap-south-1', 'us-east-1') } }, 'environments.prod.kmsKeyArns.auditflow = '],
  ['kmsKeyArns for a misspelt catalog', { kmsKeyArns: { mangaassist: ARN } }, "'mangaassist' is not a catalog; did you mean 'manga-assist'?"],
  ['network without vpcId', { networks: { auditflow: { routeTableIds: ['rtb-0123456789abcdef0'] } } }, 'networks.auditflow.vpcId = (not set): is required'],
  ['network with a bad vpcId', { networks: { auditflow: { vpcId: 'vpc-1', routeTableIds: ['rtb-0123456789abcdef0'] } } }, "networks.auditflow.vpcId = 'vpc-1': must be a VPC id"],
  ['network routeTableIds as a string', { networks: { auditflow: { vpcId: 'vpc-0123456789abcdef0', routeTableIds: 'rtb-0123456789abcdef0' } } }, 'routeTableIds'],
  ['network routeTableIds with a number', { networks: { auditflow: { vpcId: 'vpc-0123456789abcdef0', routeTableIds: [5] } } }, 'routeTableIds[0] = 5'],
  ['network route table id malformed', { networks: { auditflow: { vpcId: 'vpc-0123456789abcdef0', routeTableIds: ['rtb-xyz'] } } }, 'must be a route table id'],
  ['network unknown key', { networks: { auditflow: { vpcId: 'vpc-0123456789abcdef0', routeTables: [] } } }, "networks.auditflow.routeTables = []: is not a known setting; did you mean 'routeTableIds'?"],
  ['network zones do not match subnets', { networks: { auditflow: { vpcId: 'vpc-0123456789abcdef0', routeTableIds: ['rtb-0123456789abcdef0'], privateSubnetIds: ['subnet-0123456789abcdef0'], availabilityZones: [] } } }, 'must list the zone of each private subnet, in the same order (1 subnets in environments.prod.networks.auditflow.privateSubnetIds)'],
  ['network bad zone', { networks: { auditflow: { vpcId: 'vpc-0123456789abcdef0', routeTableIds: ['rtb-0123456789abcdef0'], privateSubnetIds: ['subnet-0123456789abcdef0'], availabilityZones: ['east'] } } }, "availabilityZones[0] = 'east': must be an availability zone"],
  ['network interface endpoint unknown key', { networks: { auditflow: { vpcId: 'vpc-0123456789abcdef0', routeTableIds: ['rtb-0123456789abcdef0'], interfaceEndpoint: { subnets: [] } } } }, "interfaceEndpoint.subnets = []: is not a known setting; did you mean 'subnetIds'?"],
  ['network for a misspelt catalog', { networks: { auditflw: { vpcId: 'vpc-0123456789abcdef0', routeTableIds: ['rtb-0123456789abcdef0'] } } }, "'auditflw' is not a catalog; did you mean 'auditflow'?"],
  ['backup.enabled not a boolean', { backup: { enabled: 'no' } }, "backup.enabled = 'no': must be true or false"],
  ['backup.copyRegions to a bad Region', { backup: { enabled: true, copyRegions: { auditflow: 'nowhere' } } }, "backup.copyRegions.auditflow = 'nowhere': must be an AWS region"],
  ['backup.copyRegions to the home Region', { backup: { enabled: true, copyRegions: { auditflow: 'ap-south-1' } } }, "environments.prod.backup.copyRegions.auditflow = 'ap-south-1': is the catalog's own Region"],
  ['backup.copyRegions for a misspelt catalog', { backup: { enabled: true, copyRegions: { auditflows: 'ap-south-2' } } }, "'auditflows' is not a catalog; did you mean 'auditflow'?"],
  ['backup.vaultLock unknown mode', { backup: { enabled: true, vaultLock: 'strict' } }, "backup.vaultLock = 'strict': must be one of 'governance', 'compliance'"],
  ['backup unknown key', { backup: { enabled: true, retention: 35 } }, "backup.retention = 35: is not a known setting"],
  ['alarmEmails not emails', { monitoring: { alarmEmails: ['ops'] } }, "monitoring.alarmEmails[0] = 'ops': must be email addresses"],
  ['alarmEmails a string', { monitoring: { alarmEmails: 'ops@example.com' } }, 'monitoring.alarmEmails'],
  ['alarmEmails duplicate', { monitoring: { alarmEmails: ['a@example.com', 'a@example.com'] } }, "monitoring.alarmEmails[1] = 'a@example.com': is listed twice"],
  ['contributorInsights not a boolean', { monitoring: { contributorInsights: 'yes' } }, "monitoring.contributorInsights = 'yes': must be true or false"],
  ['thresholds negative', { monitoring: { thresholds: { latencyP99Ms: -1 } } }, 'monitoring.thresholds.latencyP99Ms = -1: must be a number of at least 0'],
  ['thresholds a string', { monitoring: { thresholds: { latencyP99Ms: '5' } } }, "monitoring.thresholds.latencyP99Ms = '5': must be a number"],
  ['thresholds percentage of 500', { monitoring: { thresholds: { capacityUtilizationPercent: 500 } } }, 'monitoring.thresholds.capacityUtilizationPercent = 500: must be a percentage from 1 to 100'],
  ['thresholds unknown key', { monitoring: { thresholds: { latency: 5 } } }, 'monitoring.thresholds.latency = 5: is not a known setting'],
  ['monitoring unknown key', { monitoring: { alarmEmail: [] } }, "did you mean 'alarmEmails'?"],
  ['waiver not an object', { waivers: ['x'] }, "waivers[0] = 'x': must be an object"],
  ['waiver unknown requirement', { waivers: [{ requirement: 'dynamodb:016', resource: '*', reason: 'long enough reason', expires: '2099-01-01' }] }, "waivers[0].requirement = 'dynamodb:016'"],
  ['waiver bad resource', { waivers: [{ requirement: 'dynamodb:002', resource: 'the table', reason: 'long enough reason', expires: '2099-01-01' }] }, "waivers[0].resource = 'the table'"],
  ['waiver short reason', { waivers: [{ requirement: 'dynamodb:002', resource: '*', reason: 'because', expires: '2099-01-01' }] }, "waivers[0].reason = 'because'"],
  ['waiver bad date', { waivers: [{ requirement: 'dynamodb:002', resource: '*', reason: 'long enough reason', expires: '01/01/2099' }] }, "waivers[0].expires = '01/01/2099'"],
  ['waiver impossible date', { waivers: [{ requirement: 'dynamodb:002', resource: '*', reason: 'long enough reason', expires: '2099-02-30' }] }, "waivers[0].expires = '2099-02-30'"],
  ['waiver unknown field', { waivers: [{ requirement: 'dynamodb:002', resource: '*', reason: 'long enough reason', expires: '2099-01-01', owner: 'x' }] }, "waivers[0].owner = 'x': is not a waiver field"],
  ['waiver for a stack of another environment', { waivers: [{ requirement: 'dynamodb:002', resource: '*', stack: 'auditflow-dev', reason: 'long enough reason', expires: '2099-01-01' }] }, "environments.prod.waivers[0].stack = 'auditflow-dev': is not a prod stack; did you mean 'auditflow-prod'?"],
  ['management trail unknown', { monitoring: { managementTrail: 'organization' } }, "environments.prod.monitoring.managementTrail = 'organization': must be one of 'create', 'existing'"],
  ['deployers empty', { deployerPrincipalArns: [] }, 'environments.prod.deployerPrincipalArns = []: needs the principal(s) that run terraform apply'],
  ['deployers in another account', { deployerPrincipalArns: ['arn:aws:iam::111111111111:role/terraform-deployer'] }, "environments.prod.deployerPrincipalArns[0] = 'arn:aws:iam::111111111111:role/terraform-deployer': is in account 111111111111, but prod deploys to account 333333333333 (environments.prod.accountId (or GUARDRAILS_PROD_ACCOUNT_ID)); use a principal or key of that account"],
  ['exempt principal in another account', { exemptPrincipalArns: ['arn:aws:iam::444455556666:role/auditor'] }, "environments.prod.exemptPrincipalArns[0] = 'arn:aws:iam::444455556666:role/auditor': is in account 444455556666"],
  ['deployer roles and ARNs both', { deployerRoles: ['ci'], deployerPrincipalArns: ['arn:aws:iam::333333333333:role/ci'] }, 'environments.prod.deployerPrincipalArns = ["arn:aws:iam::333333333333:role/ci"]: and environments.prod.deployerRoles (or GUARDRAILS_PROD_DEPLOYER_ROLES) are both set; give the deployers one way'],
  ['deployer role not a list', { deployerRoles: 'ci' }, "environments.prod.deployerRoles = 'ci': must be a list of strings"],
  ['deployer role an ARN', { deployerRoles: ['arn:aws:iam::333333333333:role/ci'] }, "environments.prod.deployerRoles[0] = 'arn:aws:iam::333333333333:role/ci': must be an IAM role name, with an optional path (platform/terraform-deployer)"],
  ['break-glass role name too long', { breakGlassRoles: ['x'.repeat(65)] }, 'environments.prod.breakGlassRoles[0] = '],
  ['key of another account', { kmsKeyArns: { auditflow: 'arn:aws:kms:ap-south-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab' } }, "environments.prod.kmsKeyArns.auditflow = 'arn:aws:kms:ap-south-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab': is in account 444455556666"],
];
const nested: BadInputCase[] = nestedValues.map(([name, settings, expected]) => ({ name: `prod: ${name}`, files: inEnvironment('prod', settings), expected }));

// Settings file: the backend (shared and per environment).
const backendValues: Array<[name: string, backend: unknown, expected: string]> = [
  ['unknown type', { type: 'gcs' }, "backend.type = 'gcs': must be one of 'local', 's3', 'cloud'"],
  ['type in upper case', { type: 'S3' }, "backend.type = 'S3': must be one of"],
  ['s3 without bucket', { type: 's3', region: 'us-east-1' }, "backend.bucket = (not set): is required for the 's3' backend"],
  ['s3 without region', { type: 's3', bucket: 'acme-state' }, "backend.region = (not set): is required for the 's3' backend"],
  ['s3 bucket that is an IP address', { type: 's3', bucket: '192.168.5.4', region: 'us-east-1' }, "backend.bucket = '192.168.5.4': must be an S3 bucket name"],
  ['s3 bucket with two dots', { type: 's3', bucket: 'acme..state', region: 'us-east-1' }, "backend.bucket = 'acme..state': must be an S3 bucket name"],
  ['s3 bucket with dot-hyphen', { type: 's3', bucket: 'acme.-state', region: 'us-east-1' }, 'must be an S3 bucket name'],
  ['s3 bucket in upper case', { type: 's3', bucket: 'Acme-State', region: 'us-east-1' }, 'must be an S3 bucket name'],
  ['s3 bucket too short', { type: 's3', bucket: 'ab', region: 'us-east-1' }, 'must be an S3 bucket name'],
  ['s3 bucket too long', { type: 's3', bucket: 'a'.repeat(64), region: 'us-east-1' }, 'must be an S3 bucket name'],
  ['s3 bucket with xn-- prefix', { type: 's3', bucket: 'xn--state', region: 'us-east-1' }, 'must be an S3 bucket name'],
  ['s3 bucket with -s3alias suffix', { type: 's3', bucket: 'state-s3alias', region: 'us-east-1' }, 'must be an S3 bucket name'],
  ['s3 bucket a number', { type: 's3', bucket: 42, region: 'us-east-1' }, 'backend.bucket = 42: must be an S3 bucket name'],
  ['s3 bad region', { type: 's3', bucket: 'acme-state', region: 'us-middle' }, "backend.region = 'us-middle': must be an AWS region"],
  ['s3 key prefix with a space', { type: 's3', bucket: 'acme-state', region: 'us-east-1', keyPrefix: 'a b' }, "backend.keyPrefix = 'a b': must be an S3 key prefix"],
  ['s3 kmsKeyId x', { type: 's3', bucket: 'acme-state', region: 'us-east-1', kmsKeyId: 'x' }, "backend.kmsKeyId = 'x': must be a KMS key id"],
  ['s3 kmsKeyId half an ARN', { type: 's3', bucket: 'acme-state', region: 'us-east-1', kmsKeyId: 'arn:aws:kms:us-east-1:key' }, 'must be a KMS key id'],
  ['s3 unknown key', { type: 's3', bucket: 'acme-state', region: 'us-east-1', dynamodbTable: 'locks' }, 'backend.dynamodbTable'],
  ['s3 key misspelt', { type: 's3', bucket: 'acme-state', region: 'us-east-1', keyprefix: 'x' }, "did you mean 'keyPrefix'?"],
  ['local with a bucket', { type: 'local', bucket: 'acme-state' }, "backend.bucket = 'acme-state': applies only to the 's3' backend, but the backend is 'local'"],
  ['cloud without organization', { type: 'cloud' }, "backend.organization = (not set): is required for the 'cloud' backend"],
  ['cloud organization with a space', { type: 'cloud', organization: 'a b' }, "backend.organization = 'a b': must be a Terraform Cloud organization name"],
  ['cloud bad workspace prefix', { type: 'cloud', organization: 'acme', workspacePrefix: 'a b' }, "backend.workspacePrefix = 'a b'"],
  ['cloud bad hostname', { type: 'cloud', organization: 'acme', hostname: 'https://tfe' }, "backend.hostname = 'https://tfe': must be a host name"],
  ['cloud with a bucket', { type: 'cloud', organization: 'acme', bucket: 'x' }, "backend.bucket = 'x': applies only to the 's3' backend, but the backend is 'cloud'"],
  ['s3 with an organization', { type: 's3', bucket: 'acme-state', region: 'us-east-1', organization: 'acme' }, "backend.organization = 'acme': applies only to the 'cloud' backend, but the backend is 's3'"],
  ['backend is a string', 's3', "backend = 's3': must be a JSON object"],
  ['backend is null', null, 'backend = null: null is not accepted'],
];
const backends: BadInputCase[] = backendValues.flatMap(([name, backend, expected]) => [
  { name: `shared backend: ${name}`, files: config({ backend }), expected },
  { name: `prod backend: ${name}`, files: inEnvironment('prod', { backend }), expected: expected.replace('backend', 'environments.prod.backend') },
]);

// ---------------------------------------------------------------------------------------------------------------
// GUARDRAILS_* variables
const variables: BadInputCase[] = [
  { name: 'GUARDRAILS_PRD_ACCOUNT_ID (typo)', env: { GUARDRAILS_PRD_ACCOUNT_ID: '123456789012' }, expected: "environment: GUARDRAILS_PRD_ACCOUNT_ID = '123456789012': is not a setting of dynamodb-guardrails; did you mean GUARDRAILS_PROD_ACCOUNT_ID?" },
  { name: 'GUARDRAILS_STATE_BUCKT (typo)', env: { GUARDRAILS_STATE_BUCKT: 'x' }, expected: 'did you mean GUARDRAILS_STATE_BUCKET?' },
  { name: 'GUARDRAILS_DEV_ACCOUNT (typo)', env: { GUARDRAILS_DEV_ACCOUNT: '123456789012' }, expected: 'did you mean GUARDRAILS_DEV_ACCOUNT_ID?' },
  { name: 'GUARDRAILS_PRODUCTION_REGION', env: { GUARDRAILS_PRODUCTION_REGION: 'us-east-1' }, expected: 'is not a setting of dynamodb-guardrails' },
  { name: 'GUARDRAILS_FOO', env: { GUARDRAILS_FOO: '1' }, expected: "environment: GUARDRAILS_FOO = '1': is not a setting of dynamodb-guardrails" },
  { name: 'GUARDRAILS_CONFIG_FILE', env: { GUARDRAILS_CONFIG_FILE: 'x.json' }, expected: 'did you mean GUARDRAILS_CONFIG?' },
  ...ENVIRONMENTS.flatMap((environment) => {
    const upper = environment.toUpperCase();
    return [
      ...['42', '1234567890123', 'abcdefghijkl', ' 123456789012', '123456789012\n', '-12345678901'].map((value) => ({
        name: `GUARDRAILS_${upper}_ACCOUNT_ID = ${JSON.stringify(value)}`,
        env: { [`GUARDRAILS_${upper}_ACCOUNT_ID`]: value },
        expected: `environment: GUARDRAILS_${upper}_ACCOUNT_ID = `,
      })),
      ...['nowhere', 'us_east_1', 'US-EAST-1', `eu-${'x'.repeat(2000)}-1`, 'us-east-1\u001b[2J'].map((value) => ({
        name: `GUARDRAILS_${upper}_REGION = ${JSON.stringify(value).slice(0, 30)}`,
        env: { [`GUARDRAILS_${upper}_REGION`]: value },
        expected: new RegExp(`^environment: GUARDRAILS_${upper}_REGION = '[^\\u0000-\\u001f]*': must be an AWS region`),
      })),
    ];
  }),
  // Environment-wide and per-catalog variables (issue: accounts in, everything derived).
  { name: 'GUARDRAILS_PROD_DEPLOYER_ROLES with a bad name', env: { GUARDRAILS_PROD_DEPLOYER_ROLES: 'terraform deployer' }, expected: "environment: GUARDRAILS_PROD_DEPLOYER_ROLES = 'terraform deployer': must be IAM role names (with an optional path, platform/terraform-deployer), separated by commas; 'terraform deployer' is not (use 'none' for no entries)" },
  { name: 'GUARDRAILS_PROD_DEPLOYER_ROLES empty item', env: { GUARDRAILS_PROD_DEPLOYER_ROLES: 'a,,b' }, expected: "GUARDRAILS_PROD_DEPLOYER_ROLES = 'a,,b': must be IAM role names" },
  { name: 'GUARDRAILS_STAGING_ALARM_EMAILS not an address', env: { GUARDRAILS_STAGING_ALARM_EMAILS: 'oncall' }, expected: "environment: GUARDRAILS_STAGING_ALARM_EMAILS = 'oncall': must be email addresses, separated by commas" },
  { name: 'GUARDRAILS_PROD_OWNER not a tag value', env: { GUARDRAILS_PROD_OWNER: 'a'.repeat(300) }, expected: 'environment: GUARDRAILS_PROD_OWNER = ' },
  { name: 'GUARDRAILS_PROD_AUDITFLOW_VPC_ID not a VPC id', env: { GUARDRAILS_PROD_AUDITFLOW_VPC_ID: 'vpc-123' }, expected: "environment: GUARDRAILS_PROD_AUDITFLOW_VPC_ID = 'vpc-123': must be a VPC id" },
  { name: 'GUARDRAILS_DEV_MANGA_ASSIST_ROUTE_TABLE_IDS with a subnet', env: { GUARDRAILS_DEV_MANGA_ASSIST_ROUTE_TABLE_IDS: 'subnet-0123456789abcdef0' }, expected: "environment: GUARDRAILS_DEV_MANGA_ASSIST_ROUTE_TABLE_IDS[0] = 'subnet-0123456789abcdef0': must be a route table id" },
  { name: 'GUARDRAILS_PROD_ML_PLATFORM_KMS_KEY_ARN of another account', env: { GUARDRAILS_PROD_ML_PLATFORM_KMS_KEY_ARN: 'arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab' }, expected: "environment: GUARDRAILS_PROD_ML_PLATFORM_KMS_KEY_ARN = 'arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab': is in account 444455556666, but prod deploys to account 333333333333" },
  { name: 'GUARDRAILS_PROD_POINT_IN_TIME_RECOVERY not a flag', env: { GUARDRAILS_PROD_POINT_IN_TIME_RECOVERY: 'yes' }, expected: "environment: GUARDRAILS_PROD_POINT_IN_TIME_RECOVERY = 'yes': must be true or false" },
  { name: 'GUARDRAILS_PROD_MANGA_ASSIST_AVAILABILITY_ZONES not one per subnet', env: { GUARDRAILS_PROD_MANGA_ASSIST_AVAILABILITY_ZONES: 'us-east-1a' }, expected: 'environment: GUARDRAILS_PROD_MANGA_ASSIST_AVAILABILITY_ZONES = ["us-east-1a"]: must list the zone of each private subnet' },
  { name: 'GUARDRAILS_CATALOGS misspelled', env: { GUARDRAILS_CATALOGS: 'auditflow,manga-asist' }, expected: "environment: GUARDRAILS_CATALOGS = 'manga-asist': is not a catalog; did you mean 'manga-assist'?" },
  { name: 'GUARDRAILS_TRUSTED account is the own one', env: { GUARDRAILS_PROD_TRUSTED_ACCOUNT_IDS: '333333333333' }, expected: "environment: GUARDRAILS_PROD_TRUSTED_ACCOUNT_IDS = '333333333333': is the environment's own account" },
  { name: 'GUARDRAILS_PROD_AUDITFLOW_EXTRA_TABLE_NAMES with a wildcard', env: { GUARDRAILS_PROD_AUDITFLOW_EXTRA_TABLE_NAMES: 'terraform-locks,all*' }, expected: "environment: GUARDRAILS_PROD_AUDITFLOW_EXTRA_TABLE_NAMES = 'terraform-locks,all*': must be names or ids separated by commas; 'all*' is not" },
  { name: 'GUARDRAILS_PROD_AUDITFLOW_REGION bad', env: { GUARDRAILS_PROD_AUDITFLOW_REGION: 'mumbai' }, expected: "environment: GUARDRAILS_PROD_AUDITFLOW_REGION = 'mumbai': must be an AWS region" },
  { name: 'GUARDRAILS_PROD_ORDERS_VPC_ID for no catalog', env: { GUARDRAILS_PROD_ORDERS_VPC_ID: 'vpc-0123456789abcdef0' }, expected: "environment: GUARDRAILS_PROD_ORDERS_VPC_ID = 'vpc-0123456789abcdef0': is not a setting of dynamodb-guardrails" },
  { name: 'GUARDRAILS_BACKEND unknown', env: { GUARDRAILS_BACKEND: 'consul' }, expected: "GUARDRAILS_BACKEND = 'consul': must be one of 'local', 's3', 'cloud'" },
  { name: 'GUARDRAILS_BACKEND upper case', env: { GUARDRAILS_BACKEND: 'S3' }, expected: "GUARDRAILS_BACKEND = 'S3'" },
  { name: 's3 backend without bucket', env: { GUARDRAILS_BACKEND: 's3' }, expected: '(or set GUARDRAILS_STATE_BUCKET)' },
  { name: 's3 backend without region', env: { GUARDRAILS_BACKEND: 's3', GUARDRAILS_STATE_BUCKET: 'acme-state' }, expected: '(or set GUARDRAILS_STATE_REGION)' },
  ...['192.168.5.4', 'acme..state', 'Bad_Bucket', 'ab', '-acme', 'acme-', 'acme.-x', 'sthree-x'].map((bucket) => ({
    name: `GUARDRAILS_STATE_BUCKET = ${bucket}`,
    env: { GUARDRAILS_BACKEND: 's3', GUARDRAILS_STATE_BUCKET: bucket, GUARDRAILS_STATE_REGION: 'us-east-1' },
    expected: `environment: GUARDRAILS_STATE_BUCKET = '${bucket}': must be an S3 bucket name`,
  })),
  { name: 'GUARDRAILS_STATE_REGION bad', env: { GUARDRAILS_BACKEND: 's3', GUARDRAILS_STATE_BUCKET: 'acme-state', GUARDRAILS_STATE_REGION: 'nowhere' }, expected: "GUARDRAILS_STATE_REGION = 'nowhere'" },
  { name: 'GUARDRAILS_STATE_KEY_PREFIX bad', env: { GUARDRAILS_BACKEND: 's3', GUARDRAILS_STATE_BUCKET: 'acme-state', GUARDRAILS_STATE_REGION: 'us-east-1', GUARDRAILS_STATE_KEY_PREFIX: 'a b' }, expected: "GUARDRAILS_STATE_KEY_PREFIX = 'a b'" },
  ...['x', 'alias', 'key/1234', 'arn:aws:kms:us-east-1:123:key/x'].map((key) => ({
    name: `GUARDRAILS_STATE_KMS_KEY_ID = ${key}`,
    env: { GUARDRAILS_BACKEND: 's3', GUARDRAILS_STATE_BUCKET: 'acme-state', GUARDRAILS_STATE_REGION: 'us-east-1', GUARDRAILS_STATE_KMS_KEY_ID: key },
    expected: `GUARDRAILS_STATE_KMS_KEY_ID = '${key}': must be a KMS key id`,
  })),
  ...['GUARDRAILS_STATE_BUCKET', 'GUARDRAILS_STATE_REGION', 'GUARDRAILS_STATE_KEY_PREFIX', 'GUARDRAILS_STATE_KMS_KEY_ID'].flatMap((variable) => [
    { name: `${variable} with the local backend`, env: { [variable]: 'x' }, expected: `${variable} = 'x': applies only to the 's3' backend, but the backend is 'local'` },
    { name: `${variable} with the cloud backend`, env: { GUARDRAILS_BACKEND: 'cloud', GUARDRAILS_TFC_ORGANIZATION: 'acme', [variable]: 'x' }, expected: `applies only to the 's3' backend, but the backend is 'cloud'` },
  ]),
  ...['GUARDRAILS_TFC_ORGANIZATION', 'GUARDRAILS_TFC_WORKSPACE_PREFIX', 'GUARDRAILS_TFC_HOSTNAME'].flatMap((variable) => [
    { name: `${variable} with the local backend`, env: { [variable]: 'acme' }, expected: `${variable} = 'acme': applies only to the 'cloud' backend, but the backend is 'local'` },
    { name: `${variable} with the s3 backend`, env: { GUARDRAILS_BACKEND: 's3', GUARDRAILS_STATE_BUCKET: 'acme-state', GUARDRAILS_STATE_REGION: 'us-east-1', [variable]: 'acme' }, expected: "applies only to the 'cloud' backend, but the backend is 's3'" },
  ]),
  { name: 'cloud backend without organization', env: { GUARDRAILS_BACKEND: 'cloud' }, expected: '(or set GUARDRAILS_TFC_ORGANIZATION)' },
  { name: 'cloud organization with a slash', env: { GUARDRAILS_BACKEND: 'cloud', GUARDRAILS_TFC_ORGANIZATION: 'acme/prod' }, expected: "GUARDRAILS_TFC_ORGANIZATION = 'acme/prod'" },
  { name: 'cloud bad hostname', env: { GUARDRAILS_BACKEND: 'cloud', GUARDRAILS_TFC_ORGANIZATION: 'acme', GUARDRAILS_TFC_HOSTNAME: 'TFE.example.com/' }, expected: "GUARDRAILS_TFC_HOSTNAME = 'TFE.example.com/'" },
];

// ---------------------------------------------------------------------------------------------------------------
// Catalog data, as a catalog author might get it wrong (TypeScript stops some of these; generated or JSON-built
// catalogs, and `as any`, reach synth unchecked — the run-time schema is what stops them).
type CatalogChange = [name: string, path: (string | number)[], value: unknown, expected: string];

/** Changes that apply to the first table of any catalog. */
const tableChanges: CatalogChange[] = [
  ['GSI list misspelt (singular)', ['tables', 0, 'globalSecondaryIndex'], [], "globalSecondaryIndex = []: is not a known field; did you mean 'globalSecondaryIndexes'?"],
  ['pointInTimeRecoveryDay (typo)', ['tables', 0, 'pointInTimeRecoveryDay'], 7, "pointInTimeRecoveryDay = 7: is not a known field; did you mean 'pointInTimeRecoveryDays'?"],
  ['pointInTimeRecovery as a string', ['tables', 0, 'pointInTimeRecovery'], 'false', "pointInTimeRecovery = 'false': must be true or false"],
  ['deletionProtection as a number', ['tables', 0, 'deletionProtection'], 0, 'deletionProtection = 0: must be true or false'],
  ['tableClass GLACIER', ['tables', 0, 'tableClass'], 'GLACIER', "tableClass = 'GLACIER': must be one of 'STANDARD', 'STANDARD_INFREQUENT_ACCESS'"],
  ['tableClass lower case', ['tables', 0, 'tableClass'], 'standard', "did you mean 'STANDARD'?"],
  ['stream NEW_IMAGES', ['tables', 0, 'stream'], 'NEW_IMAGES', "stream = 'NEW_IMAGES': must be one of 'NEW_AND_OLD_IMAGES', 'NEW_IMAGE', 'OLD_IMAGE', 'KEYS_ONLY'; did you mean 'NEW_IMAGE'?"],
  ['stream true', ['tables', 0, 'stream'], true, 'stream = true'],
  ['multiRegionConsistency strong', ['tables', 0, 'multiRegionConsistency'], 'strong', "multiRegionConsistency = 'strong': must be one of 'EVENTUAL', 'STRONG'; did you mean 'STRONG'?"],
  ['override for production', ['tables', 0, 'environmentOverrides', 'production'], {}, "environmentOverrides.production = {}: is not a known field; did you mean 'prod'?"],
  ['override with a bad value', ['tables', 0, 'environmentOverrides', 'prod', 'pointInTimeRecovery'], 'no', "environmentOverrides.prod.pointInTimeRecovery = 'no': must be true or false"],
  ['override with an unknown field', ['tables', 0, 'environmentOverrides', 'dev', 'replica'], [], "environmentOverrides.dev.replica = []: is not a known field; did you mean 'replicas'?"],
  ['override that renames the table', ['tables', 0, 'environmentOverrides', 'dev', 'baseName'], 'x-y-z', 'environmentOverrides.dev.baseName'],
  ['no baseName', ['tables', 0, 'baseName'], undefined, 'baseName = (not set): is required'],
  ['empty baseName', ['tables', 0, 'baseName'], '', "baseName = '': must be 3 to 255 characters long, got 0"],
  ['baseName with a space', ['tables', 0, 'baseName'], 'My Table', "baseName = 'My Table': may contain only letters, digits"],
  ['baseName too long', ['tables', 0, 'baseName'], 'x'.repeat(256), 'must be 3 to 255 characters long, got 256'],
  ['baseName a number', ['tables', 0, 'baseName'], 42, 'baseName = 42'],
  ['id that is not a Terraform name', ['tables', 0, 'id'], '1table', "id = '1table': must be a Terraform name"],
  ['id with a space', ['tables', 0, 'id'], 'my table', 'must be a Terraform name'],
  ['id used by the stack', ['tables', 0, 'id'], 'dax', "id = 'dax': is used by the stack itself"],
  ['id of the key', ['tables', 0, 'id'], 'dynamodb_key', 'is used by the stack itself'],
  ['no partition key', ['tables', 0, 'partitionKey'], undefined, 'partitionKey = (not set): is required'],
  ['partition key type STRING', ['tables', 0, 'partitionKey', 'type'], 'STRING', "partitionKey.type = 'STRING': must be one of 'S', 'N', 'B'"],
  ['partition key type lower case', ['tables', 0, 'partitionKey', 'type'], 's', "did you mean 'S'?"],
  ['partition key without a name', ['tables', 0, 'partitionKey', 'name'], '', "partitionKey.name = '': must have at least 1 character(s)"],
  ['partition key name too long', ['tables', 0, 'partitionKey', 'name'], 'k'.repeat(256), 'must have at most 255 characters'],
  ['partition key with an unknown field', ['tables', 0, 'partitionKey', 'kind'], 'HASH', 'partitionKey.kind'],
  ['partition key as a string', ['tables', 0, 'partitionKey'], 'id', "partitionKey = 'id': must be an object"],
  ['sortKey as a string', ['tables', 0, 'sortKey'], 'ts', "sortKey = 'ts'"],
  ['pointInTimeRecoveryDays 0', ['tables', 0, 'pointInTimeRecoveryDays'], 0, 'pointInTimeRecoveryDays = 0: must be at least 1'],
  ['pointInTimeRecoveryDays 36', ['tables', 0, 'pointInTimeRecoveryDays'], 36, 'pointInTimeRecoveryDays = 36: must be at most 35'],
  ['pointInTimeRecoveryDays 7.5', ['tables', 0, 'pointInTimeRecoveryDays'], 7.5, 'pointInTimeRecoveryDays = 7.5: must be a whole number'],
  ['pointInTimeRecoveryDays NaN', ['tables', 0, 'pointInTimeRecoveryDays'], Number.NaN, 'pointInTimeRecoveryDays = NaN'],
  ['pointInTimeRecoveryDays Infinity', ['tables', 0, 'pointInTimeRecoveryDays'], Number.POSITIVE_INFINITY, 'pointInTimeRecoveryDays = Infinity'],
  ['timeToLiveAttribute empty', ['tables', 0, 'timeToLiveAttribute'], '', "timeToLiveAttribute = ''"],
  ['billing as a string', ['tables', 0, 'billing'], 'PAY_PER_REQUEST', "billing = 'PAY_PER_REQUEST': must be Billing.onDemand({...}) or Billing.provisioned({...})"],
  ['billing as a plain object', ['tables', 0, 'billing'], { mode: 'PAY_PER_REQUEST' }, 'must be Billing.onDemand'],
  ['on-demand cap of 1e15', ['tables', 0, 'billing'], Billing.onDemand({ maxReadRequestUnits: 1e15 }), 'billing.maxReadRequestUnits = 1000000000000000: must be at most 40000'],
  ['on-demand cap of 0', ['tables', 0, 'billing'], Billing.onDemand({ maxWriteRequestUnits: 0 }), 'billing.maxWriteRequestUnits = 0: must be at least 1'],
  ['on-demand option misspelt', ['tables', 0, 'billing'], Billing.onDemand({ maxReadRequestUnit: 100 } as never), "billing.maxReadRequestUnit = 100: is not a known field; did you mean 'maxReadRequestUnits'?"],
  ['provisioned capacity of 1e15', ['tables', 0, 'billing'], Billing.provisioned({ readCapacity: Capacity.autoscaled({ min: 1, max: 1e15 }), writeCapacity: Capacity.autoscaled({ min: 1, max: 10 }) }), 'billing.readCapacity.max = 1000000000000000: must be at most 40000'],
  ['provisioned capacity min 0', ['tables', 0, 'billing'], Billing.provisioned({ readCapacity: Capacity.autoscaled({ min: 0, max: 10 }), writeCapacity: Capacity.autoscaled({ min: 1, max: 10 }) }), 'billing.readCapacity.min = 0: must be at least 1'],
  ['provisioned capacity NaN', ['tables', 0, 'billing'], Billing.provisioned({ readCapacity: Capacity.autoscaled({ min: 1, max: 10 }), writeCapacity: Capacity.autoscaled({ min: Number.NaN, max: 10 }) }), 'billing.writeCapacity.min = NaN'],
  ['provisioned target utilization 95', ['tables', 0, 'billing'], Billing.provisioned({ readCapacity: Capacity.autoscaled({ min: 1, max: 10, targetUtilization: 95 }), writeCapacity: Capacity.autoscaled({ min: 1, max: 10 }) }), 'billing.readCapacity.targetUtilization = 95: must be at most 90'],
  ['provisioned capacity as a number', ['tables', 0, 'billing'], Billing.provisioned({ readCapacity: 5 as never, writeCapacity: Capacity.autoscaled({ min: 1, max: 10 }) }), 'billing.readCapacity = 5: must be Capacity.autoscaled'],
  ['fixed capacity of 1.5', ['tables', 0, 'billing'], Billing.provisioned({ readCapacity: Capacity.fixed(1.5), writeCapacity: Capacity.fixed(1), fixedCapacityWaiver: 'steady batch load' }), 'billing.readCapacity.fixed = 1.5: must be a whole number'],
  ['replicas as a string', ['tables', 0, 'replicas'], 'us-east-2', "replicas = 'us-east-2': must be a list"],
  ['replica to a bad Region', ['tables', 0, 'replicas'], ['us-middle-1x'], "replicas[0] = 'us-middle-1x': must be an AWS Region"],
  ['replica with an unknown field', ['tables', 0, 'replicas'], [{ region: 'us-west-2', kms: 'x' }], "replicas['us-west-2'].kms = 'x': is not a known field; did you mean 'kmsKeyArn'?"],
  ['replica with a bad key', ['tables', 0, 'replicas'], [{ region: 'us-west-2', kmsKeyArn: 'alias/x' }], "replicas['us-west-2'].kmsKeyArn = 'alias/x': must be a KMS key ARN"],
  ['witness Region malformed', ['tables', 0, 'witnessRegion'], 'west', "witnessRegion = 'west': must be an AWS Region"],
  ['importExisting as a string', ['tables', 0, 'importExisting'], 'yes', "importExisting = 'yes': must be true or false"],
  ['GSIs as an object', ['tables', 0, 'globalSecondaryIndexes'], {}, 'globalSecondaryIndexes = {}: must be a list'],
  ['GSI projection SOME', ['tables', 0, 'globalSecondaryIndexes'], [{ indexName: 'by-x', partitionKey: { name: 'x', type: 'S' }, projection: 'SOME' }], "globalSecondaryIndexes['by-x'].projection = 'SOME': must be one of 'ALL', 'KEYS_ONLY', 'INCLUDE'"],
  ['GSI without a partition key', ['tables', 0, 'globalSecondaryIndexes'], [{ indexName: 'by-x' }], "globalSecondaryIndexes['by-x'].partitionKey = (not set): is required"],
  ['GSI name too short', ['tables', 0, 'globalSecondaryIndexes'], [{ indexName: 'ab', partitionKey: { name: 'x', type: 'S' } }], "indexName = 'ab': must be 3 to 255 characters long, got 2"],
  ['GSI unknown field', ['tables', 0, 'globalSecondaryIndexes'], [{ indexName: 'by-x', partitionKey: { name: 'x', type: 'S' }, projectionType: 'ALL' }], "globalSecondaryIndexes['by-x'].projectionType = 'ALL': is not a known field; did you mean 'projection'?"],
  ['GSI sort key equals partition key', ['tables', 0, 'globalSecondaryIndexes'], [{ indexName: 'by-x', partitionKey: { name: 'x', type: 'S' }, sortKey: { name: 'x', type: 'S' } }], "globalSecondaryIndexes['by-x'].sortKey.name = 'x': is also the partition key of this index"],
  ['GSI duplicate non-key attributes', ['tables', 0, 'globalSecondaryIndexes'], [{ indexName: 'by-x', partitionKey: { name: 'x', type: 'S' }, projection: 'INCLUDE', nonKeyAttributes: ['a', 'a'] }], "globalSecondaryIndexes['by-x'].nonKeyAttributes = [\"a\",\"a\"]: lists an attribute twice"],
  ['GSI capacity cap of 1e15', ['tables', 0, 'globalSecondaryIndexes'], [{ indexName: 'by-x', partitionKey: { name: 'x', type: 'S' }, maxReadRequestUnits: 1e15 }], "globalSecondaryIndexes['by-x'].maxReadRequestUnits = 1000000000000000: must be at most 40000"],
  ['GSI warm throughput negative', ['tables', 0, 'globalSecondaryIndexes'], [{ indexName: 'by-x', partitionKey: { name: 'x', type: 'S' }, warmThroughput: { readUnitsPerSecond: -1 } }], 'warmThroughput.readUnitsPerSecond = -1: must be at least 1'],
  ['two indexes with one name', ['tables', 0, 'globalSecondaryIndexes'], [{ indexName: 'by-x', partitionKey: { name: 'x', type: 'S' } }, { indexName: 'by-x', partitionKey: { name: 'y', type: 'S' } }], "indexName = 'by-x': is the name of another index of this table"],
  ['attribute used as two key types', ['tables', 0, 'globalSecondaryIndexes'], [{ indexName: 'by-x', partitionKey: { name: 'x', type: 'S' } }, { indexName: 'by-x-n', partitionKey: { name: 'x', type: 'N' } }], "partitionKey.type = 'N': makes 'x' a key of type N, but another key of this table uses it as S"],
  ['GSI list holding a string', ['tables', 0, 'globalSecondaryIndexes'], ['by-x'], "globalSecondaryIndexes[0] = 'by-x': must be an object"],
  ['LSI without a sort key', ['tables', 0, 'localSecondaryIndexes'], [{ indexName: 'by-y' }], "localSecondaryIndexes['by-y'].sortKey = (not set): is required"],
  ['LSI on the partition key', ['tables', 0, 'localSecondaryIndexes'], [{ indexName: 'by-y', sortKey: 'PK' }], "localSecondaryIndexes['by-y'].sortKey = 'PK': must be an object"],
  ['table with an unknown field', ['tables', 0, 'ttl'], 'expires', "ttl = 'expires': is not a known field"],
  ['table with tags (set by the stack)', ['tables', 0, 'tags'], { a: 'b' }, 'tags = {"a":"b"}: is not a known field'],
  ['table with tableName (set by the stack)', ['tables', 0, 'tableName'], 'x', "tableName = 'x': is not a known field"],
  ['table is a string', ['tables', 0], 'documents', " = 'documents': must be an object"],
];

/** Changes to the catalog as a whole; the AuditFlow catalog is the base. */
const catalogChanges: CatalogChange[] = [
  ['catalog name with a space', ['name'], 'Audit Flow', "name = 'Audit Flow': must start with a lowercase letter"],
  ['catalog name empty', ['name'], '', "name = '': must start with a lowercase letter"],
  ['catalog name too long', ['name'], 'a'.repeat(41), 'must start with a lowercase letter and have at most 40'],
  ['project empty', ['project'], '', "project = '': must be a tag value"],
  ['defaultRegion bad', ['defaultRegion'], 'India', "defaultRegion = 'India': must be an AWS Region"],
  ['no tables', ['tables'], [], 'tables = []: must list at least 1 item(s)'],
  ['tables as an object', ['tables'], {}, 'tables = {}: must be a list'],
  ['no access patterns', ['accessPatterns'], undefined, 'accessPatterns = (not set): is required'],
  ['unknown top-level field', ['table'], [], "table = []: is not a known field; did you mean 'tables'?"],
  ['unknown top-level field far from any', ['owner'], 'team', 'owner = \'team\': is not a known field; expected one of'],
  ['two tables, one Terraform name', ['tables', 2], { ...auditFlowCatalog.tables[1], id: 'audit-records', baseName: 'AuditFlow-Audit' }, "tables['audit-records'].id = 'audit-records': becomes the Terraform name 'audit_records', as 'audit_records' does"],
  ['two table ids differing only in case', ['tables', 2], { ...auditFlowCatalog.tables[0], id: 'Documents', baseName: 'AuditFlow-Docs' }, "becomes the Terraform name 'documents', as 'documents' does"],
  ['two tables with one name', ['tables', 1, 'baseName'], 'AuditFlow-Documents', "baseName = 'AuditFlow-Documents': is the name of another table"],
  ['sort key equal to the partition key', ['tables', 0, 'sortKey'], { name: 'document_id', type: 'S' }, "sortKey.name = 'document_id': is also the partition key"],
  ['access pattern on a misspelt table', ['accessPatterns', 0, 'table'], 'document', "accessPatterns['auditflow-1'].table = 'document': is not a table of this catalog; did you mean 'documents'?"],
  ['access pattern on a missing index', ['accessPatterns', 0, 'indexName'], 'by-loan', "accessPatterns['auditflow-1'].indexName = 'by-loan': is not a index of table 'documents'"],
  ['access pattern values not placeholders', ['accessPatterns', 0, 'expressionAttributeValues'], { loan_id: 'x' }, "expressionAttributeValues.loan_id = 'x': has the key 'loan_id', which must be a placeholder such as ':status'"],
  ['access pattern names not placeholders', ['accessPatterns', 2, 'expressionAttributeNames'], { status: 'status' }, "has the key 'status', which must be a placeholder such as '#status'"],
  ['access pattern ids repeated', ['accessPatterns', 1, 'id'], 'auditflow-1', 'is the id of another access pattern'],
  ['role grant on a misspelt table', ['roles', 0, 'grants', 0, 'table'], 'document', "grants[0].table = 'document': is not a table of this catalog; did you mean 'documents'?"],
  ['role grant with table and prefix', ['roles', 0, 'grants', 0, 'tableNamePrefix'], 'AuditFlow-', 'needs exactly one of table or tableNamePrefix'],
  ['role grant profile as a string', ['roles', 0, 'grants', 0, 'profile'], 'reader', "profile = 'reader': must be an AccessProfile"],
  ['role trust as a plain object', ['roles', 0, 'trust'], { service: 'lambda.amazonaws.com' }, 'trust = {"service":"lambda.amazonaws.com"}: must be a RoleTrust'],
  ['role name with a space', ['roles', 0, 'roleName'], 'audit lambda', "roleName = 'audit lambda': must be an IAM role name"],
  ['role name too long', ['roles', 0, 'roleName'], 'r'.repeat(65), 'must be an IAM role name'],
  ['role id equal to a table id', ['roles', 0, 'id'], 'documents', "roles['documents'].id = 'documents': becomes the Terraform name 'documents', as 'documents' does"],
  ['role denyActions outside DynamoDB', ['roles', 0, 'denyActions'], ['s3:*'], "denyActions[0] = 's3:*': must be a DynamoDB action"],
  ['role unknown field', ['roles', 0, 'managedPolicies'], [], "managedPolicies = []: is not a known field; did you mean 'awsManagedPolicies'?"],
  ['role vpcEndpointOnly as a string', ['roles', 0, 'vpcEndpointOnly'], 'true', "vpcEndpointOnly = 'true': must be true or false"],
  ['role grant sid with a hyphen', ['roles', 0, 'grants', 0, 'sid'], 'Docs-Access', "sid = 'Docs-Access': must be letters and digits only"],
  ['role additionalStatements as a string', ['roles', 0, 'additionalStatements'], 'Allow *', "additionalStatements = 'Allow *'"],
  ['resource policy on a misspelt table', ['resourcePolicies', 0, 'table'], 'document', "resourcePolicies[0].table = 'document': is not a table of this catalog; did you mean 'documents'?"],
  ['resource policy for a missing role', ['resourcePolicies', 0, 'roles'], ['lambda'], "resourcePolicies[0].roles[0] = 'lambda': is not a role of this catalog; did you mean 'lambda_role'?"],
  ['two resource policies for one table', ['resourcePolicies', 1, 'table'], 'documents', "already has a resource policy"],
  ['resource policy requireVpcEndpoint as a string', ['resourcePolicies', 0, 'requireVpcEndpoint'], 'yes', "requireVpcEndpoint = 'yes': must be true or false"],
  ['a table outside the endpoint prefixes', ['tables', 0, 'baseName'], 'Orders-Table', "tables['documents'].baseName = 'Orders-Table': is not covered by endpoint.tableNamePrefixes (AuditFlow-)"],
  ['endpoint with no prefixes', ['endpoint', 'tableNamePrefixes'], [], 'endpoint.tableNamePrefixes = []: must list at least 1 item(s)'],
  ['endpoint prefix with a space', ['endpoint', 'tableNamePrefixes'], ['AuditFlow *'], "tableNamePrefixes[0] = 'AuditFlow *': may contain only letters"],
  ['endpoint action malformed', ['endpoint', 'allowedActions'], ['GetItem'], "allowedActions[0] = 'GetItem': must be an IAM action"],
  ['endpoint unknown field', ['endpoint', 'prefixes'], ['x'], "did you mean 'tableNamePrefixes'?"],
  ['DAX in production (no such environment)', ['dax'], { clusterName: 'af', tables: ['documents'], environments: ['production'] }, "dax.environments[0] = 'production': must be one of 'dev', 'staging', 'prod'; did you mean 'prod'?"],
  ['DAX for a missing table', ['dax'], { clusterName: 'af', tables: ['document'], environments: ['prod'] }, "dax.tables[0] = 'document': is not a table of this catalog; did you mean 'documents'?"],
  ['DAX cluster name too long', ['dax'], { clusterName: 'auditflow-sessions', tables: ['documents'], environments: ['prod'] }, "dax.clusterName = 'auditflow-sessions'"],
  ['DAX node type unknown', ['dax'], { clusterName: 'af', tables: ['documents'], environments: ['prod'], nodeType: 'dax.x9.huge' }, "dax.nodeType = 'dax.x9.huge': must be one of"],
  ['DAX without tables', ['dax'], { clusterName: 'af', tables: [], environments: ['prod'] }, 'dax.tables = []: must list at least 1 item(s)'],
  ['stream consumer for a missing table', ['streamConsumers'], { document: [{ type: 'lambda', functionName: 'f' }] }, "streamConsumers.document = [{\"type\":\"lambda\",\"functionName\":\"f\"}]: is not a table of this catalog; did you mean 'documents'?"],
  ['stream consumer type sqs', ['streamConsumers'], { documents: [{ type: 'sqs', queueName: 'q' }] }, "streamConsumers.documents[0].type = 'sqs': must be one of 'lambda', 'kinesis'"],
  ['stream consumer field misspelt', ['streamConsumers'], { documents: [{ type: 'lambda', function: 'f' }] }, "streamConsumers.documents[0].function = 'f': is not a known field"],
  ['governance uuid with hyphens', ['governance'], { projectUuid: '0b1c2d3e-4f50' }, "governance.projectUuid = '0b1c2d3e-4f50': must be 1 to 40 lowercase letters and digits"],
  ['governance unknown field', ['governance'], { projectId: 'abc' }, "governance.projectId = 'abc': is not a known field"],
];

const SHIPPED: Array<[string, Catalog]> = [
  ['auditflow', auditFlowCatalog],
  ['manga-assist', mangaAssistCatalog],
  ['ml-platform', mlPlatformCatalog],
];

const catalogRows: BadInputCase[] = [
  ...SHIPPED.flatMap(([name, catalog]) =>
    tableChanges.map(([change, path, value, expected]) => ({
      name: `${name}: ${change}`,
      catalogs: [withChange(catalog, path, value)],
      expected: new RegExp(`^catalog '${escape(name)}' \\(catalogs\\[0\\]\\): tables\\[[^\\]]*\\].*${escape(expected)}`),
    })),
  ),
  ...catalogChanges.map(([change, path, value, expected]) => ({ name: `auditflow: ${change}`, catalogs: [withChange(auditFlowCatalog, path, value)], expected })),
  { name: 'catalog is null', catalogs: [null], expected: 'catalog (catalogs[0]): (whole value) = null: must be an object' },
  { name: 'catalog is a string', catalogs: ['auditflow'], expected: "catalog (catalogs[0]): (whole value) = 'auditflow': must be an object" },
  { name: 'catalog is a list', catalogs: [[auditFlowCatalog]], expected: 'must be an object' },
  { name: 'role with a function profile', catalogs: [withChange(auditFlowCatalog, ['roles', 0, 'grants', 0, 'profile'], () => AccessProfile.reader())], expected: 'must be an AccessProfile' },
  { name: 'role with a trust factory not called', catalogs: [withChange(auditFlowCatalog, ['roles', 0, 'trust'], RoleTrust.lambda)], expected: 'trust = (a function): must be a RoleTrust' },
  ...['documents_table_name', 'documents_resource_policy', 'dynamodb_key_arn'].map((id) => ({
    name: `role id ${id} collides with a derived name`,
    catalogs: [{ ...auditFlowCatalog, roles: [{ ...auditFlowCatalog.roles![0], id }], resourcePolicies: auditFlowCatalog.resourcePolicies!.map((policy) => ({ ...policy, roles: [id] })) }],
    expected: `catalog 'auditflow': id = '${id}': names two things in stack auditflow-dev`,
  })),
  { name: 'a table id that collides with a derived alarm name', catalogs: [{ ...auditFlowCatalog, tables: [...auditFlowCatalog.tables, { ...auditFlowCatalog.tables[0], id: 'documents_processing_status_upload_timestamp_index', baseName: 'AuditFlow-Extra', globalSecondaryIndexes: [] }], resourcePolicies: [...auditFlowCatalog.resourcePolicies!, { table: 'documents_processing_status_upload_timestamp_index', roles: ['lambda_role'], requireVpcEndpoint: true }] }], expected: "makes two resources with the address aws_cloudwatch_metric_alarm.observability_alarms_documents_processing_status_upload_timestamp_index_throttle_events in stack auditflow-dev" },
  { name: 'two catalogs with one role name', catalogs: [auditFlowCatalog, { ...mangaAssistCatalog, roles: [{ ...mangaAssistCatalog.roles![0], roleName: 'auditflow-lambda-role' }, ...mangaAssistCatalog.roles!.slice(1)] }], expected: "catalog 'manga-assist': roles.roleName = 'auditflow-lambda-role': is also used by catalog 'auditflow'" },
  { name: 'two catalogs with one name', catalogs: [auditFlowCatalog, auditFlowCatalog], expected: "catalog 'auditflow' (catalogs[1]): name = 'auditflow': is the name of another catalog" },
];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const BAD_INPUT_CASES: readonly BadInputCase[] = [...wholeFile, ...perEnvironment, ...nested, ...backends, ...variables, ...catalogRows];
