/**
 * `terraform console` against the schema-only provider: evaluates expressions of a root module offline, including
 * module outputs that depend only on inputs and locals, and checks every variable validation with the literal
 * values of the module calls, the way `terraform plan` does (`terraform validate` skips rules that read other
 * variables). Needs the provider of Jest's global setup.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REATTACH_ENV, isSchemaProviderRunning } from '../support/terraform/provider-process';
import { hermeticTerraformEnv, terraformBinary } from '../../stacks/offline-terraform/terraform-cli';

const TERRAFORM = terraformBinary();
const ANSI = /\u001b\[[0-9;]*m/g;

export interface ConsoleResult {
  /** Console output lines; evaluate one expression per call (with piped input only the last result is printed); use `jsonencode(...)` for structured values. */
  readonly values: string[];
  /** Error summaries Terraform printed (e.g. `Invalid value for variable`). */
  readonly errors: string[];
  /** The whole diagnostic output, ANSI colours removed. */
  readonly stderr: string;
}

export function terraformConsole(dir: string, expressions: readonly string[]): ConsoleResult {
  if (!isSchemaProviderRunning()) throw new Error('no schema-only AWS provider is running (run under Jest)');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-tf-console-'));
  const env = hermeticTerraformEnv({ TF_REATTACH_PROVIDERS: process.env[REATTACH_ENV], TF_DATA_DIR: dataDir });
  try {
    const init = spawnSync(TERRAFORM, ['init', '-backend=false', '-input=false', '-no-color'], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
    if (init.status !== 0) throw new Error(`terraform init failed in ${dir}:\n${init.stdout}${init.stderr}`);
    const run = spawnSync(TERRAFORM, ['console'], { cwd: dir, env, encoding: 'utf8', input: `${expressions.join('\n')}\n`, timeout: 120_000 });
    const stderr = run.stderr.replace(ANSI, '');
    const errors = [...stderr.matchAll(/Error: ([^\n]+)/g)].map((m) => m[1].trim());
    const values = run.stdout.replace(ANSI, '').split('\n').filter((line) => line.trim().length > 0);
    return { values, errors, stderr };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(path.join(dir, '.terraform.lock.hcl'), { force: true });
  }
}

/** A console value of `jsonencode(x)`: a quoted string holding JSON. */
export function parseJsonencoded(line: string): unknown {
  return JSON.parse(JSON.parse(line) as string);
}
