/**
 * The vpc-endpoint module writes the same endpoint policy as the TypeScript API (modules/network
 * dynamoDbEndpointPolicy), proven by evaluating the module's own policy expression with the real `terraform console`
 * for the same inputs and comparing the documents.
 */
import { Testing } from 'cdktf';
import { dynamoDbEndpointPolicy, EndpointPolicyOptions } from '../../modules/network/endpoint-policy';
import { buildVpcEndpointModule } from '../../stacks/terraform-modules';
import { inListForm } from '../support/access/policy-shape';
import { withTestingApp } from '../support/synth';
import { evaluateInConsole, unwrapInterpolation } from '../support/terraform/console';

const endpointModule = withTestingApp((app) => JSON.parse(Testing.synth(buildVpcEndpointModule(app))));
const ACCOUNT = '111111111111';
const REGION = 'ap-south-1';

/** The module's policy for these inputs, as Terraform evaluates it (variables and data sources as locals). */
function modulePolicy(inputs: Record<string, unknown>): unknown {
  const defaults = Object.fromEntries(Object.entries<any>(endpointModule.variable).filter(([, v]) => 'default' in v).map(([name, v]) => [name, v.default]));
  const variables = { ...defaults, ...inputs };
  const expression = unwrapInterpolation(endpointModule.locals.policy)
    .split('data.aws_partition.current.partition').join('"aws"')
    .split('data.aws_region.current.region').join(JSON.stringify(REGION))
    .split('data.aws_caller_identity.current.account_id').join(JSON.stringify(ACCOUNT))
    .split('var.').join('local.');
  const [json] = evaluateInConsole(variables, [expression]) as [string];
  return inListForm(JSON.parse(json));
}

const base = { vpc_id: 'vpc-0a1b2c3d4e5f67890', route_table_ids: ['rtb-0a1b2c3d4e5f67890'], table_name_prefixes: ['AuditFlow-'] };
const options = (overrides: Partial<EndpointPolicyOptions> = {}): EndpointPolicyOptions => ({ accountId: ACCOUNT, region: REGION, vpcId: base.vpc_id, tableNamePrefixes: ['AuditFlow-'], ...overrides });

test('defaults: the same document as the TypeScript API', () => {
  expect(modulePolicy(base)).toEqual(inListForm(dynamoDbEndpointPolicy(options())));
});

test('extra tables, named principals and account-level actions: the same document (with the deny for other principals)', () => {
  const principals = ['arn:aws:iam::111111111111:role/auditflow-processor'];
  const fromModule = modulePolicy({ ...base, extra_table_names: ['terraform-state-lock'], allowed_principal_arns: principals, account_level_actions: ['dynamodb:ListTables'] });
  expect(fromModule).toEqual(inListForm(dynamoDbEndpointPolicy(options({ extraTableNames: ['terraform-state-lock'], allowedPrincipalArns: principals, accountLevelActions: ['dynamodb:ListTables'] }))));
  expect(JSON.stringify(fromModule)).toContain('DenyOtherPrincipals');
});

test('negative control: different inputs give a different document', () => {
  expect(modulePolicy({ ...base, table_name_prefixes: ['Other-'] })).not.toEqual(inListForm(dynamoDbEndpointPolicy(options())));
});

test("the endpoint's service name follows the partition (com.amazonaws, or cn.com.amazonaws in China)", () => {
  const serviceName = unwrapInterpolation(endpointModule.resource.aws_vpc_endpoint.this.service_name);
  const evaluate = (prefix: string, region: string) =>
    evaluateInConsole({}, [serviceName.split('data.aws_partition.current.reverse_dns_prefix').join(JSON.stringify(prefix)).split('data.aws_region.current.region').join(JSON.stringify(region))])[0];
  expect(evaluate('com.amazonaws', 'ap-south-1')).toBe('com.amazonaws.ap-south-1.dynamodb');
  expect(evaluate('cn.com.amazonaws', 'cn-north-1')).toBe('cn.com.amazonaws.cn-north-1.dynamodb');
});
