import * as fs from 'fs';
import * as path from 'path';
import { ComplianceError, StackComplianceReport } from '../modules/compliance/evaluate';
import { checkSynthesizedStacks, GATE_FILE } from '../modules/compliance/gate';
import { TerraformJson } from '../modules/compliance/types';
import { utcDate } from '../modules/compliance/waivers';
import { buildApp } from './app';
import { checkedCatalogs, shippedCatalogFiles, shippedCatalogs } from './catalogs/registry';
import { explainFindings, repositoryPrefixOf } from './finding-sources';
import { settingsWarnings } from './settings/advice';
import { repairedCdktfHcl, terraformFmtAll } from './hcl-text';
import { Catalog } from './catalogs/types';
import { CONFIG_FILE_NAME, loadEnvironmentSettings, selectedCatalogNames } from './settings/load';
import { ENVIRONMENT_NAMES, environmentOfStack } from './settings/types';
import { requireOwnAccountArns, SynthesizedStack } from './foreign-accounts';
import { GuardrailError, nothingWrittenTo, printFailure } from '../modules/validation';
import { nearest } from '../modules/validation/schema';
import { stackSummaryLines } from './synth-summary';
import { writeOutput } from './output';
import { withoutTokenStackTraces } from './token-stack-traces';

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

/** What one synthesis produced. */
export interface SynthResult {
  readonly stacks: readonly string[];
  readonly reports: readonly StackComplianceReport[];
  /** Prod failures; with onProdFailure 'block' their stacks were written with the blocking gate file. */
  readonly blocked?: ComplianceError;
  /** Resource counts by type, per stack, from the evaluated JSON. */
  readonly resourceCounts: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/**
 * All-or-nothing synthesis: build and synthesize every stack into a new output generation beside the output
 * directory, evaluate dynamodb:001–015 on the synthesized JSON (a prod failure throws), and only when everything
 * succeeded switch the output directory to it (stacks/output). An error leaves the output untouched.
 */
export function synthesizeAll(options: SynthOptions): string[] {
  return [...synthesize(options, 'throw').stacks];
}

/**
 * synthesizeAll, where a failing prod stack either throws (nothing is published) or, with 'block', is published with
 * the gate file that stops every plan of it, its reports marked as failing (modules/compliance/gate.ts).
 */
export function synthesize(options: SynthOptions, onProdFailure: 'throw' | 'block'): SynthResult {
  const cwd = options.cwd ?? process.cwd();
  const catalogs = catalogsToBuild(options);
  const settings = loadEnvironmentSettings({ env: options.env, cwd: options.cwd, catalogs });
  const warn = options.warn ?? (() => undefined);
  const advice = settingsWarnings(settings);
  const setting = { source: options.outdirSource ?? (options.env?.CDKTF_OUTDIR !== undefined ? 'environment variable CDKTF_OUTDIR' : 'synth'), value: options.outdir };
  // The cdktf CLI (which passes CDKTF_OUTDIR) always sets this too; a user setting CDKTF_OUTDIR by hand does not.
  const underCdktfCli = options.env?.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined;
  const { result } = writeOutput(
    { setting, cwd, kind: 'synth', warn, lockWaitMs: options.lockWaitMs, leaveRemovedStackDirectories: underCdktfCli },
    (generation, scratch): SynthResult => {
      // Compliance is always judged on the JSON form; with --hcl it is synthesized a second time, only to be evaluated.
      const evidence = hclOutputRequested() ? scratch('evidence') : generation;
      withoutTokenStackTraces(() => {
        buildApp({ outdir: generation, settings, catalogs }).synth();
        if (evidence !== generation) asJson(() => buildApp({ outdir: evidence, settings, catalogs }).synth());
      }, !options.env?.GUARDRAILS_DEBUG);
      if (evidence !== generation) tidyHcl(generation, warn);
      const resourceCounts = new Map<string, Map<string, number>>();
      const inspect = (stack: string, terraformJson: TerraformJson) => {
        const json = terraformJson as SynthesizedStack;
        const environment = environmentOfStack(stack)!;
        requireOwnAccountArns(json, stack, environment, settings[environment].accountId, settings[environment].trustedAccountIds);
        resourceCounts.set(stack, new Map(Object.entries(json.resource ?? {}).map(([type, entries]) => [type, Object.keys(entries).length])));
      };
      const { warnings, reports, blocked } = checkSynthesizedStacks(evidence, {
        inspect,
        today: options.today ?? utcDate(),
        settingsFor: (stack) => {
          const environment = environmentOfStack(stack);
          return environment ? { environment, waivers: settings[environment].waivers } : undefined;
        },
        onProdFailure,
        explain: explainFindings(catalogs, { root: cwd, catalogFiles: options.catalogs ? new Map() : shippedCatalogFiles(), settingsFile: settingsFileOf(options.env ?? {}, cwd), repositoryPrefix: repositoryPrefixOf(cwd) }),
      });
      [...advice, ...warnings].forEach((line) => warn(line));
      if (evidence !== generation) copyComplianceReports(evidence, generation);
      return { stacks: fs.readdirSync(path.join(generation, 'stacks')).sort(), reports, blocked, resourceCounts };
    },
    options.progress,
  );
  return result;
}

/** The settings file in use, relative to the project, when it exists (see loadEnvironmentSettings). */
function settingsFileOf(env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const file = path.resolve(cwd, env.GUARDRAILS_CONFIG || CONFIG_FILE_NAME);
  const relative = path.relative(cwd, file);
  // A file outside the project is no location a code-scanning tool can show.
  return fs.existsSync(file) && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : undefined;
}

/** The catalogs given, or those of the catalog folder that the settings select (`catalogs`, GUARDRAILS_CATALOGS). */
function catalogsToBuild(options: Pick<SynthOptions, 'catalogs' | 'env' | 'cwd'>): readonly Catalog[] {
  const available = options.catalogs ? checkedCatalogs(options.catalogs) : shippedCatalogs();
  const selected = selectedCatalogNames({ env: options.env, cwd: options.cwd }, available.map((catalog) => catalog.name));
  return selected ? available.filter((catalog) => selected.includes(catalog.name)) : available;
}


/**
 * `--hcl` output as Terraform itself writes it: references unquoted (no "Quoted references are deprecated" warnings),
 * conditions as blocks, and `terraform fmt`-clean. Formatting needs the terraform binary (which `cdktf synth --hcl` users have for deploying);
 * without it the files stay unformatted, with one warning.
 */
function tidyHcl(generation: string, warn: (line: string) => void): void {
  const files = fs
    .readdirSync(path.join(generation, 'stacks'))
    .map((stack) => path.join(generation, 'stacks', stack, 'cdk.tf'))
    .filter((file) => fs.existsSync(file));
  const unquoted = files.map((file) => repairedCdktfHcl(fs.readFileSync(file, 'utf8')));
  const formatted = terraformFmtAll(unquoted);
  files.forEach((file, i) => fs.writeFileSync(file, formatted?.[i] ?? unquoted[i]));
  if (formatted === undefined && files.length > 0) warn(`Warning: ${files.length} cdk.tf file(s) are not formatted: terraform was not found (set GUARDRAILS_TERRAFORM_BIN, or run terraform fmt -recursive)`);
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
    for (const file of fs.readdirSync(path.join(from, 'stacks', stack)).filter((name) => name.startsWith('compliance'))) {
      fs.copyFileSync(path.join(from, 'stacks', stack, file), path.join(to, 'stacks', stack, file));
    }
  }
}

export interface RunSynthOptions extends SynthOptions {
  /** `--stack <name>`: the stacks whose result decides the exit code and the summary. @default every stack */
  readonly stacks?: readonly string[];
}

/**
 * Entry point behaviour: one clear line on stderr and exit code 1 for bad input, never a stack trace. A prod stack that
 * fails the compliance gate is still written, blocked (its plans fail), with its reports marked as failing; the exit
 * code is 1 when a selected stack is blocked, except under the cdktf CLI, where the blocked stack's own plan is the
 * stop and other stacks can still be diffed and deployed.
 */
export function runSynth(options: RunSynthOptions): number {
  const progress = { published: false };
  const today = options.today ?? utcDate();
  const debug = Boolean(options.env?.GUARDRAILS_DEBUG);
  try {
    const selected = options.stacks && requireKnownStacks(options.stacks, options);
    const result = synthesize({ ...options, today, progress, warn: (line) => console.error(line) }, 'block');
    const chosen = selected ?? result.stacks;
    const underCdktfCli = options.env?.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined;
    if (!options.env?.CDKTF_OUTDIR) {
      console.log(`Synthesized ${result.stacks.length} stacks into ${options.outdir}${selected ? ` (selected: ${selected.join(', ')})` : ''}:`);
      for (const stack of chosen) stackSummaryLines(result.reports.find((r) => r.stack === stack), stack, result.resourceCounts.get(stack) ?? new Map(), today).forEach((line) => console.log(line));
    }
    const allBlocked = [...new Set((result.blocked?.failures ?? []).map((failure) => failure.stack))];
    const failures = (result.blocked?.failures ?? []).filter((failure) => chosen.includes(failure.stack));
    const unselected = allBlocked.filter((stack) => !chosen.includes(stack));
    if (unselected.length > 0) console.error(`Note: ${unselected.join(', ')} (not selected) failed the compliance gate and ${unselected.length === 1 ? 'is' : 'are'} blocked; see ${unselected.length === 1 ? 'its' : 'their'} compliance.md.`);
    if (failures.length === 0) return 0;
    const blockedStacks = [...new Set(failures.map((failure) => failure.stack))];
    if (underCdktfCli) {
      console.error(`Warning: ${blockedStacks.join(', ')} failed the compliance gate and ${blockedStacks.length === 1 ? 'is' : 'are'} blocked: Terraform cannot init or plan ${blockedStacks.length === 1 ? 'it' : 'them'} until the findings in compliance.md are fixed or waived.`);
      return 0;
    }
    printFailure(new ComplianceError('prod', failures), 'synth', debug);
    console.error(`The output was written with the reports; ${blockedStacks.join(', ')} ${blockedStacks.length === 1 ? 'carries' : 'carry'} ${GATE_FILE}, so Terraform cannot init or plan ${blockedStacks.length === 1 ? 'it' : 'them'}.`);
    return 1;
  } catch (error) {
    printFailure(error, 'synth', debug);
    if (!progress.published) console.error(nothingWrittenTo(options.outdir));
    return 1;
  }
}

/** `--stack` names must be stacks the catalogs make (`<catalog>-<env>`). */
function requireKnownStacks(requested: readonly string[], options: SynthOptions): string[] {
  const catalogs = catalogsToBuild(options);
  const known = catalogs.flatMap((catalog) => ENVIRONMENT_NAMES.map((env) => `${catalog.name}-${env}`));
  for (const stack of requested) {
    if (!known.includes(stack)) {
      const suggestion = nearest(stack, known);
      throw new GuardrailError('synth', '--stack', stack, `is not a stack; ${suggestion ? `did you mean '${suggestion}'? ` : ''}the stacks are ${known.join(', ')}`);
    }
  }
  return [...new Set(requested)];
}
