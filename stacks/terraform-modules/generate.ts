import * as fs from 'fs';
import { repairedCdktfHcl, terraformFmtAll } from '../hcl-text';
import { withoutTokenStackTraces } from '../token-stack-traces';
import * as path from 'path';
import { App } from 'cdktf';
import { Construct } from 'constructs';
import { MODULE_TERRAFORM_VERSION, ModuleStack } from '../module-stack';
import { accessPolicyReadmeCall, allExamples, daxClusterReadmeCall, ExampleFile, tableReadmeCall, vpcEndpointReadmeCall } from './examples';
import { buildDynamoDbAccessPolicyModule, DYNAMODB_ACCESS_POLICY_MODULE } from './dynamodb-access-policy';
import { buildDynamoDbTableModule, DYNAMODB_TABLE_MODULE } from './dynamodb-table';
import { moduleReadme } from './readme';
import { buildVpcEndpointModule, VPC_ENDPOINT_MODULE } from './vpc-endpoint';
import { buildDaxClusterModule, DAX_CLUSTER_MODULE } from './dax-cluster';
import { mappingSection } from '../migrate/mapping';
import { version as generatorVersion } from '../../package.json';
import { writeOutput } from '../output';

export const DEFAULT_MODULES_OUTDIR = path.join('dist', 'terraform-modules');

export interface ModuleDefinition {
  readonly name: string;
  readonly build: (scope: Construct) => ModuleStack;
  readonly usage: () => string;
  readonly notes: readonly string[];
  readonly sections?: () => readonly string[];
}

export const MODULE_DEFINITIONS: readonly ModuleDefinition[] = [
  {
    name: DYNAMODB_TABLE_MODULE,
    build: buildDynamoDbTableModule,
    usage: tableReadmeCall,
    sections: mappingSection,
    notes: [
      'Attribute definitions are derived from partition_key, sort_key and the index keys (output `attribute_definitions`); an attribute used with two types is refused.',
      'The table address is always `aws_dynamodb_table.this`: switching billing mode, adding autoscaling, indexes or replicas never moves it (no count-switched twin resources).',
      'Nothing is ignored: with `autoscaling` set, the table and index capacities are read from the live table when Terraform plans (`data.aws_dynamodb_tables.existing`, `data.aws_dynamodb_table.live`), so plans never undo what autoscaling set, index changes apply directly, and switching `billing_mode` either way is one apply (a new or on-demand table gets the autoscaling minimum). The planner needs `dynamodb:ListTables` (help/capacity.md). Because of those plan-time reads, an autoscaled table cannot be in a module call with `depends_on` or have a name known only after apply (the plan stops with "Invalid count argument").',
      'Fixed provisioned capacity (with a waiver) and `prevent_destroy` are only offered by the TypeScript API (a module cannot make `lifecycle` depend on an input). Per-index autoscaling, request-unit caps and warm throughput, table warm throughput, `timeouts`, `region`, Contributor Insights, cross-account grants, replica and stream resource policies are inputs.',
      'Checks that need the provider Region (replica in the home Region, multi-Region strong consistency Region sets) read the `aws_region` data source: they run at plan time, not at validate time.',
      'To adopt an existing table, add an `import` block in the calling module: `import { to = module.<name>.aws_dynamodb_table.this, id = "<table name>" }` (help/importing.md).',
    ],
  },
  {
    name: DYNAMODB_ACCESS_POLICY_MODULE,
    build: buildDynamoDbAccessPolicyModule,
    usage: accessPolicyReadmeCall,
    notes: [
      'The documents are built by `roleAccessPolicy` of modules/access, once per combination of the inputs that change their shape (leading keys, VPC endpoints, writer deletes); the module picks the one for your inputs at plan time.',
      'reader: GetItem, Query, BatchGetItem, DescribeTable. writer: reader + PutItem, UpdateItem, ConditionCheckItem (+ DeleteItem, BatchWriteItem with writer_allow_delete). stream_consumer: DescribeStream, GetRecords, GetShardIterator on `<table>/stream/*`, ListStreams. admin: Query, Scan, DeleteItem, ExportTableToPointInTime.',
      'leading_keys applies to the reader and writer only: dynamodb:LeadingKeys cannot limit Scan, and stream reads carry no item keys.',
      'Every document ends with an explicit Deny of the dangerous actions (Scan, DeleteItem, DeleteTable, CreateTable, BatchWriteItem, UpdateContinuousBackups, DeleteBackup, PutResourcePolicy, DeleteResourcePolicy) that the profile does not grant.',
    ],
  },
  {
    name: DAX_CLUSTER_MODULE,
    build: buildDaxClusterModule,
    usage: daxClusterReadmeCall,
    notes: [
      'dynamodb:007 asks for a customer-managed key; DAX supports only its AWS-owned key (aws_dax_cluster.server_side_encryption has no key argument), so the module turns encryption at rest on, the most AWS allows.',
      'Through DAX only the cluster role applies to the items (DAX can subvert its callers\' fine-grained policies, DynamoDB Developer Guide "DAX access control"); list the clients\' actions in client_actions so the role allows no more. The role policy is the one modules/dax writes (daxTableAccessPolicy), compared in a test with terraform console.',
      'Clients still need their own dax:* grants on cluster_arn and must connect to endpoint_url (TLS).',
    ],
  },
  {
    name: VPC_ENDPOINT_MODULE,
    build: buildVpcEndpointModule,
    usage: vpcEndpointReadmeCall,
    notes: [
      'The policy is the one modules/network writes for the catalogs (dynamoDbEndpointPolicy), as a Terraform expression; a test evaluates it with `terraform console` and compares it with the TypeScript function for the same values.',
      'An endpoint policy is a ceiling for every principal in the VPC: IAM and the table resource policies still decide who may do what. The read-only and discovery calls AWS SDKs make on their own (DescribeTable, DescribeTimeToLive, BatchGetItem, ConditionCheckItem, DescribeEndpoints) are always allowed, so SDK endpoint discovery and transactions keep working.',
      'A gateway endpoint works for the tables of its own Region; a global table needs one endpoint per Region, each with the replica tables of that Region.',
    ],
  },
];

export interface GenerateOptions {
  readonly outdir?: string;
  readonly cwd?: string;
  /** Write `main.tf` (HCL, via cdktf's SYNTH_HCL_OUTPUT path) instead of `main.tf.json`. SYNTH_HCL_OUTPUT=true also selects it. */
  readonly hcl?: boolean;
  /** @default $GUARDRAILS_TERRAFORM_BIN or `terraform` (used for `terraform fmt` of HCL output) */
  readonly terraformBin?: string;
  /** @default MODULE_DEFINITIONS */
  readonly modules?: readonly ModuleDefinition[];
  /** Names the output setting in errors. @default 'option --outdir' */
  readonly outdirSource?: string;
  /** How long to wait for another run writing the same output. @default DEFAULT_LOCK_WAIT_MS */
  readonly lockWaitMs?: number;
  /** Set to true once the new tree is in place. */
  readonly progress?: { published: boolean };
}

export interface GenerationResult {
  readonly outdir: string;
  readonly form: 'json' | 'hcl';
  readonly modules: string[];
  readonly examples: string[];
  /** Things the caller should know (e.g. HCL left unformatted because terraform was not found). */
  readonly warnings: string[];
}

/**
 * Generates every module, its README and the examples into `outdir` (default dist/terraform-modules), all or
 * nothing: everything is written to a staging directory first and moved into place only when all of it succeeded.
 * The output depends only on the sources (no timestamps), so regenerating an unchanged tree gives identical files.
 */
export function generateModules(options: GenerateOptions = {}): GenerationResult {
  const warnings: string[] = [];
  const { outdir, result } = writeOutput(
    {
      setting: { source: options.outdirSource ?? 'option --outdir', value: options.outdir ?? DEFAULT_MODULES_OUTDIR },
      cwd: options.cwd ?? process.cwd(),
      kind: 'terraform-modules',
      warn: (line) => warnings.push(line.replace(/^Warning: /, '')),
      lockWaitMs: options.lockWaitMs,
    },
    (staging, scratch) => writeModuleTree(staging, scratch('synth'), options, warnings),
    options.progress,
  );
  return { outdir, ...result, warnings };
}

function writeModuleTree(staging: string, synthDir: string, options: GenerateOptions, warnings: string[]) {
  const { hcl, built } = synthesizeModules(synthDir, options.hcl, options.modules ?? MODULE_DEFINITIONS);
  const examples = allExamples();
  const texts = built.map(({ definition }) => fs.readFileSync(path.join(synthDir, 'stacks', definition.name, hcl ? 'cdk.tf' : 'cdk.tf.json'), 'utf8'));
  const mainTfs = hcl ? built.map((_, i) => moduleHcl(texts[i])) : [];
  const usages = built.map(({ definition }) => definition.usage());
  // One terraform fmt for the whole tree; without terraform the HCL stays as generated (valid, not formatted).
  const unformatted = [...mainTfs, ...usages, ...examples.map((example) => example.mainTf)];
  const formatted = terraformFmtAll(unformatted, options.terraformBin);
  const notFormatted = formatted === undefined;
  const fmt = (text: string): string => (formatted ? formatted[unformatted.indexOf(text)] : text);

  built.forEach(({ definition, stack }, i) => {
    const moduleDir = path.join(staging, definition.name);
    fs.mkdirSync(moduleDir, { recursive: true });
    if (hcl) {
      if (notFormatted) warnings.push(`${definition.name}/main.tf is not formatted: terraform was not found (run terraform fmt)`);
      fs.writeFileSync(path.join(moduleDir, 'main.tf'), fmt(mainTfs[i]));
    } else {
      fs.writeFileSync(path.join(moduleDir, 'main.tf.json'), moduleJson(texts[i]));
    }
    fs.writeFileSync(path.join(moduleDir, 'README.md'), moduleReadme({ stack, usage: fmt(usages[i]), generatorVersion, notes: definition.notes, sections: definition.sections?.() }));
  });

  examples.forEach((example) => {
    const dir = path.join(staging, 'examples', example.dir);
    fs.mkdirSync(dir, { recursive: true });
    if (notFormatted) warnings.push(`examples/${example.dir}/main.tf is not formatted: terraform was not found (run terraform fmt)`);
    fs.writeFileSync(path.join(dir, 'main.tf'), fmt(example.mainTf));
  });
  fs.writeFileSync(path.join(staging, 'examples', 'README.md'), examplesReadme(examples));
  fs.writeFileSync(path.join(staging, 'README.md'), indexReadme(built.map((b) => b.stack), hcl));
  return { form: hcl ? ('hcl' as const) : ('json' as const), modules: built.map((b) => b.definition.name), examples: examples.map((e) => e.dir) };
}

/**
 * cdktf decides between JSON and HCL from SYNTH_HCL_OUTPUT, read by the App and by every stack's constructor; an
 * explicit `hcl` option sets it for the duration of the synthesis (and restores it), otherwise the environment decides.
 */
function synthesizeModules(synthDir: string, hcl: boolean | undefined, definitions: readonly ModuleDefinition[]) {
  const previous = process.env.SYNTH_HCL_OUTPUT;
  if (hcl !== undefined) process.env.SYNTH_HCL_OUTPUT = hcl ? 'true' : 'false';
  try {
    return withoutTokenStackTraces(() => {
      const app = new App({ outdir: synthDir });
      const built = definitions.map((definition) => ({ definition, stack: definition.build(app) }));
      app.synth();
      return { hcl: app.hclOutput, built };
    }, !process.env.GUARDRAILS_DEBUG);
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
}

/** cdktf's JSON without its `//` metadata comments (construct paths), pretty-printed with a final newline. */
export function moduleJson(synthesized: string): string {
  return `${JSON.stringify(stripComments(JSON.parse(synthesized)), null, 2)}\n`;
}

function stripComments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripComments);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([key]) => key !== '//').map(([key, v]) => [key, stripComments(v)]));
}

/**
 * cdktf 0.21's HCL writer has two defects that matter here: it renders any `terraform` attribute other than blocks
 * as `0 = "<name>"` (so the module stack leaves `required_version` out of the HCL and it is added here), and it quotes
 * references (unquoteReferences). Both are fixed in the text.
 */
export function moduleHcl(synthesized: string): string {
  const unquoted = repairedCdktfHcl(synthesized);
  if (!/^terraform \{\n/.test(unquoted)) throw new Error('cdktf HCL output does not start with a terraform block');
  return `${unquoted.replace(/^terraform \{\n/, `terraform {\n  required_version = "${MODULE_TERRAFORM_VERSION}"\n`).trim()}\n`;
}

function examplesReadme(examples: readonly ExampleFile[]): string {
  const valid = examples.filter((e) => !e.expectedError);
  const invalid = examples.filter((e) => e.expectedError && e.failsAt !== 'plan');
  const invalidAtPlan = examples.filter((e) => e.expectedError && e.failsAt === 'plan');
  return [
    '# Examples',
    '',
    'Root modules that call the generated modules with `source = "../../<module>"`. Generated; do not edit.',
    '',
    '| Example | What it shows |',
    '|---------|---------------|',
    ...valid.map((e) => `| [${e.dir}](${e.dir}/main.tf) | ${e.title} |`),
    '',
    '## Examples that must fail',
    '',
    'Each of these breaks one rule; `terraform validate` rejects it with the message shown (the tests check this).',
    'Validation blocks run at validate time because the values are literals in the calling module.',
    '',
    '| Example | Broken rule | terraform validate says |',
    '|---------|-------------|--------------------------|',
    ...invalid.map((e) => `| [${e.dir}](${e.dir}/main.tf) | ${e.title} | ${e.expectedError}: …${e.expectedDetail}… |`),
    '',
    '### Rejected by `terraform plan`',
    '',
    'These rules read another variable, so Terraform checks them once every value is known: `terraform validate`',
    'accepts these examples and `terraform plan` rejects them (the tests run both, offline).',
    '',
    '| Example | Broken rule | terraform plan says |',
    '|---------|-------------|---------------------|',
    ...invalidAtPlan.map((e) => `| [${e.dir}](${e.dir}/main.tf) | ${e.title} | ${e.expectedError}: …${e.expectedDetail}… |`),
    '',
  ].join('\n');
}

function indexReadme(stacks: readonly ModuleStack[], hcl: boolean): string {
  return [
    '# Terraform modules generated by dynamodb-guardrails',
    '',
    `Version ${generatorVersion}. Generated by \`npm run modules\`${hcl ? ' (HCL form)' : ''}; do not edit.`,
    '',
    '| Module | What it is |',
    '|--------|------------|',
    ...stacks.map((s) => `| [${s.moduleName}](${s.moduleName}/README.md) | ${s.description} |`),
    '',
    'Examples: [examples/](examples/README.md). Publishing, calling and upgrading: help/modules-for-other-teams.md in the',
    'dynamodb-guardrails repository.',
    '',
    '## A compliance report for your configuration',
    '',
    'The `validation` blocks stop bad inputs, but they write no report. For one, check your root module (or its plan',
    'JSON) with the dynamodb-guardrails repository: `npm run check -- <your dir | plan.json>` (or',
    '`npx dynamodb-guardrails check …` where it is installed). It evaluates dynamodb:001-015 on every table, these',
    "modules' and your own, and writes compliance.md, compliance.json and compliance.sarif (located at your `.tf`",
    'lines). It exits 0 when compliant, 1 on findings, 2 on bad input. Your own waivers go in a `guardrails.waivers.json`',
    'beside the code. The CI recipes (GitHub Actions, Terraform Cloud) are in help/check.md of that repository.',
    '',
  ].join('\n');
}
