import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesizeAll } from '../../../stacks/synth';
import { formatDiagnostic, terraformValidate } from './validate';

/**
 * Synthesizes every stack (JSON or HCL, like `cdktf synth [--hcl]`) into a fresh temp dir. Call at module load:
 * `describe` bodies run while Jest collects tests, before any beforeAll. Remove `root` in afterAll.
 */
export function synthesizeEveryStack(hcl: boolean): { root: string; stackDirs: Array<[string, string]> } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `guardrails-validate-${hcl ? 'hcl' : 'json'}-`));
  const previous = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = hcl ? 'true' : 'false';
  try {
    const stacks = synthesizeAll({ outdir: 'out', cwd: root, env: {} });
    return { root, stackDirs: stacks.map((stack) => [stack, path.join(root, 'out', 'stacks', stack)]) };
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
}

/** Asserts that `dir` holds `file` and that the real `terraform validate` reports no error for it. */
export function expectTerraformValid(dir: string, file: string, options: { noWarnings?: boolean } = {}): void {
  expect(fs.existsSync(path.join(dir, file))).toBe(true);
  const result = terraformValidate(dir);
  const reported = result.diagnostics.filter((d) => d.severity === 'error' || options.noWarnings);
  expect(reported.map(formatDiagnostic)).toEqual([]);
  expect(result.valid).toBe(true);
}
