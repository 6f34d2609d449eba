import { NOT_IAM_ACTIONS, hasWildcard, includesAction, isDynamoDbAction, resourceKindOf } from './actions';
import { PolicyDocument, PolicyStatement, asList } from './policy-document';

/** One broken rule of dynamodb:012, located in the policy. Pure, so compliance rules and tests can reuse it. */
export interface PolicyViolation {
  /** `Statement[2] (DenyDangerous).Action` */
  readonly field: string;
  readonly value: unknown;
  readonly problem: string;
}

const TABLE_ARN = /^arn:[^:]*:dynamodb:([^:]*):([^:]*):table\/(.*)$/;

/**
 * The shapes dynamodb:012 forbids in any policy we generate: Allow of `*` or of DynamoDB wildcards, NotAction or
 * NotResource on an Allow, DynamoDB actions on `"Resource": "*"` (except the account-level list/describe actions AWS
 * only accepts that way), table ARNs that cover every table, and API names that are not IAM actions.
 */
export function leastPrivilegeViolations(document: PolicyDocument): PolicyViolation[] {
  return document.Statement.flatMap((statement, index) => statementViolations(statement, `Statement[${index}]${statement.Sid ? ` (${statement.Sid})` : ''}`));
}

function statementViolations(statement: PolicyStatement, at: string): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  const actions = asList(statement.Action);
  for (const action of actions) {
    const reason = NOT_IAM_ACTIONS[action.toLowerCase()];
    if (reason) violations.push({ field: `${at}.Action`, value: action, problem: reason });
  }
  if (statement.Effect !== 'Allow') return violations;

  if (statement.NotAction !== undefined) {
    violations.push({ field: `${at}.NotAction`, value: statement.NotAction, problem: 'an Allow with NotAction grants every action it does not list; list the allowed actions instead (dynamodb:012)' });
  }
  if (actions.some((a) => a === '*' || a === '*:*')) {
    violations.push({ field: `${at}.Action`, value: '*', problem: "an Allow of every action ('*') is never least privilege (dynamodb:012)" });
  }
  const dynamoDbActions = actions.filter(isDynamoDbAction);
  for (const action of dynamoDbActions.filter(hasWildcard)) {
    violations.push({ field: `${at}.Action`, value: action, problem: 'DynamoDB actions must be listed one by one: a wildcard also grants control-plane actions such as dynamodb:DeleteTable (dynamodb:012)' });
  }
  if (dynamoDbActions.length === 0) return violations;

  if (statement.NotResource !== undefined) {
    violations.push({ field: `${at}.NotResource`, value: statement.NotResource, problem: 'an Allow of DynamoDB actions with NotResource reaches every table it does not list; name the tables in Resource (dynamodb:012)' });
  }
  const resources = asList(statement.Resource);
  const needTables = dynamoDbActions.filter((a) => !hasWildcard(a) && resourceKindOf(a) !== 'account');
  if (resources.includes('*') && needTables.length > 0) {
    violations.push({
      field: `${at}.Resource`,
      value: '*',
      problem: `DynamoDB actions need table, index or stream ARNs, not '*' (only account-level list/describe actions such as dynamodb:ListTables may use '*'); offending actions: ${needTables.join(', ')} (dynamodb:012)`,
    });
  }
  for (const resource of resources) {
    const match = TABLE_ARN.exec(resource);
    if (!match) continue;
    const [, region, account, table] = match;
    if (hasWildcard(region) || hasWildcard(account)) {
      violations.push({ field: `${at}.Resource`, value: resource, problem: 'a table ARN must name its region and account; a wildcard there reaches tables in every region or account (dynamodb:012)' });
    } else if (table === '' || table.startsWith('*') || table.startsWith('?')) {
      violations.push({ field: `${at}.Resource`, value: resource, problem: 'this ARN covers every table of the account; name the table or a table-name prefix (dynamodb:012)' });
    }
  }
  return violations;
}

/** True when the Allow statements of the document grant this DynamoDB action (exact names only). */
export function allowsAction(document: PolicyDocument, action: string): boolean {
  return document.Statement.some((s) => s.Effect === 'Allow' && includesAction(asList(s.Action), action));
}
