/**
 * Turns a policy document built by the pure policy functions of modules/access into a Terraform expression, so a
 * generated module grants exactly what the TypeScript API grants.
 *
 * The functions are called with sentinel strings where the module only knows a value at plan time (the table ARN, the
 * caller's VPC endpoint ids, …). The resulting document is rendered as `jsonencode({...})` in HCL syntax, with every
 * sentinel replaced by its Terraform expression. Where a module input changes the *shape* of the document (e.g. no
 * VPC endpoints means no `DenyNonVPCAccess` statement), the document is built once per combination of such features
 * and the module picks the variant at plan time.
 */
import { escapeRegExp } from '../../modules/validation';
import { hclString } from './hcl';

/** A value known only at plan time, standing in a string (`${table_arn}/index/*`). */
export interface ScalarPlaceholder {
  readonly sentinel: string;
  /** HCL expression of type string, e.g. `aws_dynamodb_table.this.arn`. */
  readonly expression: string;
}

/** A list known only at plan time, standing as one element of a list (or alone, after `oneOrMany`). */
export interface ListPlaceholder {
  readonly sentinel: string;
  /** HCL expression of type list(string), e.g. `var.source_vpce_ids`. */
  readonly expression: string;
}

export interface Placeholders {
  readonly scalars?: readonly ScalarPlaceholder[];
  readonly lists?: readonly ListPlaceholder[];
}

/** `jsonencode({ Version = "2012-10-17", Statement = [...] })` with the placeholders substituted. */
export function policyExpression(document: unknown, placeholders: Placeholders): string {
  const rendered = `jsonencode(${renderValue(document, placeholders)})`;
  const leftover = [...(placeholders.scalars ?? []), ...(placeholders.lists ?? [])].find((p) => rendered.includes(p.sentinel));
  if (leftover) throw new Error(`policy placeholder ${leftover.sentinel} was not substituted (used inside a longer list element?)`);
  return rendered;
}

function renderValue(value: unknown, placeholders: Placeholders): string {
  if (typeof value === 'string') {
    const list = (placeholders.lists ?? []).find((p) => p.sentinel === value);
    return list ? list.expression : renderString(value, placeholders);
  }
  if (Array.isArray(value)) return renderList(value, placeholders);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{ ${entries.map(([k, v]) => `${hclString(k)} = ${renderValue(v, placeholders)}`).join(', ')} }`;
}

/** A list with list placeholders becomes `distinct(concat([literals...], var.x, [literals...]))`. */
function renderList(values: readonly unknown[], placeholders: Placeholders): string {
  const lists = placeholders.lists ?? [];
  if (!values.some((v) => lists.some((p) => p.sentinel === v))) {
    return `[${values.map((v) => renderValue(v, placeholders)).join(', ')}]`;
  }
  const parts: string[] = [];
  let literals: string[] = [];
  for (const value of values) {
    const list = lists.find((p) => p.sentinel === value);
    if (!list) {
      literals.push(renderValue(value, placeholders));
      continue;
    }
    if (literals.length > 0) parts.push(`[${literals.join(', ')}]`);
    literals = [];
    parts.push(list.expression);
  }
  if (literals.length > 0) parts.push(`[${literals.join(', ')}]`);
  return `distinct(concat(${parts.join(', ')}))`;
}

/** A string with scalar placeholders becomes an HCL template: `"${aws_dynamodb_table.this.arn}/index/*"`. */
function renderString(value: string, placeholders: Placeholders): string {
  const scalars = (placeholders.scalars ?? []).filter((p) => value.includes(p.sentinel));
  if (scalars.length === 0) return hclString(value);
  const pattern = new RegExp(scalars.map((p) => escapeRegExp(p.sentinel)).join('|'), 'g');
  let result = '';
  let last = 0;
  for (const match of value.matchAll(pattern)) {
    result += hclString(value.slice(last, match.index)).slice(1, -1);
    result += `\${${scalars.find((p) => p.sentinel === match[0])!.expression}}`;
    last = match.index! + match[0].length;
  }
  result += hclString(value.slice(last)).slice(1, -1);
  return `"${result}"`;
}


/** A module input that changes the shape of a policy (adds or removes statements or conditions). */
export interface PolicyFeature {
  /** Key part of the variant map, e.g. `leading_keys`. */
  readonly name: string;
  /** HCL boolean expression: when the feature is on, e.g. `length(var.leading_keys) > 0`. */
  readonly enabledWhen: string;
}

export interface PolicyVariants {
  /** HCL expression: the object of all variants (`{ "none" = jsonencode(...), "vpce" = ... }`), or undefined. */
  readonly variantsExpression?: string;
  /** HCL expression of type string: the policy JSON for the current inputs. */
  readonly selectExpression: (variantsReference: string) => string;
  /** How many distinct documents the features produce. */
  readonly distinct: number;
}

/** Variant key for a set of enabled features: `none`, `leading_keys`, `leading_keys+vpce`, … (features in order). */
export function variantKey(features: readonly PolicyFeature[], enabled: ReadonlySet<string>): string {
  const on = features.filter((f) => enabled.has(f.name)).map((f) => f.name);
  return on.length === 0 ? 'none' : on.join('+');
}

/**
 * Builds the document once per combination of features and returns the expressions that select the variant at plan
 * time. When every combination gives the same document, no variant map is needed.
 */
export function policyVariants(
  features: readonly PolicyFeature[],
  build: (enabled: ReadonlySet<string>) => unknown,
  placeholders: Placeholders,
): PolicyVariants {
  const combos: Array<Set<string>> = [];
  for (let mask = 0; mask < 1 << features.length; mask++) {
    combos.push(new Set(features.filter((_, i) => (mask & (1 << i)) !== 0).map((f) => f.name)));
  }
  const rendered = combos.map((enabled) => ({ key: variantKey(features, enabled), expression: policyExpression(build(enabled), placeholders) }));
  const distinct = new Set(rendered.map((r) => r.expression)).size;
  if (distinct === 1) return { selectExpression: () => rendered[0].expression, distinct };
  const selector = `coalesce(join("+", compact([${features.map((f) => `${f.enabledWhen} ? ${hclString(f.name)} : ""`).join(', ')}])), "none")`;
  return {
    variantsExpression: `{ ${rendered.map((r) => `${hclString(r.key)} = ${r.expression}`).join(', ')} }`,
    selectExpression: (reference) => `${reference}[${selector}]`,
    distinct,
  };
}
