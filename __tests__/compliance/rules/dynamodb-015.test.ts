import { evaluateDynamodb015 } from '../../../modules/compliance';
import { auditFlowCatalog } from '../../../stacks/catalogs/auditflow';
import { synthEnvironment } from '../../support/synth';
import { only, policy, stackJson, tableResource } from '../fixtures';

const SCOPED_ALLOW = {
  Sid: 'AllowProjectTables',
  Effect: 'Allow',
  Principal: '*',
  Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
  Resource: 'arn:aws:dynamodb:us-east-1:333333333333:table/Orders*',
  Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-0abc' } },
};
const DENY_PLAIN_HTTP = {
  Sid: 'DenyNonTLS',
  Effect: 'Deny',
  Principal: '*',
  Action: 'dynamodb:*',
  Resource: '*',
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};

function endpointStack(endpoint: Record<string, unknown>, extra: Record<string, Record<string, Record<string, unknown>>> = {}) {
  return stackJson({
    aws_dynamodb_table: { orders: tableResource() },
    aws_vpc_endpoint: {
      dynamodb: { vpc_id: '${aws_vpc.main.id}', service_name: 'com.amazonaws.us-east-1.dynamodb', vpc_endpoint_type: 'Gateway', route_table_ids: ['rtb-1'], ...endpoint },
    },
    ...extra,
  });
}

describe('dynamodb:015 VPC endpoint with a restrictive policy', () => {
  test('COMPLIANT: gateway endpoint with scoped Allow and a TLS Deny (seed 001 policy)', () => {
    const finding = only(evaluateDynamodb015(endpointStack({ policy: policy(SCOPED_ALLOW, DENY_PLAIN_HTTP) })));
    expect(finding).toMatchObject({ resource: 'aws_vpc_endpoint.dynamodb', status: 'COMPLIANT' });
    expect(finding.reason).toContain('Gateway endpoint for com.amazonaws.us-east-1.dynamodb');
  });

  test('COMPLIANT: an Interface endpoint whose policy is an aws_vpc_endpoint_policy', () => {
    const json = endpointStack(
      { vpc_endpoint_type: 'Interface' },
      { aws_vpc_endpoint_policy: { dynamodb: { vpc_endpoint_id: '${aws_vpc_endpoint.dynamodb.id}', policy: policy(SCOPED_ALLOW, DENY_PLAIN_HTTP) } } },
    );
    expect(only(evaluateDynamodb015(json)).reason).toContain('aws_vpc_endpoint_policy.dynamodb.policy');
  });

  test('COMPLIANT: the AuditFlow prod stack (gateway endpoint with a restrictive policy)', () => {
    expect(evaluateDynamodb015(synthEnvironment(auditFlowCatalog, 'prod')).map((f) => f.status)).toEqual(['COMPLIANT']);
  });

  test('NON_COMPLIANT: a stack with tables and no DynamoDB endpoint (AuditFlow without its endpoint)', () => {
    const findings = evaluateDynamodb015(synthEnvironment({ ...auditFlowCatalog, endpoint: undefined, roles: [], resourcePolicies: [] }, 'prod'));
    expect(findings.map((f) => f.status)).toEqual(['NON_COMPLIANT', 'NON_COMPLIANT']);
    expect(findings[0].reason).toContain('no aws_vpc_endpoint for com.amazonaws.ap-south-1.dynamodb');
  });

  test('NON_COMPLIANT: no policy (AWS default full access)', () => {
    expect(only(evaluateDynamodb015(endpointStack({}))).reason).toContain('AWS default policy');
  });

  test('NON_COMPLIANT: an unconditioned Allow on "*"', () => {
    const open = { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' };
    const finding = only(evaluateDynamodb015(endpointStack({ policy: policy(open, DENY_PLAIN_HTTP) })));
    expect(finding.reason).toBe('statement Open allows ["*"] on every resource without a condition');
  });

  test('NON_COMPLIANT: no Deny on aws:SecureTransport = false (seed 000 endpoint policy)', () => {
    const seed000 = {
      Effect: 'Allow',
      Principal: '*',
      Action: 'dynamodb:*',
      Resource: '*',
      Condition: { StringLike: { 'dynamodb:tablename': 'project-*' }, StringEquals: { 'aws:PrincipalArn': ['arn:aws:iam::333333333333:role/project-lambda-role'] } },
    };
    const finding = only(evaluateDynamodb015(endpointStack({ policy: policy(seed000) })));
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toBe('no Deny of "dynamodb:*" to Principal "*" on Resource "*" when aws:SecureTransport is "false"');
  });

  test('NON_COMPLIANT: an endpoint type that is neither Gateway nor Interface', () => {
    expect(only(evaluateDynamodb015(endpointStack({ vpc_endpoint_type: 'GatewayLoadBalancer', policy: policy(SCOPED_ALLOW, DENY_PLAIN_HTTP) }))).reason).toContain('neither Gateway nor Interface');
  });

  test('endpoints for other services are ignored; a service_name expression mentioning dynamodb counts', () => {
    const s3 = endpointStack({ service_name: 'com.amazonaws.us-east-1.s3', policy: policy(SCOPED_ALLOW, DENY_PLAIN_HTTP) });
    expect(only(evaluateDynamodb015(s3)).resource).toBe('aws_dynamodb_table.orders');
    const expression = endpointStack({ service_name: 'com.amazonaws.${var.region}.dynamodb', policy: policy(SCOPED_ALLOW, DENY_PLAIN_HTTP) });
    expect(only(evaluateDynamodb015(expression)).status).toBe('COMPLIANT');
  });

  test('NOT_APPLICABLE: no tables and no endpoint', () => {
    expect(only(evaluateDynamodb015(stackJson({}))).status).toBe('NOT_APPLICABLE');
  });
});
