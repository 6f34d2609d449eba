import * as fs from 'fs';
import * as path from 'path';
import {
  MAX_RESOURCE_POLICY_BYTES,
  PROJECT_TABLE_ACTIONS,
  TableResourcePolicy,
  TableResourcePolicyProps,
  dynamoDbReplicationRoleArn,
  projectTableResourcePolicy,
} from '../../modules/access';
import { resourcesOfType, synthConstructs } from '../support/synth';
import { errorMessageOf } from '../support/errors';

const ACCOUNT = '111111111111';
const TABLE_ARN = 'arn:aws:dynamodb:us-east-1:111111111111:table/orders';
const STREAM_ARN = 'arn:aws:dynamodb:us-east-1:111111111111:table/orders/stream/2024-02-12T18:57:26.492';
const APP_ROLE = 'arn:aws:iam::111111111111:role/orders-app';
const DEPLOYER = 'arn:aws:iam::111111111111:role/terraform-deployer';
const VPCE = 'vpce-0123456789abcdef0';
const TABLE_RESOURCES = [TABLE_ARN, `${TABLE_ARN}/index/*`];

function baseProps(overrides: Partial<TableResourcePolicyProps> = {}): TableResourcePolicyProps {
  return { resourceArn: TABLE_ARN, accountId: ACCOUNT, region: 'us-east-1', allowedPrincipals: [APP_ROLE], exemptPrincipalArns: [DEPLOYER], ...overrides };
}

function synthPolicy(overrides: Partial<TableResourcePolicyProps> = {}) {
  const json = synthConstructs((stack) => new TableResourcePolicy(stack, 'orders_resource_policy', baseProps(overrides)));
  const resource = resourcesOfType(json, 'aws_dynamodb_resource_policy').orders_resource_policy;
  const policy = JSON.parse(resource.policy);
  return { resource, policy, statement: (sid: string) => policy.Statement.find((s: any) => s.Sid === sid) };
}

function policyError(overrides: Partial<TableResourcePolicyProps>): string {
  return errorMessageOf(() => synthPolicy(overrides));
}

describe('TableResourcePolicy (dynamodb:006)', () => {
  test('secure default: only listed principals, TLS only, never the root user; the deployer stays exempt', () => {
    const { resource, policy } = synthPolicy();
    expect(resource.resource_arn).toBe(TABLE_ARN);
    expect(resource.confirm_remove_self_resource_access).toBeUndefined();
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyUnlistedPrincipals',
          Effect: 'Deny',
          Principal: '*',
          Action: 'dynamodb:*',
          Resource: TABLE_RESOURCES,
          Condition: { ArnNotLike: { 'aws:PrincipalArn': [APP_ROLE, DEPLOYER] } },
        },
        { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'dynamodb:*', Resource: TABLE_RESOURCES, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        // The root user through aws:PrincipalArn: an account principal in a Deny would deny the whole account.
        { Sid: 'DenyRootUser', Effect: 'Deny', Principal: '*', Action: 'dynamodb:*', Resource: TABLE_RESOURCES, Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:root' } } },
      ],
    });
  });

  test('VPC endpoint only, with the deployer and a Step Functions role allowed from outside the VPC', () => {
    const sfRole = 'arn:aws:iam::111111111111:role/orders-sf';
    const { statement } = synthPolicy({ allowedPrincipals: [APP_ROLE, sfRole], vpcEndpointIds: [VPCE], outsideVpcPrincipalArns: [sfRole] });
    expect(statement('DenyAllNonVPCAccess')).toEqual({
      Sid: 'DenyAllNonVPCAccess',
      Effect: 'Deny',
      Principal: '*',
      Action: 'dynamodb:*',
      Resource: TABLE_RESOURCES,
      Condition: { StringNotEquals: { 'aws:SourceVpce': VPCE }, ArnNotLike: { 'aws:PrincipalArn': [DEPLOYER, sfRole] } },
    });
  });

  test('cross-account grant: an Allow for the other account, which also joins the listed principals', () => {
    const { statement } = synthPolicy({
      grants: [{ sid: 'AnalyticsRead', principals: ['222222222222'], actions: ['dynamodb:GetItem', 'dynamodb:Query'] }],
      policyResourceArn: TABLE_ARN,
      resourceArn: '${aws_dynamodb_table.orders.arn}',
    });
    expect(statement('AnalyticsRead')).toEqual({
      Sid: 'AnalyticsRead',
      Effect: 'Allow',
      Principal: { AWS: '222222222222' },
      Action: ['dynamodb:GetItem', 'dynamodb:Query'],
      Resource: TABLE_RESOURCES,
    });
    expect(statement('DenyUnlistedPrincipals').Condition.ArnNotLike['aws:PrincipalArn']).toEqual([APP_ROLE, 'arn:aws:iam::222222222222:*', DEPLOYER]);
  });

  test('stream policy for a cross-account consumer: stream actions only, on the stream ARN', () => {
    const consumer = 'arn:aws:iam::222222222222:role/stream-consumer';
    const { resource, policy } = synthPolicy({
      kind: 'stream',
      resourceArn: STREAM_ARN,
      allowedPrincipals: [],
      grants: [{ principals: [consumer], actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'] }],
    });
    expect(resource.resource_arn).toBe(STREAM_ARN);
    expect(policy.Statement.map((s: any) => s.Sid)).toEqual(['AllowListedPrincipals', 'DenyUnlistedPrincipals', 'DenyInsecureTransport', 'DenyRootUser']);
    for (const statement of policy.Statement) expect(statement.Resource).toBe(STREAM_ARN);
    expect(policy.Statement[1].Action).toEqual(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator']);
  });

  test('each deny can be turned off; confirm_remove_self_resource_access only when asked', () => {
    const { resource, policy } = synthPolicy({
      denyUnlistedPrincipals: false,
      denyInsecureTransport: false,
      denyRootUser: true,
      confirmRemoveSelfResourceAccess: true,
      exemptPrincipalArns: [],
    });
    expect(policy.Statement.map((s: any) => s.Sid)).toEqual(['DenyRootUser']);
    expect(resource.confirm_remove_self_resource_access).toBe(true);
  });

  test('exempt principals may be SSO roles with a wildcard suffix and service roles', () => {
    const sso = 'arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_*';
    const { statement } = synthPolicy({ exemptPrincipalArns: [DEPLOYER, sso, dynamoDbReplicationRoleArn('aws', ACCOUNT)] });
    expect(statement('DenyUnlistedPrincipals').Condition.ArnNotLike['aws:PrincipalArn']).toEqual([
      APP_ROLE,
      DEPLOYER,
      sso,
      'arn:aws:iam::111111111111:role/aws-service-role/replication.dynamodb.amazonaws.com/AWSServiceRoleForDynamoDBReplication',
    ]);
  });
});

describe('TableResourcePolicy validation', () => {
  const at = 'test/orders_resource_policy: ';
  test.each([
    [
      'no exempt deployer (lockout)',
      { exemptPrincipalArns: [] },
      'exemptPrincipalArns = []: list the Terraform deployer role: without an exemption DenyUnlistedPrincipals also denies the deployer, and Terraform can no longer read or update the table or this policy',
    ],
    [
      'no exempt deployer with a VPC-only policy',
      { exemptPrincipalArns: [], denyUnlistedPrincipals: false, vpcEndpointIds: [VPCE] },
      'exemptPrincipalArns = []: list the Terraform deployer role: without an exemption DenyAllNonVPCAccess also denies the deployer, and Terraform can no longer read or update the table or this policy',
    ],
    [
      'no principals at all',
      { allowedPrincipals: [], exemptPrincipalArns: [] },
      'allowedPrincipals = []: name the principals allowed to use the table (or set denyUnlistedPrincipals: false)',
    ],
    [
      'a public principal',
      { grants: [{ principals: ['*'], actions: ['dynamodb:GetItem'] }] },
      "grants[0].principals[0] = '*': must be an IAM role or user ARN or a 12-digit account id; '*' and wildcards would make the table public",
    ],
    [
      'a wildcard action',
      { grants: [{ principals: ['222222222222'], actions: ['dynamodb:*'] }] },
      "grants[0].actions = 'dynamodb:*': a DynamoDB resource policy grants explicit DynamoDB actions only (no wildcards, no other services)",
    ],
    [
      'stream actions in a table policy',
      { grants: [{ principals: ['222222222222'], actions: ['dynamodb:GetRecords'] }] },
      "grants[0].actions = 'dynamodb:GetRecords': DynamoDB rejects stream actions in a table policy; attach a policy to the stream instead (kind: 'stream')",
    ],
    [
      'an account-level action in a table policy',
      { grants: [{ principals: ['222222222222'], actions: ['dynamodb:ListTables'] }] },
      "grants[0].actions = 'dynamodb:ListTables': this action is not about the table itself (it has no resource or acts on backups), so DynamoDB rejects it in a table policy",
    ],
    [
      'ListStreams in a stream policy',
      { kind: 'stream' as const, resourceArn: STREAM_ARN, grants: [{ principals: ['222222222222'], actions: ['dynamodb:ListStreams'] }] },
      "grants[0].actions = 'dynamodb:ListStreams': a stream policy accepts only dynamodb:DescribeStream, dynamodb:GetRecords, dynamodb:GetShardIterator; DynamoDB rejects every other action (including dynamodb:ListStreams)",
    ],
    [
      'an exempt principal that is a bare wildcard',
      { exemptPrincipalArns: ['arn:aws:iam::111111111111:role/*'] },
      "exemptPrincipalArns[0] = 'arn:aws:iam::111111111111:role/*': must be an IAM role or user ARN of one account (wildcards only inside the name, e.g. SSO roles 'AWSReservedSSO_Admin_*')",
    ],
    [
      'the root user listed while it is denied',
      { allowedPrincipals: [APP_ROLE, 'arn:aws:iam::111111111111:root'] },
      "allowedPrincipals = 'arn:aws:iam::111111111111:root': the account root user is denied by DenyRootUser; it cannot also be listed",
    ],
    [
      "seed 000's placeholder endpoint id",
      { vpcEndpointIds: ['vpce-project-abc-dynamodb'] },
      "vpcEndpointIds[0] = 'vpce-project-abc-dynamodb': must be a VPC endpoint id ('vpce-' followed by 8 or 17 lowercase hex digits)",
    ],
    [
      'a grant sid with punctuation',
      { grants: [{ sid: 'read-only', principals: ['222222222222'], actions: ['dynamodb:GetItem'] }] },
      "grants[0].sid = 'read-only': statement ids may contain only letters and digits",
    ],
  ])('%s', (_name, overrides, message) => {
    expect(policyError(overrides as Partial<TableResourcePolicyProps>)).toBe(`${at}${message}`);
  });

  test('a policy over the 20 KB DynamoDB limit', () => {
    const roles = Array.from({ length: 400 }, (_, i) => `arn:aws:iam::111111111111:role/orders-consumer-role-number-${i}`);
    expect(MAX_RESOURCE_POLICY_BYTES).toBe(20480);
    expect(policyError({ allowedPrincipals: roles })).toMatch(
      /^test\/orders_resource_policy: policy = '\d+ bytes': DynamoDB resource policies are limited to 20480 bytes \(20 KB\); list fewer principals or use account ids$/,
    );
  });
});

describe("projectTableResourcePolicy: seed 000 §3.1.3's template for the governance Lambda", () => {
  const params = {
    accountId: ACCOUNT,
    projectUuid: '7f3c2a9e4b1d4e8a9c6f2d5b8e1a0c47',
    vpcEndpointId: VPCE,
    vpcId: 'vpc-0abc1234def567890',
    exemptPrincipalArns: [DEPLOYER, 'arn:aws:iam::111111111111:role/dynamodb-governance'],
  };

  test('the seed statements, with explicit actions, a working root deny and the exemptions', () => {
    const lambdaRole = 'arn:aws:iam::111111111111:role/project-7f3c2a9e4b1d4e8a9c6f2d5b8e1a0c47-lambda-role';
    const scientistRole = 'arn:aws:iam::111111111111:role/project-7f3c2a9e4b1d4e8a9c6f2d5b8e1a0c47-ml-scientist-role';
    expect(projectTableResourcePolicy(params)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ProjectVPCOnlyAccess',
          Effect: 'Allow',
          Principal: { AWS: [lambdaRole, scientistRole] },
          Action: [...PROJECT_TABLE_ACTIONS],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceVpce': VPCE, 'aws:SourceVpc': 'vpc-0abc1234def567890' } },
        },
        {
          Sid: 'DenyAllNonVPCAccess',
          Effect: 'Deny',
          Principal: '*',
          Action: 'dynamodb:*',
          Resource: '*',
          Condition: { StringNotEquals: { 'aws:SourceVpce': VPCE }, ArnNotLike: { 'aws:PrincipalArn': params.exemptPrincipalArns } },
        },
        { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'dynamodb:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        { Sid: 'DenyRootUser', Effect: 'Deny', Principal: '*', Action: 'dynamodb:*', Resource: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:root' } } },
      ],
    });
    expect(PROJECT_TABLE_ACTIONS).not.toContain('dynamodb:*');
    expect(PROJECT_TABLE_ACTIONS).not.toContain('dynamodb:TransactWriteItems');
  });

  test.each([
    [{ projectUuid: '7f3c2a9e-4b1d' }, "projectTableResourcePolicy: projectUuid = '7f3c2a9e-4b1d': must be 1 to 40 lowercase letters or digits (no hyphens: seed 000 splits project-<uuid> on \"-\")"],
    [{ vpcEndpointId: 'vpce-project-x-dynamodb' }, "projectTableResourcePolicy: vpcEndpointId = 'vpce-project-x-dynamodb': must be a VPC endpoint id (vpce-…)"],
    [{ vpcId: 'vpc-project-x' }, "projectTableResourcePolicy: vpcId = 'vpc-project-x': must be a VPC id (vpc-…)"],
    [{ accountId: 'abc' }, "projectTableResourcePolicy: accountId = 'abc': must be a 12-digit AWS account id"],
    [
      { exemptPrincipalArns: ['arn:aws:iam::111111111111:root'] },
      'projectTableResourcePolicy: exemptPrincipalArns = ["arn:aws:iam::111111111111:root"]: must not contain the account root, which DenyRootUser denies',
    ],
  ])('rejects %j', (overrides, message) => {
    expect(() => projectTableResourcePolicy({ ...params, ...overrides })).toThrow(message);
  });

  test('the template and everything it imports stay free of cdktf (the Lambda bundles them)', () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = fs.readFileSync(file, 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(imports.filter((spec) => !spec.startsWith('.'))).toEqual([]);
      imports.forEach((spec) => visit(path.resolve(path.dirname(file), `${spec}.ts`)));
    };
    visit(path.resolve(__dirname, '../../modules/access/project-template.ts'));
    expect([...seen].map((f) => path.basename(f)).sort()).toEqual(['actions.ts', 'arns.ts', 'policy-document.ts', 'project-template.ts', 'resource-policy-document.ts']);
  });
});
