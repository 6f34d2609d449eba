/**
 * Every stack the product synthesizes, as JSON and as HCL, passes the real `terraform init -backend=false` +
 * `terraform validate` against the hashicorp/aws 6.25.0 schema (schema-only provider from global setup).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { auditFlowCatalog } from '../../stacks/catalogs/auditflow';
import { EnvironmentStack } from '../../stacks/environment-stack';
import { EXAMPLE_ENVIRONMENTS } from '../../stacks/settings/defaults';
import { synthesizeAll } from '../../stacks/synth';
import { formatDiagnostic, terraformValidate } from '../support/terraform/validate';

// Created at load time: describe.each bodies synthesize while Jest collects tests, before any beforeAll.
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-validate-'));
afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));

function synthesize(outdir: string, hcl: boolean): string[] {
  const previous = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = hcl ? 'true' : 'false';
  try {
    return synthesizeAll({ outdir, cwd, env: {} });
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
}

function expectValid(dir: string, file: string): void {
  expect(fs.existsSync(path.join(dir, file))).toBe(true);
  const result = terraformValidate(dir);
  expect(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
  expect(result.valid).toBe(true);
}

describe.each([
  ['JSON', false, 'cdk.tf.json'],
  ['HCL', true, 'cdk.tf'],
])('every synthesized stack as %s passes terraform validate', (_form, hcl, file) => {
  const outdir = `out-${hcl ? 'hcl' : 'json'}`;
  const stacks = synthesize(outdir, hcl as boolean);

  test.each(stacks)('%s', (stack) => {
    expectValid(path.join(cwd, outdir, 'stacks', stack), file as string);
  });
});

describe('a broken table definition fails the check with Terraform’s message', () => {
  test('a misspelled argument added by an escape-hatch override', () => {
    const app = Testing.app({ outdir: path.join(cwd, 'broken') });
    const stack = new EnvironmentStack(app, auditFlowCatalog, EXAMPLE_ENVIRONMENTS.dev);
    stack.tables.get('documents')!.resource.addOverride('point_in_time_recoverry', { enabled: true });
    app.synth();
    const result = terraformValidate(path.join(cwd, 'broken/stacks/auditflow-dev'));
    expect(result.valid).toBe(false);
    expect(result.diagnostics.map((d) => d.summary)).toContain('Extraneous JSON object property');
    expect(result.diagnostics.map(formatDiagnostic).join('\n')).toContain('point_in_time_recoverry');
  });
});
