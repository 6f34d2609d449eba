import { GuardrailError, isResolved, requireIntegerInRange } from '../validation';

/** AWS Backup limits, named so error messages and tests agree with AWS. */
export const MIN_RETENTION_DAYS = 1;
export const MAX_RETENTION_DAYS = 36500;
/** Recovery points moved to cold storage must stay there at least 90 days. */
export const MIN_COLD_STORAGE_DAYS = 90;
/** AWS Backup rejects start windows shorter than one hour. */
export const MIN_START_WINDOW_MINUTES = 60;
/**
 * Conservative: we require a completion window at least one hour longer than the start window (the console's rule),
 * so a job that starts late still has time to finish.
 */
export const MIN_COMPLETION_MARGIN_MINUTES = 60;
export const MAX_WINDOW_MINUTES = 52_560_000;
/** Vault lock grace time (compliance mode): 3 days minimum before the lock becomes immutable. */
export const MIN_CHANGEABLE_FOR_DAYS = 3;
export const MAX_CHANGEABLE_FOR_DAYS = 36500;

export const VAULT_NAME_PATTERN = /^[a-zA-Z0-9_-]{2,50}$/;

const CRON = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/;

/**
 * An AWS Backup schedule: `cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)` in UTC (or in
 * `scheduleExpressionTimezone`), with `?` in exactly one of day-of-month / day-of-week, at a fixed minute (AWS Backup
 * runs a rule at most once an hour).
 */
export function validateSchedule(subject: string, field: string, schedule: string): void {
  if (!isResolved(schedule)) return;
  const match = CRON.exec(schedule);
  const dayOfMonth = match?.[3];
  const dayOfWeek = match?.[5];
  if (!match || (dayOfMonth === '?') === (dayOfWeek === '?')) {
    throw new GuardrailError(subject, field, schedule, "must be an AWS Backup cron expression 'cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)' with '?' in exactly one of day-of-month and day-of-week, e.g. 'cron(0 5 ? * * *)'");
  }
  const minutes = match[1];
  if (!/^\d{1,2}$/.test(minutes) || Number(minutes) > 59) {
    throw new GuardrailError(subject, field, schedule, `must start at a fixed minute (0-59), not '${minutes}': AWS Backup runs a rule at most once an hour`);
  }
}

export function validateRetention(subject: string, field: string, days: number): void {
  requireIntegerInRange(subject, field, days, MIN_RETENTION_DAYS, MAX_RETENTION_DAYS);
}

/** `deleteAfterDays` must leave the recovery point at least 90 days in cold storage. */
export function validateColdStorage(subject: string, fieldPrefix: string, deleteAfterDays: number, coldStorageAfterDays: number | undefined): void {
  if (coldStorageAfterDays === undefined) return;
  validateRetention(subject, `${fieldPrefix}coldStorageAfterDays`, coldStorageAfterDays);
  if (!isResolved(deleteAfterDays) || !isResolved(coldStorageAfterDays)) return;
  const minimum = coldStorageAfterDays + MIN_COLD_STORAGE_DAYS;
  if (deleteAfterDays < minimum) {
    throw new GuardrailError(subject, `${fieldPrefix}deleteAfterDays`, deleteAfterDays, `backups must stay in cold storage for at least ${MIN_COLD_STORAGE_DAYS} days, so deleteAfterDays must be at least coldStorageAfterDays + ${MIN_COLD_STORAGE_DAYS} = ${minimum}`);
  }
}

export function validateWindows(subject: string, fieldPrefix: string, startWindow: number, completionWindow: number): void {
  requireIntegerInRange(subject, `${fieldPrefix}startWindowMinutes`, startWindow, MIN_START_WINDOW_MINUTES, MAX_WINDOW_MINUTES);
  requireIntegerInRange(subject, `${fieldPrefix}completionWindowMinutes`, completionWindow, MIN_START_WINDOW_MINUTES, MAX_WINDOW_MINUTES);
  if (!isResolved(startWindow) || !isResolved(completionWindow)) return;
  if (completionWindow < startWindow + MIN_COMPLETION_MARGIN_MINUTES) {
    throw new GuardrailError(subject, `${fieldPrefix}completionWindowMinutes`, completionWindow, `must be at least ${MIN_COMPLETION_MARGIN_MINUTES} minutes longer than startWindowMinutes (${startWindow})`);
  }
}

export function validateName(subject: string, field: string, name: string, pattern: RegExp, rule: string): void {
  if (!isResolved(name)) return;
  if (!pattern.test(name)) throw new GuardrailError(subject, field, name, rule);
}
