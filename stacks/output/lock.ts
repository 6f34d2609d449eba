import * as fs from 'fs';
import * as path from 'path';
import { GuardrailError } from '../../modules/validation';

/** How long a second run waits for the first one to finish before giving up. */
export const DEFAULT_LOCK_WAIT_MS = 10_000;
const POLL_MS = 100;

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
    try {
      fs.writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      // Two runs may both have removed the same stale lock; only the one whose pid is in the file goes on.
      if (holderOf(lock) === process.pid) return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = holderOf(lock);
    if (holder === undefined ? isOlderThan(lock, 2_000) : !isRunning(holder)) {
      fs.rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new GuardrailError('output', 'lock', lock, `another synth${holder ? ` (process ${holder})` : ''} is writing ${outdir}; wait for it to finish, or delete the lock file if no such process runs`);
    }
    sleep(POLL_MS);
  }
}

function release(lock: string): void {
  if (holderOf(lock) === process.pid) fs.rmSync(lock, { force: true });
}

function holderOf(lock: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(lock, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** A lock file without a pid is being written right now, or was left half-written by a killed run. */
function isOlderThan(file: string, ms: number): boolean {
  try {
    return Date.now() - fs.statSync(file).mtimeMs > ms;
  } catch {
    return true;
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
