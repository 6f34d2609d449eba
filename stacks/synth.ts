import * as fs from 'fs';
import * as path from 'path';
import { checkSynthesizedStacks } from '../modules/compliance/gate';
import { utcDate } from '../modules/compliance/waivers';
import { buildApp } from './app';
import { checkedCatalogs, shippedCatalogs } from './catalogs/registry';
import { Catalog } from './catalogs/types';
import { loadEnvironmentSettings } from './settings/load';
import { ENVIRONMENT_NAMES, EnvironmentName } from './settings/types';
import { requireOwnAccountArns } from './foreign-accounts';
import { nothingWrittenTo, printFailure } from '../modules/validation';
import { writeOutput } from './output';

export interface SynthOptions {
  readonly outdir: string;
  /** Names the output setting in errors. @default 'environment variable CDKTF_OUTDIR' when set, else 'synth' */
  readonly outdirSource?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly catalogs?: readonly Catalog[];
  /** Date waivers are checked against (`YYYY-MM-DD`); for tests only, never taken from the environment. @default today (UTC) */
  readonly today?: string;
  /** Receives compliance warnings of non-prod stacks and notes about the output directory. @default ignored */
  readonly warn?: (line: string) => void;
  /** How long to wait for another synth writing the same output. @default DEFAULT_LOCK_WAIT_MS */
  readonly lockWaitMs?: number;
  /** Set to true once the new output is in place (so a later failure does not claim that nothing was written). */
  readonly progress?: { published: boolean };
}

/**
 * All-or-nothing synthesis: build and synthesize every stack into a new output generation beside the output
 * directory, evaluate dynamodb:001–015 on the synthesized JSON (a prod failure throws), and only when everything
 * succeeded switch the output directory to it (stacks/output). An error leaves the output untouched.
 */
export function synthesizeAll(options: SynthOptions): string[] {
  const cwd = options.cwd ?? process.cwd();
  const catalogs = options.catalogs ? checkedCatalogs(options.catalogs) : shippedCatalogs();
  const settings = loadEnvironmentSettings({ env: options.env, cwd: options.cwd, catalogs });
  const warn = options.warn ?? (() => undefined);
  const setting = { source: options.outdirSource ?? (options.env?.CDKTF_OUTDIR !== undefined ? 'environment variable CDKTF_OUTDIR' : 'synth'), value: options.outdir };
  // The cdktf CLI (which passes CDKTF_OUTDIR) always sets this too; a user setting CDKTF_OUTDIR by hand does not.
  const underCdktfCli = options.env?.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined;
  const { result } = writeOutput(
    { setting, cwd, kind: 'synth', warn, lockWaitMs: options.lockWaitMs, leaveRemovedStackDirectories: underCdktfCli },
    (generation, scratch) => {
      // Compliance is always judged on the JSON form; with --hcl it is synthesized a second time, only to be evaluated.
      const evidence = hclOutputRequested() ? scratch('evidence') : generation;
      withoutTokenStackTraces(!options.env?.GUARDRAILS_DEBUG, () => {
        buildApp({ outdir: generation, settings, catalogs: options.catalogs }).synth();
        if (evidence !== generation) asJson(() => buildApp({ outdir: evidence, settings, catalogs: options.catalogs }).synth());
      });
      for (const stack of fs.readdirSync(path.join(evidence, 'stacks'))) {
        const environment = environmentOf(stack);
        if (environment) requireOwnAccountArns(path.join(evidence, 'stacks', stack), stack, environment, settings[environment].accountId);
      }
      const { warnings } = checkSynthesizedStacks(evidence, {
        today: options.today ?? utcDate(),
        settingsFor: (stack) => {
          const environment = environmentOf(stack);
          return environment ? { environment, waivers: settings[environment].waivers } : undefined;
        },
      });
      warnings.forEach((line) => warn(line));
      if (evidence !== generation) copyComplianceReports(evidence, generation);
      return fs.readdirSync(path.join(generation, 'stacks')).sort();
    },
    options.progress,
  );
  return result;
}

function environmentOf(stack: string): EnvironmentName | undefined {
  return ENVIRONMENT_NAMES.find((name) => stack.endsWith(`-${name}`));
}

/** `cdktf synth --hcl` asks for HCL through this variable, which cdktf's stacks read when they are constructed. */
function hclOutputRequested(): boolean {
  return process.env.SYNTH_HCL_OUTPUT === 'true' || process.env.SYNTH_HCL_OUTPUT === '1';
}

function asJson(fn: () => void): void {
  const requested = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = 'false';
  try {
    fn();
  } finally {
    if (requested === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = requested;
  }
}

/** The reports evaluated on the JSON form go next to the HCL (they name resources by address, as the HCL does). */
function copyComplianceReports(from: string, to: string): void {
  for (const stack of fs.readdirSync(path.join(from, 'stacks'))) {
    for (const file of fs.readdirSync(path.join(from, 'stacks', stack)).filter((name) => name.startsWith('compliance.'))) {
      fs.copyFileSync(path.join(from, 'stacks', stack, file), path.join(to, 'stacks', stack, file));
    }
  }
}

/**
 * cdktf records a full stack trace for every token it creates, only to explain token errors; formatting those traces
 * is a fifth of synth time. Our validation errors never need them, so they are skipped unless GUARDRAILS_DEBUG is set.
 */
function withoutTokenStackTraces(skip: boolean, fn: () => void): void {
  if (!skip) return fn();
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = () => '';
  try {
    fn();
  } finally {
    Error.prepareStackTrace = previous;
  }
}

/** Entry point behaviour: one clear line on stderr and exit code 1 for bad input, never a stack trace. */
export function runSynth(options: SynthOptions): number {
  const progress = { published: false };
  try {
    const stacks = synthesizeAll({ ...options, progress, warn: (line) => console.error(line) });
    if (!options.env?.CDKTF_OUTDIR) console.log(`Synthesized ${stacks.length} stacks into ${options.outdir}: ${stacks.join(', ')}`);
    return 0;
  } catch (error) {
    printFailure(error, 'synth', Boolean(options.env?.GUARDRAILS_DEBUG));
    if (!progress.published) console.error(nothingWrittenTo(options.outdir));
    return 1;
  }
}
