import * as fs from 'fs';
import * as path from 'path';
import { GuardrailError } from '../../modules/validation';

/** How long a second run waits for the first one to finish before giving up. */
export const DEFAULT_LOCK_WAIT_MS = 10_000;
const POLL_MS = 100;
/** A breaker (see breakStaleLock) is held for microseconds; one this old was left by a killed run. */
const STALE_BREAKER_MS = 5_000;

/** The lock of an output directory: a file beside it holding the pid of the process writing it. */
export function lockPathOf(outdir: string): string {
  return path.join(path.dirname(outdir), `.${path.basename(outdir)}.lock`);
}

/**
 * Runs `fn` while holding the exclusive lock of `outdir`. A lock left by a process that no longer runs (killed) is
 * taken over; a live holder is waited for up to `waitMs`, then the run fails with one line naming the holder.
 */
export function withOutputLock<T>(outdir: string, fn: () => T, waitMs = DEFAULT_LOCK_WAIT_MS): T {
  const lock = lockPathOf(outdir);
  acquire(lock, outdir, waitMs);
  try {
    return fn();
  } finally {
    release(lock);
  }
}

function acquire(lock: string, outdir: string, waitMs: number): void {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (createWithPid(lock)) return;
    const content = readOrUndefined(lock);
    if (content === undefined) continue; // released between our attempt and the read: try again at once
    const holder = pidIn(content);
    if (holder === undefined ? isOlderThan(lock, STALE_BREAKER_MS) : !isRunning(holder)) {
      breakStaleLock(lock, content);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new GuardrailError('output', 'lock', lock, `another synth${holder ? ` (process ${holder})` : ''} is writing ${outdir}; wait for it to finish, or delete the lock file if no such process runs`);
    }
    sleep(POLL_MS);
  }
}

/**
 * Creates `file` holding our pid, atomically and only if it does not exist: the content is written to a private file
 * first and then hard-linked into place, so no reader ever sees a lock without its pid.
 */
function createWithPid(file: string): boolean {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  fs.writeFileSync(temporary, `${process.pid}\n`);
  try {
    fs.linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/**
 * Removes a lock whose holder is gone. Two runs may find the same stale lock; a breaker (itself created atomically)
 * lets only one of them check and remove it, so a lock another run has just taken is never removed by mistake.
 */
function breakStaleLock(lock: string, staleContent: string): void {
  const breaker = `${lock}.break`;
  if (!createWithPid(breaker)) {
    if (isOlderThan(breaker, STALE_BREAKER_MS)) fs.rmSync(breaker, { force: true });
    else sleep(10);
    return;
  }
  try {
    if (readOrUndefined(lock) === staleContent) fs.rmSync(lock, { force: true });
  } finally {
    fs.rmSync(breaker, { force: true });
  }
}

function release(lock: string): void {
  if (pidIn(readOrUndefined(lock)) === process.pid) fs.rmSync(lock, { force: true });
}

function readOrUndefined(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function pidIn(content: string | undefined): number | undefined {
  const pid = Number.parseInt(content ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isOlderThan(file: string, ms: number): boolean {
  try {
    return Date.now() - fs.statSync(file).mtimeMs > ms;
  } catch {
    return false;
  }
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
