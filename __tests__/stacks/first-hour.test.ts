/**
 * A new platform team's first hour, through main.ts as a real process in a scratch copy of the project: their own
 * accounts and networks, a new catalog folder and nothing else edited, a typo, a prod violation while working on dev.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { shippedCatalogs } from '../../stacks/catalogs/registry';
import { ENVIRONMENT_NAMES } from '../../stacks/settings/types';
import { bundleSynth, Run, runNode, scratchCopyOfProject } from '../support/project/scratch-project';
import { accountVariables, networkVariables, OWN_ACCOUNTS } from '../support/project/own-accounts';

const ACCOUNTS = OWN_ACCOUNTS;
const EXAMPLE_ACCOUNTS = /111111111111|222222222222|333333333333/;
const EXAMPLE_VALUES = /(vpc|rtb|subnet|sg)-0[0-9a-f]{4}0{12}|@example\.com/;

let scratch: string;
let project: string;
beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-first-hour-'));
  project = scratchCopyOfProject(path.join(scratch, 'project'));
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function synth(env: NodeJS.ProcessEnv = {}, args: string[] = []): Run {
  return runNode(project, [bundleSynth(project), ...args], env);
}

const outputFiles = () => execFileSync('find', ['-L', path.join(project, 'cdktf.out'), '-type', 'f'], { encoding: 'utf8' }).trim().split('\n');
const readOutput = (file: string) => fs.readFileSync(path.join(project, 'cdktf.out', file), 'utf8');
const SHIPPED = shippedCatalogs().map((catalog) => catalog.name);

describe('accounts in, everything derived', () => {
  test('own accounts plus network variables: synth succeeds and no example account, VPC or e-mail is left in cdktf.out', () => {
    const run = synth({ ...accountVariables(), ...networkVariables(SHIPPED) });
    expect(run.status).toBe(0);
    // Valid but probably not meant with real accounts: said once each, synth carries on.
    expect(run.stderr.trim().split('\n').map((line) => line.replace(/;.*/, ''))).toEqual([
      'Warning: dev, staging, prod keep Terraform state in local files',
      'Warning: staging and prod alarms notify nobody by e-mail',
      'Note: dev, staging, prod use the default role names terraform-deployer and break-glass-admin, which table policies exempt',
    ]);
    for (const file of outputFiles()) expect([file, fs.readFileSync(file, 'utf8').match(EXAMPLE_ACCOUNTS)?.[0]]).toEqual([file, undefined]);
    for (const file of outputFiles()) expect([file, fs.readFileSync(file, 'utf8').match(EXAMPLE_VALUES)?.[0]]).toEqual([file, undefined]);
    const policy = JSON.parse(JSON.parse(readOutput('stacks/auditflow-prod/cdk.tf.json')).resource.aws_dynamodb_resource_policy.documents_resource_policy.policy);
    const exempt = JSON.stringify(policy.Statement.find((statement: { Sid: string }) => statement.Sid === 'DenyUnlistedPrincipals'));
    expect(exempt).toContain(`arn:aws:iam::${ACCOUNTS.PROD}:role/terraform-deployer`);
    expect(exempt).toContain(`arn:aws:iam::${ACCOUNTS.PROD}:role/break-glass-admin`);
  });

  test('with a shared backend, alarm addresses and own role names there is nothing to warn about', () => {
    const settled = { GUARDRAILS_BACKEND: 's3', GUARDRAILS_STATE_BUCKET: 'acme-state', GUARDRAILS_STATE_REGION: 'us-east-1', GUARDRAILS_STAGING_ALARM_EMAILS: 'oncall@acme.io', GUARDRAILS_PROD_ALARM_EMAILS: 'oncall@acme.io' };
    const roles = Object.fromEntries(Object.keys(ACCOUNTS).map((env) => [`GUARDRAILS_${env}_DEPLOYER_ROLES`, 'ci-deployer']));
    const run = synth({ ...accountVariables(), ...networkVariables(SHIPPED), ...settled, ...roles });
    expect([run.status, run.stderr]).toEqual([0, '']);
    const shared = synth({ ...accountVariables(), ...networkVariables(SHIPPED), ...settled, ...roles, GUARDRAILS_STAGING_ACCOUNT_ID: ACCOUNTS.PROD });
    expect(shared.stderr).toMatch(/^Warning: staging and prod share account 345678901234/);
  });

  test('deployer and break-glass roles are role names (with a path) of each account, set by variable', () => {
    const run = synth({ ...accountVariables(), ...networkVariables(SHIPPED), GUARDRAILS_PROD_DEPLOYER_ROLES: 'platform/ci-deployer', GUARDRAILS_PROD_BREAK_GLASS_ROLES: 'none' });
    expect(run.status).toBe(0);
    const json = readOutput('stacks/manga-assist-prod/cdk.tf.json');
    expect(json).toContain(`arn:aws:iam::${ACCOUNTS.PROD}:role/platform/ci-deployer`);
    expect(json).not.toContain('terraform-deployer');
    expect(json).not.toContain('break-glass-admin');
  });

  test('own accounts without networks: one error listing every missing network, exit 1, nothing written', () => {
    const run = synth(accountVariables());
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^Error: settings: environments\.dev\.networks\.auditflow = \(not set\): catalog 'auditflow' needs its VPC id and route tables .* or GUARDRAILS_DEV_AUDITFLOW_VPC_ID and GUARDRAILS_DEV_AUDITFLOW_ROUTE_TABLE_IDS\. Also \(8 more; real account ids are set/);
    expect(lines.slice(1, -1)).toHaveLength(8);
    expect(lines.at(-1)).toBe('Nothing was written to cdktf.out.');
  });

  test('only the prod account set: the example dev and staging accounts are listed with the variable that replaces them', () => {
    const run = synth({ GUARDRAILS_PROD_ACCOUNT_ID: ACCOUNTS.PROD, ...networkVariables(SHIPPED) });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("environments.dev.accountId = '111111111111': is the example account; set environments.dev.accountId (or GUARDRAILS_DEV_ACCOUNT_ID)");
    expect(run.stderr).toContain("environments.staging.accountId = '222222222222': is the example account");
  });

  test('an example VPC id or e-mail copied into real settings is named', () => {
    fs.writeFileSync(path.join(scratch, 'copied.json'), JSON.stringify({ environments: { prod: { monitoring: { alarmEmails: ['dynamodb-alerts@example.com'] }, networks: { auditflow: { vpcId: 'vpc-01300000000000000', routeTableIds: ['rtb-01310000000000000'] } } } } }));
    const env: NodeJS.ProcessEnv = { ...accountVariables(), ...networkVariables(SHIPPED), GUARDRAILS_CONFIG: path.join(scratch, "copied.json") };
    delete env.GUARDRAILS_PROD_AUDITFLOW_VPC_ID;
    delete env.GUARDRAILS_PROD_AUDITFLOW_ROUTE_TABLE_IDS;
    const run = synth(env);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("environments.prod.networks.auditflow = 'vpc-01300000000000000': holds example ids (vpc-01300000000000000, rtb-01310000000000000");
    expect(run.stderr).toContain("environments.prod.monitoring.alarmEmails = 'dynamodb-alerts@example.com': is a documentation address");
  });

  test('a deployer ARN of another account is refused, naming the setting', () => {
    fs.writeFileSync(path.join(scratch, 'wrong-account.json'), JSON.stringify({ environments: { prod: { deployerPrincipalArns: ['arn:aws:iam::333333333333:role/terraform-deployer'] } } }));
    const run = synth({ ...accountVariables(), ...networkVariables(SHIPPED), GUARDRAILS_CONFIG: path.join(scratch, 'wrong-account.json') });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^Error: settings file .*wrong-account\.json: environments\.prod\.deployerPrincipalArns\[0\] = 'arn:aws:iam::333333333333:role\/terraform-deployer': is in account 333333333333, but prod deploys to account 345678901234/);
  });

  test('a per-catalog variable of a catalog that does not exist is a typo, with a suggestion', () => {
    const run = synth({ GUARDRAILS_PROD_AUDITFLOW_VPCID: 'vpc-0f1e2d3c4b5a69780' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('did you mean GUARDRAILS_PROD_AUDITFLOW_VPC_ID?');
  });
});

describe('a catalog is one folder', () => {
  const snippet = (key: string) => `import { Catalog, CatalogTable } from '../types';
const orders: CatalogTable = {
  id: 'orders',
  baseName: 'Orders',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  timeToLiveAttribute: 'expires_at',
  ${key}: [
    { indexName: 'by-customer', partitionKey: { name: 'customer_id', type: 'S' }, sortKey: { name: 'created_at', type: 'N' } },
  ],
} as CatalogTable;
export const shopCatalog: Catalog = { name: 'shop', project: 'shop', tables: [orders], accessPatterns: [] };
`;
  const shopFolder = () => path.join(project, 'stacks/catalogs/shop');
  afterEach(() => fs.rmSync(shopFolder(), { recursive: true, force: true }));

  test("the getting-started table as a new folder: synth passes in all three environments, prod compliant, with the user's accounts", () => {
    fs.mkdirSync(shopFolder());
    fs.writeFileSync(path.join(shopFolder(), 'index.ts'), snippet('globalSecondaryIndexes'));
    const examples = synth();
    expect(examples.status).toBe(0);
    expect(examples.stdout).toMatch(/shop-prod: compliant \(\d+ passed\); \d+ resources/);
    const own = synth({ ...accountVariables(), ...networkVariables([...SHIPPED, 'shop']) });
    expect(own.status).toBe(0);
    expect(own.stderr).not.toMatch(/Error/);
    for (const environment of ENVIRONMENT_NAMES) {
      const report = JSON.parse(readOutput(`stacks/shop-${environment}/compliance.json`));
      expect([environment, report.gate, report.summary.nonCompliant]).toEqual([environment, 'pass', 0]);
    }
    const json = JSON.parse(readOutput('stacks/shop-prod/cdk.tf.json'));
    expect(Object.keys(json.resource.aws_dynamodb_resource_policy)).toEqual(expect.arrayContaining(['orders_resource_policy', 'orders_stream_policy']));
    expect(json.resource.aws_vpc_endpoint.dynamodb_endpoint.policy).toContain('table/Orders');
  });

  test('a misspelled key fails synth with the path and the suggestion', () => {
    fs.mkdirSync(shopFolder());
    fs.writeFileSync(path.join(shopFolder(), 'index.ts'), snippet('globalSecondaryIndex'));
    const run = synth();
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^Error: catalog 'shop' \(stacks\/catalogs\/shop\/index\.ts\): tables\['orders'\]\.globalSecondaryIndex = .*: is not a known field; did you mean 'globalSecondaryIndexes'\?\nNothing was written to cdktf\.out\.\n$/);
  });

  test('npm run new-catalog writes a compliant skeleton that synth finds; a second run refuses to overwrite it', () => {
    const cli = [path.join(project, 'node_modules/.bin/tsx'), 'stacks/new-catalog/cli.ts'];
    const created = runNode(project, [...cli, 'orders', '--region', 'eu-west-1']);
    expect(created.status).toBe(0);
    expect(created.stdout).toContain('GUARDRAILS_PROD_ORDERS_VPC_ID=vpc-…');
    try {
      const run = synth();
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/orders-prod: compliant/);
      expect(JSON.parse(readOutput('stacks/orders-prod/cdk.tf.json')).provider.aws[0].region).toBe('eu-west-1');
      expect(runNode(project, [...cli, 'orders'])).toEqual(expect.objectContaining({ status: 1, stderr: expect.stringContaining('stacks/catalogs/orders exists already') }));
      expect(runNode(project, [...cli, 'Orders'])).toEqual(expect.objectContaining({ status: 2 }));
    } finally {
      fs.rmSync(path.join(project, 'stacks/catalogs/orders'), { recursive: true, force: true });
    }
  });
});

describe('working on one environment is not blocked by another', () => {
  // The violation comes from the catalog, so that the reports point at its line (one table keeps PITR off in prod).
  const catalogFile = () => path.join(project, 'stacks/catalogs/auditflow/index.ts');
  let original: string;
  beforeAll(() => (original = fs.readFileSync(catalogFile(), 'utf8')));
  afterAll(() => fs.writeFileSync(catalogFile(), original));
  const pitrOff = () => {
    fs.writeFileSync(catalogFile(), original.replace("  baseName: 'AuditFlow-AuditRecords',", "  baseName: 'AuditFlow-AuditRecords',\n  pointInTimeRecovery: false,"));
    return {};
  };
  const pitrOn = () => fs.writeFileSync(catalogFile(), original);
  /** The gate file synth wrote for the prod violation (first test; the last one writes it again when run alone). */
  let blockedGate: string | undefined;
  afterEach(pitrOn);

  test('a prod violation: synth exits 1 but writes every stack, the reports marked as failing and the prod stack blocked; the next compliant synth unblocks it', () => {
    const run = synth(pitrOff());
    expect(run.status).toBe(1);
    expect(run.stderr.match(/^Error: prod is not compliant/gm)).toHaveLength(1);
    expect(run.stderr).toContain('Fix: remove pointInTimeRecovery: false from the table in stacks/catalogs/auditflow/index.ts (in Terraform: ');
    expect(run.stderr).not.toContain('Nothing was written');
    const report = JSON.parse(readOutput('stacks/auditflow-prod/compliance.json'));
    expect(report.gate).toBe('fail');
    expect(readOutput('stacks/auditflow-prod/compliance.md')).toContain('Gate: **FAILED**');
    expect(fs.existsSync(path.join(project, 'cdktf.out/stacks/auditflow-prod/compliance-gate.tf.json'))).toBe(true);
    expect(fs.existsSync(path.join(project, 'cdktf.out/stacks/auditflow-dev/compliance-gate.tf.json'))).toBe(false);
    const sarif = JSON.parse(readOutput('stacks/auditflow-prod/compliance.sarif'));
    const [result] = sarif.runs[0].results;
    const catalogLines = fs.readFileSync(path.join(project, 'stacks/catalogs/auditflow/index.ts'), 'utf8').split('\n');
    expect(result.locations).toHaveLength(1);
    expect(result.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'stacks/catalogs/auditflow/index.ts', uriBaseId: '%SRCROOT%' });
    expect(catalogLines[result.locations[0].physicalLocation.region.startLine - 1]).toContain("id: 'audit_records'");
    expect(result.relatedLocations[0].physicalLocation.artifactLocation.uri).toBe('cdk.tf.json');
    expect(result.locations[0].logicalLocations[0].name).toBe('aws_dynamodb_table.audit_records');
    blockedGate = readOutput('stacks/auditflow-prod/compliance-gate.tf.json');

    // The next compliant synth removes the gate file and the failing reports.
    pitrOn();
    expect(synth().status).toBe(0);
    expect(fs.existsSync(path.join(project, 'cdktf.out/stacks/auditflow-prod/compliance-gate.tf.json'))).toBe(false);
    expect(JSON.parse(readOutput('stacks/auditflow-prod/compliance.json')).gate).toBe('pass');
  });

  test('a violation caused by a setting names the setting and points at its line in the settings file', () => {
    const config = path.join(project, 'guardrails.config.json');
    fs.writeFileSync(config, JSON.stringify({ environments: { prod: { pointInTimeRecovery: false } } }, null, 2));
    try {
      const run = synth();
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('aws_dynamodb_table.documents: dynamodb:002 (Point-in-time recovery): point_in_time_recovery.enabled = false: the table cannot be restored to a point in time. Fix: set environments.prod.pointInTimeRecovery to true (or GUARDRAILS_PROD_POINT_IN_TIME_RECOVERY=true)');
      const [result] = JSON.parse(readOutput('stacks/auditflow-prod/compliance.sarif')).runs[0].results;
      expect(result.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'guardrails.config.json', uriBaseId: '%SRCROOT%' }, region: { startLine: 4 } });
      expect(fs.readFileSync(config, 'utf8').split('\n')[3]).toContain('"pointInTimeRecovery": false');
    } finally {
      fs.rmSync(config);
    }
  });

  test('--stack with only dev stacks exits 0 despite the prod violation; a misspelled stack is an error', () => {
    const dev = synth(pitrOff(), ['--stack=auditflow-dev']);
    expect(dev.status).toBe(0);
    expect(dev.stdout).toContain('(selected: auditflow-dev)');
    expect(dev.stderr.trim().split('\n').at(-1)).toBe('Note: auditflow-prod (not selected) failed the compliance gate and is blocked; see its compliance.md.');
    expect(synth(pitrOff(), ['--stack', 'auditflow-prod']).status).toBe(1);
    pitrOn();
    const typo = synth({}, ['--stack', 'auditflow-dve']);
    expect([typo.status, typo.stderr]).toEqual([1, expect.stringContaining("--stack = 'auditflow-dve': is not a stack; did you mean 'auditflow-dev'?")]);
  });

  test('synth arguments: --help, an unknown option, and npm swallowing --stack without -- (--stack=name: above)', () => {
    expect(synth({}, ['--help'])).toEqual(expect.objectContaining({ status: 0, stdout: expect.stringMatching(/^usage: npm run synth \[-- --stack <name> \.\.\.\]/) }));
    const unknown = synth({}, ['--stacks', 'auditflow-dev']);
    expect([unknown.status, unknown.stderr.split('\n')[0]]).toEqual([2, "Error: synth takes only --stack <name> (got '--stacks')"]);
    const swallowed = synth({ npm_config_stack: 'true' }, ['auditflow-dev']);
    expect([swallowed.status, swallowed.stderr.split('\n')[0]]).toEqual([2, 'Error: npm took --stack as its own option; write npm run synth -- --stack auditflow-dev']);
  });

  test('under the cdktf CLI the blocked prod stack is one warning and the run succeeds, so dev can be diffed and deployed', () => {
    const outdir = path.join(project, 'cli.out');
    const run = synth({ ...pitrOff(), CDKTF_OUTDIR: outdir, CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true' });
    expect(run.status).toBe(0);
    expect(run.stderr.trim().split('\n').filter((line) => /auditflow-prod/.test(line))).toEqual([expect.stringMatching(/^Warning: auditflow-prod failed the compliance gate and is blocked/)]);
    expect(fs.existsSync(path.join(outdir, 'stacks/auditflow-dev/cdk.tf.json'))).toBe(true);
  });

  test('terraform cannot even init a blocked stack, in any mode; without the version stop its precondition still fails the plan', () => {
    if (blockedGate === undefined) {
      expect(synth(pitrOff()).status).toBe(1);
      blockedGate = readOutput('stacks/auditflow-prod/compliance-gate.tf.json');
    }
    const dir = path.join(scratch, 'gate-only');
    fs.mkdirSync(dir, { recursive: true });
    const gate = blockedGate;
    fs.writeFileSync(path.join(dir, 'compliance-gate.tf.json'), gate);
    const terraform = (...args: string[]) => {
      const run = runNode(dir, ['-e', `process.exitCode = require('child_process').spawnSync(${JSON.stringify(process.env.GUARDRAILS_TERRAFORM_BIN ?? 'terraform')}, ${JSON.stringify(args)}, { stdio: 'inherit' }).status`], { TF_IN_AUTOMATION: '1' });
      return { status: run.status, text: (run.stdout + run.stderr).replace(/\s+/g, ' ') };
    };
    const init = terraform('init', '-backend=false', '-input=false', '-no-color');
    expect(init.status).toBe(1);
    expect(init.text).toMatch(/Unsupported Terraform Core version .*dynamodb-guardrails blocked auditflow-prod: it failed the compliance gate \(dynamodb:002 aws_dynamodb_table\.audit_records/);
    const withoutVersionStop = JSON.parse(gate);
    delete withoutVersionStop.terraform;
    fs.writeFileSync(path.join(dir, 'compliance-gate.tf.json'), JSON.stringify(withoutVersionStop));
    expect(terraform('init', '-backend=false', '-input=false', '-no-color').status).toBe(0);
    const plan = terraform('plan', '-input=false', '-no-color');
    expect(plan.status).toBe(1);
    expect(plan.text).toMatch(/Resource precondition failed.*dynamodb-guardrails: auditflow-prod is not compliant \(dynamodb:002 aws_dynamodb_table\.audit_records/);
    // Negative control: with the gate passed the same file plans.
    fs.writeFileSync(path.join(dir, 'compliance-gate.tf.json'), JSON.stringify({ ...withoutVersionStop, locals: { dynamodb_guardrails_compliance_gate: 'passed' } }));
    expect(terraform('plan', '-input=false', '-no-color').status).toBe(0);
  });
});
