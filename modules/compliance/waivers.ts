import { GuardrailError } from '../validation';
import { isRequirementId, RequirementId, STACK_RESOURCE } from './types';

/**
 * An accepted exception to one requirement, kept in the environment settings next to the reason and an expiry date
 * so it is reviewed again. It never changes a finding's status: a waived finding stays NON_COMPLIANT and carries
 * the waiver, and reports show it as waived.
 */
export interface Waiver {
  /** `dynamodb:001` … `dynamodb:015`. */
  readonly requirement: RequirementId;
  /**
   * Terraform address the waiver covers (`aws_dynamodb_table.documents`; blocks inside it such as
   * `aws_dynamodb_table.documents.replica[eu-west-1]` are covered too), `(stack)` for stack-wide findings, or `*` for
   * every resource.
   */
  readonly resource: string;
  /** Why the exception is acceptable (at least 10 characters). */
  readonly reason: string;
  /** Last day (UTC) the waiver counts, `YYYY-MM-DD`. */
  readonly expires: string;
  /** Only this stack (`orders-prod`) of the environment; two catalogs can have the same address. @default every stack */
  readonly stack?: string;
}

/** The waivers that apply to one stack: those for every stack of the environment and those naming it. */
export function waiversOfStack(waivers: readonly Waiver[], stack: string): Waiver[] {
  return waivers.filter((waiver) => waiver.stack === undefined || waiver.stack === stack);
}

/** Where the waivers came from, for error messages (`settings file guardrails.config.json`, `environments.prod.waivers`). */
export interface WaiverSource {
  readonly subject: string;
  readonly field: string;
}

export const MIN_WAIVER_REASON_LENGTH = 10;
export const WAIVER_FIELDS = ['requirement', 'resource', 'reason', 'expires', 'stack'] as const;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// `aws_dynamodb_table.documents`, a block in it (`….replica[eu-west-1]`), and (from plans of other teams' code) an
// instance in a module: `module.orders.aws_dynamodb_table.this["a"]`.
const ADDRESS = /^(module\.[A-Za-z_][A-Za-z0-9_-]*(\[[^\]]+\])?\.)*(data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*(\[[^\]]+\])?(\.[a-z_]+\[[^\]]+\])?$/;

/**
 * Validates waivers from settings. Throws a GuardrailError naming the source, the exact field
 * (`environments.prod.waivers[2].expires`) and the value. Accepts expired waivers (they simply stop counting).
 */
export function parseWaivers(value: unknown, source: WaiverSource): Waiver[] {
  const { subject, field } = source;
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new GuardrailError(subject, field, value, 'must be a list of waivers, each { "requirement", "resource", "reason", "expires" }');
  }
  const waivers: Waiver[] = [];
  const seen = new Map<string, number>();
  value.forEach((item, index) => {
    const at = `${field}[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new GuardrailError(subject, at, item, 'must be an object with requirement, resource, reason and expires');
    }
    const record = item as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!(WAIVER_FIELDS as readonly string[]).includes(key)) {
        throw new GuardrailError(subject, `${at}.${key}`, record[key], `is not a waiver field; expected ${WAIVER_FIELDS.join(', ')}`);
      }
    }
    const { requirement, resource, reason, expires, stack } = record;
    if (!isRequirementId(requirement)) {
      throw new GuardrailError(subject, `${at}.requirement`, requirement, "must be a requirement id from 'dynamodb:001' to 'dynamodb:015'");
    }
    if (typeof resource !== 'string' || !(resource === '*' || resource === STACK_RESOURCE || ADDRESS.test(resource))) {
      throw new GuardrailError(
        subject,
        `${at}.resource`,
        resource,
        `must be a Terraform address such as 'aws_dynamodb_table.documents', '${STACK_RESOURCE}' for a stack-wide finding, or '*' for every resource`,
      );
    }
    if (typeof reason !== 'string' || reason.trim().length < MIN_WAIVER_REASON_LENGTH) {
      throw new GuardrailError(subject, `${at}.reason`, reason, `must explain the exception in at least ${MIN_WAIVER_REASON_LENGTH} characters`);
    }
    if (typeof expires !== 'string' || !DATE.test(expires)) {
      throw new GuardrailError(subject, `${at}.expires`, expires, "must be a date written 'YYYY-MM-DD'");
    }
    if (!isCalendarDate(expires)) throw new GuardrailError(subject, `${at}.expires`, expires, 'is not a calendar date');
    if (stack !== undefined && (typeof stack !== 'string' || !STACK_NAME.test(stack))) {
      throw new GuardrailError(subject, `${at}.stack`, stack, "must be a stack name such as 'orders-prod' (or leave it out for every stack)");
    }
    const key = `${requirement} ${resource}${stack === undefined ? '' : ` in ${stack}`}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new GuardrailError(subject, `${at}`, key, `repeats ${field}[${earlier}]; keep one waiver per requirement, resource and stack`);
    }
    seen.set(key, index);
    waivers.push({ requirement, resource, reason: reason.trim(), expires, ...(stack !== undefined ? { stack } : {}) });
  });
  return waivers;
}

function isCalendarDate(text: string): boolean {
  const [, y, m, d] = DATE.exec(text) ?? [];
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}

/** Today's date in UTC as `YYYY-MM-DD` (inject a fixed value in tests). */
export function utcDate(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** A waiver counts through its expiry date (inclusive); `today` is `YYYY-MM-DD`. */
export function isWaiverActive(waiver: Waiver, today: string): boolean {
  return waiver.expires >= today;
}

/** The waiver covers this finding's requirement and resource (exact address, a block inside it, or `*`). */
export function waiverCovers(waiver: Waiver, requirement: RequirementId, resource: string): boolean {
  if (waiver.requirement !== requirement) return false;
  return waiver.resource === '*' || waiver.resource === resource || resource.startsWith(`${waiver.resource}.`);
}

/**
 * The most specific waiver for a finding, active or not: exact address first, then the enclosing resource, then `*`.
 */
export function findWaiver(waivers: readonly Waiver[], requirement: RequirementId, resource: string, today: string): { active?: Waiver; expired?: Waiver } {
  const matching = waivers
    .filter((w) => waiverCovers(w, requirement, resource))
    .sort((a, b) => specificity(b, resource) - specificity(a, resource));
  return { active: matching.find((w) => isWaiverActive(w, today)), expired: matching.find((w) => !isWaiverActive(w, today)) };
}

function specificity(waiver: Waiver, resource: string): number {
  if (waiver.resource === resource) return 2;
  return waiver.resource === '*' ? 0 : 1;
}
