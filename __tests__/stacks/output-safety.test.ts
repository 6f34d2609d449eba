/**
 * Synth and the module generator never delete or overwrite what they did not write, and publish all or nothing:
 * unsafe output directories refused in a scratch copy of the project (whose `git status` must stay clean), the lock
 * between two processes, synth processes killed at many instants, and every state a kill can leave behind.
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describeFailure } from '../../modules/validation';
import { loadCatalog } from '../../stacks/catalogs/registry';
import { currentTree, lockPathOf, OUTPUT_MARKER, REMOVED_STACKS_FOLDER, STAGING_MARKER } from '../../stacks/output';
import { runSynth, synthesizeAll } from '../../stacks/synth';
import { generateModules } from '../../stacks/terraform-modules';
import { auditFlowCatalog } from '../../stacks/catalogs/auditflow';
import { mangaAssistCatalog } from '../../stacks/catalogs/manga-assist';
import { leftoversBeside } from '../support/output/leftovers';
import { bundleSynth, cleanEnv, scratchCopyOfProject as copyOfProject } from '../support/project/scratch-project';

const ROOT = path.resolve(__dirname, '../..');
const ESBUILD = path.join(ROOT, 'node_modules/.bin/esbuild');
let scratch: string;
let copy: string;
let synthApp: string;
let modulesCli: string;
let lockHolder: string;

/** The project as a git repository of its own, plus a user's folder and a link into the sources to guard. */
function scratchCopyOfProject(): string {
  const target = copyOfProject(path.join(scratch, 'project'));
  fs.mkdirSync(path.join(target, 'notes'));
  fs.writeFileSync(path.join(target, 'notes', 'todo.md'), '# a folder of the user\n');
  fs.symlinkSync('stacks', path.join(target, 'link-to-stacks'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: target, stdio: 'ignore' });
  git('add', '-A');
  git('commit', '-q', '-m', 'user files');
  return target;
}

function bundle(entry: string, outfile: string): string {
  execFileSync(ESBUILD, [entry, '--bundle', '--platform=node', '--packages=external', '--target=node20', '--log-level=error', `--outfile=${outfile}`], { cwd: copy });
  return outfile;
}


function runAsync(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env: { ...cleanEnv(), ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data) => (stdout += data));
    child.stderr.on('data', (data) => (stderr += data));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function gitStatus(): string {
  return execFileSync('git', ['status', '--porcelain', '--ignored=no'], { cwd: copy, encoding: 'utf8' });
}

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-output-safety-'));
  copy = scratchCopyOfProject();
  synthApp = bundleSynth(copy);
  modulesCli = bundle('stacks/terraform-modules/cli.ts', path.join(copy, 'dist', 'app', 'modules-cli.js'));
  // Bundled like the programs above: through tsx each of its 18 runs would cost about half a second of CPU.
  lockHolder = bundle('__tests__/support/output/lock-holder.ts', path.join(copy, 'dist', 'app', 'lock-holder.js'));
}, 60_000);
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('unsafe output directories are refused and nothing in the project changes', () => {
  /** `<project>` stands for the scratch copy's folder name. */
  const UNSAFE: Array<[value: string, expected: string]> = [
    ['', 'is empty'],
    ['   ', 'is empty'],
    ['.', 'is the project directory or contains it'],
    ['./', 'is the project directory or contains it'],
    ['..', 'is the project directory or contains it'],
    ['/', 'is the project directory or contains it'],
    ['../<project>', 'is the project directory or contains it'],
    ['stacks', "is or contains the project folder 'stacks'"],
    ['stacks/out', "is or contains the project folder 'stacks'"],
    ['modules', "is or contains the project folder 'modules'"],
    ['help', "is or contains the project folder 'help'"],
    ['lambda-src', "is or contains the project folder 'lambda-src'"],
    ['__tests__', "is or contains the project folder '__tests__'"],
    ['.ci', "is or contains the project folder '.ci'"],
    ['dist', "is or contains the project folder 'dist/app'"],
    ['.git', 'is inside .git'],
    ['.git/out', 'is inside .git'],
    ['node_modules', 'is inside node_modules'],
    ['node_modules/out', 'is inside node_modules'],
    ['README.md', 'exists and is not a directory'],
    ['package.json', 'exists and is not a directory'],
    ['notes', 'is a non-empty directory that dynamodb-guardrails did not write (it holds todo.md)'],
    ['link-to-stacks', 'is a symbolic link to stacks, which is not an output of dynamodb-guardrails'],
    ['.cdktf.out.lock', "is inside '.cdktf.out.lock', which synth and the module generator keep for themselves"],
    ['.cdktf.out.gen-abc', "is inside '.cdktf.out.gen-abc', which synth and the module generator keep for themselves"],
    ['.cdktf.out.gen-abc/stacks', "is inside '.cdktf.out.gen-abc'"],
    ['link-to-stacks/out', "is or contains the project folder 'stacks'"],
  ];

  // Every value through the functions main.ts and the module CLI call, in this process; one value per reason through
  // both programs as processes (exit code, the one stderr line, nothing written, git status clean).
  test.each(UNSAFE)('runSynth and generateModules refuse %p, naming the reason', (value, expected) => {
    const outdir = value.replace('<project>', path.basename(copy));
    const lines: string[] = [];
    const error = jest.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)));
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(runSynth({ outdir, cwd: copy, env: { CDKTF_OUTDIR: outdir } })).toBe(1);
    } finally {
      error.mockRestore();
      log.mockRestore();
    }
    expect(lines.join('\n')).toMatch(/^Error: environment variable CDKTF_OUTDIR: output directory = '[^\n]*': [^\n]+\nNothing was written to [^\n]*\.$/);
    expect(lines[0]).toContain(expected);
    if (outdir !== '') expect(() => generateModules({ outdir, cwd: copy, outdirSource: 'option --outdir' })).toThrow(expected);
    expect(gitStatus()).toBe('');
  });

  // Every reason's text is proven above through the functions both programs call; as processes, what remains to prove
  // is the way out (exit code, one stderr line, nothing written), which is the same for every reason: an empty value
  // (the module CLI's usage error), a path check and a check of what is on disk.
  const AS_PROCESSES = UNSAFE.filter(([value]) => ['', '.', 'notes'].includes(value));

  test.concurrent.each(AS_PROCESSES)('synth (CDKTF_OUTDIR) and the module generator (--outdir) as processes: %p', async (value, expected) => {
    const outdir = value.replace('<project>', path.basename(copy));
    const [synth, modules] = await Promise.all([
      runAsync([synthApp], copy, { CDKTF_OUTDIR: outdir }),
      runAsync([modulesCli, '--outdir', outdir], copy),
    ]);
    expect(synth.status).toBe(1);
    expect(synth.stderr).toMatch(/^Error: environment variable CDKTF_OUTDIR: output directory = '[^\n]*': [^\n]+\nNothing was written to [^\n]*\.\n$/);
    expect(synth.stderr).toContain(expected);
    if (outdir === '') {
      expect(modules.status).toBe(2); // usage error: --outdir without a value
    } else {
      expect(modules.status).toBe(1);
      expect(modules.stderr).toMatch(/^Error: option --outdir: output directory = '[^\n]*': [^\n]+\nNothing was written to [^\n]*\.\n$/);
      expect(modules.stderr).toContain(expected);
    }
    expect(gitStatus()).toBe('');
  });

  test('the same refusal through the cdktf CLI (`npx cdktf synth --output .`)', () => {
    const result = spawnSync(path.join(ROOT, 'node_modules/.bin/cdktf'), ['synth', '--output', '.'], { cwd: copy, env: cleanEnv(), encoding: 'utf8', timeout: 60_000 });
    expect(result.status).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain('is the project directory or contains it');
    expect(gitStatus()).toBe('');
  }, 60_000);

  test('a safe directory inside the project works and adds nothing git would track', async () => {
    const result = await runAsync([synthApp], copy, { CDKTF_OUTDIR: path.join(copy, 'cdktf.out') });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(gitStatus()).toBe('');
    expect(fs.lstatSync(path.join(copy, 'cdktf.out')).isSymbolicLink()).toBe(true);
  });
});

describe('one writer per output directory', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = fs.mkdtempSync(path.join(scratch, 'lock-'));
  });

  test('a lock held by a running process: the second synth waits, then fails with one line and writes nothing', () => {
    synthesizeAll({ outdir: 'out', cwd, env: {}, catalogs: [auditFlowCatalog] });
    const before = fs.readlinkSync(path.join(cwd, 'out'));
    const holder = spawn('sleep', ['30']);
    try {
      fs.writeFileSync(lockPathOf(path.join(cwd, 'out')), `${holder.pid}\n`);
      const started = Date.now();
      expect(() => synthesizeAll({ outdir: 'out', cwd, env: {}, catalogs: [auditFlowCatalog], lockWaitMs: 400 })).toThrow(`another synth (process ${holder.pid}) is writing ${path.join(cwd, 'out')}`);
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
      expect(fs.readlinkSync(path.join(cwd, 'out'))).toBe(before);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  test('a lock whose pid now belongs to another process (pid reuse, pid 1 in containers) is taken over', () => {
    fs.writeFileSync(lockPathOf(path.join(cwd, 'out')), `${process.pid}:1\n`);
    expect(synthesizeAll({ outdir: 'out', cwd, env: {}, catalogs: [auditFlowCatalog], lockWaitMs: 100 })).toHaveLength(3);
  });

  test('a lock that cannot be read (a directory) ends in one line after the wait, never a hang', () => {
    fs.mkdirSync(lockPathOf(path.join(cwd, 'out')));
    expect(() => synthesizeAll({ outdir: 'out', cwd, env: {}, catalogs: [auditFlowCatalog], lockWaitMs: 200 })).toThrow('another synth (its lock file cannot be read) is writing');
  });

  test('a lock left by a process that no longer runs is taken over', async () => {
    const dead: ChildProcess = spawn('true');
    await new Promise((resolve) => dead.on('close', resolve));
    fs.writeFileSync(lockPathOf(path.join(cwd, 'out')), `${dead.pid}\n`);
    expect(synthesizeAll({ outdir: 'out', cwd, env: {}, catalogs: [auditFlowCatalog], lockWaitMs: 100 })).toHaveLength(3);
    expect(fs.existsSync(lockPathOf(path.join(cwd, 'out')))).toBe(false);
  });

  test('six processes competing for one lock, with a stale lock left by a killed run (2 rounds): never two holders at once', async () => {
    const outdir = path.join(cwd, 'contended');
    for (let round = 0; round < 2; round += 1) {
      const log = path.join(cwd, `lock-${round}.log`);
      fs.writeFileSync(lockPathOf(outdir), '4194999\n');
      const runs = Array.from({ length: 6 }, () => runAsync([lockHolder, outdir, log, '150'], ROOT));
      for (const result of await Promise.all(runs)) expect(result.status).toBe(0);
      const entries = fs.readFileSync(log, 'utf8').trim().split('\n');
      expect(entries).toHaveLength(12);
      for (let i = 0; i < entries.length; i += 2) expect([entries[i][0], entries[i + 1]]).toEqual(['+', `-${entries[i].slice(1)}`]);
    }
    expect(fs.existsSync(lockPathOf(outdir))).toBe(false);
  }, 60_000);

  test('two synth processes at once (2 rounds: into a new and into an existing output): both succeed one after the other, the output is complete and consistent', async () => {
    for (let round = 0; round < 2; round += 1) {
      const results = await Promise.all([runAsync([synthApp], cwd), runAsync([synthApp], cwd)]);
      for (const result of results) {
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
      }
      expectCompleteOutput(path.join(cwd, 'cdktf.out'));
      expect(leftoversBeside(path.join(cwd, 'cdktf.out'))).toEqual([]);
    }
  }, 60_000);
});

/** A published output: a link to a generation with its marker, manifest.json listing exactly its stack directories. */
function expectCompleteOutput(outdir: string): void {
  const generation = currentTree(outdir);
  expect(generation).toBeDefined();
  expect(fs.existsSync(path.join(generation!, OUTPUT_MARKER))).toBe(true);
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  const stacks = fs.readdirSync(path.join(outdir, 'stacks')).sort();
  expect(Object.keys(manifest.stacks).sort()).toEqual(stacks);
  for (const stack of stacks) expect(fs.existsSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'))).toBe(true);
}

describe('a synth killed at any instant leaves the old or the new output, complete', () => {
  // Fractions of a measured run, so that the kills land while the process loads, synthesizes, stages and publishes on
  // a fast machine as on a slow one (fixed delays past the end of a run would only repeat an ordinary run).
  const FRACTIONS = [0.1, 0.3, 0.5, 0.7, 0.9];

  test(`SIGKILL at ${FRACTIONS.map((f) => `${f * 100}%`).join(', ')} of a synth's run time`, async () => {
    const cwd = fs.mkdtempSync(path.join(scratch, 'kill-'));
    const outdir = path.join(cwd, 'cdktf.out');
    expect((await runAsync([synthApp], cwd)).status).toBe(0);
    fs.mkdirSync(path.join(outdir, 'stacks', 'auditflow-dev', '.terraform'));
    fs.writeFileSync(path.join(outdir, 'stacks', 'auditflow-dev', '.terraform', 'providers'), 'kept');
    const started = Date.now();
    expect((await runAsync([synthApp], cwd)).status).toBe(0);
    const runMs = Date.now() - started;
    let killedRunning = 0;
    for (const delay of FRACTIONS.map((fraction) => Math.round(fraction * runMs))) {
      const child = spawn(process.execPath, [synthApp], { cwd, env: cleanEnv(), stdio: 'ignore' });
      const closed = new Promise((resolve) => child.on('close', resolve));
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (child.exitCode === null) killedRunning += 1;
      child.kill('SIGKILL');
      await closed;
      expectCompleteOutput(outdir);
    }
    // Kills of a process that had already finished would prove nothing; the early ones always find it running.
    expect(killedRunning).toBeGreaterThanOrEqual(3);
    const final = await runAsync([synthApp], cwd);
    expect(final.status).toBe(0);
    expectCompleteOutput(outdir);
    expect(leftoversBeside(outdir)).toEqual([]);
    // The user's file survived every kill and every republish.
    expect(fs.readFileSync(path.join(outdir, 'stacks', 'auditflow-dev', '.terraform', 'providers'), 'utf8')).toBe('kept');
  }, 90_000);
});

describe('every state a kill can leave is repaired by the next run', () => {
  /** A pid no process has (beyond Linux's pid_max). */
  const deadPid = 4_194_999;
  let cwd: string;
  let outdir: string;
  const synth = () => synthesizeAll({ outdir: 'out', cwd, env: {}, catalogs: [auditFlowCatalog] });
  beforeEach(() => {
    cwd = fs.mkdtempSync(path.join(scratch, 'state-'));
    outdir = path.join(cwd, 'out');
    synth();
  });
  const generation = () => currentTree(outdir)!;

  test('a half-written generation of a killed run (staging marker, process gone) is removed', () => {
    const partial = path.join(cwd, '.out.gen-zzz-999999');
    fs.mkdirSync(path.join(partial, 'stacks', 'auditflow-dev'), { recursive: true });
    fs.writeFileSync(path.join(partial, STAGING_MARKER), `${deadPid}\n`);
    synth();
    expect(fs.existsSync(partial)).toBe(false);
    expect(leftoversBeside(outdir)).toEqual([]);
  });

  test('an empty generation of a run killed before it wrote its staging marker is removed; with a file in it, it is left alone', () => {
    const empty = path.join(cwd, '.out.gen-kkk-999990');
    const notEmpty = path.join(cwd, '.out.gen-lll-999991');
    fs.mkdirSync(empty);
    fs.mkdirSync(notEmpty);
    fs.writeFileSync(path.join(notEmpty, 'important.tf'), 'x');
    synth();
    expect(fs.existsSync(empty)).toBe(false);
    expect(fs.readFileSync(path.join(notEmpty, 'important.tf'), 'utf8')).toBe('x');
  });

  test('a generation killed between its two markers (complete, staging marker still there) is carried over and removed', () => {
    const between = path.join(cwd, '.out.gen-mmm-999989');
    fs.cpSync(generation(), between, { recursive: true });
    fs.writeFileSync(path.join(between, STAGING_MARKER), `${deadPid}\n`);
    fs.writeFileSync(path.join(between, 'stacks', 'auditflow-dev', 'plan.tfplan'), 'saved plan');
    synth();
    expect(fs.existsSync(between)).toBe(false);
    expect(fs.readFileSync(path.join(outdir, 'stacks', 'auditflow-dev', 'plan.tfplan'), 'utf8')).toBe('saved plan');
    expect(fs.existsSync(path.join(outdir, STAGING_MARKER))).toBe(false);
    expect(leftoversBeside(outdir)).toEqual([]);
  });

  test('a generation killed while its output marker was written (a partial marker) is removed', () => {
    const partial = path.join(cwd, '.out.gen-nnn-999988');
    fs.cpSync(generation(), partial, { recursive: true });
    fs.renameSync(path.join(partial, OUTPUT_MARKER), path.join(partial, `${OUTPUT_MARKER}.partial`));
    fs.writeFileSync(path.join(partial, STAGING_MARKER), `${deadPid}\n`);
    synth();
    expect(fs.existsSync(partial)).toBe(false);
    expect(leftoversBeside(outdir)).toEqual([]);
  });

  test('a directory that only looks like a generation (no marker of ours) is left alone', () => {
    const lookalike = path.join(cwd, '.out.gen-2');
    fs.mkdirSync(lookalike);
    fs.writeFileSync(path.join(lookalike, 'important.tf'), 'x');
    synth();
    expect(fs.readFileSync(path.join(lookalike, 'important.tf'), 'utf8')).toBe('x');
  });

  test('a complete generation that was never switched to is removed', () => {
    const unpublished = path.join(cwd, '.out.gen-yyy-999998');
    fs.cpSync(generation(), unpublished, { recursive: true });
    synth();
    expect(fs.existsSync(unpublished)).toBe(false);
    expect(leftoversBeside(outdir)).toEqual([]);
  });

  test('a generation switched away from before its user files were carried over: they are carried now', () => {
    const old = generation();
    fs.mkdirSync(path.join(old, 'stacks', 'auditflow-prod', '.terraform'));
    fs.writeFileSync(path.join(old, 'stacks', 'auditflow-prod', '.terraform', 'terraform.tfstate'), '{}');
    fs.writeFileSync(path.join(old, 'stacks', 'auditflow-prod', 'plan.tfplan'), 'saved plan');
    const newer = path.join(cwd, '.out.gen-newer-999997');
    fs.cpSync(old, newer, { recursive: true, filter: (source) => !source.includes('.terraform') && !source.endsWith('plan.tfplan') });
    fs.symlinkSync(path.basename(newer), path.join(cwd, '.out.link-tmp'));
    fs.renameSync(path.join(cwd, '.out.link-tmp'), outdir);
    synth();
    expect(fs.readFileSync(path.join(outdir, 'stacks', 'auditflow-prod', 'plan.tfplan'), 'utf8')).toBe('saved plan');
    expect(fs.existsSync(path.join(outdir, 'stacks', 'auditflow-prod', '.terraform', 'terraform.tfstate'))).toBe(true);
    expect(fs.existsSync(old)).toBe(false);
    expect(leftoversBeside(outdir)).toEqual([]);
  });

  test('a temporary link, scratch of a killed run and scratch directories of older versions are removed', () => {
    fs.symlinkSync('nowhere', path.join(cwd, '.out.link-abc-1'));
    fs.mkdirSync(path.join(cwd, '.out.evidence-abc-1'));
    fs.writeFileSync(path.join(cwd, '.out.evidence-abc-1', STAGING_MARKER), `${deadPid}\n`);
    fs.mkdirSync(path.join(cwd, 'out.staging-999996', 'stacks', 'auditflow-dev'), { recursive: true });
    fs.writeFileSync(path.join(cwd, 'out.staging-999996', 'stacks', 'auditflow-dev', 'cdk.tf.json'), '{}');
    fs.mkdirSync(path.join(cwd, 'out.evidence-999995'));
    synth();
    expect(leftoversBeside(outdir)).toEqual([]);
  });

  test('a folder named like an old scratch directory but holding other files is left alone', () => {
    fs.mkdirSync(path.join(cwd, 'out.previous-20250101'));
    fs.writeFileSync(path.join(cwd, 'out.previous-20250101', 'important.tf'), 'x');
    synth();
    expect(fs.readFileSync(path.join(cwd, 'out.previous-20250101', 'important.tf'), 'utf8')).toBe('x');
  });

  test("this project's default output directory as an earlier version wrote it is adopted; its user files are kept", () => {
    fs.writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'dynamodb-guardrails' }));
    const plain = path.join(cwd, 'cdktf.out');
    fs.cpSync(generation(), plain, { recursive: true });
    fs.rmSync(path.join(plain, OUTPUT_MARKER));
    fs.mkdirSync(path.join(plain, 'stacks', 'auditflow-dev', '.terraform'));
    fs.writeFileSync(path.join(plain, 'stacks', 'auditflow-dev', '.terraform.lock.hcl'), '# lock');
    synthesizeAll({ outdir: 'cdktf.out', cwd, env: {}, catalogs: [auditFlowCatalog] });
    expect(fs.lstatSync(plain).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(plain, 'stacks', 'auditflow-dev', '.terraform.lock.hcl'), 'utf8')).toBe('# lock');
    expect(leftoversBeside(plain)).toEqual([]);
  });

  test("another project's cdktf.out (default path, but not this project) is refused", () => {
    const theirs = path.join(cwd, 'cdktf.out');
    fs.mkdirSync(path.join(theirs, 'stacks', 'web'), { recursive: true });
    fs.writeFileSync(path.join(theirs, 'manifest.json'), '{"stacks":{"web":{}}}');
    fs.writeFileSync(path.join(theirs, 'stacks', 'web', 'cdk.tf.json'), '{}');
    expect(() => synthesizeAll({ outdir: 'cdktf.out', cwd, env: {}, catalogs: [auditFlowCatalog] })).toThrow('is a non-empty directory that dynamodb-guardrails did not write');
    expect(fs.readFileSync(path.join(theirs, 'stacks', 'web', 'cdk.tf.json'), 'utf8')).toBe('{}');
  });

  test('a neighbouring output whose name starts like ours (cdktf.out.synth-staging) is never touched', () => {
    synthesizeAll({ outdir: 'out.synth-staging', cwd, env: {}, catalogs: [auditFlowCatalog] });
    const theirs = currentTree(path.join(cwd, 'out.synth-staging'))!;
    synth();
    expect(fs.existsSync(theirs)).toBe(true);
    expect(fs.existsSync(path.join(cwd, 'out.synth-staging', 'manifest.json'))).toBe(true);
  });

  test('a folder named like an old scratch directory but numbered beyond any pid is left alone', () => {
    const backup = path.join(cwd, 'out.previous-20250102');
    fs.mkdirSync(path.join(backup, 'stacks', 'auditflow-dev'), { recursive: true });
    fs.writeFileSync(path.join(backup, 'stacks', 'auditflow-dev', 'cdk.tf.json'), '{}');
    synth();
    expect(fs.existsSync(path.join(backup, 'stacks', 'auditflow-dev', 'cdk.tf.json'))).toBe(true);
  });

  test('a deletion a kill interrupted (trash) and stray lock attempts are removed', () => {
    fs.mkdirSync(path.join(cwd, `.out.trash-abc-${deadPid}`, 'stacks'), { recursive: true });
    fs.writeFileSync(path.join(cwd, `.out.lock.${deadPid}.abc123`), `${deadPid}\n`);
    synth();
    expect(leftoversBeside(outdir)).toEqual([]);
  });

  test('the same layout anywhere else is not ours: refused, nothing touched', () => {
    const other = path.join(cwd, 'other-project-out');
    fs.cpSync(generation(), other, { recursive: true });
    fs.rmSync(path.join(other, OUTPUT_MARKER));
    expect(() => synthesizeAll({ outdir: 'other-project-out', cwd, env: {}, catalogs: [auditFlowCatalog] })).toThrow('is a non-empty directory that dynamodb-guardrails did not write');
    expect(fs.existsSync(path.join(other, 'stacks', 'auditflow-dev', 'cdk.tf.json'))).toBe(true);
  });

  test('a stack dropped from the app keeps the files synth did not write, under removed-stacks/', () => {
    synthesizeAll({ outdir: 'out', cwd, env: {}, catalogs: [auditFlowCatalog, mangaAssistCatalog] });
    fs.writeFileSync(path.join(outdir, 'stacks', 'manga-assist-dev', 'notes.txt'), 'mine');
    synthesizeAll({ outdir: 'out', cwd, env: {}, catalogs: [auditFlowCatalog], warn: () => undefined });
    expect(fs.existsSync(path.join(outdir, 'stacks', 'manga-assist-dev'))).toBe(false);
    expect(fs.readFileSync(path.join(outdir, REMOVED_STACKS_FOLDER, 'manga-assist-dev', 'notes.txt'), 'utf8')).toBe('mine');
  });

  test('under the cdktf CLI, a dropped stack leaves an empty directory for the CLI to prune (no ENOENT)', () => {
    synthesizeAll({ outdir: 'out', cwd, env: {}, catalogs: [auditFlowCatalog, mangaAssistCatalog] });
    synthesizeAll({ outdir: 'out', cwd, env: { CDKTF_OUTDIR: outdir, CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true' }, catalogs: [auditFlowCatalog] });
    expect(fs.readdirSync(path.join(outdir, 'stacks', 'manga-assist-dev'))).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks)).not.toContain('manga-assist-dev');
  });
});

describe('what the user has and does is respected', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = fs.mkdtempSync(path.join(scratch, 'user-'));
  });

  test('CDKTF_OUTDIR set by hand (not the cdktf CLI) leaves no placeholder for a dropped stack', () => {
    synthesizeAll({ outdir: 'out', cwd, env: {}, catalogs: [auditFlowCatalog, mangaAssistCatalog] });
    synthesizeAll({ outdir: 'out', cwd, env: { CDKTF_OUTDIR: path.join(cwd, 'out') }, catalogs: [auditFlowCatalog] });
    expect(fs.readdirSync(path.join(cwd, 'out', 'stacks')).sort()).toEqual(['auditflow-dev', 'auditflow-prod', 'auditflow-staging']);
  });

  test('a generation a process works in (terraform plan in a stack directory) is kept until it is free', async () => {
    synthesizeAll({ outdir: 'out', cwd, env: {}, catalogs: [auditFlowCatalog] });
    const busy = currentTree(path.join(cwd, 'out'))!;
    fs.writeFileSync(path.join(busy, 'stacks', 'auditflow-dev', 'plan.tfplan'), 'plan');
    const terraform = spawn('sleep', ['30'], { cwd: path.join(busy, 'stacks', 'auditflow-dev') });
    const warnings: string[] = [];
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      synthesizeAll({ outdir: 'out', cwd, env: {}, catalogs: [auditFlowCatalog], warn: (line) => warnings.push(line) });
      expect(warnings).toContainEqual(expect.stringMatching(new RegExp(`^Warning: kept .*${path.basename(busy)}: process ${terraform.pid} is working in it`)));
      expect(fs.readFileSync(path.join(busy, 'stacks', 'auditflow-dev', 'plan.tfplan'), 'utf8')).toBe('plan');
    } finally {
      terraform.kill('SIGKILL');
      await new Promise((resolve) => terraform.on('close', resolve));
    }
    synthesizeAll({ outdir: 'out', cwd, env: {}, catalogs: [auditFlowCatalog] });
    expect(fs.existsSync(busy)).toBe(false);
    expect(fs.readFileSync(path.join(cwd, 'out', 'stacks', 'auditflow-dev', 'plan.tfplan'), 'utf8')).toBe('plan');
  });

  test('a failed synth into new folders leaves none of them behind', () => {
    expect(() => synthesizeAll({ outdir: 'np1/np2/out', cwd, env: { GUARDRAILS_PROD_ACCOUNT_ID: '1' } })).toThrow();
    expect(() => synthesizeAll({ outdir: 'np1/np2/out', cwd, env: {}, catalogs: [{ ...auditFlowCatalog, tables: [] }] })).toThrow();
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  test('adopting a module tree of an earlier version keeps modules and examples the generator never wrote', () => {
    const tree = path.join(cwd, 'dist', 'terraform-modules');
    fs.writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'dynamodb-guardrails' }));
    for (const file of ['README.md', 'dynamodb-table/main.tf.json', 'examples/README.md', 'dynamodb-stream-consumer/main.tf', 'examples/team-x/main.tf']) {
      fs.mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
      fs.writeFileSync(path.join(tree, file), '# x');
    }
    generateModules({ cwd, outdir: 'dist/terraform-modules' });
    expect(fs.readFileSync(path.join(tree, 'dynamodb-stream-consumer', 'main.tf'), 'utf8')).toBe('# x');
    expect(fs.readFileSync(path.join(tree, 'examples', 'team-x', 'main.tf'), 'utf8')).toBe('# x');
    expect(fs.readFileSync(path.join(tree, 'dynamodb-table', 'main.tf.json'), 'utf8')).not.toBe('# x');
  });

  test('generated modules are a real directory (other teams commit them; git does not follow links)', async () => {
    const first = await runAsync([modulesCli], copy);
    expect(first.status).toBe(0);
    const second = await runAsync([modulesCli], copy);
    expect(second.status).toBe(0);
    const tree = path.join(copy, 'dist', 'terraform-modules');
    expect(fs.lstatSync(tree).isDirectory()).toBe(true);
    expect(fs.existsSync(path.join(tree, OUTPUT_MARKER))).toBe(true);
    expect(fs.readdirSync(path.join(copy, 'dist')).filter((name) => name.startsWith('.terraform-modules'))).toEqual([]);
    execFileSync('git', ['add', '-f', 'dist/terraform-modules'], { cwd: copy });
    expect(execFileSync('git', ['diff', '--cached', '--name-only'], { cwd: copy, encoding: 'utf8' })).toContain('dist/terraform-modules/dynamodb-table/main.tf.json');
    execFileSync('git', ['reset', '-q'], { cwd: copy });
  });
});

describe('failures that are not bad settings still end in one line', () => {
  test('a catalog module that throws while loading names its file', () => {
    expect(() => loadCatalog({ file: 'stacks/catalogs/orders/index.ts', load: () => { throw new TypeError("Cannot read properties of undefined (reading 'id')"); } })).toThrow(
      "catalog file stacks/catalogs/orders/index.ts: (module) = (not set): failed to load: Cannot read properties of undefined (reading 'id')",
    );
  });

  test('a catalog module that exports no catalog', () => {
    expect(() => loadCatalog({ file: 'stacks/catalogs/orders/index.ts', load: () => ({ tables: undefined, x: 1 }) })).toThrow('must export exactly one Catalog');
  });

  test.each([
    [Object.assign(new Error('no space'), { code: 'ENOSPC', syscall: 'write', path: '/x/.cdktf.out.gen-1/stacks/a/cdk.tf.json' }), 'synth failed: cannot write /x/.cdktf.out.gen-1/stacks/a/cdk.tf.json: no space left on the device (ENOSPC)'],
    [Object.assign(new Error('read-only'), { code: 'EROFS', syscall: 'mkdir', path: '/x/.cdktf.out.gen-1' }), 'synth failed: cannot mkdir /x/.cdktf.out.gen-1: the file system is read-only (EROFS)'],
    [Object.assign(new Error('denied'), { code: 'EACCES', syscall: 'rename', path: '/x/a', dest: '/x/b' }), 'synth failed: cannot rename /x/a → /x/b: permission denied (EACCES)'],
    [new TypeError('gsis.map is not a function'), 'synth failed with an internal error: gsis.map is not a function (please report it; set GUARDRAILS_DEBUG=1 to see where)'],
    [new Error('line one\nline two\u001b[2J'), 'synth failed with an internal error: line one\\nline two\\u001b[2J'],
  ])('%p', (error, expected) => {
    const lines = describeFailure(error, 'synth', false);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(expected);
  });
});
