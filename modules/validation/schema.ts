import { z } from 'zod';
import { GuardrailError } from './index';

/**
 * Helpers that turn zod's findings into our one-line GuardrailError, with catalog paths as the user wrote them
 * (`tables['documents'].globalSecondaryIndexes['by-status'].projection`) and the nearest known field suggested for a
 * misspelt one.
 */

/** Fails to compile unless the schema lists exactly the fields of the TypeScript interface `T` (no drift). */
export function fieldsOf<T>() {
  return <S extends z.ZodObject>(schema: S & SameKeys<keyof z.input<S>, keyof T>): S => schema;
}
type SameKeys<A, B> = [Exclude<A, B> | Exclude<B, A>] extends [never] ? unknown : { readonly fieldsMissingOrExtra: Exclude<A, B> | Exclude<B, A> };

/** Validates `value` with `schema`; the first problem becomes a GuardrailError about `subject`. */
export function parseWithSchema<S extends z.ZodType>(schema: S, value: unknown, subject: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const { path, problem, shown } = firstProblem(schema, value, result.error.issues);
  throw new GuardrailError(subject, renderPath(value, path), shown ? shown.value : valueAt(value, path), problem);
}

/** The problem to report: a misspelt field first (it also makes the real one look missing), else the first issue. */
export function firstProblem(schema: z.ZodType, value: unknown, issues: readonly z.core.$ZodIssue[]): { path: PropertyKey[]; problem: string; shown?: { value: unknown } } {
  const issue = innermost(issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0], value);
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : [...issue.path];
  // Problems found inside an option object (Billing, Capacity) carry the value they are about.
  const shown = issue.code === 'custom' && issue.params && 'shown' in issue.params ? { value: issue.params.shown } : undefined;
  return { path, problem: problemOf(issue, schema, value), shown };
}

/**
 * A schema for an instance of one of our option classes (Billing, Capacity; their constructors are private, the
 * factories are the API): it must be an instance, and the view `project` gives of it must satisfy `schema`.
 */
export function instanceSchema<T>(type: Function & { prototype: T }, message: string, view?: (value: T) => { schema: z.ZodType; value: unknown }) {
  return z.custom<T>((value) => value instanceof type, message).superRefine((instance, ctx) => {
    if (!view) return;
    const { schema, value } = view(instance);
    const result = schema.safeParse(value);
    if (result.success) return;
    const { path, problem, shown } = firstProblem(schema, value, result.error.issues);
    ctx.addIssue({ code: 'custom', path, message: problem, params: { shown: shown ? shown.value : valueAt(value, path) } });
  });
}

/** For a union none of whose options matched, the issue of the option that got furthest (not a mere type mismatch). */
function innermost(issue: z.core.$ZodIssue, root: unknown): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue;
  const branch = issue.errors.find((errors) => errors.length > 0 && !(errors[0].code === 'invalid_type' && errors[0].path.length === 0));
  if (!branch) return issue;
  const nested = branch.find((i) => i.code === 'unrecognized_keys') ?? branch[0];
  return innermost({ ...nested, path: [...issue.path, ...nested.path] } as z.core.$ZodIssue, root);
}

/** `tables['documents'].partitionKey.name`: array items are named by their id where they have one. */
export function renderPath(root: unknown, path: readonly PropertyKey[]): string {
  let rendered = '';
  let current: unknown = root;
  for (const segment of path) {
    if (typeof segment === 'number') {
      const item = Array.isArray(current) ? current[segment] : undefined;
      const name = identifierOf(item);
      rendered += name === undefined ? `[${segment}]` : `['${name}']`;
    } else {
      rendered += rendered === '' ? String(segment) : `.${String(segment)}`;
    }
    current = isRecord(current) || Array.isArray(current) ? (current as Record<PropertyKey, unknown>)[segment] : undefined;
  }
  return rendered === '' ? '(whole value)' : rendered;
}

function identifierOf(item: unknown): string | undefined {
  if (!isRecord(item)) return undefined;
  for (const key of ['id', 'indexName', 'region']) {
    if (typeof item[key] === 'string' && /^[\w.-]{1,64}$/.test(item[key] as string)) return item[key] as string;
  }
  return undefined;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const segment of path) current = isRecord(current) || Array.isArray(current) ? (current as Record<PropertyKey, unknown>)[segment] : undefined;
  return current;
}

function problemOf(issue: z.core.$ZodIssue, schema: z.ZodType, root: unknown): string {
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = objectKeysAt(schema, issue.path);
      const suggestion = nearest(issue.keys[0], known);
      return `is not a known field${suggestion ? `; did you mean '${suggestion}'?` : known.length ? `; expected one of ${known.join(', ')}` : ''}`;
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ')}${suggestEnum(issue, root)}`;
    case 'invalid_type':
    {
      const given = valueAt(root, issue.path);
      if (given === undefined) return 'is required';
      if (typeof given === 'number' && !Number.isFinite(given)) return `must be a finite ${issue.expected === 'int' ? 'whole number' : 'number'}`;
      return `must be ${describeExpected(issue.expected)}${given === null ? ' (null is not accepted; leave the field out for its default)' : ''}`;
    }
    case 'too_small':
      return issue.origin === 'string' ? `must have at least ${issue.minimum} character(s)` : issue.origin === 'array' ? `must list at least ${issue.minimum} item(s)` : `must be at least ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string' ? `must have at most ${issue.maximum} characters` : issue.origin === 'array' ? `must list at most ${issue.maximum} items` : `must be at most ${issue.maximum}`;
    case 'invalid_key':
      return `has the key '${String(issue.path[issue.path.length - 1])}', which ${issue.issues[0]?.message ?? 'is not accepted'}`;
    case 'invalid_union':
      {
        const { options } = issue as unknown as { options?: unknown[] };
        if (options) return `must be one of ${options.map((option) => `'${String(option)}'`).join(', ')}`;
      }
      return 'does not match any accepted form';
    default:
      return issue.message;
  }
}

function describeExpected(expected: string): string {
  const names: Record<string, string> = { string: 'a string', number: 'a number', boolean: 'true or false', array: 'a list', object: 'an object', record: 'an object', int: 'a whole number' };
  return names[expected] ?? expected;
}

/** The fields the schema accepts at `path` (every object form, for unions). */
function objectKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.core.$ZodType[] = [schema];
  for (const segment of [...path, undefined]) {
    current = current.flatMap(unwrap);
    if (segment === undefined) break;
    current = current.flatMap((s) => {
      const def = s._zod.def as unknown as Record<string, unknown>;
      if (def.type === 'object') return (def.shape as Record<PropertyKey, z.core.$ZodType>)[segment] ?? [];
      if (def.type === 'array') return [def.element as z.core.$ZodType];
      if (def.type === 'record') return [def.valueType as z.core.$ZodType];
      return [];
    });
  }
  return [...new Set(current.flatMap((s) => (s._zod.def.type === 'object' ? Object.keys((s._zod.def as unknown as { shape: object }).shape) : [])))];
}

/** Looks through optional, readonly, union, pipe and refinement wrappers to the schemas that hold fields. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType[] {
  const def = schema._zod.def as unknown as Record<string, unknown>;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'readonly':
    case 'default':
    case 'nonoptional':
      return unwrap(def.innerType as z.core.$ZodType);
    case 'union':
      return (def.options as z.core.$ZodType[]).flatMap(unwrap);
    case 'pipe':
      return unwrap(def.in as z.core.$ZodType);
    case 'intersection':
      return [...unwrap(def.left as z.core.$ZodType), ...unwrap(def.right as z.core.$ZodType)];
    default:
      return [schema];
  }
}

function suggestEnum(issue: z.core.$ZodIssueInvalidValue, root: unknown): string {
  const given = valueAt(root, issue.path);
  if (typeof given !== 'string') return '';
  const match = nearest(given, issue.values.filter((v): v is string => typeof v === 'string'));
  return match ? `; did you mean '${match}'?` : '';
}

/** The candidate closest to `word` (case-insensitive edit distance), if it is close enough to be a typo. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  if (best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3))) return best;
  // Otherwise one that starts like it or contains it (`stage` → `staging`, `prefixes` → `tableNamePrefixes`).
  const lower = word.toLowerCase();
  const related = candidates.filter((candidate) => {
    const other = candidate.toLowerCase();
    return (lower.length >= 3 && (other.includes(lower) || lower.includes(other))) || (lower.length >= 4 && other.slice(0, 4) === lower.slice(0, 4));
  });
  return related.sort((a, b) => a.length - b.length)[0];
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 20) return Infinity;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

