import { appliesToEveryResource, grantsAllDynamoDbActions, hasWildcardPrincipal, PolicyStatement, readPolicy } from '../policy';
import { describe, isExpression, parseReference, ResourceEntry, StackView } from '../terraform';
import { ComplianceRule, Finding, STACK_RESOURCE, TerraformJson } from '../types';
import { compliant, nonCompliant, notApplicable } from './support';

const DYNAMODB_SERVICE = /^com\.amazonaws\.[a-z0-9-]+\.dynamodb(-fips)?$/;
const ENDPOINT_TYPES = ['Gateway', 'Interface'];

const FIX_POLICY =
  'give the endpoint a policy in which every Allow is scoped to table ARNs or carries a condition, plus a Deny of "dynamodb:*" to Principal "*" when aws:SecureTransport is "false" (modules/network)';

/**
 * dynamodb:015 — DynamoDB is reached through a VPC endpoint with a restrictive policy. An `aws_vpc_endpoint` whose
 * `service_name` is `com.amazonaws.<region>.dynamodb` (or an expression mentioning dynamodb), of type Gateway (the
 * default) or Interface, with a policy (its `policy`, or an `aws_vpc_endpoint_policy` for it) that is restrictive:
 *  1. every Allow statement is scoped — its Resource is not `*` (and it has no NotResource), or it has a Condition
 *     (so there is no unconditioned Allow on `*`; the AWS default full-access policy fails), and
 *  2. it has a Deny statement for Principal `*`, Action `*` or `dynamodb:*`, Resource `*`, with condition
 *     `Bool`/`BoolIfExists` `aws:SecureTransport` = `false` (no plain-HTTP access through the endpoint).
 * A stack with tables but no DynamoDB endpoint is NON_COMPLIANT for every table; a stack with neither is
 * NOT_APPLICABLE.
 */
export function evaluateDynamodb015(json: TerraformJson): Finding[] {
  const view = new StackView(json);
  const endpoints = view.resources('aws_vpc_endpoint').filter((e) => isDynamoDbService(e.config.service_name));
  const tables = view.tables();
  if (endpoints.length === 0) {
    if (tables.length === 0) return [notApplicable('dynamodb:015', STACK_RESOURCE, 'the stack has no aws_dynamodb_table and no DynamoDB VPC endpoint')];
    return tables.map((table) => {
      const region = view.regionOf(table.config) ?? '<region>';
      return nonCompliant(
        'dynamodb:015',
        table.address,
        `the stack has no aws_vpc_endpoint for com.amazonaws.${region}.dynamodb, so clients reach the table over the public DynamoDB endpoint`,
        `add a Gateway (or Interface) aws_vpc_endpoint for com.amazonaws.${region}.dynamodb with a restrictive policy (modules/network)`,
      );
    });
  }
  return endpoints.map((endpoint) => evaluateEndpoint(view, endpoint));
}

function isDynamoDbService(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  return DYNAMODB_SERVICE.test(value) || (isExpression(value) && /dynamodb/i.test(value));
}

function evaluateEndpoint(view: StackView, endpoint: ResourceEntry): Finding {
  const problems: string[] = [];
  const type = endpoint.config.vpc_endpoint_type ?? 'Gateway';
  if (typeof type !== 'string' || !ENDPOINT_TYPES.includes(type)) problems.push(`vpc_endpoint_type = ${describe(type)} is neither Gateway nor Interface`);

  const attached = view
    .resources('aws_vpc_endpoint_policy')
    .filter((p) => parseReference(p.config.vpc_endpoint_id)?.address === endpoint.key);
  const policyValue = endpoint.config.policy ?? attached[0]?.config.policy;
  const policySource = endpoint.config.policy !== undefined ? 'policy' : attached[0] ? `${attached[0].address}.policy` : undefined;
  if (policyValue === undefined) {
    problems.push('no policy is set, so the endpoint uses the AWS default policy (every action on every resource)');
  } else {
    const read = readPolicy(view, policyValue);
    if (!read.ok) problems.push(`${policySource}: ${read.problem}`);
    else problems.push(...policyProblems(read.statements));
  }
  if (problems.length > 0) return nonCompliant('dynamodb:015', endpoint.address, problems.join('; '), FIX_POLICY);
  return compliant(
    'dynamodb:015',
    endpoint.address,
    `${type} endpoint for ${String(endpoint.config.service_name)}; its ${policySource} scopes every Allow (by resource or condition) and denies requests without TLS (aws:SecureTransport = false)`,
  );
}

function policyProblems(statements: readonly PolicyStatement[]): string[] {
  const problems: string[] = [];
  for (const statement of statements.filter((s) => s.effect === 'Allow')) {
    const unscopedResource = appliesToEveryResource(statement) || statement.resources === undefined;
    if (unscopedResource && statement.conditions.length === 0) {
      problems.push(`statement ${statement.label} allows ${JSON.stringify(statement.actions ?? statement.notActions)} on every resource without a condition`);
    }
  }
  const deniesPlainHttp = statements.some(
    (s) =>
      s.effect === 'Deny' &&
      hasWildcardPrincipal(s.principals) &&
      grantsAllDynamoDbActions(s) &&
      (s.resources ?? []).includes('*') &&
      s.conditions.some(
        (c) => /^Bool(IfExists)?$/.test(c.operator) && c.key.toLowerCase() === 'aws:securetransport' && c.values.some((v) => v.toLowerCase() === 'false'),
      ),
  );
  if (!deniesPlainHttp) problems.push('no Deny of "dynamodb:*" to Principal "*" on Resource "*" when aws:SecureTransport is "false"');
  return problems;
}

export const dynamodb015: ComplianceRule = { requirement: 'dynamodb:015', evaluate: evaluateDynamodb015 };
