/**
 * The real `terraform plan` + `terraform show -json`, offline (stacks/offline-terraform): every stack synthesized for
 * a user's own accounts, every generated module example, the AuditFlow import blocks and the plan-time
 * postconditions. What it proves is Terraform core's evaluation of what we ship; the provider is a schema-driven
 * stand-in (computed values unknown, data sources answered with the stand-in values named here).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { offlinePlan, OfflinePlanResult, PlanJson, ResourceChange } from '../../stacks/offline-terraform/plan';
import { DataSourceStandIns } from '../../stacks/offline-terraform/values';
import { readProviderSchema } from '../../stacks/offline-terraform/provider-schema';
import { schemaOfProjectServices } from '../support/terraform/test-schema';
import { allExamples, generateModules } from '../../stacks/terraform-modules';
import { DEFAULT_DEPLOYER_ROLES } from '../../stacks/settings/defaults';
import { EnvironmentName } from '../../stacks/settings/types';
import { synthesizeAll } from '../../stacks/synth';
import { shippedCatalogs } from '../../stacks/catalogs/registry';
import { accountVariables, networkVariables, OWN_ACCOUNTS } from '../support/project/own-accounts';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-offline-plan-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const ACCOUNTS: Record<EnvironmentName, string> = { dev: OWN_ACCOUNTS.DEV, staging: OWN_ACCOUNTS.STAGING, prod: OWN_ACCOUNTS.PROD };
// With alarm addresses, so that every resource type synth can write is in these stacks (the e-mail subscriptions too):
// the plans are also the stacks' `terraform validate` (plan validates first).
const ALARM_EMAILS = { GUARDRAILS_STAGING_ALARM_EMAILS: 'dynamodb-oncall@acme.io', GUARDRAILS_PROD_ALARM_EMAILS: 'dynamodb-oncall@acme.io' };
const stacks = synthesizeAll({ outdir: 'out', cwd: scratch, env: { ...accountVariables(), ...networkVariables(shippedCatalogs().map((catalog) => catalog.name)), ...ALARM_EMAILS } });
const stackDir = (stack: string) => path.join(scratch, 'out', 'stacks', stack);
const environmentOf = (stack: string) => stack.slice(stack.lastIndexOf('-') + 1) as EnvironmentName;

/** Every Region the account has enabled (stand-in), and Terraform running as the environment's deployer role. */
const ENABLED_REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-south-1', 'ap-south-2', 'ap-northeast-1', 'ap-southeast-1'];
function standIns(environment: EnvironmentName, overrides: DataSourceStandIns = {}): DataSourceStandIns {
  const account = ACCOUNTS[environment];
  return {
    aws_regions: { names: ENABLED_REGIONS },
    aws_caller_identity: { account_id: account, arn: `arn:aws:sts::${account}:assumed-role/${DEFAULT_DEPLOYER_ROLES[0]}/ci` },
    aws_iam_session_context: { issuer_arn: `arn:aws:iam::${account}:role/${DEFAULT_DEPLOYER_ROLES[0]}` },
    ...overrides,
  };
}

/** The AWS services this project uses (the tests' schema): the plans decode a ninth of the schema. */
const schema = schemaOfProjectServices(readProviderSchema());
const errorsOf = (result: OfflinePlanResult) => result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.summary}: ${d.detail}`);
const changes = (plan: PlanJson | undefined): readonly ResourceChange[] => plan?.resource_changes ?? [];
/** The plan of a stack as synthesized, with its environment's stand-ins: made once, read by several tests. */
const plans = new Map<string, Promise<OfflinePlanResult>>();
const planOf = (stack: string): Promise<OfflinePlanResult> => {
  if (!plans.has(stack)) plans.set(stack, offlinePlan(stackDir(stack), { schema, dataSources: standIns(environmentOf(stack)) }));
  return plans.get(stack)!;
};
const copyOf = (stack: string, label: string) => {
  const dir = path.join(scratch, 'copies', `${stack}-${label}`);
  fs.cpSync(stackDir(stack), dir, { recursive: true });
  return dir;
};

describe('every stack, synthesized for the user’s own accounts, plans offline', () => {
  test('the stacks hold every resource type and argument path the example stacks hold (nothing escapes validation)', () => {
    /** `type.argument.nested…` of every resource and data source of every stack (list items merged). */
    const paths = (root: string) => {
      const found = new Set<string>();
      const walk = (prefix: string, value: unknown): void => {
        if (Array.isArray(value)) {
          value.forEach((item) => walk(prefix, item));
        } else if (value !== null && typeof value === 'object') {
          for (const [key, child] of Object.entries(value)) if (key !== '//') walk(`${prefix}.${key}`, child);
        } else {
          found.add(prefix);
        }
      };
      for (const stack of fs.readdirSync(path.join(root, 'stacks'))) {
        const json = JSON.parse(fs.readFileSync(path.join(root, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
        for (const kind of ['resource', 'data'] as const) for (const [type, named] of Object.entries<Record<string, unknown>>(json[kind] ?? {})) for (const block of Object.values(named)) walk(`${kind}.${type}`, block);
      }
      return found;
    };
    synthesizeAll({ outdir: 'examples', cwd: scratch, env: {} });
    const planned = paths(path.join(scratch, 'out'));
    const examples = [...paths(path.join(scratch, 'examples'))];
    expect(examples.length).toBeGreaterThan(200);
    expect(examples.filter((entry) => !planned.has(entry))).toEqual([]);
  });

  test.each(stacks)('%s', async (stack) => {
    const json = JSON.parse(fs.readFileSync(path.join(stackDir(stack), 'cdk.tf.json'), 'utf8'));
    const result = await planOf(stack);
    expect(errorsOf(result)).toEqual([]);
    // Every managed resource of the JSON is planned (none has count or for_each), each exactly once.
    const declared = Object.entries(json.resource as Record<string, Record<string, unknown>>).flatMap(([type, named]) => Object.keys(named).map((name) => `${type}.${name}`));
    const planned = changes(result.plan).filter((c) => c.mode === 'managed');
    expect(planned.map((c) => c.address).sort()).toEqual(declared.sort());
    const imported = new Set(((json.import ?? []) as Array<{ to: string }>).map((block) => block.to));
    for (const change of planned) expect([change.address, change.change.actions]).toEqual([change.address, imported.has(change.address) ? ['update'] : ['create']]);
  });
});

describe('AuditFlow prod: the existing tables are imported, never created', () => {
  const stack = 'auditflow-prod';
  const importBlocks = () => JSON.parse(fs.readFileSync(path.join(stackDir(stack), 'cdk.tf.json'), 'utf8')).import as Array<{ to: string; id: string }>;

  test('each import block is planned as an import of its id', async () => {
    const result = await planOf(stack);
    expect(importBlocks().length).toBe(2);
    for (const block of importBlocks()) {
      const change = changes(result.plan).find((c) => c.address === block.to)!;
      expect([block.to, change.change.importing, change.change.actions]).toEqual([block.to, { id: block.id }, ['update']]);
    }
  });

  test('negative control: without the import blocks the same tables would be created', async () => {
    const dir = copyOf(stack, 'no-imports');
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
    delete json.import;
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(json));
    const result = await offlinePlan(dir, { schema, dataSources: standIns('prod') });
    for (const block of importBlocks()) {
      const change = changes(result.plan).find((c) => c.address === block.to)!;
      expect([block.to, change.change.importing, change.change.actions]).toEqual([block.to, undefined, ['create']]);
    }
  });
});

describe('plan-time postconditions stop the plan (Terraform evaluates them on the data sources’ values)', () => {
  test('Terraform running as a principal the resource policies do not exempt', async () => {
    const result = await offlinePlan(stackDir('manga-assist-prod'), {
      schema,
      dataSources: standIns('prod', { aws_iam_session_context: { issuer_arn: `arn:aws:iam::${ACCOUNTS.prod}:role/developer` } }),
    });
    expect(result.plan).toBeUndefined();
    expect(errorsOf(result).join('\n')).toContain('Resource postcondition failed: Terraform runs as a principal the table resource policies do not exempt');
  });

  test('a Region the tables use that the account has not enabled', async () => {
    const result = await offlinePlan(stackDir('auditflow-prod'), { schema, dataSources: standIns('prod', { aws_regions: { names: ENABLED_REGIONS.filter((r) => r !== 'ap-south-2') } }) });
    expect(errorsOf(result)).toEqual([expect.stringContaining('Resource postcondition failed: Region ap-south-2 (the backup copy vault) is not enabled in account 345678901234')]);
  });
});

describe('live capacity: count over a known list, and the live values in the planned capacity', () => {
  const stack = 'manga-assist-staging';
  const tableName = 'manga-assist-sessions-staging';
  const tableAddress = 'aws_dynamodb_table.sessions';
  const planned = (result: OfflinePlanResult) => changes(result.plan).find((c) => c.address === tableAddress)!.change.after as { read_capacity: number; global_secondary_index: Array<{ name: string; read_capacity: number }> };

  test('a table that exists keeps its live read capacity (table and index); a new one starts at the catalog value', async () => {
    const live = {
      aws_dynamodb_tables: { names: [tableName, 'another-table'] },
      aws_dynamodb_table: { billing_mode: 'PROVISIONED', read_capacity: 42, write_capacity: 7, global_secondary_index: [{ name: 'GSI1-customer-sessions', read_capacity: 11, write_capacity: 3 }] },
    };
    const existing = await offlinePlan(stackDir(stack), { schema, dataSources: standIns('staging', live) });
    expect(errorsOf(existing)).toEqual([]);
    expect(planned(existing).read_capacity).toBe(42);
    expect(planned(existing).global_secondary_index.find((i) => i.name === 'GSI1-customer-sessions')!.read_capacity).toBe(11);

    // Negative control: the table is not in the account (count = 0): the catalog's starting capacity.
    const fresh = await offlinePlan(stackDir(stack), { schema, dataSources: standIns('staging', { aws_dynamodb_tables: { names: ['another-table'] } }) });
    expect(planned(fresh).read_capacity).toBe(5);
  });
});

describe('every generated module example plans offline; those only a plan can reject are rejected', () => {
  const generated = generateModules({ outdir: path.join(scratch, 'generated'), hcl: true, cwd: scratch });
  const examples = allExamples();

  // Also the HCL form's `terraform validate` of these examples, warnings included (plan validates first).
  test.each(examples.filter((e) => !e.expectedError).map((e) => [e.dir] as const))('%s plans without errors or warnings, creating resources', async (dir) => {
    const result = await offlinePlan(path.join(generated.outdir, 'examples', dir), { schema });
    expect(result.diagnostics.map((d) => `${d.severity} ${d.summary}: ${d.detail}`)).toEqual([]);
    expect(changes(result.plan).filter((c) => c.mode === 'managed').length).toBeGreaterThan(0);
  });

  // The examples `terraform validate` already rejects (generate.test.ts) are not planned again.
  test.each(examples.filter((e) => e.failsAt === 'plan').map((e) => [e.dir, e] as const))('%s: accepted by validate, rejected by terraform plan with its message', async (dir, example) => {
    const result = await offlinePlan(path.join(generated.outdir, 'examples', dir), { schema });
    expect(result.plan).toBeUndefined();
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.summary)).toContain(example.expectedError);
    expect(errorsOf(result).join('\n')).toContain(example.expectedDetail);
  });
});
