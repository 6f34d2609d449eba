/**
 * Deciding what to do with a table's resource-based policy. The rule only ever adds restrictions:
 *
 * - no policy yet: attach the desired document as a whole (the project template of seed 000 §3.1.3, or the
 *   quarantine deny);
 * - a policy exists: keep every existing statement untouched (Allow and Deny alike: removing a Deny would widen access,
 *   and replacing the document would be a guess about what its author meant) and append only the desired **Deny**
 *   statements it does not already contain. The desired Allow statements are not merged into someone else's policy;
 *   the finding is reported so a human can decide;
 * - the existing document cannot be parsed, or the merged one would exceed DynamoDB's 20 KB limit: change nothing
 *   and report.
 *
 * Equality of statements ignores `Sid`, the order of list values and the case of action names. Writes are
 * conditional (`ExpectedRevisionId`), so a policy changed between read and write is re-read, never overwritten.
 */
import { PolicyDocument, PolicyStatement } from '../../modules/access/policy-document';
import { MAX_RESOURCE_POLICY_BYTES } from '../../modules/access/resource-policy-document';

/** `ExpectedRevisionId` that makes PutResourcePolicy fail if a policy appeared meanwhile. */
export const NO_POLICY_REVISION = 'NO_POLICY';
export const QUARANTINE_SID = 'GovernanceQuarantineDenyAll';

export interface CurrentPolicy {
  readonly policy: string;
  readonly revisionId: string;
}

export type PolicyPlan =
  | {
      readonly kind: 'unchanged';
      /** Desired Allow statements the existing policy does not have (reported, never merged). */
      readonly skippedAllows: readonly string[];
    }
  | {
      readonly kind: 'put';
      readonly document: PolicyDocument;
      readonly expectedRevisionId: string;
      /** Sids of the statements added. */
      readonly added: readonly string[];
      /** True when statements were appended to an existing policy. */
      readonly merged: boolean;
      /** Desired Allow statements left out of an existing policy. */
      readonly skippedAllows: readonly string[];
    }
  | { readonly kind: 'refuse'; readonly reason: string };

export function planResourcePolicy(current: CurrentPolicy | undefined, desired: PolicyDocument): PolicyPlan {
  if (current === undefined) {
    return { kind: 'put', document: desired, expectedRevisionId: NO_POLICY_REVISION, added: desired.Statement.map((s) => s.Sid ?? ''), merged: false, skippedAllows: [] };
  }
  const existing = parsePolicy(current.policy);
  if (existing === undefined) return { kind: 'refuse', reason: 'the existing resource policy is not a readable policy document; left unchanged' };

  const existingKeys = new Set(existing.statements.map(statementKey));
  const missingDenies = desired.Statement.filter((s) => s.Effect === 'Deny' && !existingKeys.has(statementKey(s)));
  const skippedAllows = desired.Statement.filter((s) => s.Effect === 'Allow' && !existingKeys.has(statementKey(s))).map((s) => s.Sid ?? '(no Sid)');
  if (missingDenies.length === 0) return { kind: 'unchanged', skippedAllows };

  const usedSids = new Set(existing.statements.map((s) => s.Sid).filter((sid): sid is string => typeof sid === 'string'));
  const added = missingDenies.map((statement) => {
    const sid = uniqueSid(statement.Sid ?? 'GovernanceDeny', usedSids);
    usedSids.add(sid);
    return { ...statement, Sid: sid };
  });
  const document = { ...existing.document, Statement: [...existing.statements, ...added] } as PolicyDocument;
  const bytes = new TextEncoder().encode(JSON.stringify(document)).length;
  if (bytes > MAX_RESOURCE_POLICY_BYTES) {
    return { kind: 'refuse', reason: `adding ${added.length} deny statement(s) would make the resource policy ${bytes} bytes, over DynamoDB's ${MAX_RESOURCE_POLICY_BYTES}; left unchanged` };
  }
  return { kind: 'put', document, expectedRevisionId: current.revisionId, added: added.map((s) => s.Sid), merged: true, skippedAllows };
}

/**
 * The quarantine statement: every DynamoDB action by every principal except the exempt ones (the governance
 * function, the deployer, break-glass) is denied, so nobody can load data into a table that breaks the convention
 * while it waits for its owner and the platform team.
 */
export function quarantinePolicy(exemptPrincipalArns: readonly string[]): PolicyDocument {
  const statement: PolicyStatement = {
    Sid: QUARANTINE_SID,
    Effect: 'Deny',
    Principal: '*',
    Action: 'dynamodb:*',
    Resource: '*',
    Condition: { ArnNotLike: { 'aws:PrincipalArn': exemptPrincipalArns.length === 1 ? exemptPrincipalArns[0] : [...exemptPrincipalArns] } },
  };
  return { Version: '2012-10-17', Statement: [statement] };
}

interface ParsedPolicy {
  readonly document: Record<string, unknown>;
  readonly statements: PolicyStatement[];
}

function parsePolicy(text: string): ParsedPolicy | undefined {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return undefined;
  const raw = (document as Record<string, unknown>).Statement;
  const statements = Array.isArray(raw) ? raw : raw !== undefined ? [raw] : undefined;
  if (statements === undefined || !statements.every((s) => typeof s === 'object' && s !== null && !Array.isArray(s))) return undefined;
  return { document: document as Record<string, unknown>, statements: statements as PolicyStatement[] };
}

function uniqueSid(sid: string, used: ReadonlySet<string>): string {
  if (!used.has(sid)) return sid;
  const base = `Governance${sid}`;
  if (!used.has(base)) return base;
  for (let i = 2; ; i += 1) if (!used.has(`${base}${i}`)) return `${base}${i}`;
}

/** A canonical string for a statement: no Sid, sorted keys, sorted de-duplicated lists, lower-cased actions. */
export function statementKey(statement: PolicyStatement): string {
  const { Sid: _sid, ...rest } = statement as PolicyStatement & Record<string, unknown>;
  return JSON.stringify(canonical(rest, ''));
}

function canonical(value: unknown, key: string): unknown {
  const lower = key === 'Action' || key === 'NotAction';
  if (typeof value === 'string') return canonical([value], key);
  if (Array.isArray(value)) {
    const items = value.map((item) => (typeof item === 'string' ? (lower ? item.toLowerCase() : item) : JSON.stringify(canonical(item, ''))));
    return [...new Set(items)].sort();
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k], k)]),
    );
  }
  return value;
}
