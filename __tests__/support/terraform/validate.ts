/**
 * Offline `terraform validate` of a Terraform directory against the real hashicorp/aws schema.
 *
 * Terraform runs in the directory itself (so relative module sources keep working), `terraform init` only for a
 * configuration that calls modules (callsModules), with
 * TF_DATA_DIR in a fresh temp dir: `.terraform/` never lands in the validated directory,
 * and neither does a lock file (reattached providers are not locked; a stray one is removed).
 * The AWS provider is the schema-only server of provider-process.ts, reached through
 * TF_REATTACH_PROVIDERS; any other provider would have to be downloaded, which fails offline.
 *
 * terraformValidate is synchronous (spawnSync): 0.1–0.3 s per directory on a warm server.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REATTACH_ENV, isSchemaProviderRunning, startSchemaProvider, stopSchemaProvider } from './provider-process';
import { hermeticTerraformEnv, jsonLines, terraformBinary } from '../../../stacks/offline-terraform/terraform-cli';

const TERRAFORM = terraformBinary();
const TIMEOUT_MS = 120_000;
const LOCK_FILE = '.terraform.lock.hcl';

export interface TerraformPosition {
  line: number;
  column: number;
  byte: number;
}

export interface TerraformDiagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail: string;
  /** Resource address, when Terraform reports one. */
  address?: string;
  /** Source range; `filename` is relative to the validated directory. */
  range?: { filename: string; start: TerraformPosition; end: TerraformPosition };
  /** The offending source line and its enclosing block, when Terraform reports them. */
  snippet?: { context: string | null; code: string; start_line: number };
}

export interface TerraformValidation {
  dir: string;
  valid: boolean;
  errorCount: number;
  warningCount: number;
  /** Diagnostics of `terraform validate -json`, or of `terraform init` when init failed. */
  diagnostics: TerraformDiagnostic[];
  /** Human-readable messages of `terraform init`; empty when it was not needed (no module calls). */
  initOutput: string;
  durationMs: number;
}

/** Runs `fn` with a schema provider running: reuses a running one, or starts one and stops it afterwards. */
export async function withSchemaProvider<T>(fn: () => Promise<T>): Promise<T> {
  if (isSchemaProviderRunning()) return fn();
  await startSchemaProvider();
  try {
    return await fn();
  } finally {
    await stopSchemaProvider();
  }
}

/**
 * Validates one directory of Terraform configuration (`*.tf`, `*.tf.json`, e.g. a cdktf stack dir).
 * Throws only when the check itself cannot run (no provider server, no terraform, no config files);
 * an invalid configuration is a normal result with `valid: false`.
 */
export function terraformValidate(dir: string): TerraformValidation {
  const started = Date.now();
  const configDir = path.resolve(dir);
  assertHasConfiguration(configDir);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-tf-data-'));
  const hadLockFile = fs.existsSync(path.join(configDir, LOCK_FILE));
  const env = terraformEnv(dataDir);

  try {
    let initOutput = '';
    if (callsModules(configDir)) {
      const init = runTerraform(configDir, env, ['init', '-backend=false', '-input=false', '-json']);
      const initLog = jsonLines(init.stdout) as Array<Record<string, unknown> & { diagnostic?: unknown }>;
      initOutput = initLog.map((entry) => String(entry['@message'] ?? '')).join('\n');
      if (init.status !== 0) {
        const diagnostics = initLog.flatMap((entry) => (entry.diagnostic ? [toDiagnostic(entry.diagnostic)] : []));
        if (diagnostics.length === 0) {
          diagnostics.push({ severity: 'error', summary: 'terraform init failed', detail: `${init.stdout}${init.stderr}`.trim() });
        }
        return summarize(configDir, diagnostics, `${initOutput}\n${init.stderr}`.trim(), started);
      }
    }

    const validate = runTerraform(configDir, env, ['validate', '-json', '-no-color']);
    let report: { diagnostics?: unknown[] };
    try {
      report = JSON.parse(validate.stdout) as { diagnostics?: unknown[] };
    } catch {
      throw new Error(`terraform validate did not print JSON (exit ${validate.status}):\n${validate.stdout}${validate.stderr}`);
    }
    return summarize(configDir, (report.diagnostics ?? []).map(toDiagnostic), initOutput, started);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (!hadLockFile) fs.rmSync(path.join(configDir, LOCK_FILE), { force: true });
  }
}

/**
 * Whether the configuration calls modules, which only `terraform init` installs. Without module calls init has
 * nothing to do here: the backend is skipped (-backend=false) and the reattached provider is not installed. Validate
 * checks the Terraform version constraint itself.
 */
function callsModules(dir: string): boolean {
  return fs.readdirSync(dir).some((name) => {
    const text = name.endsWith('.tf') || name.endsWith('.tf.json') ? fs.readFileSync(path.join(dir, name), 'utf8') : '';
    if (name.endsWith('.tf')) return /^\s*module\s+"/m.test(text);
    try {
      return name.endsWith('.tf.json') && 'module' in (JSON.parse(text) as object);
    } catch {
      return true; // not JSON: init and validate report it in Terraform's words
    }
  });
}

function assertHasConfiguration(dir: string): void {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`);
  if (!fs.readdirSync(dir).some((name) => name.endsWith('.tf') || name.endsWith('.tf.json'))) {
    throw new Error(`${dir} contains no Terraform configuration (*.tf or *.tf.json)`);
  }
}

function terraformEnv(dataDir: string): NodeJS.ProcessEnv {
  const reattach = process.env[REATTACH_ENV];
  if (!reattach || !isSchemaProviderRunning()) {
    throw new Error(
      `No schema-only AWS provider is running (${REATTACH_ENV} unset or its process gone): ` +
        'run under Jest (its global setup starts one) or wrap the call in withSchemaProvider().',
    );
  }
  return hermeticTerraformEnv({ TF_REATTACH_PROVIDERS: reattach, TF_DATA_DIR: dataDir });
}

function runTerraform(cwd: string, env: NodeJS.ProcessEnv, args: string[]) {
  const result = spawnSync(TERRAFORM, args, { cwd, env, encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    const reason = (result.error as NodeJS.ErrnoException).code === 'ENOENT' ? `"${TERRAFORM}" is not on PATH` : result.error.message;
    throw new Error(`could not run terraform ${args[0]}: ${reason}`);
  }
  return result;
}


function toDiagnostic(raw: unknown): TerraformDiagnostic {
  const d = raw as Partial<TerraformDiagnostic> & { snippet?: TerraformDiagnostic['snippet'] | null };
  return {
    severity: d.severity === 'warning' ? 'warning' : 'error',
    summary: d.summary ?? '',
    detail: d.detail ?? '',
    ...(d.address ? { address: d.address } : {}),
    ...(d.range ? { range: d.range } : {}),
    ...(d.snippet ? { snippet: { context: d.snippet.context, code: d.snippet.code, start_line: d.snippet.start_line } } : {}),
  };
}

function summarize(dir: string, diagnostics: TerraformDiagnostic[], initOutput: string, started: number): TerraformValidation {
  const errorCount = diagnostics.filter((d) => d.severity === 'error').length;
  return {
    dir,
    valid: errorCount === 0,
    errorCount,
    warningCount: diagnostics.length - errorCount,
    diagnostics,
    initOutput,
    durationMs: Date.now() - started,
  };
}

/** Terraform-style text for one diagnostic, e.g. for failure messages and the CLI. */
export function formatDiagnostic(d: TerraformDiagnostic): string {
  const lines = [`${d.severity === 'error' ? 'Error' : 'Warning'}: ${d.summary}`];
  if (d.range) lines.push(`  on ${d.range.filename} line ${d.range.start.line}${d.snippet?.context ? `, in ${d.snippet.context}` : ''}:`);
  if (d.snippet) {
    const first = d.snippet.start_line;
    d.snippet.code.split('\n').forEach((code, i) => lines.push(`  ${first + i}: ${code}`));
  }
  if (d.detail) lines.push('', ...d.detail.split('\n').map((line) => `  ${line}`));
  return lines.join('\n');
}
