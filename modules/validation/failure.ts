import { isGuardrailError, printable } from './index';

/** What the operating system's error codes mean to a user, for the few a synth can meet while writing output. */
const FILE_SYSTEM_PROBLEMS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'it is a directory',
  ENOENT: 'no such file or directory',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'the directory is not empty',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links',
};

/**
 * The one line a command prints for a failure (without "Error: "): a GuardrailError as it is, a file-system error with
 * its path and meaning, anything else as an internal error. `debug` adds the stack trace for internal errors.
 */
export function describeFailure(error: unknown, action: string, debug: boolean): string[] {
  // Detail lines are composed of our text and values already escaped by describeValue: not cut like a user's value.
  if (isGuardrailError(error)) return [error.message, ...error.details.map((line) => `  ${line}`)];
  const failure = error as (NodeJS.ErrnoException & { dest?: string }) | undefined;
  const problem = failure?.code ? FILE_SYSTEM_PROBLEMS[failure.code] : undefined;
  if (problem) {
    const where = failure?.path ? `${printable(failure.path)}${failure.dest ? ` → ${printable(failure.dest)}` : ''}` : 'the output';
    return [`${action} failed: cannot ${failure?.syscall ?? 'write'} ${where}: ${problem} (${failure?.code})`];
  }
  const message = printable(failure?.message ?? String(error));
  const lines = [`${action} failed with an internal error: ${message} (please report it; set GUARDRAILS_DEBUG=1 to see where)`];
  if (debug && failure?.stack) lines.push(failure.stack);
  return lines;
}

/** Prints describeFailure's lines on stderr, the first as `Error: ...`: how every command reports a failure. */
export function printFailure(error: unknown, action: string, debug: boolean): void {
  describeFailure(error, action, debug).forEach((line, i) => console.error(i === 0 ? `Error: ${line}` : line));
}

/** "Nothing was written to cdktf.out." — the path quoted when it would otherwise read oddly ('.', spaces, empty). */
export function nothingWrittenTo(outdir: string): string {
  const plain = /^[\w/-][\w./-]*$/.test(outdir) && !outdir.endsWith('.');
  return `Nothing was written to ${plain ? outdir : `'${printable(outdir)}'`}.`;
}
