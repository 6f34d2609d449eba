import { appliesToEveryResource, dynamoDbActions, PolicyStatement, readPolicy } from '../policy';
import { blocks, Json, parseReference, StackView, stringList } from '../terraform';
import { ComplianceRule, Finding, STACK_RESOURCE, TerraformJson } from '../types';
import { compliant, nonCompliant, notApplicable } from './support';

/**
 * DynamoDB actions that have no resource type in the IAM service authorization reference: they can only be granted
 * on `Resource: "*"`, so that is not a finding for them.
 */
export const DYNAMODB_ACTIONS_WITHOUT_RESOURCE_TYPE = [
  'dynamodb:DescribeEndpoints',
  'dynamodb:DescribeLimits',
  'dynamodb:DescribeReservedCapacity',
  'dynamodb:DescribeReservedCapacityOfferings',
  'dynamodb:ListBackups',
  'dynamodb:ListContributorInsights',
  'dynamodb:ListExports',
  'dynamodb:ListGlobalTables',
  'dynamodb:ListImports',
  'dynamodb:ListStreams',
  'dynamodb:ListTables',
  'dynamodb:PurchaseReservedCapacityOfferings',
];

/** AWS-managed policies that grant `*` or `dynamodb:*`. */
const BROAD_MANAGED_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/(AdministratorAccess|AmazonDynamoDBFullAccess[A-Za-z0-9_]*)$/;

const IDENTITY_POLICY_TYPES = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'];
const ATTACHMENT_TYPES = ['aws_iam_role_policy_attachment', 'aws_iam_user_policy_attachment', 'aws_iam_group_policy_attachment', 'aws_iam_policy_attachment'];

const EXEMPT = new Set(DYNAMODB_ACTIONS_WITHOUT_RESOURCE_TYPE.map((a) => a.toLowerCase()));

const FIX =
  'grant only the DynamoDB actions the principal needs (e.g. dynamodb:GetItem, dynamodb:Query) on the table and index ARNs (modules/access); never "*" or "dynamodb:*", and use "Resource": "*" only for actions without a resource type';

interface PolicyHolder {
  readonly resource: string;
  readonly value: unknown;
  /** Identity policies get the Resource "*" check; table resource policies only the action checks. */
  readonly kind: 'identity' | 'resource';
}

/**
 * dynamodb:012 — least privilege for DynamoDB in every policy of the stack: identity policies (`aws_iam_policy`,
 * `aws_iam_role_policy`, `aws_iam_user_policy`, `aws_iam_group_policy`, `aws_iam_role.inline_policy`, standalone
 * `data.aws_iam_policy_document`s that no resource uses — documents used by VPC endpoints, KMS keys or trust
 * policies are not permission grants) and table resource policies (`aws_dynamodb_resource_policy`). NON_COMPLIANT:
 * an Allow with Action `*` or `dynamodb:*`, an Allow with NotAction, an identity-policy Allow of DynamoDB actions on
 * `Resource: "*"` (other than `DYNAMODB_ACTIONS_WITHOUT_RESOURCE_TYPE`), an attachment of AdministratorAccess or
 * AmazonDynamoDBFullAccess, and a policy that is not verifiable from the artifact. Narrower wildcards such as
 * `dynamodb:Get*` are accepted. A stack with no policy at all is NOT_APPLICABLE.
 */
export function evaluateDynamodb012(json: TerraformJson): Finding[] {
  const view = new StackView(json);
  const holders = policyHolders(view);
  const findings: Finding[] = holders.map((holder) => evaluateHolder(view, holder));
  findings.push(...managedPolicyFindings(view));
  if (findings.length === 0) {
    return [notApplicable('dynamodb:012', STACK_RESOURCE, 'the stack defines no IAM policy, role, attachment or table resource policy; access granted outside this stack is not evaluated here')];
  }
  return findings;
}

function policyHolders(view: StackView): PolicyHolder[] {
  const holders: PolicyHolder[] = [];
  for (const type of IDENTITY_POLICY_TYPES) {
    for (const entry of view.resources(type)) holders.push({ resource: entry.address, value: entry.config.policy, kind: 'identity' });
  }
  for (const role of view.resources('aws_iam_role')) {
    for (const inline of blocks(role.config.inline_policy)) {
      if (inline.policy === undefined || inline.policy === '') continue;
      holders.push({ resource: `${role.address}.inline_policy[${String(inline.name)}]`, value: inline.policy, kind: 'identity' });
    }
  }
  for (const entry of view.resources('aws_dynamodb_resource_policy')) {
    holders.push({ resource: entry.address, value: entry.config.policy, kind: 'resource' });
  }
  const referenced = new Set<string>();
  for (const entry of [...view.allResources(), ...view.data('aws_iam_policy_document')]) {
    for (const address of documentReferences(entry.config)) if (address !== entry.key) referenced.add(address);
  }
  for (const document of view.data('aws_iam_policy_document')) {
    if (!referenced.has(document.key)) holders.push({ resource: document.address, value: `\${${document.key}.json}`, kind: 'identity' });
  }
  return holders;
}

/** Addresses of `data.aws_iam_policy_document`s a configuration mentions anywhere. */
function documentReferences(config: Json): string[] {
  const text = JSON.stringify(config);
  return [...text.matchAll(/data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)/g)].map((m) => `data.aws_iam_policy_document.${m[1]}`);
}

function evaluateHolder(view: StackView, holder: PolicyHolder): Finding {
  const read = readPolicy(view, holder.value);
  if (!read.ok) return nonCompliant('dynamodb:012', holder.resource, `the policy cannot be checked: ${read.problem}`, 'write the policy as a literal JSON document or a data.aws_iam_policy_document in the stack');
  const problems = read.statements.filter((s) => s.effect === 'Allow').flatMap((s) => statementProblems(s, holder.kind));
  const via = read.source === 'inline JSON' ? '' : ` (policy from ${read.source})`;
  if (problems.length > 0) return nonCompliant('dynamodb:012', holder.resource, `${problems.join('; ')}${via}`, FIX);
  const granted = [...new Set(read.statements.filter((s) => s.effect === 'Allow').flatMap((s) => dynamoDbActions(s)))].sort();
  const what = granted.length > 0 ? `grants only scoped DynamoDB actions (${granted.join(', ')})` : 'grants no DynamoDB action';
  return compliant('dynamodb:012', holder.resource, `${what}${via}`);
}

function statementProblems(statement: PolicyStatement, kind: PolicyHolder['kind']): string[] {
  const problems: string[] = [];
  const actions = statement.actions ?? [];
  const label = `statement ${statement.label}`;
  if (actions.includes('*')) problems.push(`${label} allows Action "*" (every action of every service)`);
  const serviceWide = actions.filter((a) => a.toLowerCase() === 'dynamodb:*');
  if (serviceWide.length > 0) problems.push(`${label} allows Action "${serviceWide[0]}" (every DynamoDB action)`);
  if (statement.notActions !== undefined) problems.push(`${label} allows NotAction ${JSON.stringify(statement.notActions)} (every action not listed)`);
  if (kind === 'identity' && appliesToEveryResource(statement) && !actions.includes('*')) {
    const scoped = dynamoDbActions(statement).filter((a) => a.toLowerCase() !== 'dynamodb:*' && !EXEMPT.has(a.toLowerCase()));
    if (scoped.length > 0) {
      const where = statement.notResources !== undefined ? 'NotResource (every resource not listed)' : 'Resource "*"';
      problems.push(`${label} allows ${scoped.join(', ')} on ${where}`);
    }
  }
  return problems;
}

function managedPolicyFindings(view: StackView): Finding[] {
  const findings: Finding[] = [];
  const check = (resource: string, arns: string[]) => {
    const broad = arns.filter((arn) => BROAD_MANAGED_POLICY.test(arn));
    if (broad.length > 0) {
      findings.push(nonCompliant('dynamodb:012', resource, `attaches the AWS-managed ${broad.map((a) => a.split('/').pop()).join(', ')}, which grants "*" or "dynamodb:*"`, FIX));
    }
  };
  for (const type of ATTACHMENT_TYPES) {
    for (const entry of view.resources(type)) {
      const arn = entry.config.policy_arn;
      if (typeof arn === 'string' && !parseReference(arn)) check(entry.address, [arn]);
    }
  }
  for (const role of view.resources('aws_iam_role')) {
    const managed = stringList(role.config.managed_policy_arns);
    if (managed.length > 0) check(role.address, managed);
  }
  return findings;
}

export const dynamodb012: ComplianceRule = { requirement: 'dynamodb:012', evaluate: evaluateDynamodb012 };
