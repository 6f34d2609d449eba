/**
 * A real `terraform plan` of a directory with no AWS account and no network: Terraform core evaluates the
 * configuration (variables and their validations, locals, modules, count/for_each, preconditions, postconditions,
 * check, import and moved blocks) and asks the offline provider (provider-service.ts), served in this process, for
 * each planned value. `terraform show -json` of the plan is the result.
 *
 * While it runs, one override file (OVERRIDE_FILE) sits in the directory: it points the backend at a local state file
 * in a temp dir, so no configured backend (S3, Terraform Cloud…) is contacted and no state is written anywhere else.
 * Terraform's own data (`.terraform/`) goes to a temp dir; the lock file Terraform writes is removed, or put back as it
 * was. All of it is undone afterwards, also when the process is interrupted (SIGINT, SIGTERM).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JsonProviderSchema, readProviderSchema } from './provider-schema';
import { OfflineProviderOptions, RunningProvider, serveOfflineProvider } from './provider-service';
import { DataSourceStandIns } from './values';
import { isRunning } from '../output/process-identity';
import { hermeticTerraformEnv, jsonLines, terraformBinary } from './terraform-cli';

export const OVERRIDE_FILE = 'zz_dynamodb_guardrails_offline_override.tf.json';
const LOCK_FILE = '.terraform.lock.hcl';
const TIMEOUT_MS = 300_000;

export interface OfflinePlanOptions {
  /** Stand-in values of data sources, per type (values.ts). @default placeholders */
  readonly dataSources?: DataSourceStandIns;
  /** A Terraform state (the JSON of a `terraform.tfstate`) to plan against, e.g. to see `moved` blocks at work. */
  readonly state?: object;
  /** `-var-file` arguments, relative to the directory or absolute. */
  readonly varFiles?: readonly string[];
  /** `-var name=value` arguments. */
  readonly vars?: Readonly<Record<string, string>>;
  /** @default terraformBinary() */
  readonly terraform?: string;
  readonly log?: OfflineProviderOptions['log'];
  /** The provider schema to serve. @default the whole hashicorp/aws 6.25.0 schema */
  readonly schema?: JsonProviderSchema;
}

/** A diagnostic as `terraform plan -json` prints it. */
export interface PlanDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail: string;
  readonly address?: string;
  readonly range?: { readonly filename: string; readonly start: { readonly line: number; readonly column: number } };
}

export interface OfflinePlanResult {
  /** `terraform show -json` of the saved plan; absent when init or plan failed. */
  readonly plan?: PlanJson;
  readonly diagnostics: readonly PlanDiagnostic[];
  /** The step that failed, when one did. */
  readonly failedStep?: 'init' | 'plan' | 'show';
}

/** The parts of Terraform's JSON plan format this project reads (Terraform docs, "JSON Output Format"). */
export interface PlanJson {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly planned_values?: { readonly root_module?: PlanModule };
  readonly resource_changes?: readonly ResourceChange[];
  readonly configuration?: { readonly root_module?: ConfigModule };
  readonly prior_state?: unknown;
  readonly checks?: readonly unknown[];
}
export interface PlanModule {
  readonly address?: string;
  readonly resources?: readonly PlannedResource[];
  readonly child_modules?: readonly PlanModule[];
}
export interface PlannedResource {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly values?: Record<string, unknown>;
}
export interface ResourceChange {
  readonly address: string;
  readonly previous_address?: string;
  readonly module_address?: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly change: {
    readonly actions: readonly string[];
    readonly after?: unknown;
    readonly after_unknown?: unknown;
    readonly importing?: { readonly id?: string };
  };
}
export interface ConfigModule {
  readonly resources?: readonly ConfigResource[];
  readonly module_calls?: Readonly<Record<string, { readonly source?: string; readonly module?: ConfigModule }>>;
}
export interface ConfigResource {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly expressions?: Record<string, unknown>;
}

/** Plans `dir` offline. Throws only when the plan cannot be attempted (no terraform binary, another plan running there). */
export async function offlinePlan(dir: string, options: OfflinePlanOptions = {}): Promise<OfflinePlanResult> {
  const configDir = path.resolve(dir);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-offline-plan-'));
  const override = path.join(configDir, OVERRIDE_FILE);
  const lockFile = path.join(configDir, LOCK_FILE);
  const lockText = fs.existsSync(lockFile) ? fs.readFileSync(lockFile) : undefined;
  const stateFile = path.join(scratch, 'terraform.tfstate');
  let provider: RunningProvider | undefined;
  let claimed = false;
  const cleanUp = () => {
    provider?.stop();
    if (claimed) fs.rmSync(override, { force: true });
    // Terraform records the providers it used in the lock file: the user's file is put back as it was.
    if (lockText === undefined) fs.rmSync(lockFile, { force: true });
    else fs.writeFileSync(lockFile, lockText);
    fs.rmSync(scratch, { recursive: true, force: true });
  };
  // Interrupted (Ctrl-C in a terminal, a cancelled CI job): nothing is left in the user's directory.
  const onSignal = (signal: NodeJS.Signals) => {
    cleanUp();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    claimOverrideFile(override, stateFile);
    claimed = true;
    if (options.state) fs.writeFileSync(stateFile, JSON.stringify(options.state));
    provider = await serveOfflineProvider(options.schema ?? readProviderSchema(), path.join(scratch, 'provider.sock'), { dataSources: options.dataSources, log: options.log });
    const terraform = terraformRunner(configDir, options.terraform, { TF_REATTACH_PROVIDERS: provider.reattach, TF_DATA_DIR: path.join(scratch, 'data') });
    const init = await terraform(['init', '-input=false', '-json']);
    if (init.status !== 0) return { diagnostics: diagnosticsOf(init, 'terraform init failed'), failedStep: 'init' };

    const planFile = path.join(scratch, 'plan.tfplan');
    const varArgs = [...(options.varFiles ?? []).map((file) => `-var-file=${file}`), ...Object.entries(options.vars ?? {}).map(([name, value]) => `-var=${name}=${value}`)];
    const plan = await terraform(['plan', '-input=false', '-lock=false', '-json', `-out=${planFile}`, ...varArgs]);
    if (plan.status !== 0) return { diagnostics: diagnosticsOf(plan, 'terraform plan failed'), failedStep: 'plan' };

    const show = await terraform(['show', '-json', planFile]);
    if (show.status !== 0) return { diagnostics: diagnosticsOf(show, 'terraform show failed'), failedStep: 'show' };
    return { plan: JSON.parse(show.stdout) as PlanJson, diagnostics: diagnosticsOf(plan, '').filter((d) => d.severity === 'warning') };
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    cleanUp();
  }
}

/**
 * Creates the override file, or refuses when another offline plan of the same directory holds it (two plans at once
 * would read each other's backend). A file left by a process that no longer runs is replaced.
 */
function claimOverrideFile(override: string, stateFile: string): void {
  const content = `${JSON.stringify({ '//': { 'dynamodb-guardrails offline plan': { pid: process.pid } }, terraform: { backend: { local: { path: stateFile } } } }, null, 2)}\n`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(override, content, { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = ownerOf(override);
      if (owner !== undefined && owner !== process.pid && isRunning(owner)) {
        throw new Error(`another offline plan (process ${owner}) is running in ${path.dirname(override)}; wait for it to finish`);
      }
      fs.rmSync(override, { force: true });
    }
  }
  throw new Error(`could not create ${override}`);
}

function ownerOf(override: string): number | undefined {
  try {
    const pid = (JSON.parse(fs.readFileSync(override, 'utf8')) as { '//'?: Record<string, { pid?: unknown }> })['//']?.['dynamodb-guardrails offline plan']?.pid;
    return typeof pid === 'number' ? pid : undefined;
  } catch {
    return undefined;
  }
}


interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs terraform asynchronously (the provider answers from this process's event loop meanwhile). */
function terraformRunner(cwd: string, binary: string | undefined, extraEnv: NodeJS.ProcessEnv) {
  const command = binary ?? terraformBinary();
  const env = hermeticTerraformEnv(extraEnv);
  return (args: readonly string[]): Promise<Run> =>
    new Promise((resolve, reject) => {
      const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new Error(error.code === 'ENOENT' ? `terraform was not found ("${command}" is not on PATH; set GUARDRAILS_TERRAFORM_BIN)` : `could not run terraform ${args[0]}: ${error.message}`));
      });
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr });
      });
    });
}

/** The diagnostics of a `-json` run (one JSON object per line), or one made of its output when it printed none. */
function diagnosticsOf(run: Run, fallbackSummary: string): PlanDiagnostic[] {
  const diagnostics = jsonLines(run.stdout).flatMap((entry) => (entry.diagnostic ? [entry.diagnostic as PlanDiagnostic] : []));
  if (diagnostics.length === 0 && fallbackSummary && run.status !== 0) {
    return [{ severity: 'error', summary: fallbackSummary, detail: `${run.stdout}${run.stderr}`.trim() }];
  }
  return diagnostics;
}
