/**
 * The dynamodb-table module writes the same table resource policy as the TypeScript API (modules/access
 * resourcePolicyDocument), cross-account grants included: the module's own expressions are evaluated by the real
 * `terraform console` with the table ARN and the inputs as locals, and compared with the TypeScript function.
 */
import { Testing } from 'cdktf';
import { resourcePolicyDocument } from '../../modules/access';
import { buildDynamoDbTableModule, CROSS_ACCOUNT_SID, DEFAULT_CROSS_ACCOUNT_ACTIONS } from '../../stacks/terraform-modules';
import { inListForm } from '../support/access/policy-shape';
import { withTestingApp } from '../support/synth';
import { evaluateInConsole, unwrapInterpolation } from '../support/terraform/console';

const tableModule = withTestingApp((app) => JSON.parse(Testing.synth(buildDynamoDbTableModule(app))));
const TABLE_ARN = 'arn:aws:dynamodb:ap-south-1:111111111111:table/AuditFlow-Documents';
const base = {
  allowed_principal_arns: ['arn:aws:iam::111111111111:role/documents-api'],
  exempt_principal_arns: ['arn:aws:iam::111111111111:role/terraform-deployer'],
  vpc_endpoint_ids: ['vpce-0123456789abcdef0'],
  outside_vpc_principal_arns: [] as string[],
  cross_account_principal_arns: [] as string[],
  cross_account_actions: [...DEFAULT_CROSS_ACCOUNT_ACTIONS],
};

/** The module's resource policy for these inputs, as Terraform evaluates it. */
function modulePolicy(inputs: typeof base): unknown {
  const onLocals = (expression: string) => unwrapInterpolation(expression).split('aws_dynamodb_table.this.arn').join(JSON.stringify(TABLE_ARN)).split('var.resource_policy').join('local.resource_policy');
  const locals = { resource_policy: inputs, resource_policy_variants: '${' + onLocals(tableModule.locals.resource_policy_variants) + '}' };
  const [json] = evaluateInConsole(locals, [onLocals(tableModule.resource.aws_dynamodb_resource_policy.this.policy)]) as [string];
  return inListForm(JSON.parse(json));
}

function expected(inputs: typeof base, grants: Array<{ sid: string; principals: string[]; actions: string[] }>) {
  return inListForm(JSON.parse(
    JSON.stringify(
      resourcePolicyDocument({
        kind: 'table',
        resources: [TABLE_ARN, `${TABLE_ARN}/index/*`],
        partition: 'aws',
        accountId: '111111111111',
        grants,
        allowedPrincipals: inputs.allowed_principal_arns,
        vpcEndpointIds: inputs.vpc_endpoint_ids,
        outsideVpcPrincipalArns: inputs.outside_vpc_principal_arns,
        exemptPrincipalArns: inputs.exempt_principal_arns,
      }),
    ),
  ));
}

test('same-account principals through the VPC endpoint: the same document as resourcePolicyDocument', () => {
  expect(modulePolicy(base)).toEqual(expected(base, []));
});

test('a cross-account reader: the same document, with its Allow and the principal in the deny exceptions', () => {
  const inputs = { ...base, cross_account_principal_arns: ['arn:aws:iam::222222222222:role/reporting'], outside_vpc_principal_arns: ['arn:aws:iam::222222222222:role/reporting'] };
  const document = modulePolicy(inputs);
  expect(document).toEqual(expected(inputs, [{ sid: CROSS_ACCOUNT_SID, principals: inputs.cross_account_principal_arns, actions: [...DEFAULT_CROSS_ACCOUNT_ACTIONS] }]));
  // Negative control: without the cross-account principal the Allow is absent.
  expect(JSON.stringify(modulePolicy(base))).not.toContain(CROSS_ACCOUNT_SID);
});

test("each replica gets the same policy on its own ARN, in its Region (negative control: the home ARN is gone from it)", () => {
  const replica = tableModule.resource.aws_dynamodb_resource_policy.replica;
  expect(replica.region).toBe('${each.key}');
  const onLocals = (expression: string) => unwrapInterpolation(expression).split('aws_dynamodb_table.this.arn').join(JSON.stringify(TABLE_ARN)).split('each.key').join('"eu-west-1"').split('aws_dynamodb_resource_policy.this[0].policy').join('local.home_policy');
  const home = JSON.stringify(expected(base, []));
  const [arn, policy] = evaluateInConsole({ home_policy: home }, [onLocals(replica.resource_arn), onLocals(replica.policy)]) as [string, string];
  const replicaArn = TABLE_ARN.replace(':ap-south-1:', ':eu-west-1:');
  expect(arn).toBe(replicaArn);
  expect(JSON.parse(policy)).toEqual(inListForm(JSON.parse(JSON.stringify(resourcePolicyDocument({ kind: 'table', resources: [replicaArn, `${replicaArn}/index/*`], partition: 'aws', accountId: '111111111111', grants: [], allowedPrincipals: base.allowed_principal_arns, vpcEndpointIds: base.vpc_endpoint_ids, outsideVpcPrincipalArns: [], exemptPrincipalArns: base.exempt_principal_arns })))));
  expect(policy).not.toContain(TABLE_ARN);
});

test('the stream policy: only the listed readers (and the exempt deployer) may read the stream; the same document as resourcePolicyDocument', () => {
  const stream = tableModule.resource.aws_dynamodb_resource_policy.stream;
  const STREAM_ARN = `${TABLE_ARN}/stream/2026-01-01T00:00:00.000`;
  const inputs = { allowed_principal_arns: ['arn:aws:iam::111111111111:role/stream-processor'], exempt_principal_arns: ['arn:aws:iam::111111111111:role/terraform-deployer'] };
  const onLocals = (expression: string) => unwrapInterpolation(expression).split('aws_dynamodb_table.this.stream_arn').join(JSON.stringify(STREAM_ARN)).split('aws_dynamodb_table.this.arn').join(JSON.stringify(TABLE_ARN)).split('var.stream_resource_policy').join('local.stream_resource_policy');
  const [json] = evaluateInConsole({ stream_resource_policy: inputs }, [onLocals(stream.policy)]) as [string];
  const document = resourcePolicyDocument({ kind: 'stream', resources: [STREAM_ARN], partition: 'aws', accountId: '111111111111', allowedPrincipals: inputs.allowed_principal_arns, exemptPrincipalArns: inputs.exempt_principal_arns });
  expect(inListForm(JSON.parse(json))).toEqual(inListForm(JSON.parse(JSON.stringify(document))));
  // Streams accept read actions only: no dynamodb:* in a stream policy.
  expect(json).not.toContain('"dynamodb:*"');
  expect(stream.count).toBe('${var.stream_resource_policy == null || !var.stream_enabled ? 0 : 1}');
});
