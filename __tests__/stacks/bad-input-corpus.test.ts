/**
 * Every row of the bad-input corpus (bad-input-cases.ts) through the entry point's own function (`runSynth`, which
 * main.ts calls): exit code 1, exactly one `Error: …` line in the documented format followed by "Nothing was written",
 * no stack trace, nothing on stdout, the previous output byte-identical and nothing left beside it. A few rows also run
 * through main.ts as a real process (output-safety.test.ts covers more process-level cases).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runSynth, synthesizeAll } from '../../stacks/synth';
import { leftoversBeside } from '../support/output/leftovers';
import { BAD_INPUT_CASES, BadInputCase, CaseFile } from './bad-input-cases';

const ROOT = path.resolve(__dirname, '../..');
let cwd: string;
let before: string;

/** Every path and file content under dir (following the output link), for byte-for-byte comparison. */
function treeOf(dir: string): string {
  const lines: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const child = path.join(relative, entry.name);
      const full = path.join(dir, child);
      const stat = fs.statSync(full);
      if (stat.isDirectory()) walk(child);
      else lines.push(`${child}\n${fs.readFileSync(full, 'utf8')}`);
    }
  };
  walk('');
  return lines.join('\n');
}

function place(name: string, file: CaseFile): void {
  const target = path.join(cwd, name);
  if (typeof file === 'string') fs.writeFileSync(target, file);
  else if ('fifo' in file) execFileSync('mkfifo', [target]);
  else if ('directory' in file) fs.mkdirSync(target);
  else if ('symlinkTo' in file) fs.symlinkSync(file.symlinkTo, target);
  else fs.writeFileSync(target, `{"environments": {}, "x": "${'x'.repeat(file.bytes)}"}`);
}

function run(row: BadInputCase) {
  const errors: string[] = [];
  const logs: string[] = [];
  const error = jest.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(String(line)));
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(String(line)));
  const placed = Object.keys(row.files ?? {});
  try {
    for (const [name, file] of Object.entries(row.files ?? {})) place(name, file);
    const code = runSynth({ outdir: 'cdktf.out', cwd, env: { ...row.env }, catalogs: row.catalogs as never });
    return { code, errors, logs };
  } finally {
    error.mockRestore();
    log.mockRestore();
    for (const name of placed) fs.rmSync(path.join(cwd, name), { recursive: true, force: true });
  }
}

beforeAll(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-bad-input-'));
  synthesizeAll({ outdir: 'cdktf.out', cwd, env: {} });
  before = treeOf(path.join(cwd, 'cdktf.out'));
});
afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));

test('the corpus has at least 300 rows, each with a distinct name', () => {
  expect(BAD_INPUT_CASES.length).toBeGreaterThanOrEqual(300);
  expect(new Set(BAD_INPUT_CASES.map((row) => row.name)).size).toBe(BAD_INPUT_CASES.length);
});

describe.each(BAD_INPUT_CASES.map((row) => [row.name, row] as const))('%s', (_name, row) => {
  test('one clear line, exit code 1, nothing written', () => {
    const { code, errors, logs } = run(row);
    expect(logs).toEqual([]);
    expect(errors).toHaveLength(2);
    const [message, nothing] = errors;
    expect(message).toMatch(/^Error: [^\n]+: [^\n]+ = [^\n]+: [^\n]+$/);
    expect(message).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(message.length).toBeLessThan(1200);
    if (typeof row.expected === 'string') expect(message).toContain(row.expected);
    else expect(message.slice('Error: '.length)).toMatch(row.expected);
    expect(nothing).toBe('Nothing was written to cdktf.out.');
    expect(code).toBe(1);
    expect(treeOf(path.join(cwd, 'cdktf.out'))).toBe(before);
    expect(leftoversBeside(path.join(cwd, 'cdktf.out'))).toEqual([]);
  });
});

describe('through main.ts as a process', () => {
  const rows = BAD_INPUT_CASES.filter((row) => !row.catalogs).filter((_, i) => i % 40 === 0);
  test.each(rows.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    for (const [name, file] of Object.entries(row.files ?? {})) place(name, file);
    try {
      const result = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'main.ts')], {
        cwd,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...row.env },
        encoding: 'utf8',
      });
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^Error: [^\n]+\nNothing was written to cdktf\.out\.\n$/);
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(treeOf(path.join(cwd, 'cdktf.out'))).toBe(before);
    } finally {
      for (const name of Object.keys(row.files ?? {})) fs.rmSync(path.join(cwd, name), { recursive: true, force: true });
    }
  });
});
