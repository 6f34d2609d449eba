import { grantsAllDynamoDbActions, hasWildcardPrincipal, isNarrowingOperator, PolicyStatement, readPolicy } from '../policy';
import { isExpression, literalName, parseReference, ResourceEntry, StackView } from '../terraform';
import { ComplianceRule, Finding, TerraformJson } from '../types';
import { replicasOf } from './replicas';
import { compliant, forEachTable, nonCompliant } from './support';

/** Condition keys that pin an anonymous (`*`) principal down to an account, an organization, a role or a VPC endpoint. */
export const PRINCIPAL_CONDITION_KEYS = [
  'aws:PrincipalArn',
  'aws:PrincipalAccount',
  'aws:PrincipalOrgID',
  'aws:PrincipalOrgPaths',
  'aws:userid',
  'aws:SourceAccount',
  'aws:SourceOrgID',
  'aws:SourceOrgPaths',
  'aws:SourceVpce',
  'aws:SourceVpc',
];

const LOWER_KEYS = new Set(PRINCIPAL_CONDITION_KEYS.map((k) => k.toLowerCase()));

const FIX =
  'attach an aws_dynamodb_resource_policy to the table (modules/access) whose Allow statements name principals or accounts, or constrain Principal "*" with a condition on aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalOrgID or aws:SourceVpce';

/**
 * dynamodb:006 — access to every table is restricted to specific accounts or principals by a table resource policy
 * (`aws_dynamodb_resource_policy` on the table ARN). The policy must name principals — an Allow to named principals,
 * or a Deny of `dynamodb:*` to everyone except listed ones (Principal `*` with StringNotEquals/ArnNotLike/… on one of
 * `PRINCIPAL_CONDITION_KEYS`, or NotPrincipal) — and must not be open: an Allow to `*` / `{"AWS": "*"}` (or an
 * Allow with NotPrincipal) is accepted only with a narrowing condition (StringEquals/StringLike/ArnEquals/ArnLike)
 * on one of `PRINCIPAL_CONDITION_KEYS` whose values are not `*`.
 */
export function evaluateDynamodb006(json: TerraformJson): Finding[] {
  const view = new StackView(json);
  const policies = view.resources('aws_dynamodb_resource_policy');
  const tables = forEachTable('dynamodb:006', view, (table) =>
    judge(view, table.address, 'the table ARN', policies.filter((p) => isTableArn(p.config.resource_arn, table, view))),
  );
  // A resource policy belongs to one replica: every Region of a global table needs its own.
  const replicas = replicasOf(view).flatMap((replica) => {
    const table = view.tables().find((entry) => replica.address.startsWith(`${entry.address}.replica[`));
    const name = table && literalName(table.config);
    if (!table || !name || !replica.region) return [];
    const attached = policies.filter((p) => view.regionOf(p.config) === replica.region && isReplicaArn(p.config.resource_arn, name, replica.region!, view));
    return [judge(view, replica.address, `the replica ARN in ${replica.region}`, attached)];
  });
  return [...tables, ...replicas];
}

function judge(view: StackView, address: string, target: string, attached: ResourceEntry[]): Finding {
  if (attached.length === 0) {
    return nonCompliant('dynamodb:006', address, `no aws_dynamodb_resource_policy is attached to ${target}, so access is not restricted to named accounts or principals`, FIX);
  }
  const problems: string[] = [];
  const restrictions: string[] = [];
  for (const policy of attached) {
    const read = readPolicy(view, policy.config.policy);
    if (!read.ok) {
      problems.push(`${policy.address}: ${read.problem}`);
      continue;
    }
    for (const statement of read.statements) {
      if (statement.effect === 'Allow') {
        const problem = openStatement(statement);
        if (problem) problems.push(`${policy.address} statement ${statement.label} ${problem}`);
        else restrictions.push(`allows only ${describeGrant(statement)}`);
      } else {
        const deniesOthers = denyAllExcept(statement);
        if (deniesOthers) restrictions.push(`denies every principal except ${deniesOthers} (${statement.label})`);
      }
    }
  }
  const names = attached.map((p) => p.address).join(', ');
  if (problems.length === 0 && restrictions.length === 0) {
    problems.push(`${names} names no principal: it neither allows named principals nor denies every principal but the listed ones`);
  }
  if (problems.length > 0) return nonCompliant('dynamodb:006', address, problems.join('; '), FIX);
  return compliant('dynamodb:006', address, `${names} ${[...new Set(restrictions)].join('; ')}`);
}

function isReplicaArn(value: unknown, tableName: string, region: string, view: StackView): boolean {
  if (typeof value !== 'string' || isExpression(value)) return false;
  const match = /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):(\d{12}):table\/(.+)$/.exec(value);
  const account = view.accountId();
  return !!match && match[1] === region && match[3] === tableName && (account === undefined || match[2] === account);
}

function isTableArn(value: unknown, table: ResourceEntry, view: StackView): boolean {
  const reference = parseReference(value);
  if (reference) return reference.address === table.key && reference.attribute === 'arn';
  const name = literalName(table.config);
  if (typeof value !== 'string' || isExpression(value) || name === undefined) return false;
  const match = /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):(\d{12}):table\/(.+)$/.exec(value);
  if (!match) return false;
  const region = view.regionOf(table.config);
  const account = view.accountId();
  return match[3] === name && (region === undefined || match[1] === region) && (account === undefined || match[2] === account);
}

/** Why an Allow statement is open to anyone, or undefined when it is restricted. */
function openStatement(statement: PolicyStatement): string | undefined {
  const anyone = hasWildcardPrincipal(statement.principals);
  const notPrincipal = statement.notPrincipals !== undefined;
  if (!anyone && !notPrincipal) return undefined;
  const pinned = statement.conditions.some(
    (c) => isNarrowingOperator(c.operator) && LOWER_KEYS.has(c.key.toLowerCase()) && c.values.length > 0 && !c.values.includes('*'),
  );
  if (pinned) return undefined;
  const who = notPrincipal ? 'uses NotPrincipal (everyone except the listed principals)' : 'allows Principal "*"';
  return `${who} without a condition on ${PRINCIPAL_CONDITION_KEYS.slice(0, 3).join('/')}/aws:SourceVpce`;
}

/**
 * A Deny of every DynamoDB action to everyone except listed principals: Principal "*" with a negated condition
 * (StringNotEquals, ArnNotLike, …) on a principal/network key, or NotPrincipal. Returns what is exempted.
 */
function denyAllExcept(statement: PolicyStatement): string | undefined {
  if (!grantsAllDynamoDbActions(statement)) return undefined;
  if (statement.notPrincipals !== undefined) return `NotPrincipal ${statement.notPrincipals.flatMap((p) => p.ids).join(', ')}`;
  if (!hasWildcardPrincipal(statement.principals)) return undefined;
  const keys = statement.conditions
    .filter((c) => /Not(Equals|Like)/.test(c.operator) && LOWER_KEYS.has(c.key.toLowerCase()) && c.values.length > 0 && !c.values.includes('*'))
    .map((c) => c.key);
  return keys.length > 0 ? `those in ${[...new Set(keys)].join(', ')}` : undefined;
}

function describeGrant(statement: PolicyStatement): string {
  if (hasWildcardPrincipal(statement.principals) || statement.notPrincipals !== undefined) {
    const keys = statement.conditions.filter((c) => LOWER_KEYS.has(c.key.toLowerCase())).map((c) => c.key);
    return `"*" constrained by ${[...new Set(keys)].join(', ')}`;
  }
  const ids = (statement.principals ?? []).flatMap((p) => p.ids);
  return ids.join(', ');
}

export const dynamodb006: ComplianceRule = { requirement: 'dynamodb:006', evaluate: evaluateDynamodb006 };
