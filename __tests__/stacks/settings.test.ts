import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadEnvironmentSettings } from '../../stacks/settings/load';
import { EXAMPLE_ENVIRONMENTS } from '../../stacks/settings/defaults';
import { errorMessageOf } from '../support/errors';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-settings-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeConfig(content: unknown, name = 'guardrails.config.json'): void {
  fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
}

function load(env: NodeJS.ProcessEnv = {}) {
  return loadEnvironmentSettings({ env, cwd: dir });
}

function loadError(env: NodeJS.ProcessEnv = {}): string {
  return errorMessageOf(() => load(env));
}

describe('environment settings', () => {
  test('with no file and no variables, the embedded examples are used', () => {
    expect(load()).toEqual(EXAMPLE_ENVIRONMENTS);
  });

  test('embedded examples: secure defaults everywhere, prevent_destroy and no name suffix in prod', () => {
    for (const settings of Object.values(EXAMPLE_ENVIRONMENTS)) {
      expect(settings.deletionProtection && settings.pointInTimeRecovery).toBe(true);
    }
    expect(EXAMPLE_ENVIRONMENTS.prod).toEqual(expect.objectContaining({ tableNameSuffix: '', preventDestroy: true }));
    expect(EXAMPLE_ENVIRONMENTS.dev).toEqual(expect.objectContaining({ tableNameSuffix: '-dev', preventDestroy: false }));
  });

  test('the config file overrides the examples and environment variables override the file', () => {
    writeConfig({
      environments: { prod: { accountId: '123456789012', region: 'eu-west-1', owner: 'payments', costCenter: 'CC-42', catalogRegions: { auditflow: 'eu-central-1' } } },
    });
    const fromFile = load().prod;
    expect(fromFile).toEqual(
      expect.objectContaining({ accountId: '123456789012', region: 'eu-west-1', tags: { Owner: 'payments', CostCenter: 'CC-42' }, catalogRegions: { auditflow: 'eu-central-1' } }),
    );
    const fromEnv = load({ GUARDRAILS_PROD_ACCOUNT_ID: '210987654321', GUARDRAILS_PROD_REGION: 'us-west-2' }).prod;
    expect([fromEnv.accountId, fromEnv.region]).toEqual(['210987654321', 'us-west-2']);
    // With a real prod account the example networks stop applying everywhere (dev keeps its other example values,
    // which the catalog check then reports: see accounts-derived.test.ts).
    expect(load().dev).toEqual({ ...EXAMPLE_ENVIRONMENTS.dev, networks: {} });
  });

  test('environment-wide variables: flags, role names with a path, alarm addresses; per-catalog variables merge per catalog', () => {
    const settings = load({
      GUARDRAILS_DEV_POINT_IN_TIME_RECOVERY: 'false',
      GUARDRAILS_STAGING_PREVENT_DESTROY: 'true',
      GUARDRAILS_PROD_DEPLOYER_ROLES: 'platform/ci, platform/hotfix',
      GUARDRAILS_PROD_BREAK_GLASS_ROLES: 'none',
      GUARDRAILS_STAGING_ALARM_EMAILS: 'oncall@acme.test',
    });
    expect([settings.dev.pointInTimeRecovery, settings.staging.preventDestroy]).toEqual([false, true]);
    expect(settings.prod.deployerPrincipalArns).toEqual(['arn:aws:iam::333333333333:role/platform/ci', 'arn:aws:iam::333333333333:role/platform/hotfix']);
    expect(settings.prod.exemptPrincipalArns).toEqual([]);
    expect(settings.staging.monitoring.alarmEmails).toEqual(['oncall@acme.test']);
    writeConfig({ environments: { prod: { networks: { auditflow: { vpcId: 'vpc-0f1e2d3c4b5a69701', routeTableIds: ['rtb-0f1e2d3c4b5a69701'] } } } } });
    const merged = load().prod.networks;
    expect(merged.auditflow.vpcId).toBe('vpc-0f1e2d3c4b5a69701');
    expect(merged['manga-assist']).toEqual(EXAMPLE_ENVIRONMENTS.prod.networks['manga-assist']);
  });

  test('GUARDRAILS_CONFIG names another file', () => {
    writeConfig({ environments: { dev: { accountId: '444455556666' } } }, 'site.json');
    expect(load({ GUARDRAILS_CONFIG: 'site.json' }).dev.accountId).toBe('444455556666');
  });

  test('an existing key ARN can replace the per-stack key', () => {
    const arn = 'arn:aws:kms:ap-south-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    writeConfig({ environments: { prod: { kmsKeyArns: { auditflow: arn } } } });
    expect(load().prod.kmsKeyArns).toEqual({ auditflow: arn });
  });

  test('S3 backend from the file, with defaults', () => {
    writeConfig({ backend: { type: 's3', bucket: 'acme-terraform-state', region: 'us-east-1' } });
    expect(load().prod.backend).toEqual({ type: 's3', bucket: 'acme-terraform-state', region: 'us-east-1', keyPrefix: 'dynamodb-guardrails', kmsKeyId: undefined });
  });

  test('an environment may have its own backend (prod state in its own bucket)', () => {
    writeConfig({
      backend: { type: 's3', bucket: 'acme-nonprod-state', region: 'us-east-1' },
      environments: { prod: { backend: { type: 's3', bucket: 'acme-prod-state', region: 'us-east-1', keyPrefix: 'ddb' } } },
    });
    const settings = load();
    expect(settings.dev.backend).toEqual(expect.objectContaining({ bucket: 'acme-nonprod-state' }));
    expect(settings.prod.backend).toEqual({ type: 's3', bucket: 'acme-prod-state', region: 'us-east-1', keyPrefix: 'ddb', kmsKeyId: undefined });
    writeConfig({ environments: { prod: { backend: { type: 's3', region: 'us-east-1' } } } });
    expect(loadError()).toBe("settings file guardrails.config.json: environments.prod.backend.bucket = (not set): is required for the 's3' backend");
  });

  test('Terraform Cloud backend from environment variables', () => {
    const settings = load({ GUARDRAILS_BACKEND: 'cloud', GUARDRAILS_TFC_ORGANIZATION: 'acme', GUARDRAILS_TFC_WORKSPACE_PREFIX: 'ddb-' });
    expect(settings.staging.backend).toEqual({ type: 'cloud', organization: 'acme', workspacePrefix: 'ddb-', hostname: undefined });
  });
});

describe('example networks for many catalogs', () => {
  const catalogs = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `svc${String(i).padStart(3, '0')}`, defaultRegion: 'us-east-1', tables: [], accessPatterns: [] }));
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-many-catalogs-'));
  afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));

  test('96 catalogs of their own each get a distinct example network; the 97th is one clear error (it used to hang synth)', () => {
    const networks = loadEnvironmentSettings({ env: {}, cwd, catalogs: catalogs(96) }).dev.networks;
    expect(new Set(Object.values(networks).map((network) => network.vpcId)).size).toBe(96);
    expect(() => loadEnvironmentSettings({ env: {}, cwd, catalogs: catalogs(97) })).toThrow(
      /^settings: environments\.dev\.networks\.svc096 = \(not set\): the examples have networks for at most 96 catalogs besides the shipped ones, and 97 are built; set real account ids/,
    );
  });
});

describe('settings validation names the source, the field and the value', () => {
  test.each([
    [{ GUARDRAILS_PROD_ACCOUNT_ID: '1234' }, "environment: GUARDRAILS_PROD_ACCOUNT_ID = '1234': must be a 12-digit AWS account id"],
    [{ GUARDRAILS_DEV_REGION: 'Mars-1' }, "environment: GUARDRAILS_DEV_REGION = 'Mars-1': must be an AWS region such as 'us-east-1'"],
    [{ GUARDRAILS_BACKEND: 'consul' }, "environment: GUARDRAILS_BACKEND = 'consul': must be one of 'local', 's3', 'cloud'"],
    [{ GUARDRAILS_BACKEND: 's3' }, "settings (no guardrails.config.json): backend.bucket = (not set): is required for the 's3' backend (or set GUARDRAILS_STATE_BUCKET)"],
    [{ GUARDRAILS_BACKEND: 's3', GUARDRAILS_STATE_BUCKET: 'Bad_Bucket', GUARDRAILS_STATE_REGION: 'us-east-1' }, "environment: GUARDRAILS_STATE_BUCKET = 'Bad_Bucket': must be an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, no two adjacent dots, not an IP address"],
    [{ GUARDRAILS_BACKEND: 'cloud' }, "settings (no guardrails.config.json): backend.organization = (not set): is required for the 'cloud' backend (or set GUARDRAILS_TFC_ORGANIZATION)"],
    [{ GUARDRAILS_CONFIG: 'missing.json' }, "environment: GUARDRAILS_CONFIG = 'missing.json': no such file"],
  ])('%p', (env, message) => {
    expect(loadError(env as NodeJS.ProcessEnv)).toBe(message);
  });

  test('a typo in the file is an error, not silently ignored', () => {
    writeConfig({ environments: { prod: { acountId: '123456789012' } } });
    expect(loadError()).toBe(
      "settings file guardrails.config.json: environments.prod.acountId = '123456789012': is not a known setting; did you mean 'accountId'?",
    );
  });

  test('an unknown environment name in the file', () => {
    writeConfig({ environments: { production: {} } });
    expect(loadError()).toBe("settings file guardrails.config.json: environments.production = {}: is not a known setting; did you mean 'prod'?");
  });

  test('an existing key that is not a key ARN', () => {
    writeConfig({ environments: { staging: { kmsKeyArns: { auditflow: 'alias/foo' } } } });
    expect(loadError()).toBe("settings file guardrails.config.json: environments.staging.kmsKeyArns.auditflow = 'alias/foo': must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)");
  });

  test('alarm thresholds per environment: known names, non-negative numbers', () => {
    writeConfig({ environments: { prod: { monitoring: { thresholds: { latencyP99Ms: 40 } } } } });
    expect(load().prod.monitoring.thresholds).toEqual({ latencyP99Ms: 40 });
    writeConfig({ environments: { prod: { monitoring: { thresholds: { latencyP99Ms: -1 } } } } });
    expect(loadError()).toBe('settings file guardrails.config.json: environments.prod.monitoring.thresholds.latencyP99Ms = -1: must be a number of at least 0');
    writeConfig({ environments: { prod: { monitoring: { thresholds: { latency: 40 } } } } });
    expect(loadError()).toMatch(/^settings file guardrails\.config\.json: environments\.prod\.monitoring\.thresholds\.latency = 40: is not a known setting/);
  });

  test('wrong value types in the file', () => {
    writeConfig({ environments: { dev: { deletionProtection: 'no' } } });
    expect(loadError()).toBe("settings file guardrails.config.json: environments.dev.deletionProtection = 'no': must be true or false");
    writeConfig({ environments: { dev: { catalogRegions: { auditflow: 'mumbai' } } } });
    expect(loadError()).toBe("settings file guardrails.config.json: environments.dev.catalogRegions.auditflow = 'mumbai': must be an AWS region such as 'ap-south-1'");
  });

  test('a file that is not JSON', () => {
    writeConfig('{ "backend": ');
    expect(loadError()).toMatch(/^settings file guardrails\.config\.json: \(whole file\) = '<unparsable>': is not valid JSON: /);
  });
});
