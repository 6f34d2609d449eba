/**
 * The real `terraform validate` on a synthesized stack rejects what Terraform would reject, in Terraform's words.
 * Every stack the product synthesizes is validated by its offline plan (offline-plan.test.ts: plan validates first,
 * on stacks holding every resource type the example stacks hold); the HCL form is validated, warnings included, in
 * stacks-terraform-validate-hcl.test.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { auditFlowCatalog } from '../../stacks/catalogs/auditflow';
import { EnvironmentStack } from '../../stacks/environment-stack';
import { EXAMPLE_ENVIRONMENTS } from '../../stacks/settings/defaults';
import { formatDiagnostic, terraformValidate } from '../support/terraform/validate';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-validate-json-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

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
