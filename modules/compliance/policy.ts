import { blocks, describe, isExpression, isObject, Json, parseReference, stringList, StackView } from './terraform';

/**
 * IAM-style policy documents (identity policies, DynamoDB resource policies, VPC endpoint policies) normalized from
 * either a literal JSON string or a `data.aws_iam_policy_document`, so the rules read one shape.
 */

export interface PolicyPrincipal {
  /** `AWS`, `Service`, `Federated`, `CanonicalUser`, or `*` for `"Principal": "*"`. */
  readonly type: string;
  readonly ids: readonly string[];
}

export interface PolicyCondition {
  /** `StringEquals`, `ForAnyValue:StringLike`, `Bool`, … */
  readonly operator: string;
  readonly key: string;
  readonly values: readonly string[];
}

export interface PolicyStatement {
  /** `Sid`, or `#<n>` (1-based position) when the statement has none. */
  readonly label: string;
  readonly effect: 'Allow' | 'Deny';
  /** `Action` (undefined when the statement uses `NotAction`). */
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  /** Undefined when the statement has no `Principal` element (identity policies). */
  readonly principals?: readonly PolicyPrincipal[];
  readonly notPrincipals?: readonly PolicyPrincipal[];
  readonly conditions: readonly PolicyCondition[];
}

export type ReadPolicy =
  | { readonly ok: true; readonly statements: readonly PolicyStatement[]; readonly source: string }
  | { readonly ok: false; readonly problem: string };

const MAX_SHOWN = 80;

/**
 * Reads a policy attribute: a JSON string (references inside string values are fine), or a whole reference to a
 * `data.aws_iam_policy_document`'s `json`/`minified_json`. Anything else is not verifiable from the artifact.
 */
export function readPolicy(view: StackView, value: unknown, seen: ReadonlySet<string> = new Set()): ReadPolicy {
  if (value === undefined || value === null || value === '') return { ok: false, problem: 'no policy document is set' };
  const reference = parseReference(value);
  if (reference) {
    if (reference.mode === 'data' && reference.type === 'aws_iam_policy_document' && (reference.attribute === 'json' || reference.attribute === 'minified_json')) {
      const document = view.resolve(reference);
      if (!document) return { ok: false, problem: `${reference.address} is not in this stack` };
      if (seen.has(document.address)) return { ok: false, problem: `${document.address} includes itself` };
      return readPolicyDocument(view, document.address, document.config, new Set([...seen, document.address]));
    }
    return { ok: false, problem: `${describeShort(value)} is a reference whose value is only known at apply time, so the policy cannot be verified from the artifact` };
  }
  if (isObject(value)) return fromJsonObject(value, 'inline JSON');
  if (typeof value !== 'string') return { ok: false, problem: `${describeShort(value)} is not a policy document` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    if (isExpression(value)) {
      return { ok: false, problem: `${describeShort(value)} is a Terraform expression, not a literal policy document, so it cannot be verified from the artifact` };
    }
    return { ok: false, problem: `${describeShort(value)} is not valid JSON` };
  }
  if (!isObject(parsed)) return { ok: false, problem: 'the policy document is not a JSON object' };
  return fromJsonObject(parsed, 'inline JSON');
}

function describeShort(value: unknown): string {
  const text = describe(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

function fromJsonObject(document: Json, source: string): ReadPolicy {
  const raw = document.Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const statements: PolicyStatement[] = [];
  for (const [index, item] of list.entries()) {
    if (!isObject(item)) return { ok: false, problem: `Statement ${index + 1} is not an object` };
    const effect = item.Effect;
    if (effect !== 'Allow' && effect !== 'Deny') return { ok: false, problem: `Statement ${index + 1} has Effect ${describe(effect)}` };
    statements.push({
      label: typeof item.Sid === 'string' && item.Sid !== '' ? item.Sid : `#${index + 1}`,
      effect,
      actions: optionalList(item.Action),
      notActions: optionalList(item.NotAction),
      resources: optionalList(item.Resource),
      notResources: optionalList(item.NotResource),
      principals: jsonPrincipals(item.Principal),
      notPrincipals: jsonPrincipals(item.NotPrincipal),
      conditions: jsonConditions(item.Condition),
    });
  }
  return { ok: true, statements, source };
}

function optionalList(value: unknown): string[] | undefined {
  return value === undefined ? undefined : stringList(value);
}

function jsonPrincipals(value: unknown): PolicyPrincipal[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [{ type: value === '*' ? '*' : 'AWS', ids: [value] }];
  if (!isObject(value)) return [];
  return Object.keys(value).map((type) => ({ type, ids: stringList(value[type]) }));
}

function jsonConditions(value: unknown): PolicyCondition[] {
  if (!isObject(value)) return [];
  const result: PolicyCondition[] = [];
  for (const [operator, keys] of Object.entries(value)) {
    if (!isObject(keys)) continue;
    for (const [key, values] of Object.entries(keys)) {
      result.push({ operator, key, values: Array.isArray(values) ? values.map(String) : [String(values)] });
    }
  }
  return result;
}

function readPolicyDocument(view: StackView, address: string, config: Json, seen: ReadonlySet<string>): ReadPolicy {
  const statements: PolicyStatement[] = [];
  for (const field of ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json']) {
    for (const included of stringList(config[field])) {
      const read = readPolicy(view, included, seen);
      if (!read.ok) return { ok: false, problem: `${address}.${field}: ${read.problem}` };
      statements.push(...read.statements);
    }
  }
  for (const [index, item] of blocks(config.statement).entries()) {
    const effect = item.effect === undefined ? 'Allow' : item.effect;
    if (effect !== 'Allow' && effect !== 'Deny') return { ok: false, problem: `${address} statement ${index + 1} has effect ${describe(effect)}` };
    statements.push({
      label: typeof item.sid === 'string' && item.sid !== '' ? item.sid : `#${index + 1}`,
      effect,
      actions: optionalList(item.actions),
      notActions: optionalList(item.not_actions),
      resources: optionalList(item.resources),
      notResources: optionalList(item.not_resources),
      principals: item.principals === undefined ? undefined : hclPrincipals(item.principals),
      notPrincipals: item.not_principals === undefined ? undefined : hclPrincipals(item.not_principals),
      conditions: blocks(item.condition).map((c) => ({
        operator: String(c.test),
        key: String(c.variable),
        values: stringList(c.values),
      })),
    });
  }
  return { ok: true, statements, source: address };
}

function hclPrincipals(value: unknown): PolicyPrincipal[] {
  return blocks(value).map((p) => ({ type: String(p.type), ids: stringList(p.identifiers) }));
}

/** `"Principal": "*"` or `{"AWS": "*"}` (also inside a list): anyone, in any account. */
export function hasWildcardPrincipal(principals: readonly PolicyPrincipal[] | undefined): boolean {
  return (principals ?? []).some((p) => (p.type === '*' || p.type === 'AWS') && p.ids.includes('*'));
}

/** The statement grants every action (`*`) or every DynamoDB action (`dynamodb:*`). */
export function grantsAllDynamoDbActions(statement: PolicyStatement): boolean {
  return (statement.actions ?? []).some((a) => a === '*' || a.toLowerCase() === 'dynamodb:*');
}

/** Actions of the statement that are DynamoDB actions or could match them (`*`, `dynamodb:Get*`, …). */
export function dynamoDbActions(statement: PolicyStatement): string[] {
  return (statement.actions ?? []).filter((a) => a === '*' || a.toLowerCase().startsWith('dynamodb:'));
}

/** `Resource` is `*` (or the statement uses `NotResource`): it applies to every resource. */
export function appliesToEveryResource(statement: PolicyStatement): boolean {
  return statement.notResources !== undefined || (statement.resources ?? []).includes('*');
}

/** Condition operators that narrow who/what is allowed (negated operators on an Allow widen it instead). */
export function isNarrowingOperator(operator: string): boolean {
  const base = operator.replace(/^(ForAnyValue|ForAllValues):/, '').replace(/IfExists$/, '');
  return ['StringEquals', 'StringEqualsIgnoreCase', 'StringLike', 'ArnEquals', 'ArnLike'].includes(base);
}
