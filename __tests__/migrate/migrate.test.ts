/**
 * `npm run migrate`: terraform-aws-modules/dynamodb-table calls become calls of the generated dynamodb-table module
 * with moved blocks, on fixtures written like a team's code. The output is validated offline by the real
 * `terraform validate` together with the generated module, and the moved blocks' targets are checked against the
 * keys the module itself computes (its own expression, evaluated by `terraform console`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { Testing } from 'cdktf';
import { migrate } from '../../stacks/migrate/migrate';
import { runMigrate } from '../../stacks/migrate/cli';
import { moduleBlockSpan } from '../../stacks/migrate/hcl-source';
import { hclInput } from '../../stacks/migrate/translate';
import { buildDynamoDbTableModule, EXAMPLE_KMS_KEY_ARNS, generateModules } from '../../stacks/terraform-modules';
import { offlinePlan } from '../../stacks/offline-terraform/plan';
import { readProviderSchema } from '../../stacks/offline-terraform/provider-schema';
import { importedValue } from '../../stacks/offline-terraform/values';
import { schemaOfProjectServices } from '../support/terraform/test-schema';
import { hclString, hclValue } from '../../stacks/terraform-modules/hcl';
import { synthEnvironment, withTestingApp } from '../support/synth';
import { evaluateInConsole, unwrapInterpolation } from '../support/terraform/console';
import { formatDiagnostic, terraformValidate } from '../support/terraform/validate';

const FIXTURES = path.join(__dirname, '../fixtures/migrate');

/**
 * A Terraform state (format 4) holding one instance at each address (`module.x.type.name[0]`, `…["key"]`), every
 * attribute null except id: what the team's state looks like to `moved` blocks, which only match addresses.
 */
function stateAt(addresses: readonly string[]): object {
  const schema = readProviderSchema();
  const resources = new Map<string, { module: string; type: string; name: string; instances: object[] }>();
  for (const address of addresses) {
    const [, module, type, name, key] = /^(module\.[^.]+)\.([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[(.+)\])?$/.exec(address)!;
    const resource = resources.get(`${module}.${type}.${name}`) ?? { module, type, name, instances: [] };
    resources.set(`${module}.${type}.${name}`, resource);
    const block = schema.resource_schemas![type];
    const instance = { schema_version: block.version ?? 0, attributes: importedValue(block.block, address), sensitive_attributes: [] };
    resource.instances.push(key === undefined ? instance : { index_key: JSON.parse(key), ...instance });
  }
  return {
    version: 4,
    terraform_version: '1.11.4',
    serial: 1,
    lineage: 'dynamodb-guardrails-offline-test',
    outputs: {},
    resources: [...resources.values()].map((r) => ({ ...r, mode: 'managed', provider: 'provider["registry.terraform.io/hashicorp/aws"]' })),
  };
}
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-migrate-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

async function run(fixture: string, label: string) {
  return migrate({ dir: path.join(FIXTURES, fixture), outdir: path.join(scratch, label) });
}

describe('team-tables: plain, autoscaled with GSIs, global table with replicas', () => {
  let result: Awaited<ReturnType<typeof migrate>>;
  beforeAll(async () => {
    result = await run('team-tables', 'team');
  });
  const call = (name: string) => result.migrations.find((m) => m.name === name)!;

  test('every call is migrated, and every table is moved, never created anew', () => {
    expect(result.migrations.map((m) => [m.name, m.skipped])).toEqual([
      ['sessions', undefined],
      ['orders', undefined],
      ['carts', undefined],
    ]);
    expect(call('sessions').moves).toContainEqual({ from: 'module.sessions.aws_dynamodb_table.this[0]', to: 'module.sessions.aws_dynamodb_table.this' });
    expect(call('orders').moves[0]).toEqual({ from: 'module.orders.aws_dynamodb_table.autoscaled_gsi_ignore[0]', to: 'module.orders.aws_dynamodb_table.this' });
    expect(call('carts').moves).toEqual([{ from: 'module.carts.aws_dynamodb_table.this[0]', to: 'module.carts.aws_dynamodb_table.this' }]);
  });

  test('the guardrails each call changes are reported, with what keeps the old behaviour', () => {
    const kinds = (name: string) => call(name).notes.map((note) => `${note.kind}:${note.input}`);
    expect(kinds('sessions')).toEqual(['guardrail:server_side_encryption_enabled', 'guardrail:point_in_time_recovery_enabled', 'guardrail:deletion_protection_enabled', 'guardrail:stream_enabled', 'replaced:tags']);
    // orders already had PITR, deletion protection, a stream and a CMK: none of those is reported.
    expect(kinds('orders')).toEqual(['replaced:ignore_changes_global_secondary_index', 'unmapped:autoscaling_write', 'guardrail:autoscaling_indexes', 'replaced:autoscaling_read', 'replaced:tags']);
    // Its index autoscaling becomes the index's own autoscaling (its range, the table's targets).
    const gsis = call('orders').arguments.find(([name]) => name === 'global_secondary_indexes')![1] as Array<Record<string, unknown>>;
    expect(gsis.find((gsi) => gsi.name === 'by_customer')!.autoscaling).toEqual({ read: { min_capacity: 5, max_capacity: 100, target_utilization: 60 }, write: { min_capacity: 5, max_capacity: 50, target_utilization: 70 } });
    expect(gsis.find((gsi) => gsi.name === 'by_status')!.autoscaling).toBeUndefined();
    expect(call('orders').notes[0].text).toContain('including creating or DELETING an index');
    expect(call('carts').notes.find((note) => note.text.includes('eu-west-1 had no customer-managed key'))!.text).toContain('the replica is removed and added again');
    expect(call('sessions').notes.find((note) => note.input === 'point_in_time_recovery_enabled')!.keepOldBehaviour).toBe('point_in_time_recovery_enabled = false with waiver_reason = "<why>"');
  });

  test('values the migration cannot know become variables, never guesses', () => {
    expect(result.migrations.flatMap((m) => m.variables.map((v) => v.name))).toEqual(['sessions_kms_key_arn', 'carts_replica_eu_west_1_kms_key_arn', 'carts_allowed_principal_arns', 'carts_exempt_principal_arns']);
  });

  test('the rewritten file keeps everything else byte for byte, and the team directory is not touched', () => {
    const original = fs.readFileSync(path.join(FIXTURES, 'team-tables/main.tf'), 'utf8');
    const rewritten = fs.readFileSync(path.join(result.outdir, 'main.tf'), 'utf8');
    for (const kept of ['provider "aws" {\n  region = "us-east-1"\n}', 'resource "aws_sns_topic" "orders_events" {', '/* A global table: one replica without a customer-managed key. */']) {
      expect(original).toContain(kept);
      expect(rewritten).toContain(kept);
    }
    expect(rewritten).not.toContain('terraform-aws-modules/dynamodb-table/aws');
    expect(fs.readdirSync(path.join(FIXTURES, 'team-tables')).sort()).toEqual(['main.tf', 'outputs.tf', 'variables.tf']);
    expect(result.writtenFiles).toEqual(['main.tf', 'guardrails-migration-variables.tf', 'MIGRATION.md', 'migration-report.json']);
  });

  /** The team's directory with the migrated files copied over it and the generated module at ./modules/dynamodb-table. */
  function migratedConfiguration(label: string): string {
    const dir = path.join(scratch, label);
    fs.mkdirSync(dir);
    for (const file of ['main.tf', 'variables.tf', 'outputs.tf']) fs.copyFileSync(path.join(FIXTURES, 'team-tables', file), path.join(dir, file));
    for (const file of ['main.tf', 'guardrails-migration-variables.tf']) fs.copyFileSync(path.join(result.outdir, file), path.join(dir, file));
    if (!fs.existsSync(path.join(scratch, 'generated'))) generateModules({ outdir: path.join(scratch, 'generated'), hcl: true, cwd: scratch });
    fs.mkdirSync(path.join(dir, 'modules'));
    fs.cpSync(path.join(scratch, 'generated', 'dynamodb-table'), path.join(dir, 'modules', 'dynamodb-table'), { recursive: true });
    return dir;
  }

  test('the migrated configuration passes the offline terraform validate with the generated module (outputs keep their old names)', () => {
    const dir = migratedConfiguration('validate');
    const validation = terraformValidate(dir);
    expect(validation.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(validation.valid).toBe(true);
    // Negative control: an output name the generated module does not have fails the same validation.
    fs.writeFileSync(path.join(dir, 'outputs.tf'), fs.readFileSync(path.join(dir, 'outputs.tf'), 'utf8').replace('dynamodb_table_arn', 'dynamodb_table_arn_typo'));
    expect(terraformValidate(dir).diagnostics.map(formatDiagnostic).join('\n')).toContain('does not have an attribute named "dynamodb_table_arn_typo"');
  });

  test('the offline terraform plan against a state at the old addresses moves every resource there: nothing is created or destroyed in its place', async () => {
    const moves = result.migrations.flatMap((m) => m.moves);
    const state = stateAt(moves.map((move) => move.from));
    const vars = {
      orders_kms_key_arn: EXAMPLE_KMS_KEY_ARNS['us-east-1'],
      sessions_kms_key_arn: EXAMPLE_KMS_KEY_ARNS['us-east-1'],
      carts_replica_eu_west_1_kms_key_arn: EXAMPLE_KMS_KEY_ARNS['eu-west-1'],
      carts_allowed_principal_arns: '["arn:aws:iam::111111111111:role/carts-api"]',
      carts_exempt_principal_arns: '["arn:aws:iam::111111111111:role/terraform-deployer"]',
    };
    const moved = await offlinePlan(migratedConfiguration('plan'), { state, vars, schema: schemaOfProjectServices(readProviderSchema()) });
    expect(moved.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const byAddress = new Map((moved.plan?.resource_changes ?? []).map((change) => [change.address, change]));
    for (const move of moves) {
      const change = byAddress.get(move.to);
      expect([move.to, change?.previous_address, change?.change.actions.filter((a) => a === 'create' || a === 'delete')]).toEqual([move.to, move.from, []]);
    }
    expect((moved.plan?.resource_changes ?? []).filter((c) => c.change.actions.includes('delete')).map((c) => c.address)).toEqual([]);

    // Negative control: without the moved blocks, a table whose resource name changes is destroyed and created anew.
    // (`this[0]` → `this` is a move Terraform makes by itself when count goes away: those two tables are kept.)
    const dir = migratedConfiguration('plan-without-moved');
    fs.writeFileSync(path.join(dir, 'main.tf'), fs.readFileSync(path.join(dir, 'main.tf'), 'utf8').replace(/\nmoved \{\n[^}]*\}\n/g, '\n'));
    const unmoved = await offlinePlan(dir, { state, vars, schema: schemaOfProjectServices(readProviderSchema()) });
    const deleted = (unmoved.plan?.resource_changes ?? []).filter((c) => c.type === 'aws_dynamodb_table' && c.change.actions.includes('delete')).map((c) => c.address);
    const renamed = moves.filter((move) => move.from.includes('aws_dynamodb_table.') && move.from.replace(/\[0\]$/, '') !== move.to);
    expect(renamed.length).toBe(1);
    expect(deleted).toEqual(renamed.map((move) => move.from));
  });

  test("each moved block's target is a key the generated module computes for the migrated inputs (terraform console)", () => {
    const module = withTestingApp((app) => JSON.parse(Testing.synth(buildDynamoDbTableModule(app))));
    const dimensions = unwrapInterpolation(module.locals.autoscaling_dimensions).split('aws_dynamodb_table.this.name').join('"orders"').split('var.').join('local.');
    const orders = call('orders');
    const argument = (name: string) => JSON.parse(JSON.stringify(orders.arguments.find(([key]) => key === name)![1]));
    // Optional attributes the module's variable type fills in (an index's own autoscaling) are null here.
    const indexes = (argument('global_secondary_indexes') as Array<Record<string, unknown>>).map((index) => ({ autoscaling: null, ...index }));
    const locals = { autoscaling: argument('autoscaling'), global_secondary_indexes: indexes, replicas: [] };
    const [keys] = evaluateInConsole(locals, [`keys(${dimensions})`]) as [string[]];
    const targets = orders.moves.filter((move) => move.to.includes('aws_appautoscaling_target.this[')).map((move) => JSON.parse(/\[(".*")\]$/.exec(move.to)![1]));
    expect(targets.length).toBe(4);
    for (const target of targets) expect(keys).toContain(target);
    // Negative control: a key the module does not compute.
    expect(keys).not.toContain('home/index/by_customers/read');
  });

  test('MIGRATION.md explains each call: moved, changed, replaced, not mapped, to supply', () => {
    const report = fs.readFileSync(path.join(result.outdir, 'MIGRATION.md'), 'utf8');
    expect(report).toContain('it must show **no replacement of any aws_dynamodb_table**');
    expect(report).toContain('## module "orders" (main.tf:33)');
    expect(report).toContain('- `module.orders.aws_appautoscaling_target.index_read["by_customer"]` → `module.orders.aws_appautoscaling_target.this["home/index/by_customer/read"]`');
    expect(report).toContain('To supply:\n- `var.sessions_kms_key_arn`');
  });
});

describe('calls the migration must leave alone, and modules that are not tables', () => {
  test('create_table = false, for_each and keys that are expressions are left alone with the reason; other modules are not touched', async () => {
    const result = await run('left-alone', 'left-alone');
    expect(result.migrations.map((m) => [m.name, m.skipped])).toEqual([
      ['archive', 'create_table = false: the call manages nothing'],
      ['per_tenant', 'the call has count or for_each: every resource address is indexed per instance; migrate it by hand'],
      ['dynamic_keys', 'attributes: {"name":"${var.key_name}","type":"S"} is not a literal { name, type }'],
      // Which of the module's table resources exists would be decided at plan time: one moved block cannot follow it.
      ['maybe_ignored', 'ignore_changes_global_secondary_index = ${var.ignore_indexes} decides which table resource exists; migrate this call by hand'],
      // region maps to the generated module's region input.
      ['other_region', undefined],
    ]);
    expect(result.migrations.find((m) => m.name === 'other_region')!.arguments).toContainEqual(['region', 'eu-west-1']);
    expect(result.writtenFiles).toEqual(['main.tf', 'guardrails-migration-variables.tf', 'MIGRATION.md', 'migration-report.json']);
  });
});

describe('finding a module block in the text', () => {
  test('braces in strings, templates, comments and heredocs do not end the block; a name in a comment is not a block', () => {
    const text = [
      '# module "orders" { is only a comment',
      'module "orders" {',
      '  a = "}"',
      '  b = "${jsonencode({ x = "}" })}"',
      '  // }',
      '  c = <<-EOT',
      '    }',
      '  EOT',
      '}',
      'resource "x" "y" {}',
    ].join('\n');
    const span = moduleBlockSpan(text, 'orders')!;
    expect(span.line).toBe(2);
    expect(text.slice(span.start, span.end).split('\n').at(-1)).toBe('}');
    expect(text.slice(span.end)).toBe('\nresource "x" "y" {}');
    expect(moduleBlockSpan(text, 'carts')).toBeUndefined();
  });
});

describe('values written back as HCL', () => {
  // Each source is an HCL expression as a team writes it; hcl2json reads it and the migration writes it back.
  const sources = [
    '"orders-${lookup(local.m, "orders", local.x)}-{v2}"',
    '"x\\"y-${local.x}\\n\\ttab"',
    '"${local.x}"',
    '"${local.x}-{b}"',
    '"${lookup(local.m, "k", "}")}-o"',
    '"p-%{ if local.x == "prod" }yes%{ endif }"',
    '"lit $${not_interpolated} %%{ not_a_directive } ${local.x}"',
    '"only escapes: $${x} %%{y}"',
    '"plain \\"quoted\\" text"',
  ];
  const locals = { m: { orders: 'o' }, x: 'prod' };

  test('each template and expression evaluates as the original does (terraform console); negative control: a literal is not a template', async () => {
    const parsed = (await parseHcl('main.tf', `locals {\n${sources.map((source, i) => `  s${i} = ${source}`).join('\n')}\n}\n`)) as { locals: Array<Record<string, unknown>> };
    const values = sources.map((_, i) => parsed.locals[0][`s${i}`]);
    const written = values.map((value) => hclValue(hclInput(value)));
    const results = evaluateInConsole(locals, [...sources, ...written]);
    expect(results.slice(sources.length)).toEqual(results.slice(0, sources.length));
    expect(results[0]).toBe('orders-o-{v2}');
    // Negative control: written as a literal string, the first template no longer interpolates.
    expect(evaluateInConsole(locals, [hclString(values[0] as string)])).not.toEqual([results[0]]);
  });
});

describe('npm run migrate as a command: one line and an exit code', () => {
  const lines = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, print: (line: string) => out.push(line), fail: (line: string) => err.push(line) };
  };

  test.each([
    [['/no/such/dir'], 1, "Error: npm run migrate: dir = '/no/such/dir': is not a directory of Terraform files"],
    [[path.join(FIXTURES)], 1, `Error: npm run migrate: dir = '${FIXTURES}': has no .tf files`],
    [[], 2, 'Error: migrate: the directory to migrate is missing'],
    [['a', '--frobnicate'], 2, "Error: migrate: '--frobnicate' is not an option"],
    [['a', '--out'], 2, 'Error: migrate: --out needs a value'],
  ])('%j → exit %i', async (args, code, message) => {
    const io = lines();
    expect(await runMigrate(args, io.print, io.fail)).toBe(code);
    expect(io.err[0]).toBe(message);
  });

  test('HCL that does not parse: one line naming the file, exit 1, nothing written', async () => {
    const dir = path.join(scratch, 'broken');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'main.tf'), 'module "x" {\n  source = \n');
    const io = lines();
    expect(await runMigrate([dir], io.print, io.fail)).toBe(1);
    expect(io.err).toHaveLength(1);
    expect(io.err[0]).toMatch(/^Error: main\.tf: HCL = 'main\.tf': does not parse: /);
    expect(fs.existsSync(path.join(dir, 'guardrails-migration'))).toBe(false);
  });

  test('an output directory that is not ours is refused (negative control: our own is replaced)', async () => {
    const foreign = path.join(scratch, 'foreign');
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, 'notes.txt'), 'keep me');
    const io = lines();
    expect(await runMigrate([path.join(FIXTURES, 'team-tables'), '--out', foreign], io.print, io.fail)).toBe(1);
    expect(io.err[0]).toContain('exists and was not written by npm run migrate');
    expect(fs.readFileSync(path.join(foreign, 'notes.txt'), 'utf8')).toBe('keep me');
    const ours = path.join(scratch, 'ours');
    expect(await runMigrate([path.join(FIXTURES, 'team-tables'), '--out', ours], io.print, io.fail)).toBe(0);
    expect(await runMigrate([path.join(FIXTURES, 'team-tables'), '--out', ours], io.print, io.fail)).toBe(0);
  });
});

describe('--to catalog: catalog entries the stacks import, and removed blocks for the team', () => {
  let result: Awaited<ReturnType<typeof migrate>>;
  beforeAll(async () => {
    result = await migrate({ dir: path.join(FIXTURES, 'team-tables'), outdir: path.join(scratch, 'catalog'), to: 'catalog' });
  });

  test('tables with literal names become entries; a name that is an expression is left alone with the reason', () => {
    expect(result.migrations.map((m) => [m.name, m.skipped])).toEqual([
      ['sessions', 'the table name is an expression; a catalog entry needs the literal name of the existing table to import it'],
      ['orders', 'the table name is an expression; a catalog entry needs the literal name of the existing table to import it'],
      ['carts', undefined],
    ]);
    expect(result.writtenFiles).toEqual(['main.tf', 'migrated-tables.ts', 'MIGRATION.md', 'migration-report.json']);
    const rewritten = fs.readFileSync(path.join(result.outdir, 'main.tf'), 'utf8');
    expect(rewritten).toContain('removed {\n  from = module.carts\n  lifecycle {\n    destroy = false\n  }\n}');
    // The calls left alone stay as they were.
    expect(rewritten).toContain('module "sessions" {\n  source  = "terraform-aws-modules/dynamodb-table/aws"');
    const report = fs.readFileSync(path.join(result.outdir, 'MIGRATION.md'), 'utf8');
    expect(report).toContain("The stack encrypts it with the catalog's key: to keep arn:aws:kms:us-east-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef, set environments.<env>.kmsKeyArns.<catalog>");
    expect(report).not.toContain('Moved (state kept');
  });

  test('migrated-tables.ts type-checks against the catalog types, passes the catalog schema and makes the stack import the table', async () => {
    const folder = path.join(__dirname, '../../.cache/migrate-catalog-check/x');
    fs.mkdirSync(folder, { recursive: true });
    const file = path.join(folder, 'migrated-tables.ts');
    // The generated file expects to sit in stacks/catalogs/<catalog>/: point its relative imports at the real ones.
    fs.writeFileSync(file, fs.readFileSync(path.join(result.outdir, 'migrated-tables.ts'), 'utf8').replace("'../../../modules/capacity'", "'../../../modules/capacity'").replace("'../types'", "'../../../stacks/catalogs/types'"));
    const ts = await import('typescript');
    // The project's own strictness, unused imports included.
    const program = ts.createProgram([file], { strict: true, noUnusedLocals: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 });
    expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
    const { migratedTables } = await import(file);
    fs.rmSync(path.dirname(folder), { recursive: true, force: true });
    const { checkedCatalogs } = await import('../../stacks/catalogs/registry');
    const [catalog] = checkedCatalogs([{ name: 'carts', project: 'carts', defaultRegion: 'us-east-1', tables: migratedTables, accessPatterns: [] }]);
    expect(catalog.tables[0]).toEqual(expect.objectContaining({ id: 'carts', baseName: 'carts', importExisting: true, replicas: [{ region: 'us-west-2', kmsKeyArn: 'arn:aws:kms:us-west-2:111122223333:key/mrk-0123456789abcdef0123456789abcdef' }, { region: 'eu-west-1' }] }));
    const { EXAMPLE_ENVIRONMENTS } = await import('../../stacks/settings/defaults');
    const networks = { ...EXAMPLE_ENVIRONMENTS.prod.networks, carts: EXAMPLE_ENVIRONMENTS.prod.networks.auditflow };
    const json = synthEnvironment(catalog, 'prod', { networks });
    expect(json.import).toContainEqual({ to: 'aws_dynamodb_table.carts', id: 'carts' });
  });
});
