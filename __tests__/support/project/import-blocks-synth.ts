/**
 * Run as a process by terraform-binary.test.ts (child_process reads the real environment, not Jest's copy of it).
 *   import-blocks-synth.ts <dir> ours      synthesizes AuditFlow, whose prod stack has import blocks, into <dir>/json,
 *                                          then a plain cdktf app with one import block and cdktf's validations on
 *   import-blocks-synth.ts <dir> validated AuditFlow's stacks in a cdktf app with its validations on
 * Prints `{ ours, plain }` or `{ validated }`: the stacks written, and what synth said.
 */
import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import * as path from 'path';
import { auditFlowCatalog } from '../../../stacks/catalogs/auditflow';
import { EnvironmentStack } from '../../../stacks/environment-stack';
import { EXAMPLE_ENVIRONMENTS } from '../../../stacks/settings/defaults';
import { ENVIRONMENT_NAMES } from '../../../stacks/settings/types';
import { synthesizeAll } from '../../../stacks/synth';

const [dir, mode] = process.argv.slice(2);
const synthesized = (app: App): string => {
  try {
    app.synth();
    return 'synthesized';
  } catch (error) {
    return String(error);
  }
};

if (mode === 'validated') {
  const app = new App({ outdir: path.join(dir, 'validated-ours') });
  for (const environment of ENVIRONMENT_NAMES) new EnvironmentStack(app, auditFlowCatalog, EXAMPLE_ENVIRONMENTS[environment]);
  console.log(JSON.stringify({ validated: synthesized(app) }));
} else {
  const ours = synthesizeAll({ outdir: 'json', cwd: dir, env: {}, catalogs: [auditFlowCatalog] });
  const app = new App({ outdir: path.join(dir, 'validated') });
  const stack = new TerraformStack(app, 'imports');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  new DynamodbTable(stack, 'table', { name: 'Existing', hashKey: 'pk', attribute: [{ name: 'pk', type: 'S' }] }).importFrom('Existing');
  console.log(JSON.stringify({ ours, plain: synthesized(app) }));
}
