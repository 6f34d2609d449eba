/**
 * `npm run check`: dynamodb:001–015 on Terraform other teams write. Hand-written fixtures (__tests__/fixtures/check)
 * are planned offline by the real terraform binary and each finding is asserted by requirement id and address; a
 * plan JSON gives the same findings; our own cdktf.out gives exactly the synth's findings; bad input is one line and
 * exit code 2.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EvaluatedFinding, StackComplianceReport } from '../../modules/compliance/evaluate';
import { runCheck } from '../../stacks/check/check';
import { runCheckCli } from '../../stacks/check/cli';
import { offlinePlan } from '../../stacks/offline-terraform/plan';
import { readProviderSchema } from '../../stacks/offline-terraform/provider-schema';
import { importedValue } from '../../stacks/offline-terraform/values';
import { schemaOfProjectServices } from '../support/terraform/test-schema';
import { generateModules } from '../../stacks/terraform-modules';
import { synthesizeAll } from '../../stacks/synth';

const FIXTURES = path.join(__dirname, '../fixtures/check');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-check-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const TODAY = '2026-12-01';

let copies = 0;
/** A copy of a fixture in the scratch directory (the project root of the check), with the generated modules at ./modules. */
function fixture(name: string): string {
  const dir = path.join(scratch, `${name}-${++copies}`);
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  if (name === 'compliant-module-call') {
    if (!fs.existsSync(path.join(scratch, 'generated'))) generateModules({ outdir: path.join(scratch, 'generated'), hcl: true, cwd: scratch });
    for (const module of ['dynamodb-table', 'vpc-endpoint']) fs.cpSync(path.join(scratch, 'generated', module), path.join(dir, 'modules', module), { recursive: true });
  }
  return dir;
}

/** The tests' schema (the AWS services the project uses) keeps each offline plan fast; the CLI serves the whole one. */
const schema = schemaOfProjectServices(readProviderSchema());
const check = (dir: string, extra: { waiversFile?: string } = {}) => runCheck({ path: dir, outdir: path.join(dir, 'reports'), cwd: scratch, today: TODAY, schema, ...extra });
const failures = (report: StackComplianceReport) => report.findings.filter((f) => f.status === 'NON_COMPLIANT' && !f.waiver).map((f) => `${f.requirement} ${f.resource}`);
const finding = (report: StackComplianceReport, requirement: string, resource: string): EvaluatedFinding | undefined => report.findings.find((f) => f.requirement === requirement && f.resource === resource);

describe('hand-written Terraform, planned offline: each finding by requirement and address', () => {
  test('a terraform-aws-modules-style table (count, AWS-owned key, PITR off)', async () => {
    const dir = fixture('tam-style-table');
    const result = await check(dir);
    const [report] = result.reports;
    expect(result.exitCode).toBe(1);
    const table = 'aws_dynamodb_table.this[0]';
    expect(failures(report)).toEqual(['001', '002', '003', '005', '006', '013', '014', '015'].map((id) => `dynamodb:${id} ${table}`));
    expect(finding(report, 'dynamodb:001', table)!.reason).toContain('AWS-owned key');
    expect(finding(report, 'dynamodb:002', table)!.reason).toContain('point_in_time_recovery.enabled = false');
    // Located at the resource block in the team's file, for code scanning.
    expect(finding(report, 'dynamodb:001', table)!.source).toEqual({ uri: `${path.basename(dir)}/main.tf`, line: 17 });
    const sarif = JSON.parse(fs.readFileSync(path.join(result.outdir, report.stack, 'compliance.sarif'), 'utf8'));
    expect(sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'dynamodb:001').locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: finding(report, 'dynamodb:001', table)!.source!.uri, uriBaseId: '%SRCROOT%' },
      region: { startLine: 17 },
    });
  });

  test('a global table with one replica lacking a customer-managed key', async () => {
    const [report] = (await check(fixture('global-table-replica-without-cmk'))).reports;
    expect(finding(report, 'dynamodb:010', 'aws_dynamodb_table.orders.replica[eu-west-1]')).toMatchObject({ status: 'NON_COMPLIANT', reason: expect.stringContaining('no kms_key_arn') });
    // Negative control: the replica with its own Region's key is compliant; so are the home table's key and PITR.
    expect(finding(report, 'dynamodb:010', 'aws_dynamodb_table.orders.replica[us-west-2]')!.status).toBe('COMPLIANT');
    expect(finding(report, 'dynamodb:001', 'aws_dynamodb_table.orders')!.status).toBe('COMPLIANT');
    expect(report.findings.filter((f) => f.requirement === 'dynamodb:011').map((f) => [f.resource, f.status])).toEqual([
      ['aws_dynamodb_table.orders.replica[eu-west-1]', 'COMPLIANT'],
      ['aws_dynamodb_table.orders.replica[us-west-2]', 'COMPLIANT'],
    ]);
  });

  test('a provisioned table whose table and one index scale, but not the other index (for_each targets)', async () => {
    const [report] = (await check(fixture('provisioned-gsi-without-autoscaling'))).reports;
    const capacity = finding(report, 'dynamodb:004', 'aws_dynamodb_table.inventory')!;
    expect(capacity.status).toBe('NON_COMPLIANT');
    expect(capacity.reason).toContain("GSI 'by_status' read");
    expect(capacity.reason).not.toContain('by_warehouse');
    expect(capacity.reason).not.toContain('table read');
  });

  test('a DAX cluster without TLS', async () => {
    const [report] = (await check(fixture('dax-without-tls'))).reports;
    expect(report.findings.filter((f) => ['dynamodb:007', 'dynamodb:008', 'dynamodb:009'].includes(f.requirement)).map((f) => [f.requirement, f.resource, f.status])).toEqual([
      ['dynamodb:007', 'aws_dax_cluster.cache', 'COMPLIANT'],
      ['dynamodb:008', 'aws_dax_cluster.cache', 'NON_COMPLIANT'],
      ['dynamodb:009', 'aws_dax_cluster.cache', 'COMPLIANT'],
    ]);
  });

  test('a compliant root module calling the generated modules passes (exit 0); negative control: without its backup selection it fails dynamodb:005', async () => {
    const dir = fixture('compliant-module-call');
    const result = await check(dir);
    const [report] = result.reports;
    expect(failures(report)).toEqual([]);
    expect(result.exitCode).toBe(0);
    const table = 'module.payments.aws_dynamodb_table.this';
    expect(['001', '002', '003', '005', '006', '013', '014'].map((id) => finding(report, `dynamodb:${id}`, table)?.status)).toEqual(Array(7).fill('COMPLIANT'));
    expect(report.findings.filter((f) => f.requirement === 'dynamodb:015').map((f) => f.status)).toEqual(['COMPLIANT']);
    expect(finding(report, 'dynamodb:001', table)!.source).toEqual({ uri: `${path.basename(dir)}/main.tf`, line: 8 });

    fs.writeFileSync(path.join(dir, 'main.tf'), fs.readFileSync(path.join(dir, 'main.tf'), 'utf8').replace(/resource "aws_backup_selection"[\s\S]*$/, ''));
    const without = await check(dir);
    expect(failures(without.reports[0])).toEqual([`dynamodb:005 ${table}`]);
    expect(without.exitCode).toBe(1);
  });
});

describe('patterns a plan reader must get right (no false COMPLIANT, no false NON_COMPLIANT)', () => {
  let report: StackComplianceReport;
  beforeAll(async () => {
    [report] = (await check(fixture('team-patterns'))).reports;
  });
  const status = (requirement: string, resource: string) => finding(report, requirement, resource)?.status;

  test('for_each keys with dots stay two tables: the one with PITR off fails, the other passes', () => {
    expect(status('dynamodb:002', 'aws_dynamodb_table.by_env["dev.orders"]')).toBe('NON_COMPLIANT');
    expect(status('dynamodb:002', 'aws_dynamodb_table.by_env["prod.orders"]')).toBe('COMPLIANT');
    expect(finding(report, 'dynamodb:002', 'aws_dynamodb_table.by_env["dev.orders"]')!.source!.line).toBe(24);
  });

  test('a key set in a dynamic block and known only after apply is unverifiable, never "AWS-owned"', () => {
    const encryption = finding(report, 'dynamodb:001', 'aws_dynamodb_table.by_env["prod.orders"]')!;
    expect(encryption.status).toBe('NON_COMPLIANT');
    expect(encryption.reason).toContain('is an expression whose value is not in the artifact');
  });

  test('replicas whose Regions are locals: the one without a key is never COMPLIANT', () => {
    expect(status('dynamodb:010', 'aws_dynamodb_table.global.replica[eu-central-1]')).toBe('NON_COMPLIANT');
    expect(status('dynamodb:001', 'aws_dynamodb_table.global')).toBe('COMPLIANT');
  });

  test('a module called with count: its table follows the reference to its own key', () => {
    expect(finding(report, 'dynamodb:001', 'module.keyed[0].aws_dynamodb_table.this')).toMatchObject({ status: 'COMPLIANT', reason: expect.stringContaining('module.keyed[0].aws_kms_key.this') });
  });

  test('an IAM policy document (nulls and empty lists of the plan are not read as NotAction)', () => {
    expect(finding(report, 'dynamodb:012', 'aws_iam_policy.reader')).toMatchObject({ status: 'COMPLIANT', reason: expect.stringContaining('data.aws_iam_policy_document.reader') });
  });

  test('a backup selection listing two tables selects both, and not the third', () => {
    expect(status('dynamodb:005', 'aws_dynamodb_table.global')).toBe('COMPLIANT');
    expect(status('dynamodb:005', 'aws_dynamodb_table.by_env["prod.orders"]')).toBe('COMPLIANT');
    expect(status('dynamodb:005', 'aws_dynamodb_table.by_env["dev.orders"]')).toBe('NON_COMPLIANT');
    expect(finding(report, 'dynamodb:005', 'aws_dynamodb_table.global')!.reason).toBe('in a backup plan: aws_backup_selection.orders by ARN ${aws_dynamodb_table.global.arn} (plan aws_backup_plan.orders)');
  });

  test('the provider Region from a variable is no Region at all in the reasons', () => {
    expect(report.findings.some((f) => f.reason.includes('${'.concat('known_only_after_apply}.dynamodb')))).toBe(false);
  });
});

describe('a plan of the next change (the key exists, its ARN is known): the table still follows it to the key', () => {
  /** A state with the key and the table of the replica fixture already applied; the key's rotation as given. */
  function appliedState(rotation: boolean): object {
    const schema = readProviderSchema();
    const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0';
    const instance = (type: string, attributes: Record<string, unknown>) => ({
      mode: 'managed',
      type,
      name: type === 'aws_kms_key' ? 'orders' : 'orders_us_west_2',
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ schema_version: schema.resource_schemas![type].version ?? 0, attributes: { ...importedValue(schema.resource_schemas![type].block, 'id'), ...attributes }, sensitive_attributes: [] }],
    });
    return {
      version: 4,
      terraform_version: '1.11.4',
      serial: 1,
      lineage: 'dynamodb-guardrails-check-test',
      outputs: {},
      resources: [
        instance('aws_kms_key', { arn: keyArn, key_id: '0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0', enable_key_rotation: rotation, multi_region: true }),
        instance('aws_kms_replica_key', { arn: 'arn:aws:kms:us-west-2:123456789012:key/0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0', region: 'us-west-2' }),
      ],
    };
  }

  test.each([
    [false, 'NON_COMPLIANT'],
    [true, 'COMPLIANT'],
  ])('key rotation %s in the configuration and the state → dynamodb:001 %s', async (rotation, expected) => {
    const dir = fixture('global-table-replica-without-cmk');
    fs.writeFileSync(path.join(dir, 'main.tf'), fs.readFileSync(path.join(dir, 'main.tf'), 'utf8').replace('enable_key_rotation = true', `enable_key_rotation = ${rotation}`));
    const planned = await offlinePlan(dir, { state: appliedState(rotation), schema });
    const after = planned.plan!.resource_changes!.find((c) => c.address === 'aws_dynamodb_table.orders')!.change.after as { server_side_encryption: Array<{ kms_key_arn: string }> };
    expect(after.server_side_encryption[0].kms_key_arn).toMatch(/^arn:aws:kms:us-east-1:/);
    const planFile = path.join(dir, 'plan.json');
    fs.writeFileSync(planFile, JSON.stringify(planned.plan));
    const [report] = (await runCheck({ path: planFile, outdir: path.join(dir, 'reports'), cwd: scratch, today: TODAY })).reports;
    expect(finding(report, 'dynamodb:001', 'aws_dynamodb_table.orders')!.status).toBe(expected);
  });
});

describe('the plan of a later change: known ARNs followed to their key however they travel', () => {
  const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/mrk-0f1e2d3c4b5a49788796a5b4c3d2e1f0';
  let report: StackComplianceReport;
  beforeAll(async () => {
    const schema = readProviderSchema();
    const key = schema.resource_schemas!.aws_kms_key;
    const state = {
      version: 4,
      terraform_version: '1.11.4',
      serial: 1,
      lineage: 'dynamodb-guardrails-check-next-change',
      outputs: {},
      resources: [
        {
          mode: 'managed',
          type: 'aws_kms_key',
          name: 'norotate',
          provider: 'provider["registry.terraform.io/hashicorp/aws"]',
          instances: [{ schema_version: key.version ?? 0, attributes: { ...importedValue(key.block, 'k'), arn: KEY_ARN, enable_key_rotation: false, multi_region: true }, sensitive_attributes: [] }],
        },
      ],
    };
    // What the real provider's data sources would read: an AWS managed key behind the alias, three zones.
    const dataSources = {
      aws_kms_key: { arn: 'arn:aws:kms:us-east-1:123456789012:key/aws-managed-0001', key_manager: 'AWS' },
      aws_availability_zones: { names: ['us-east-1a', 'us-east-1b', 'us-east-1c'] },
    };
    const dir = fixture('next-change');
    const planned = await offlinePlan(dir, { state, dataSources, schema });
    expect(planned.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    fs.writeFileSync(path.join(dir, 'plan.json'), JSON.stringify(planned.plan));
    [report] = (await runCheck({ path: path.join(dir, 'plan.json'), outdir: path.join(dir, 'reports'), cwd: scratch, today: TODAY })).reports;
  });
  const status = (requirement: string, resource: string) => finding(report, requirement, resource)?.status;

  test('through a local and through a module input, the key with rotation off fails dynamodb:001', () => {
    expect(finding(report, 'dynamodb:001', 'aws_dynamodb_table.via_local')).toMatchObject({ status: 'NON_COMPLIANT', reason: expect.stringContaining('aws_kms_key.norotate') });
    expect(finding(report, 'dynamodb:001', 'module.via_input.aws_dynamodb_table.this')).toMatchObject({ status: 'NON_COMPLIANT', reason: expect.stringContaining('aws_kms_key.norotate') });
  });

  test('a replica from a dynamic block is not given the static replica\'s key', () => {
    expect(status('dynamodb:010', 'aws_dynamodb_table.global.replica[us-east-2]')).toBe('NON_COMPLIANT');
  });

  test('a key read by a data source that the plan shows to be AWS managed fails dynamodb:001', () => {
    expect(finding(report, 'dynamodb:001', 'aws_dynamodb_table.data_key')).toMatchObject({ status: 'NON_COMPLIANT', reason: expect.stringContaining('AWS') });
  });

  test('zones the plan knows stay a list: dynamodb:009 passes', () => {
    expect(status('dynamodb:009', 'aws_dax_cluster.cache')).toBe('COMPLIANT');
  });
});

describe('other inputs', () => {
  test('a plan JSON (terraform show -json) gives the findings of its directory', async () => {
    const dir = fixture('tam-style-table');
    const planned = await offlinePlan(dir, { schema });
    const planFile = path.join(scratch, 'tam-plan.json');
    fs.writeFileSync(planFile, JSON.stringify(planned.plan));
    const fromPlan = await runCheck({ path: planFile, outdir: path.join(scratch, 'plan-reports'), cwd: scratch, today: TODAY });
    const fromDir = await check(dir);
    const essentials = (report: StackComplianceReport) => report.findings.map((f) => [f.requirement, f.resource, f.status, f.reason]);
    expect(essentials(fromPlan.reports[0])).toEqual(essentials(fromDir.reports[0]));
    expect(fromPlan.kind).toBe('plan');
  });

  test('our own cdktf.out gives exactly the synth’s findings, stack by stack', async () => {
    const project = path.join(scratch, 'project');
    fs.mkdirSync(project);
    synthesizeAll({ outdir: 'cdktf.out', cwd: project, env: {}, today: TODAY });
    const result = await runCheck({ path: 'cdktf.out', outdir: 'checked', cwd: project, today: TODAY });
    expect(result.reports.length).toBe(9);
    // With the policies of our stacks, the access proof too: who can reach each table, from where.
    expect(result.accessProof).toBe('written');
    const access = JSON.parse(fs.readFileSync(path.join(project, 'checked', 'auditflow-prod', 'access.json'), 'utf8'));
    expect(access.rows.length).toBeGreaterThan(0);
    const essentials = (findings: ReadonlyArray<{ requirement: string; resource: string; status: string; reason: string; waived?: boolean; waiver?: unknown }>) =>
      findings.map((f) => [f.requirement, f.resource, f.status, f.reason, f.waived ?? f.waiver !== undefined]);
    for (const report of result.reports) {
      const synthesized = JSON.parse(fs.readFileSync(path.join(project, 'cdktf.out', 'stacks', report.stack, 'compliance.json'), 'utf8'));
      expect([report.stack, report.environment, essentials(report.findings)]).toEqual([report.stack, synthesized.environment, essentials(synthesized.findings)]);
    }
    // The environments' waivers apply as in synth (the example dev stacks waive their backup plans): exit 0, as synth.
    expect(result.reports.some((report) => report.summary.waived > 0)).toBe(true);
    expect(result.exitCode).toBe(0);
  });

  test('waivers from guardrails.waivers.json beside the code accept a finding (it stays NON_COMPLIANT, waived)', async () => {
    const dir = fixture('dax-without-tls');
    const waiver = { requirement: 'dynamodb:008', resource: 'aws_dax_cluster.cache', reason: 'Legacy client without TLS support until Q2 (TICKET-42)', expires: '2027-03-31' };
    fs.writeFileSync(path.join(dir, 'guardrails.waivers.json'), JSON.stringify([waiver]));
    const result = await check(dir);
    expect(finding(result.reports[0], 'dynamodb:008', 'aws_dax_cluster.cache')).toMatchObject({ status: 'NON_COMPLIANT', waiver });
    expect(result.exitCode).toBe(0);
    // Negative control: an expired waiver no longer counts.
    fs.writeFileSync(path.join(dir, 'guardrails.waivers.json'), JSON.stringify([{ ...waiver, expires: '2026-11-30' }]));
    expect((await check(dir)).exitCode).toBe(1);
  });
});

describe('npx dynamodb-guardrails check (the package bin), as a process', () => {
  test('findings: exit 1 and one line per finding; a typo in the command: usage and exit 2', () => {
    const bin = path.join(__dirname, '../../bin/dynamodb-guardrails.cjs');
    const dir = fixture('dax-without-tls');
    const run = spawnSync(process.execPath, [bin, 'check', dir, '--out', path.join(dir, 'out')], { cwd: scratch, encoding: 'utf8' });
    expect([run.status, run.stderr]).toEqual([1, '']);
    expect(run.stdout).toContain(`  dynamodb:008 aws_dax_cluster.cache (${path.basename(dir)}/main.tf:11): cluster_endpoint_encryption_type = "NONE"`);
    const typo = spawnSync(process.execPath, [bin, 'chek', dir], { cwd: scratch, encoding: 'utf8' });
    expect([typo.status, typo.stderr.trim()]).toEqual([2, expect.stringMatching(/^usage: dynamodb-guardrails check /)]);
  });
});

describe('bad input: one clear line, exit 2', () => {
  async function cli(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCheckCli(args, (line) => out.push(line), (line) => err.push(line), scratch);
    return { code, out, err };
  }

  test('a JSON file that is not a plan', async () => {
    fs.writeFileSync(path.join(scratch, 'not-a-plan.json'), JSON.stringify({ resource: {} }));
    expect(await cli(['not-a-plan.json'])).toEqual({ code: 2, out: [], err: ['Error: check: not-a-plan.json: not a Terraform plan in JSON (expected the output of terraform show -json <planfile>, with format_version and planned_values)'] });
  });

  test('a path that does not exist, and a directory without Terraform', async () => {
    expect((await cli(['no/such/dir'])).err).toEqual(['Error: check: no/such/dir: no such file or directory']);
    fs.mkdirSync(path.join(scratch, 'empty'));
    expect(await cli(['empty'])).toMatchObject({ code: 2, err: ['Error: check: empty: no Terraform here (no *.tf or *.tf.json files, no plan JSON, no cdktf.out)'] });
  });

  test('HCL that does not parse names the file; terraform never runs', async () => {
    const dir = path.join(scratch, 'broken');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'main.tf'), 'resource "aws_dynamodb_table" "t" {\n  name = "x"\n');
    // Were terraform started, this binary would make it fail differently ("terraform was not found").
    const previous = process.env.GUARDRAILS_TERRAFORM_BIN;
    process.env.GUARDRAILS_TERRAFORM_BIN = path.join(scratch, 'no-terraform-here');
    const run = await cli(['broken']).finally(() => (previous === undefined ? delete process.env.GUARDRAILS_TERRAFORM_BIN : (process.env.GUARDRAILS_TERRAFORM_BIN = previous)));
    expect(run.code).toBe(2);
    expect(run.err).toEqual([expect.stringMatching(/^Error: check: broken\/main\.tf: not valid HCL: /)]);
    expect(fs.existsSync(path.join(scratch, 'guardrails-check'))).toBe(false);
  });

  test('a waivers file with a bad entry names the field', async () => {
    const dir = fixture('dax-without-tls');
    fs.writeFileSync(path.join(dir, 'guardrails.waivers.json'), JSON.stringify([{ requirement: 'dynamodb:8', resource: 'aws_dax_cluster.cache', reason: 'long enough reason', expires: '2027-01-01' }]));
    const run = await cli([path.relative(scratch, dir)]);
    expect(run.code).toBe(2);
    expect(run.err).toEqual([expect.stringContaining("waivers[0].requirement = 'dynamodb:8': must be a requirement id")]);
  });

  test.each([
    [[], 'the plan JSON, Terraform directory or cdktf.out to check is missing'],
    [['a', '--frobnicate'], "'--frobnicate' is not an option"],
    [['a', '--environment', 'qa'], "--environment = 'qa': must be one of dev, staging, prod"],
    [['a', '--out'], '--out needs a value'],
  ])('%j → usage error', async (args, problem) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.err[0]).toBe(`Error: check: ${problem}`);
  });
});
