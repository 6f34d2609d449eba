import { Token } from 'cdktf';

export { describeFailure, nothingWrittenTo, printFailure } from './failure';

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
    /** Further lines, each one more setting with the same problem (printed indented below the message). */
    readonly details: readonly string[] = [],
  ) {
    super(`${printable(subject)}: ${printable(field)} = ${describeValue(value)}: ${problem}`);
    this.name = 'GuardrailError';
  }
}

export function isGuardrailError(error: unknown): error is GuardrailError {
  return error instanceof GuardrailError;
}

/** Values longer than this are cut in messages, with their length shown. */
export const MAX_SHOWN_LENGTH = 300;

/**
 * A value as an error message shows it: strings quoted, control characters and line breaks visible as escapes (an
 * ANSI escape in a setting must not clear the user's screen), long values cut with their length, NaN and Infinity by
 * name (JSON would print them as null).
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (typeof value === 'string') return `'${printable(value)}'`;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return '(a function)';
  if (typeof value === 'symbol') return printable(String(value));
  let json: string | undefined;
  try {
    json = JSON.stringify(value, (_key, item) => (typeof item === 'number' && !Number.isFinite(item) ? `<${item}>` : typeof item === 'bigint' ? `${item}n` : item));
  } catch {
    json = undefined;
  }
  return printable(json ?? Object.prototype.toString.call(value)).replace(/"<(NaN|-?Infinity)>"/g, '$1');
}

/** Text from the user made safe for one terminal line: escapes for control and invisible direction characters, cut when long. */
export function printable(text: string): string {
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (char) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  const characters = [...escaped];
  if (characters.length <= MAX_SHOWN_LENGTH) return escaped;
  return `${characters.slice(0, MAX_SHOWN_LENGTH - 20).join('')}… (${[...text].length} characters)`;
}

/** `text` as a literal inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
