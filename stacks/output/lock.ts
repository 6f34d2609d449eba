import * as fs from 'fs';
import * as path from 'path';
import { escapeRegExp, GuardrailError } from '../../modules/validation';
import { identityRunning, isRunning, ownIdentity, pidOf } from './process-identity';

export { isRunning } from './process-identity';

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
    if (createWithIdentity(lock)) return;
    const content = readLock(lock);
    if (content === 'gone') continue; // released between our attempt and the read: try again at once
    const stale = content === 'unreadable' ? false : pidOf(content) === undefined ? isOlderThan(lock, STALE_BREAKER_MS) : !identityRunning(content);
    if (stale && typeof content === 'string') {
      breakStaleLock(lock, content);
      continue;
    }
    if (Date.now() >= deadline) {
      const holder = content === 'unreadable' ? ' (its lock file cannot be read)' : pidOf(content) ? ` (process ${pidOf(content)})` : '';
      throw new GuardrailError('output', 'lock', lock, `another synth${holder} is writing ${outdir}; wait for it to finish, or delete the lock file if no such process runs`);
    }
    sleep(POLL_MS);
  }
}

/** The lock's content; `gone` when it no longer exists, `unreadable` when it exists but cannot be read as a file. */
function readLock(lock: string): string | 'gone' | 'unreadable' {
  try {
    return fs.readFileSync(lock, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' && !isLink(lock) ? 'gone' : 'unreadable';
  }
}

function isLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Creates `file` holding our identity (pid and start time), atomically and only if it does not exist: the content is
 * written to a private file first (`<lock>.<pid>.<random>`, removed by the next run if a kill leaves it) and then
 * hard-linked into place, so no reader ever sees a lock without its holder.
 */
function createWithIdentity(file: string): boolean {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  fs.writeFileSync(temporary, `${ownIdentity()}\n`);
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
  if (!createWithIdentity(breaker)) {
    if (isOlderThan(breaker, STALE_BREAKER_MS)) fs.rmSync(breaker, { force: true });
    else sleep(10);
    return;
  }
  try {
    if (readLock(lock) === staleContent) fs.rmSync(lock, { force: true });
  } finally {
    fs.rmSync(breaker, { force: true });
  }
}

function release(lock: string): void {
  const content = readLock(lock);
  if (typeof content === 'string' && content.trim() === ownIdentity()) fs.rmSync(lock, { force: true });
}

/** Private files of lock attempts a kill interrupted (`.<base>.lock.<pid>.<random>`, `.lock.break.<pid>.<random>`). */
export function removeStaleLockAttempts(outdir: string): void {
  const parent = path.dirname(outdir);
  const pattern = new RegExp(`^\\.${escapeRegExp(path.basename(outdir))}\\.lock(\\.break)?\\.(\\d+)\\.[a-z0-9]+$`);
  for (const name of fs.readdirSync(parent)) {
    const match = pattern.exec(name);
    if (match && !isRunning(Number(match[2]))) fs.rmSync(path.join(parent, name), { force: true });
  }
}

function isOlderThan(file: string, ms: number): boolean {
  try {
    return Date.now() - fs.statSync(file).mtimeMs > ms;
  } catch {
    return false;
  }
}


function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
