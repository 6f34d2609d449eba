/**
 * One measurement of the scale benchmark, in a process of its own (so its peak RSS is its own): synthesize every stack
 * of the seed catalogs, or of `--tables N` synthetic ones, through synthesizeAll into a temp dir, and print one JSON
 * line: wall and CPU time, peak RSS, stacks and tables.
 *
 *   node --import tsx scale-worker.ts [--tables N [--per-catalog K]] [--cpu-prof-dir <dir>]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { synthesizeAll } from '../../stacks/synth';
import { syntheticCatalogs, syntheticSettingsEnv } from './synthetic-catalogs';

const { values } = parseArgs({ options: { tables: { type: 'string' }, 'per-catalog': { type: 'string', default: '10' } } });
const catalogs = values.tables === undefined ? undefined : syntheticCatalogs(Number(values.tables), Number(values['per-catalog']));
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-scale-'));
try {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const stacks = synthesizeAll({ outdir: 'out', cwd: root, env: catalogs ? syntheticSettingsEnv(catalogs) : {}, ...(catalogs ? { catalogs } : {}) });
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const tables = stacks.reduce((sum, stack) => sum + Object.keys(JSON.parse(fs.readFileSync(path.join(root, 'out', 'stacks', stack, 'cdk.tf.json'), 'utf8')).resource?.aws_dynamodb_table ?? {}).length, 0);
  console.log(JSON.stringify({ wallMs, cpuMs: (used.user + used.system) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024, stacks: stacks.length, tables }));
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
