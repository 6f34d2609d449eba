/**
 * Every stack the product synthesizes passes the real `terraform init -backend=false` + `terraform validate` against
 * the hashicorp/aws 6.25.0 schema (schema-only provider from global setup). The HCL form is checked in
 * stacks-terraform-validate-hcl.test.ts, so the two run on separate workers.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { auditFlowCatalog } from '../../stacks/catalogs/auditflow';
import { EnvironmentStack } from '../../stacks/environment-stack';
import { EXAMPLE_ENVIRONMENTS } from '../../stacks/settings/defaults';
import { expectTerraformValid, synthesizeEveryStack } from '../support/terraform/synthesized-stacks';
import { formatDiagnostic, terraformValidate } from '../support/terraform/validate';

const { root, stackDirs } = synthesizeEveryStack(false);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('every synthesized stack as JSON passes terraform validate', () => {
  test.each(stackDirs)('%s', (_stack, dir) => expectTerraformValid(dir, 'cdk.tf.json'));
});

describe('a broken table definition fails the check with Terraform’s message', () => {
  test('a misspelled argument added by an escape-hatch override', () => {
    const app = Testing.app({ outdir: path.join(root, 'broken') });
    const stack = new EnvironmentStack(app, auditFlowCatalog, EXAMPLE_ENVIRONMENTS.dev);
    stack.tables.get('documents')!.resource.addOverride('point_in_time_recoverry', { enabled: true });
    app.synth();
    const result = terraformValidate(path.join(root, 'broken/stacks/auditflow-dev'));
    expect(result.valid).toBe(false);
    expect(result.diagnostics.map((d) => d.summary)).toContain('Extraneous JSON object property');
    expect(result.diagnostics.map(formatDiagnostic).join('\n')).toContain('point_in_time_recoverry');
  });
});
