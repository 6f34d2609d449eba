/**
 * Every row of the bad-input corpus (bad-input-cases.ts) through the entry point's own function (`runSynth`, which
 * main.ts calls): exit code 1, exactly one `Error: …` line in the documented format followed by "Nothing was written",
 * no stack trace, nothing on stdout, the previous output byte-identical and nothing left beside it. A few rows also run
 * through main.ts as a real process, bundled as `npm run synth` runs it (output-safety.test.ts covers more
 * process-level cases).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runSynth, synthesizeAll } from '../../stacks/synth';
import { leftoversBeside } from '../support/output/leftovers';
import { BAD_INPUT_CASES, BadInputCase, CaseFile } from './bad-input-cases';
import { runNode, synthBundleOfScratchCopy } from '../support/project/scratch-project';

let cwd: string;
let before: string;
let beforeStat: string;

/** Every path under dir (following the output link), with its content or, with `stat`, its identity and mtime. */
function treeOf(dir: string, what: 'content' | 'stat' = 'content'): string {
  const lines: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const child = path.join(relative, entry.name);
      const full = path.join(dir, child);
      const stat = fs.statSync(full, { bigint: true });
      if (stat.isDirectory()) walk(child);
      else if (what === 'stat') lines.push(`${child} ${stat.ino} ${stat.size} ${stat.mtimeNs}`);
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
  beforeStat = treeOf(path.join(cwd, 'cdktf.out'), 'stat');
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
    // No file was replaced or written to (same inode, size and mtime); the contents are compared once, after every row.
    expect(treeOf(path.join(cwd, 'cdktf.out'), 'stat')).toBe(beforeStat);
    expect(leftoversBeside(path.join(cwd, 'cdktf.out'))).toEqual([]);
  });
});

test('after every row, the output is byte-identical to what it was before the first', () => {
  expect(treeOf(path.join(cwd, 'cdktf.out'))).toBe(before);
});

test('negative control: a file written again with the same bytes changes the stat form of the tree', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-bad-input-stat-'));
  try {
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), '{}');
    fs.utimesSync(path.join(dir, 'cdk.tf.json'), new Date('2026-01-01'), new Date('2026-01-01'));
    const first = treeOf(dir, 'stat');
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), '{}');
    expect(treeOf(dir)).toBe('cdk.tf.json\n{}');
    expect(treeOf(dir, 'stat')).not.toBe(first);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('through main.ts as a process', () => {
  // The rows' messages are proven above through runSynth; as a process, what remains is the way out (exit code, the
  // lines on stderr, nothing on stdout or written): one row for a settings file that does not parse, one for a bad
  // value in it, one for a bad variable.
  const rows = ['file is not JSON', 'prod: pointInTimeRecovery = "yes"', 'GUARDRAILS_STATE_KMS_KEY_ID with the local backend'].map((name) => BAD_INPUT_CASES.find((row) => row.name === name)!);
  const synthApp = synthBundleOfScratchCopy();

  test.each(rows.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    for (const [name, file] of Object.entries(row.files ?? {})) place(name, file);
    try {
      const result = runNode(cwd, [synthApp()], row.env);
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
