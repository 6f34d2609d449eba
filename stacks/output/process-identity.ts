import * as fs from 'fs';

/**
 * Who a recorded process was: its pid and, on Linux, its start time (field 22 of /proc/<pid>/stat), so a pid that
 * a container or a long uptime gave to another process is not mistaken for the run that wrote the record (in a
 * container every first process is pid 1).
 */
export function ownIdentity(): string {
  const start = startTimeOf(process.pid);
  return start === undefined ? `${process.pid}` : `${process.pid}:${start}`;
}

/** Whether the process recorded as `identity` (`<pid>` or `<pid>:<start>`) still runs. */
export function identityRunning(identity: string): boolean {
  const [pidText, start] = identity.trim().split(':');
  const pid = Number.parseInt(pidText, 10);
  if (!Number.isInteger(pid) || pid <= 0 || pid > MAX_PID) return false;
  if (!isRunning(pid)) return false;
  if (start === undefined) return true;
  const current = startTimeOf(pid);
  return current === undefined || current === start;
}

export function pidOf(identity: string | undefined): number | undefined {
  const pid = Number.parseInt(identity ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Linux's PID_MAX_LIMIT: a larger number was never a pid (a folder named `cdktf.out.previous-20250102`). */
export const MAX_PID = 4_194_304;

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function startTimeOf(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
