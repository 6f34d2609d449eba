import { Token } from 'cdktf';

/**
 * The one error type every guardrail raises for bad input. The message always names the construct (or settings
 * source), the field and the offending value, so the CLI can print it as-is with no stack trace.
 */
export class GuardrailError extends Error {
  constructor(
    readonly subject: string,
    readonly field: string,
    readonly value: unknown,
    readonly problem: string,
  ) {
    super(`${subject}: ${field} = ${describeValue(value)}: ${problem}`);
    this.name = 'GuardrailError';
  }
}

export function isGuardrailError(error: unknown): error is GuardrailError {
  return error instanceof GuardrailError;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (typeof value === 'string') return `'${value}'`;
  return JSON.stringify(value);
}

/** True when the value is a literal we can check now (not a Terraform reference resolved at apply time). */
export function isResolved(value: unknown): boolean {
  return !Token.isUnresolved(value);
}

export function requireIntegerInRange(subject: string, field: string, value: number, min: number, max: number): void {
  if (!isResolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new GuardrailError(subject, field, value, `must be a whole number from ${min} to ${max}`);
  }
}
