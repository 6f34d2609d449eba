/**
 * The flavour seam (flavours/flavour.cjs, help/cdk-terrain.md): a bad GUARDRAILS_FLAVOUR is one line, and the output
 * comparison CI runs between the flavours allows only the CDK version and the provider pin to differ.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');
const { flavour } = require('../../flavours/flavour.cjs') as { flavour: (env: NodeJS.ProcessEnv) => { name: string; packages: Record<string, string> } };
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-flavours-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

test('the default is cdktf, mapping nothing; any other name than cdktf or cdk-terrain is refused with one line', () => {
  expect(flavour({})).toMatchObject({ name: 'cdktf', packages: {} });
  expect(() => flavour({ GUARDRAILS_FLAVOUR: 'cdktn' })).toThrow("GUARDRAILS_FLAVOUR = 'cdktn': must be one of cdktf, cdk-terrain (help/cdk-terrain.md)");
  const run = spawnSync(process.execPath, [path.join(ROOT, 'stacks', 'bundle.mjs')], { cwd: ROOT, env: { ...process.env, GUARDRAILS_FLAVOUR: 'terrain' }, encoding: 'utf8' });
  expect([run.status, run.stderr.trim().split('\n')]).toEqual([1, ["Error: GUARDRAILS_FLAVOUR = 'terrain': must be one of cdktf, cdk-terrain (help/cdk-terrain.md)", 'Nothing was written.']]);
});

describe('compare-outputs: the same Terraform from both flavours', () => {
  const stack = (cdkVersion: string, source: string, providerVersion: string, deletionProtection = true) => ({
    '//': { metadata: { backend: 'local', stackName: 's', version: cdkVersion } },
    terraform: { required_providers: { aws: { source, version: providerVersion } } },
    resource: { aws_dynamodb_table: { t: { name: 't', deletion_protection_enabled: deletionProtection } } },
  });
  function output(label: string, json: object, manifest: string): string {
    const dir = path.join(scratch, label);
    fs.mkdirSync(path.join(dir, 'stacks', 's'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'stacks', 's', 'cdk.tf.json'), JSON.stringify(json, null, 2));
    fs.writeFileSync(path.join(dir, 'stacks', 's', 'compliance.md'), '# report\n');
    fs.writeFileSync(path.join(dir, 'manifest.json'), manifest);
    return dir;
  }
  const compare = (a: string, b: string) => spawnSync(process.execPath, [path.join(ROOT, 'flavours', 'compare-outputs.mjs'), a, b], { encoding: 'utf8' });
  const cdktf = output('cdktf', stack('0.21.0', 'aws', '6.25.0'), '{\n  "stacks": {\n    "s": {\n      "annotations": [\n      ]\n    }\n  },\n  "version": "0.21.0"\n}');

  test('only the CDK version, the provider pin and the manifest formatting differ: the same', () => {
    const terrain = output('terrain', stack('0.24.0', 'hashicorp/aws', '6.66.0'), '{"stacks":{"s":{"annotations":[]}},"version":"0.24.0"}');
    expect(compare(cdktf, terrain).status).toBe(0);
  });

  test('negative control: another provider source or CDK version than the flavour writes', () => {
    const source = output('source', stack('0.24.0', 'someone-else/aws', '6.66.0'), '{"stacks":{"s":{"annotations":[]}},"version":"0.24.0"}');
    expect(compare(cdktf, source)).toMatchObject({ status: 1, stderr: expect.stringContaining('the aws provider requirement is {"source":"someone-else/aws","version":"6.66.0"}') });
    const version = output('version', stack('9.9.9', 'hashicorp/aws', '6.66.0'), '{"stacks":{"s":{"annotations":[]}},"version":"0.24.0"}');
    expect(compare(cdktf, version)).toMatchObject({ status: 1, stderr: expect.stringContaining('the CDK version is "9.9.9", expected "0.24.0"') });
  });

  test('negative controls: one attribute, or one report, differs', () => {
    const attribute = output('attribute', stack('0.24.0', 'hashicorp/aws', '6.66.0', false), '{"stacks":{"s":{"annotations":[]}},"version":"0.24.0"}');
    expect(compare(cdktf, attribute)).toMatchObject({ status: 1, stderr: expect.stringContaining('stacks/s/cdk.tf.json: differs') });
    const report = output('report', stack('0.24.0', 'hashicorp/aws', '6.66.0'), '{"stacks":{"s":{"annotations":[]}},"version":"0.24.0"}');
    fs.writeFileSync(path.join(report, 'stacks', 's', 'compliance.md'), '# another report\n');
    expect(compare(cdktf, report)).toMatchObject({ status: 1, stderr: expect.stringContaining('stacks/s/compliance.md: differs') });
  });
});
