import * as fs from 'fs';
import * as path from 'path';
import { checkSynthesizedStacks } from '../modules/compliance/gate';
import { utcDate } from '../modules/compliance/waivers';
import { buildApp } from './app';
import { Catalog } from './catalogs/types';
import { loadEnvironmentSettings } from './settings/load';
import { ENVIRONMENT_NAMES } from './settings/types';
import { isGuardrailError } from '../modules/validation';

/** Files Terraform keeps in a stack's working directory; synth must never delete them. */
const TERRAFORM_WORKING_FILES = ['.terraform', '.terraform.lock.hcl'];

export interface SynthOptions {
  readonly outdir: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly catalogs?: readonly Catalog[];
  /** Date waivers are checked against (`YYYY-MM-DD`); for tests only, never taken from the environment. @default today (UTC) */
  readonly today?: string;
  /** Receives compliance warnings of non-prod stacks. @default ignored */
  readonly warn?: (line: string) => void;
}

/**
 * All-or-nothing synthesis: build and synthesize every stack into a staging directory next to the output directory,
 * evaluate dynamodb:001–015 on the synthesized JSON (a prod failure throws), and only when everything succeeded move
 * the stacks and their compliance reports into place. An error leaves the output untouched.
 */
export function synthesizeAll(options: SynthOptions): string[] {
  const outdir = path.resolve(options.cwd ?? process.cwd(), options.outdir);
  const settings = loadEnvironmentSettings({ env: options.env, cwd: options.cwd });
  const staging = `${outdir}.staging-${process.pid}`;
  // Compliance is always judged on the JSON form; with --hcl it is synthesized a second time, only to be evaluated.
  const evidence = hclOutputRequested() ? `${outdir}.evidence-${process.pid}` : staging;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.rmSync(evidence, { recursive: true, force: true });
  try {
    withoutTokenStackTraces(!options.env?.GUARDRAILS_DEBUG, () => {
      buildApp({ outdir: staging, settings, catalogs: options.catalogs }).synth();
      if (evidence !== staging) asJson(() => buildApp({ outdir: evidence, settings, catalogs: options.catalogs }).synth());
    });
    const { warnings } = checkSynthesizedStacks(evidence, {
      today: options.today ?? utcDate(),
      settingsFor: (stack) => {
        const environment = ENVIRONMENT_NAMES.find((name) => stack.endsWith(`-${name}`));
        return environment ? { environment, waivers: settings[environment].waivers } : undefined;
      },
    });
    warnings.forEach((line) => options.warn?.(line));
    if (evidence !== staging) copyComplianceReports(evidence, staging);
    return publish(staging, outdir);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(evidence, { recursive: true, force: true });
  }
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

function publish(staging: string, outdir: string): string[] {
  fs.mkdirSync(path.join(outdir, 'stacks'), { recursive: true });
  const stacks = fs.readdirSync(path.join(staging, 'stacks')).sort();
  for (const stack of stacks) {
    const fresh = path.join(staging, 'stacks', stack);
    const current = path.join(outdir, 'stacks', stack);
    for (const keep of TERRAFORM_WORKING_FILES) {
      if (fs.existsSync(path.join(current, keep))) fs.renameSync(path.join(current, keep), path.join(fresh, keep));
    }
    fs.rmSync(current, { recursive: true, force: true });
    fs.renameSync(fresh, current);
  }
  fs.renameSync(path.join(staging, 'manifest.json'), path.join(outdir, 'manifest.json'));
  // Like the cdktf CLI: a stack that is no longer part of the app (a removed catalog) leaves no directory behind.
  for (const stale of fs.readdirSync(path.join(outdir, 'stacks')).filter((stack) => !stacks.includes(stack))) {
    fs.rmSync(path.join(outdir, 'stacks', stale), { recursive: true, force: true });
  }
  return stacks;
}

/** Entry point behaviour: one clear line on stderr and exit code 1 for bad input, never a stack trace. */
export function runSynth(options: SynthOptions): number {
  try {
    const stacks = synthesizeAll({ ...options, warn: (line) => console.error(line) });
    if (!options.env?.CDKTF_OUTDIR) console.log(`Synthesized ${stacks.length} stacks into ${options.outdir}: ${stacks.join(', ')}`);
    return 0;
  } catch (error) {
    if (isGuardrailError(error)) {
      console.error(`Error: ${error.message}`);
    } else {
      console.error(`Error: synth failed: ${(error as Error)?.message ?? String(error)}`);
      if (options.env?.GUARDRAILS_DEBUG) console.error((error as Error)?.stack);
      else console.error('(set GUARDRAILS_DEBUG=1 to see the stack trace)');
    }
    console.error(`Nothing was written to ${options.outdir}.`);
    return 1;
  }
}
