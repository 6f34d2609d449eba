/**
 * Starts and stops the schema-only hashicorp/aws provider process (see schema-provider-server.ts).
 *
 * State lives in process.env, not in module variables: Jest's globalSetup and
 * globalTeardown may load this module separately, and Jest workers inherit the env
 * of the process that ran globalSetup.
 *
 *   GUARDRAILS_TF_REATTACH      the TF_REATTACH_PROVIDERS JSON for Terraform
 *   GUARDRAILS_TF_PROVIDER_PID  the server's PID (to stop it)
 *   GUARDRAILS_TF_PROVIDER_DIR  the temp dir holding its unix socket (removed on stop)
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isRunning } from '../../../stacks/output/process-identity';

export const REATTACH_ENV = 'GUARDRAILS_TF_REATTACH';
const PID_ENV = 'GUARDRAILS_TF_PROVIDER_PID';
const DIR_ENV = 'GUARDRAILS_TF_PROVIDER_DIR';

const SERVER_SCRIPT = path.join(__dirname, 'schema-provider-server.ts');
const READY_PREFIX = 'READY '; // the server's stdout line once it listens
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;


const providerPid = (): number | undefined => (process.env[PID_ENV] ? Number(process.env[PID_ENV]) : undefined);

/** True when a provider started by this process tree (env vars set) is still running. */
export function isSchemaProviderRunning(): boolean {
  const pid = providerPid();
  return Boolean(process.env[REATTACH_ENV]) && pid !== undefined && isRunning(pid);
}

/**
 * Spawns the server (unless one is already running) and publishes its reattach JSON in process.env. With
 * `projectServicesOnly` (Jest's global setup) it serves only the AWS services the project uses (test-schema.ts).
 */
export async function startSchemaProvider(options: { readonly projectServicesOnly?: boolean } = {}): Promise<void> {
  if (isSchemaProviderRunning()) return;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-tf-provider-'));
  const socket = path.join(dir, 'provider.sock');
  const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
  const child = spawn(
    process.execPath,
    ['--import', tsxLoader, SERVER_SCRIPT, '--socket', socket, '--parent-pid', String(process.pid), ...(options.projectServicesOnly ? [] : ['--all-types'])],
    // GUARDRAILS_TF_PROVIDER_LOG=1 makes the server log each RPC; show that on our stderr.
    { stdio: ['ignore', 'pipe', process.env.GUARDRAILS_TF_PROVIDER_LOG ? 'inherit' : 'pipe'] },
  );

  let reattach: string;
  try {
    reattach = await waitForReady(child);
  } catch (error) {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  // Keep draining its output, and don't let the server keep this process alive.
  child.stdout?.resume();
  child.stderr?.resume();
  child.unref();
  for (const stream of [child.stdout, child.stderr]) if (stream instanceof Socket) stream.unref();

  process.env[REATTACH_ENV] = reattach;
  process.env[PID_ENV] = String(child.pid);
  process.env[DIR_ENV] = dir;
}

function waitForReady(child: ReturnType<typeof spawn>): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const fail = (reason: string) => {
      clearTimeout(timer);
      reject(new Error(`schema provider did not start: ${reason}${stderr ? `\n${stderr.trim()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`no ready line within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.startsWith(READY_PREFIX));
      if (!line) return;
      clearTimeout(timer);
      child.stdout?.removeAllListeners('data');
      child.stderr?.removeAllListeners('data');
      child.removeAllListeners('exit');
      resolve(line.slice(READY_PREFIX.length).trim());
    });
    child.on('error', (error) => fail(error.message));
    child.on('exit', (code, signal) => fail(`exited with ${signal ?? `code ${code}`}`));
  });
}

/** Stops the server started by startSchemaProvider (SIGTERM, then SIGKILL) and clears the env vars. */
export async function stopSchemaProvider(): Promise<void> {
  const pid = providerPid();
  const dir = process.env[DIR_ENV];
  if (pid !== undefined && isRunning(pid)) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (isRunning(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  delete process.env[REATTACH_ENV];
  delete process.env[PID_ENV];
  delete process.env[DIR_ENV];
}
