/**
 * Small helpers to write Terraform expressions from TypeScript. cdktf passes a string that is exactly `${...}` through
 * as a Terraform expression (JSON form) and renders it as that expression (HCL form); everything inside the braces is
 * HCL native syntax, written with these helpers.
 */

/** `${expression}`: a Terraform expression where cdktf expects a value. */
export function tf(expression: string): string {
  return `\${${expression}}`;
}

/** A quoted HCL string literal (inside an expression): quotes, backslashes and template sequences escaped. */
export function hclString(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, '%%{');
  return `"${escaped}"`;
}

/** `["a", "b"]` */
export function hclStringList(values: readonly string[]): string {
  return `[${values.map(hclString).join(', ')}]`;
}

/** An HCL expression written as-is by hclValue (e.g. `aws.us_east_1`, `module.table.table_arn`). */
export class RawHcl {
  constructor(readonly expression: string) {}
}

export function raw(expression: string): RawHcl {
  return new RawHcl(expression);
}

function isScalar(value: unknown): boolean {
  return value === null || value instanceof RawHcl || ['string', 'number', 'boolean'].includes(typeof value);
}

/** Object keys that need no quotes in HCL. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * A JavaScript value as an HCL literal, on one line (`{ name = "id", type = "S" }`). `indent` switches to a multi-line
 * layout for examples and READMEs.
 */
export function hclValue(value: unknown, indent?: string): string {
  if (value instanceof RawHcl) return value.expression;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return hclString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const inner = indent === undefined ? undefined : `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const oneLine = inner === undefined || value.every(isScalar);
    const items = value.map((item) => hclValue(item, oneLine ? undefined : inner));
    return oneLine ? `[${items.join(', ')}]` : `[\n${items.map((i) => `${inner}${i},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  // Small objects of scalars stay on one line in the multi-line layout too: `{ name = "id", type = "S" }`.
  const oneLine = inner === undefined || (entries.length <= 3 && entries.every(([, v]) => isScalar(v)));
  const pairs = entries.map(([k, v]) => `${IDENTIFIER.test(k) ? k : hclString(k)} = ${hclValue(v, oneLine ? undefined : inner)}`);
  return oneLine ? `{ ${pairs.join(', ')} }` : `{\n${pairs.map((p) => `${inner}${p}`).join('\n')}\n${indent}}`;
}

/**
 * A JavaScript regular expression as a Terraform `regex()` pattern string literal. Terraform uses RE2, which has no
 * lookaround or backreferences; the guardrail patterns use neither, and this refuses any that does.
 */
export function re2(pattern: RegExp): string {
  if (/\(\?[=!<]|\\[1-9]/.test(pattern.source) || pattern.flags.replace('u', '') !== '') {
    throw new Error(`pattern ${pattern} cannot be used in Terraform (RE2 has no lookaround, backreferences or flags)`);
  }
  return hclString(pattern.source);
}

/** `can(regex(pattern, value))` */
export function matches(pattern: RegExp, value: string): string {
  return `can(regex(${re2(pattern)}, ${value}))`;
}

/** `contains(["A", "B"], value)` */
export function oneOf(values: readonly string[], value: string): string {
  return `contains(${hclStringList(values)}, ${value})`;
}
