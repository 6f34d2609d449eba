/**
 * Starts/stops one AWS DynamoDB Local (real Java emulator) for a whole Jest run.
 *
 * Called from __tests__/support/global-setup.ts / global-teardown.ts. Global setup and teardown may not share
 * module state, so everything stop needs is passed through process.env (which Jest workers inherit, too):
 *   GUARDRAILS_DDB_LOCAL_ENDPOINT     http://127.0.0.1:<port>   (read by ./client.ts)
 *   GUARDRAILS_DDB_LOCAL_PID          PID of the JVM
 *   GUARDRAILS_DDB_LOCAL_SCRATCH_DIR  temp working directory of the JVM (removed on stop)
 *
 * The JVM runs ./LocalhostLauncher.java (compiled once into the cache) so Jetty binds 127.0.0.1 only.
 * Its stdin is a pipe from this process: if this process dies without teardown, the JVM sees EOF and exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DDB_LOCAL_ENDPOINT_ENV, localDynamoDbClient } from './client';
import { DYNAMODB_LOCAL_VERSION, dynamoDbLocalCacheDir, ensureDynamoDbLocal, type DynamoDbLocalInstallation } from './fetch-emulator';
import { isRunning } from '../../../stacks/output/lock';

export const DDB_LOCAL_PID_ENV = 'GUARDRAILS_DDB_LOCAL_PID';
export const DDB_LOCAL_SCRATCH_ENV = 'GUARDRAILS_DDB_LOCAL_SCRATCH_DIR';

const LISTEN_HOST = '127.0.0.1';
const LAUNCHER_CLASS = 'LocalhostLauncher';
const LAUNCHER_SOURCE = path.join(__dirname, `${LAUNCHER_CLASS}.java`);
const READY_MARKER = 'DYNAMODB_LOCAL_READY';
const SCRATCH_PREFIX = 'guardrails-ddb-local-';
const LOG_FILE = 'dynamodb-local.log';
/** PID of the Node process that owns a scratch dir; lets later runs remove dirs orphaned by a killed run. */
const OWNER_FILE = 'owner.pid';
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const START_ATTEMPTS = 3;
/** Launcher exit code when Jetty cannot start (e.g. the port was taken between picking and binding it). */
const EXIT_START_FAILED = 2;

/** The JVM started by this module instance, if any (a strong reference keeps its stdin pipe open). */
let child: ChildProcess | undefined;

export async function startDynamoDbLocal(): Promise<void> {
  const runningPid = Number(process.env[DDB_LOCAL_PID_ENV]);
  if (runningPid && process.env[DDB_LOCAL_ENDPOINT_ENV] && isAlive(runningPid)) return; // already started

  const external = process.env[DDB_LOCAL_ENDPOINT_ENV];
  if (external && !runningPid) {
    // An endpoint supplied from outside (e.g. a DynamoDB Local container): use it, don't start or stop anything.
    await waitUntilServing(external, Date.now() + READY_TIMEOUT_MS, () => undefined);
    return;
  }

  await removeOrphanedScratchDirs();
  const install = await ensureDynamoDbLocal((message) => process.stderr.write(`${message}\n`));
  const launcherDir = await ensureLauncherCompiled(install);

  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt += 1) {
    try {
      await startOnce(install, launcherDir, await findFreePort());
      return;
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortTakenError)) break;
    }
  }
  throw lastError;
}

export async function stopDynamoDbLocal(): Promise<void> {
  const pid = Number(process.env[DDB_LOCAL_PID_ENV]);
  const scratchDir = process.env[DDB_LOCAL_SCRATCH_ENV];
  try {
    if (pid) await terminate(pid);
  } finally {
    if (scratchDir) await removeScratchDir(scratchDir);
    if (pid) delete process.env[DDB_LOCAL_ENDPOINT_ENV]; // never remove an externally supplied endpoint
    delete process.env[DDB_LOCAL_PID_ENV];
    delete process.env[DDB_LOCAL_SCRATCH_ENV];
    child = undefined;
  }
}

class PortTakenError extends Error {}

async function startOnce(install: DynamoDbLocalInstallation, launcherDir: string, port: number): Promise<void> {
  const endpoint = `http://${LISTEN_HOST}:${port}`;
  const scratchDir = await fsp.mkdtemp(path.join(os.tmpdir(), SCRATCH_PREFIX));
  const logPath = path.join(scratchDir, LOG_FILE);
  await fsp.writeFile(path.join(scratchDir, OWNER_FILE), String(process.pid));
  const logFile = await fsp.open(logPath, 'w');

  let proc: ChildProcess;
  try {
    proc = spawn(javaTool('java'), javaArgs(install, launcherDir, port), {
      cwd: scratchDir,
      env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
      stdio: ['pipe', logFile.fd, logFile.fd],
      windowsHide: true,
    });
  } finally {
    await logFile.close(); // the child keeps its own descriptors
  }

  let exited: string | undefined;
  let exitCode: number | null = null;
  let spawnError: Error | undefined;
  proc.on('error', (error) => (spawnError = error));
  proc.on('exit', (code, signal) => {
    exitCode = code;
    exited = signal ?? `exit code ${code}`;
  });
  const failureReason = () => (spawnError ? `cannot run java: ${spawnError.message}` : exited ? `JVM ended (${exited})` : undefined);

  try {
    await waitForReadyLine(logPath, Date.now() + READY_TIMEOUT_MS, failureReason);
    await waitUntilServing(endpoint, Date.now() + READY_TIMEOUT_MS, failureReason);
  } catch (error) {
    proc.kill('SIGKILL');
    const log = readLogTail(logPath);
    await fsp.rm(scratchDir, { recursive: true, force: true });
    const message = `DynamoDB Local did not start on ${endpoint}: ${(error as Error).message}\n--- DynamoDB Local output ---\n${log}`;
    if (exitCode === EXIT_START_FAILED && /BindException|Address already in use/i.test(log)) throw new PortTakenError(message);
    throw new Error(message);
  }

  // Don't let the JVM (or the pipe to its stdin) keep the Jest process alive; teardown stops it.
  proc.unref();
  (proc.stdin as unknown as net.Socket | null)?.unref?.();
  child = proc;

  process.env[DDB_LOCAL_ENDPOINT_ENV] = endpoint;
  process.env[DDB_LOCAL_PID_ENV] = String(proc.pid);
  process.env[DDB_LOCAL_SCRATCH_ENV] = scratchDir;
}

function javaArgs(install: DynamoDbLocalInstallation, launcherDir: string, port: number): string[] {
  return [
    // Startup-oriented JVM settings: no perf-data mmap file, C1 only (tests are short), small-footprint GC.
    '-XX:-UsePerfData',
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    '-Djava.net.preferIPv4Stack=true',
    `-Djava.library.path=${install.libDir}`,
    `-Dddblocal.host=${LISTEN_HOST}`,
    '-Dddblocal.exitOnStdinEof=true',
    '-cp',
    [launcherDir, install.jarPath, path.join(install.libDir, '*')].join(path.delimiter),
    LAUNCHER_CLASS,
    '-inMemory',
    '-sharedDb',
    '-disableTelemetry',
    '-port',
    String(port),
  ];
}

/** `$JAVA_HOME/bin/<tool>` when JAVA_HOME is set, else `<tool>` from PATH. */
function javaTool(tool: 'java' | 'javac'): string {
  const home = process.env.JAVA_HOME;
  const exe = process.platform === 'win32' ? `${tool}.exe` : tool;
  if (home && existsSync(path.join(home, 'bin', exe))) return path.join(home, 'bin', exe);
  return tool;
}

/**
 * Compiles LocalhostLauncher.java once into `.cache/dynamodb-local/launcher-<hash>/` (hash of the source and the
 * DynamoDB Local version, so edits recompile). Compiled into a staging dir and renamed, like the emulator fetch.
 */
async function ensureLauncherCompiled(install: DynamoDbLocalInstallation): Promise<string> {
  const source = readFileSync(LAUNCHER_SOURCE);
  const hash = createHash('sha256').update(source).update(DYNAMODB_LOCAL_VERSION).digest('hex').slice(0, 16);
  const cacheDir = dynamoDbLocalCacheDir();
  const outDir = path.join(cacheDir, `launcher-${hash}`);
  if (existsSync(path.join(outDir, `${LAUNCHER_CLASS}.class`))) return outDir;

  await fsp.mkdir(cacheDir, { recursive: true });
  const stagingDir = await fsp.mkdtemp(path.join(cacheDir, '.staging-launcher-'));
  try {
    const classpath = [install.jarPath, path.join(install.libDir, '*')].join(path.delimiter);
    await new Promise<void>((resolve, reject) => {
      const javac = spawn(javaTool('javac'), ['--release', '11', '-nowarn', '-d', stagingDir, '-cp', classpath, LAUNCHER_SOURCE], {
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
      let output = '';
      javac.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      javac.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      javac.on('error', (error) => reject(new Error(`dynamodb-local: cannot run javac: ${error.message}`)));
      javac.on('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`dynamodb-local: javac ${LAUNCHER_CLASS}.java failed (exit ${code}):\n${output}`)),
      );
    });
    await fsp.chmod(stagingDir, 0o755); // mkdtemp makes it 0700
    try {
      await fsp.rename(stagingDir, outDir);
    } catch (error) {
      if (!existsSync(path.join(outDir, `${LAUNCHER_CLASS}.class`))) throw error; // else: a concurrent run won
    }
  } finally {
    await fsp.rm(stagingDir, { recursive: true, force: true });
  }
  return outDir;
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LISTEN_HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not determine a free port'))));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitForReadyLine(logPath: string, deadline: number, failureReason: () => string | undefined): Promise<void> {
  for (;;) {
    const failure = failureReason();
    if (failure) throw new Error(failure);
    if (readLogTail(logPath).includes(READY_MARKER)) return;
    if (Date.now() > deadline) throw new Error(`no "${READY_MARKER}" line within ${READY_TIMEOUT_MS} ms`);
    await sleep(25);
  }
}

/** Polls ListTables until the endpoint answers like DynamoDB. */
async function waitUntilServing(endpoint: string, deadline: number, failureReason: () => string | undefined): Promise<void> {
  const client = localDynamoDbClient({ endpoint, maxAttempts: 1, requestHandler: { connectionTimeout: 1_000, requestTimeout: 5_000 } });
  try {
    for (;;) {
      const failure = failureReason();
      if (failure) throw new Error(failure);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`ListTables on ${endpoint} kept failing: ${(error as Error).message}`);
      }
      await sleep(50);
    }
  } finally {
    client.destroy();
  }
}

function readLogTail(logPath: string, maxChars = 8_000): string {
  try {
    const text = readFileSync(logPath, 'utf8');
    return text.length > maxChars ? text.slice(-maxChars) : text;
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  // Our own child may be a not-yet-reaped zombie for a moment; its exit status is authoritative.
  if (child?.pid === pid && (child.exitCode !== null || child.signalCode !== null)) return false;
  return isRunning(pid);
}

/** Only signal a PID that is demonstrably our launcher JVM (guards against a recycled PID). */
function isOurLauncher(pid: number): boolean {
  if (child?.pid === pid && child.exitCode === null && child.signalCode === null) return true;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(LAUNCHER_CLASS);
  } catch {
    // No procfs (e.g. macOS): the PID came from our own environment variable; trust it if it is alive.
    return process.platform !== 'linux' && isAlive(pid);
  }
}

async function terminate(pid: number): Promise<void> {
  if (!isAlive(pid) || !isOurLauncher(pid)) return;
  process.kill(pid, 'SIGTERM');
  if (await waitForExit(pid, STOP_TIMEOUT_MS)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return; // exited in between
  }
  await waitForExit(pid, STOP_TIMEOUT_MS);
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/**
 * Scratch dirs whose owning Node process is gone (killed before teardown; its JVM exits on stdin EOF by itself).
 */
async function removeOrphanedScratchDirs(): Promise<void> {
  const tmp = os.tmpdir();
  const entries = await fsp.readdir(tmp).catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((name) => name.startsWith(SCRATCH_PREFIX))
      .map(async (name) => {
        const dir = path.join(tmp, name);
        const owner = Number(await fsp.readFile(path.join(dir, OWNER_FILE), 'utf8').catch(() => ''));
        if (owner > 0 && owner !== process.pid && !isAlive(owner)) await removeScratchDir(dir);
      }),
  );
}

/** Removes the JVM's scratch dir — only if it really is one of ours under the OS temp dir. */
async function removeScratchDir(dir: string): Promise<void> {
  const resolved = path.resolve(dir);
  if (path.dirname(resolved) !== path.resolve(os.tmpdir()) || !path.basename(resolved).startsWith(SCRATCH_PREFIX)) return;
  await fsp.rm(resolved, { recursive: true, force: true });
}
