/**
 * The module generator (issue 9): deterministic, all or nothing, no provider or backend in the modules, and every
 * generated module and example passes (or, for the invalid examples, fails) the real offline `terraform validate`,
 * in both the JSON and the HCL form (the invalid examples against the JSON form, with the HCL form's variables proven
 * to be the same declarations).
 */
import * as fs from 'fs';
import { parse as parseHcl } from '@cdktf/hcl2json';
import * as os from 'os';
import * as path from 'path';
import { GuardrailError } from '../../modules/validation';
import { MODULE_AWS_PROVIDER_VERSION, MODULE_TERRAFORM_VERSION, ModuleStack } from '../../stacks/module-stack';
import { allExamples, generateModules, MODULE_DEFINITIONS, moduleHcl, moduleJson, passesValidate } from '../../stacks/terraform-modules';
import { formatDiagnostic, terraformValidate } from '../support/terraform/validate';
import { terraformFmtCheck } from '../support/terraform/fmt';
import { OUTPUT_MARKER } from '../../stacks/output';
import { leftoversBeside } from '../support/output/leftovers';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-modules-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

// Generated at load time: test.each needs the lists while Jest collects tests.
const json = generateModules({ outdir: path.join(root, 'json'), hcl: false });
const hcl = generateModules({ outdir: path.join(root, 'hcl'), hcl: true });
const modules = MODULE_DEFINITIONS.map((m) => m.name);
const examples = allExamples();
const validExamples = examples.filter(passesValidate).map((e) => e.dir);
const invalidExamples = examples.filter((e) => !passesValidate(e));

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

function readAll(dir: string): Record<string, string> {
  return Object.fromEntries(filesUnder(dir).map((file) => [file, fs.readFileSync(path.join(dir, file), 'utf8')]));
}

describe('generation', () => {
  test('writes every module, README and example, in JSON or HCL form', () => {
    expect(json.modules).toEqual(['dynamodb-table', 'dynamodb-access-policy', 'dax-cluster', 'vpc-endpoint']);
    expect(json.form).toBe('json');
    expect(hcl.form).toBe('hcl');
    expect(hcl.warnings).toEqual([]);
    const expected = (main: string) =>
      [
        'README.md',
        'dynamodb-access-policy/README.md',
        `dynamodb-access-policy/${main}`,
        'dynamodb-table/README.md',
        `dynamodb-table/${main}`,
        'dax-cluster/README.md',
        `dax-cluster/${main}`,
        'vpc-endpoint/README.md',
        `vpc-endpoint/${main}`,
        'examples/README.md',
        ...examples.map((e) => `examples/${e.dir}/main.tf`),
        OUTPUT_MARKER,
      ].sort();
    expect(filesUnder(json.outdir)).toEqual(expected('main.tf.json'));
    expect(filesUnder(hcl.outdir)).toEqual(expected('main.tf'));
  });

  test.each([false, true])('is deterministic (hcl: %s): regenerating gives byte-identical files', (asHcl) => {
    const again = generateModules({ outdir: path.join(root, `again-${asHcl}`), hcl: asHcl });
    expect(readAll(again.outdir)).toEqual(readAll((asHcl ? hcl : json).outdir));
  });

  test('creates missing parent directories (dist/ on a fresh clone)', () => {
    const result = generateModules({ outdir: path.join(root, 'fresh', 'dist', 'terraform-modules') });
    expect(fs.existsSync(path.join(result.outdir, 'dynamodb-table', 'main.tf.json'))).toBe(true);
  });

  test('regenerating replaces what it wrote, keeps what it did not write, and leaves no staging directories', () => {
    const outdir = path.join(root, 'replace');
    generateModules({ outdir });
    fs.writeFileSync(path.join(outdir, 'dynamodb-table', 'main.tf.json'), '{"changed": "by hand"}');
    fs.writeFileSync(path.join(outdir, 'notes.txt'), 'written by the user');
    fs.mkdirSync(path.join(outdir, 'examples', 'dynamodb-table', '.terraform'));
    fs.writeFileSync(path.join(outdir, 'examples', 'dynamodb-table', '.terraform', 'providers'), 'cache');
    generateModules({ outdir });
    expect(fs.readFileSync(path.join(outdir, 'dynamodb-table', 'main.tf.json'), 'utf8')).toBe(fs.readFileSync(path.join(json.outdir, 'dynamodb-table', 'main.tf.json'), 'utf8'));
    expect(fs.readFileSync(path.join(outdir, 'notes.txt'), 'utf8')).toBe('written by the user');
    expect(fs.existsSync(path.join(outdir, 'examples', 'dynamodb-table', '.terraform'))).toBe(true);
    expect(leftoversBeside(outdir)).toEqual([]);
  });

  test('is all or nothing: a module that fails to build leaves the previous output untouched', () => {
    const outdir = path.join(root, 'atomic');
    generateModules({ outdir });
    const before = readAll(outdir);
    const failing = {
      name: 'broken',
      usage: () => '',
      notes: [],
      build: (scope: any): ModuleStack => {
        const stack = new ModuleStack(scope, 'broken', { description: 'fails' });
        throw new GuardrailError(stack.node.path, 'name', 'x', 'refused on purpose');
      },
    };
    expect(() => generateModules({ outdir, modules: [...MODULE_DEFINITIONS, failing] })).toThrow('broken: name = \'x\': refused on purpose');
    expect(readAll(outdir)).toEqual(before);
    expect(leftoversBeside(outdir)).toEqual([]);
  });

  test('SYNTH_HCL_OUTPUT=true selects the HCL form when no option is given (the cdktf switch)', () => {
    const previous = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = 'true';
    try {
      const result = generateModules({ outdir: path.join(root, 'env-hcl') });
      expect(result.form).toBe('hcl');
      expect(fs.existsSync(path.join(result.outdir, 'dynamodb-table', 'main.tf'))).toBe(true);
    } finally {
      if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = previous;
    }
  });
});

describe.each(modules)('module %s', (name) => {
  const config = JSON.parse(fs.readFileSync(path.join(json.outdir, name, 'main.tf.json'), 'utf8'));
  const text = fs.readFileSync(path.join(hcl.outdir, name, 'main.tf'), 'utf8');

  test('declares hashicorp/aws with a 6.x range and the Terraform version, and no provider or backend', () => {
    expect(config.terraform).toEqual({
      required_version: MODULE_TERRAFORM_VERSION,
      required_providers: { aws: { source: 'hashicorp/aws', version: MODULE_AWS_PROVIDER_VERSION } },
    });
    expect(config.provider).toBeUndefined();
    expect(JSON.stringify(config)).not.toMatch(/"backend"|"cloud"|"\/\/"/);
    expect(text).toContain(`required_version = "${MODULE_TERRAFORM_VERSION}"`);
    expect(text).toMatch(/source\s+= "hashicorp\/aws"/);
    expect(text).not.toMatch(/^provider "|backend "|^\s*cloud \{/m);
  });

  test('every variable has a type and a description', () => {
    for (const [variable, spec] of Object.entries<any>(config.variable)) {
      expect([variable, typeof spec.type, typeof spec.description]).toEqual([variable, 'string', 'string']);
    }
  });

  test('README lists every input and output', () => {
    const readme = fs.readFileSync(path.join(json.outdir, name, 'README.md'), 'utf8');
    for (const variable of Object.keys(config.variable)) expect(readme).toContain(`| ${variable} |`);
    for (const output of Object.keys(config.output)) expect(readme).toContain(`| ${output} |`);
    expect(readme).toContain('## Versions');
    expect(readme).toContain(MODULE_AWS_PROVIDER_VERSION);
  });
});

// The examples only `terraform plan` rejects are among them (offline-plan.test.ts plans them). The HCL form's valid
// examples are planned there, warnings checked, which validates them first.
describe.each([
  ['JSON', () => json.outdir, [...modules, ...validExamples.map((dir) => `examples/${dir}`)]],
  ['HCL', () => hcl.outdir, [...modules, ...examples.filter((e) => e.failsAt === 'plan').map((e) => `examples/${e.dir}`)]],
] as const)('%s form: terraform validate', (_form, outdir, dirs) => {
  test.each(dirs)('%s is valid, without warnings', (dir) => {
    const result = terraformValidate(path.join(outdir(), dir));
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(result.valid).toBe(true);
  });
});

// The invalid examples each break one variable rule. They run against the JSON form; the HCL form's variables are
// proven to be the same declarations (types, defaults, every validation condition and message) below, so running
// them twice would test the same rules twice.
describe('JSON form: every invalid example fails terraform validate', () => {
  test.each(invalidExamples.map((e) => [e.dir, e] as const))('%s fails with Terraform’s message', (dir, example) => {
    const result = terraformValidate(path.join(json.outdir, 'examples', dir));
    expect(result.valid).toBe(false);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.summary)).toContain(example.expectedError);
    expect(errors.map(formatDiagnostic).join('\n')).toContain(example.expectedDetail);
  });
});

describe('the HCL form declares the same variables as the JSON form', () => {
  /** Variables as hcl2json reads the HCL (`type = "${list(string)}"`), in the JSON form's shape (`"list(string)"`). */
  async function hclVariables(text: string): Promise<Record<string, unknown>> {
    const parsed = (await parseHcl('main.tf', text)) as { variable: Record<string, Array<Record<string, unknown>>> };
    return Object.fromEntries(
      Object.entries(parsed.variable).map(([name, [declaration]]) => {
        const type = typeof declaration.type === 'string' ? declaration.type.replace(/^\$\{([\s\S]*)\}$/, '$1') : declaration.type;
        return [name, { ...declaration, type, validation: declaration.validation ?? [] }];
      }),
    );
  }
  const jsonVariables = (module: string) => {
    const variables = JSON.parse(fs.readFileSync(path.join(json.outdir, module, 'main.tf.json'), 'utf8')).variable as Record<string, Record<string, unknown>>;
    return Object.fromEntries(Object.entries(variables).map(([name, declaration]) => [name, { ...declaration, validation: declaration.validation ?? [] }]));
  };

  test.each(modules)('%s: types, defaults, every validation condition and message', async (module) => {
    const text = fs.readFileSync(path.join(hcl.outdir, module, 'main.tf'), 'utf8');
    expect(await hclVariables(text)).toEqual(jsonVariables(module));
  });

  test('negative control: one validation message changed in the HCL is a difference', async () => {
    const text = fs.readFileSync(path.join(hcl.outdir, 'dynamodb-table', 'main.tf'), 'utf8');
    const changed = text.replace('must say why', 'must say how');
    expect(changed).not.toBe(text);
    expect(await hclVariables(changed)).not.toEqual(jsonVariables('dynamodb-table'));
  });
});

test('the HCL form is terraform fmt-clean, every file (one terraform fmt -check of the tree)', () => {
  expect(terraformFmtCheck(hcl.outdir)).toEqual({ status: 0, unformatted: [] });
  // Negative control: one file with its alignment broken is listed.
  const file = path.join(hcl.outdir, 'examples', 'dynamodb-table', 'main.tf');
  const original = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, original.replace(' = ', '    =   '));
  try {
    expect(terraformFmtCheck(hcl.outdir)).toEqual({ status: 3, unformatted: [file] });
  } finally {
    fs.writeFileSync(file, original);
  }
});

describe('HCL post-processing of cdktf output', () => {
  test('puts required_version into the terraform block and unquotes ignore_changes entries', () => {
    const fixed = moduleHcl('terraform {\nrequired_providers {\n}\n}\nresource "x" "y" {\nlifecycle {\n  ignore_changes = [\n"read_capacity",\n]\n}\n}\n');
    expect(fixed).toContain(`terraform {\n  required_version = "${MODULE_TERRAFORM_VERSION}"\n`);
    expect(fixed).toContain('ignore_changes = [\nread_capacity,\n]');
  });

  test('JSON output drops cdktf’s // metadata at every level', () => {
    expect(JSON.parse(moduleJson('{"//":{"a":1},"resource":{"t":{"x":{"//":{"m":1},"name":"n"}}}}'))).toEqual({ resource: { t: { x: { name: 'n' } } } });
  });
});
