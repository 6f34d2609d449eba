/**
 * Run as a process by terraform-binary.test.ts (child_process reads the real environment, not Jest's copy of it):
 * synthesizes AuditFlow, whose prod stack has import blocks, into <dir>/json, then a plain cdktf app with one import
 * block and cdktf's validations on into <dir>/validated. Prints `{ ours, plain }`: our stacks, and what the plain
 * app's synth said.
 */
import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import * as path from 'path';
import { auditFlowCatalog } from '../../../stacks/catalogs/auditflow';
import { synthesizeAll } from '../../../stacks/synth';

const dir = process.argv[2];
const ours = synthesizeAll({ outdir: 'json', cwd: dir, env: {}, catalogs: [auditFlowCatalog] });
const app = new App({ outdir: path.join(dir, 'validated') });
const stack = new TerraformStack(app, 'imports');
new AwsProvider(stack, 'aws', { region: 'us-east-1' });
new DynamodbTable(stack, 'table', { name: 'Existing', hashKey: 'pk', attribute: [{ name: 'pk', type: 'S' }] }).importFrom('Existing');
let plain = 'synthesized';
try {
  app.synth();
} catch (error) {
  plain = String(error);
}
console.log(JSON.stringify({ ours, plain }));
