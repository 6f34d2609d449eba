/**
 * Prints speed and memory figures for the targets in the README (it never fails a build; read the numbers).
 *
 *   npm run bench [-- --runs 3] [--tables N [--per-catalog K]] [--profile <dir>]
 *
 * - The seed catalogs (9 stacks), measured as `npm run synth` (esbuild compiles main.ts to dist/app/main.js, then node
 *   runs it) in a scratch output directory.
 * - Synthetic catalogs of a platform team (synthetic-catalogs.ts: 10 tables per catalog by default, each with two
 *   GSIs, TTL and a stream, a role, resource policies and an endpoint per catalog, three environments), synthesized
 *   through synthesizeAll in a process of their own (scale-worker.ts): N = 10, 100 and 1000 tables, or `--tables N`.
 * - `--profile <dir>` writes a V8 CPU profile of each synthetic run there (open it in Chrome DevTools).
 *
 * Each figure is the median of `--runs` runs (peak RSS: the largest). Wall and CPU time of a child and its peak RSS are
 * read with python3's getrusage(RUSAGE_CHILDREN), because Node cannot report them for a finished child.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { governanceBundleZipSize } from '../../modules/governance/bundle';

const ROOT = path.resolve(__dirname, '..', '..');
const TARGET = { seedSeconds: 1.2, seedPeakMb: 400, thousandSeconds: 15, thousandPeakMb: 500, bundleKb: 150 };
const DEFAULT_SIZES = [10, 100, 1000];

const MEASURE = [
  'import resource, subprocess, sys, time',
  'start = time.monotonic()',
  'run = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)',
  'usage = resource.getrusage(resource.RUSAGE_CHILDREN)',
  'print(run.returncode, time.monotonic() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)',
  'print(run.stdout.decode())',
].join('\n');

interface Sample {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakMb: number;
  /** The child's last stdout line (scale-worker's JSON). */
  readonly output: string;
}

function measure(command: string[], env: NodeJS.ProcessEnv): Sample {
  const result = spawnSync('python3', ['-c', MEASURE, ...command], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.error || result.status !== 0) throw new Error(`could not run python3 to measure: ${result.error?.message ?? result.stderr}`);
  const [first, ...rest] = result.stdout.split('\n');
  const [code, seconds, cpuSeconds, maxRssKb] = first.trim().split(' ').map(Number);
  if (code !== 0) throw new Error(`${command.join(' ')} exited with ${code}:\n${result.stderr}`);
  return { seconds, cpuSeconds, peakMb: maxRssKb / 1024, output: rest.filter((line) => line.trim() !== '').pop() ?? '' };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function summary(samples: readonly Sample[]) {
  return { seconds: median(samples.map((s) => s.seconds)), cpuSeconds: median(samples.map((s) => s.cpuSeconds)), peakMb: Math.max(...samples.map((s) => s.peakMb)) };
}

function seedSynth(runs: number): void {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-bench-'));
  try {
    const env = { ...process.env, CDKTF_OUTDIR: path.join(outdir, 'cdktf.out'), CHECKPOINT_DISABLE: '1' };
    const s = summary(Array.from({ length: runs }, () => measure(['npm', 'run', '--silent', 'synth'], env)));
    const stacks = fs.readdirSync(path.join(outdir, 'cdktf.out', 'stacks')).length;
    console.log(`npm run synth, seed catalogs (${stacks} stacks, ${runs} runs, ${os.cpus().length} cores)`);
    console.log(`  wall ${s.seconds.toFixed(2)} s (target <= ${TARGET.seedSeconds} s), CPU ${s.cpuSeconds.toFixed(2)} s, peak RSS ${s.peakMb.toFixed(0)} MB (target <= ${TARGET.seedPeakMb} MB)`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function scale(tables: number, perCatalog: number, runs: number, profileDir: string | undefined): void {
  const worker = path.join(__dirname, 'scale-worker.ts');
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(profileDir)] : [];
  const samples = Array.from({ length: runs }, () => measure([process.execPath, ...profile, '--import', 'tsx', worker, '--tables', String(tables), '--per-catalog', String(perCatalog)], process.env));
  const s = summary(samples);
  const { stacks } = JSON.parse(samples[0].output) as { stacks: number };
  const target = tables === 1000 ? ` (target <= ${TARGET.thousandSeconds} s, <= ${TARGET.thousandPeakMb} MB)` : '';
  console.log(
    `  ${String(tables).padStart(5)} tables, ${String(stacks).padStart(3)} stacks: wall ${s.seconds.toFixed(2).padStart(6)} s, CPU ${s.cpuSeconds.toFixed(2).padStart(6)} s, peak RSS ${s.peakMb.toFixed(0).padStart(4)} MB, ${((s.seconds * 1000) / tables).toFixed(1)} ms per table${target}`,
  );
}

function wholeNumber(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} needs a whole number of at least 1, got '${text}'`);
  return value;
}

function main(): void {
  const { values } = parseArgs({ options: { runs: { type: 'string' }, tables: { type: 'string' }, 'per-catalog': { type: 'string' }, profile: { type: 'string' } } });
  const runs = wholeNumber(values.runs, '--runs', 3);
  const perCatalog = wholeNumber(values['per-catalog'], '--per-catalog', 10);
  const sizes = values.tables === undefined ? DEFAULT_SIZES : [wholeNumber(values.tables, '--tables', 0)];
  if (values.tables === undefined) seedSynth(runs);
  console.log(`synthesizeAll, synthetic catalogs of ${perCatalog} tables, three environments (median of ${runs} runs)`);
  for (const tables of sizes) scale(tables, perCatalog, runs, values.profile);
  if (values.tables === undefined) console.log(`governance Lambda bundle: ${(governanceBundleZipSize() / 1024).toFixed(1)} KB zipped (target <= ${TARGET.bundleKb} KB)`);
}

try {
  main();
} catch (error) {
  console.error(`bench: ${(error as Error).message}`);
  process.exitCode = 1;
}
