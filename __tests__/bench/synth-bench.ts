/**
 * Prints speed and memory figures for the targets in the README (it never fails a build; read the numbers).
 *
 *   npm run bench [-- --runs 5]
 *
 * Synth is measured as `npm run synth` (esbuild compiles main.ts to dist/app/main.js, then node runs it), in a scratch
 * output directory.
 * Wall time is measured here; peak RSS is the child's maximum resident set size, read with python3's
 * getrusage(RUSAGE_CHILDREN) because Node cannot report it for a finished child.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { governanceBundleZipSize } from '../../modules/governance/bundle';

const ROOT = path.resolve(__dirname, '..', '..');
const TARGET = { synthSeconds: 3, synthPeakMb: 400, bundleKb: 150 };

const MEASURE = [
  'import resource, subprocess, sys, time',
  'start = time.monotonic()',
  'code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode',
  'print(code, time.monotonic() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)',
].join('\n');

function measure(command: string[], env: NodeJS.ProcessEnv): { seconds: number; peakMb: number } {
  const result = spawnSync('python3', ['-c', MEASURE, ...command], { cwd: ROOT, env, encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new Error(`could not run python3 to measure: ${result.error?.message ?? result.stderr}`);
  const [code, seconds, maxRssKb] = result.stdout.trim().split(' ').map(Number);
  if (code !== 0) throw new Error(`${command.join(' ')} exited with ${code}`);
  return { seconds, peakMb: maxRssKb / 1024 };
}

function main(): void {
  const runsFlag = process.argv.indexOf('--runs');
  const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 5;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs needs a whole number of at least 1, got '${process.argv[runsFlag + 1]}'`);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-bench-'));
  try {
    const env = { ...process.env, CDKTF_OUTDIR: path.join(outdir, 'cdktf.out'), CHECKPOINT_DISABLE: '1' };
    const samples = Array.from({ length: runs }, () => measure(['npm', 'run', '--silent', 'synth'], env));
    const seconds = samples.map((s) => s.seconds).sort((a, b) => a - b);
    const peak = Math.max(...samples.map((s) => s.peakMb));
    const stacks = fs.readdirSync(path.join(outdir, 'cdktf.out', 'stacks')).length;
    console.log(`npm run synth (${stacks} stacks, ${runs} runs, ${os.cpus().length} cores)`);
    console.log(`  wall time: median ${seconds[Math.floor(runs / 2)].toFixed(2)} s, max ${seconds[runs - 1].toFixed(2)} s (target <= ${TARGET.synthSeconds} s)`);
    console.log(`  peak RSS:  ${peak.toFixed(0)} MB (target <= ${TARGET.synthPeakMb} MB)`);
    console.log(`governance Lambda bundle: ${(governanceBundleZipSize() / 1024).toFixed(1)} KB zipped (target <= ${TARGET.bundleKb} KB)`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  console.error(`bench: ${(error as Error).message}`);
  process.exitCode = 1;
}
