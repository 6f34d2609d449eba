/**
 * What synth and the module generator need of the terraform binary: only `terraform fmt` for HCL output, one process
 * for many files, and nothing at all for JSON output (no `terraform version` probe, which cdktf runs for every
 * import block unless its validations are skipped).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { auditFlowCatalog } from '../../stacks/catalogs/auditflow';
import { terraformFmt, terraformFmtAll } from '../../stacks/hcl-text';
import { synthesizeAll } from '../../stacks/synth';
import { terraformFmtStdin } from '../support/terraform/fmt';

const ROOT = path.resolve(__dirname, '../..');
let scratch: string;
beforeAll(() => (scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-terraform-binary-'))));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Runs `fn` with PATH holding no terraform and GUARDRAILS_TERRAFORM_BIN unset (as the code under test reads them). */
function withoutTerraform<T>(fn: () => T): T {
  const saved = { PATH: process.env.PATH, GUARDRAILS_TERRAFORM_BIN: process.env.GUARDRAILS_TERRAFORM_BIN, SYNTH_HCL_OUTPUT: process.env.SYNTH_HCL_OUTPUT };
  process.env.PATH = path.join(scratch, 'empty-bin');
  delete process.env.GUARDRAILS_TERRAFORM_BIN;
  try {
    return fn();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('terraformFmtAll: many texts, one terraform process', () => {
  const texts = ['resource "a" "b" {\nx = 1\nlonger_name = 2\n}\n', 'locals {\n  y     = "z"\n}', 'variable "v" {\ntype = string\n}\n'];

  test('gives each text exactly what terraform fmt of standard input gives, in order (also a text without a final newline)', () => {
    expect(terraformFmtAll(texts)).toEqual(texts.map(terraformFmtStdin));
    expect(terraformFmt(texts[0])).toBe('resource "a" "b" {\n  x           = 1\n  longer_name = 2\n}\n');
    // Negative control: the inputs were not formatted already.
    expect(texts.map(terraformFmtStdin)).not.toEqual(texts);
  });

  test('a repeated text is formatted once and returned at each of its places; remembered texts survive the memory being emptied', () => {
    const fresh = ['output "o" {\nvalue=1\n}\n', 'output "p" {\nvalue=2\n}\n'];
    expect(terraformFmtAll([fresh[0], fresh[0], texts[0]])).toEqual([terraformFmtStdin(fresh[0]), terraformFmtStdin(fresh[0]), terraformFmtStdin(texts[0])]);
    // Fill the memory to its limit, then ask for a remembered text with new ones (the memory is emptied on the way).
    terraformFmtAll(Array.from({ length: 995 }, (_, i) => `locals {\nn${i} = ${i}\n}\n`));
    expect(terraformFmtAll([fresh[0], fresh[1], 'locals {\nlast = 1\n}\n'])).toEqual([terraformFmtStdin(fresh[0]), terraformFmtStdin(fresh[1]), 'locals {\n  last = 1\n}\n']);
  });

  test('HCL terraform rejects is an error naming the text; a terraform that cannot be run gives undefined', () => {
    expect(() => terraformFmtAll(['resource "a" {', texts[2].replace('string', 'number')])).toThrow(/terraform fmt rejected the generated HCL:[\s\S]* on 0\.tf line 1/);
    expect(terraformFmtAll(texts, path.join(scratch, 'no-terraform'))).toBeUndefined();
    expect(terraformFmtAll([], path.join(scratch, 'no-terraform'))).toEqual([]);
    // A binary named by a relative path (GUARDRAILS_TERRAFORM_BIN=./bin/terraform) is found from the working directory.
    const terraform = process.env.GUARDRAILS_TERRAFORM_BIN ?? spawnSync('sh', ['-c', 'command -v terraform'], { encoding: 'utf8' }).stdout.trim();
    fs.mkdirSync(path.join(scratch, 'relative-bin'), { recursive: true });
    fs.symlinkSync(terraform, path.join(scratch, 'relative-bin', 'terraform'));
    expect(terraformFmtAll(['locals {\nrelative = 1\n}\n'], path.relative(process.cwd(), path.join(scratch, 'relative-bin', 'terraform')))).toEqual(['locals {\n  relative = 1\n}\n']);
  });
});

describe('synth without terraform on PATH', () => {
  test('JSON: a stack with import blocks (AuditFlow prod) synthesizes; cdktf’s own validation would have run terraform version and failed', () => {
    const script = path.join(ROOT, '__tests__/support/project/import-blocks-synth.ts');
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, scratch, 'ours'], { cwd: ROOT, encoding: 'utf8', env: { HOME: process.env.HOME, PATH: path.join(scratch, 'empty-bin') } });
    expect(run.stderr).toBe('');
    const { ours, plain } = JSON.parse(run.stdout);
    expect(ours).toContain('auditflow-prod');
    const prod = JSON.parse(fs.readFileSync(path.join(scratch, 'json', 'stacks', 'auditflow-prod', 'cdk.tf.json'), 'utf8'));
    expect(prod.import.map((block: { id: string }) => block.id).sort()).toEqual(['AuditFlow-AuditRecords', 'AuditFlow-Documents']);
    // Negative control.
    expect(plain).toContain('Could not determine version of terraform');
  });

  // With a terraform that reports 1.4.0 (negative control), the import blocks' version probe fails.
  test.each([
    ['1.11.4', 'synthesized'],
    ['1.4.0', expect.stringContaining('terraform version 1.4.0 is lower than the required version >=1.5')],
  ])('cdktf’s validations that synth skips (provider presence, version probes), run on our stacks with terraform %s on PATH: %p', (version, expected) => {
    const bin = path.join(scratch, `terraform-${version}-bin`);
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, 'terraform'), `#!/bin/sh\necho "Terraform v${version}"\n`, { mode: 0o755 });
    const script = path.join(ROOT, '__tests__/support/project/import-blocks-synth.ts');
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, scratch, 'validated'], { cwd: ROOT, encoding: 'utf8', env: { HOME: process.env.HOME, PATH: bin } });
    expect([run.stderr, JSON.parse(run.stdout || '{}').validated]).toEqual(['', expected]);
  });

  test('HCL: the files are written unformatted, with one warning naming the setting', () => {
    const warnings: string[] = [];
    withoutTerraform(() => {
      process.env.SYNTH_HCL_OUTPUT = 'true';
      synthesizeAll({ outdir: 'hcl', cwd: scratch, env: {}, catalogs: [auditFlowCatalog], warn: (line) => warnings.push(line) });
    });
    expect(warnings.filter((line) => line.includes('not formatted'))).toEqual([
      'Warning: 3 cdk.tf file(s) are not formatted: terraform was not found (set GUARDRAILS_TERRAFORM_BIN, or run terraform fmt -recursive)',
    ]);
    const text = fs.readFileSync(path.join(scratch, 'hcl', 'stacks', 'auditflow-dev', 'cdk.tf'), 'utf8');
    expect(terraformFmt(text)).not.toBe(text);
  });
});
