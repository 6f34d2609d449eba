import { evaluateDynamodb006 } from '../../../modules/compliance';
import { ACCOUNT, only, policy, stackJson, tableResource } from '../fixtures';
import { mangaAssistCatalog } from '../../../stacks/catalogs/manga-assist';
import { synthEnvironment } from '../../support/synth';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/orders-reader`;
const TABLE = '${aws_dynamodb_table.orders.arn}';

function withPolicy(document: string, resourceArn = '${aws_dynamodb_table.orders.arn}') {
  return stackJson({
    aws_dynamodb_table: { orders: tableResource() },
    aws_dynamodb_resource_policy: { orders: { resource_arn: resourceArn, policy: document } },
  });
}

describe('dynamodb:006 table access restricted to named principals', () => {
  test('COMPLIANT: Allow to a named role, Deny to everyone else', () => {
    const json = withPolicy(
      policy(
        { Sid: 'Reader', Effect: 'Allow', Principal: { AWS: ROLE }, Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: '*' },
        { Sid: 'DenyOthers', Effect: 'Deny', Principal: '*', Action: 'dynamodb:*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalArn': ROLE } } },
      ),
    );
    const finding = only(evaluateDynamodb006(json));
    expect(finding.status).toBe('COMPLIANT');
    expect(finding.reason).toBe(`aws_dynamodb_resource_policy.orders allows only ${ROLE}; denies every principal except those in aws:PrincipalArn (DenyOthers)`);
  });

  test('COMPLIANT: a Deny-only policy that denies every principal except the listed ones (modules/access style)', () => {
    const json = withPolicy(
      policy(
        { Sid: 'DenyUnlistedPrincipals', Effect: 'Deny', Principal: '*', Action: 'dynamodb:*', Resource: [TABLE], Condition: { ArnNotLike: { 'aws:PrincipalArn': [ROLE] } } },
        { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'dynamodb:*', Resource: [TABLE], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ),
    );
    const finding = only(evaluateDynamodb006(json));
    expect(finding.status).toBe('COMPLIANT');
    expect(finding.reason).toBe('aws_dynamodb_resource_policy.orders denies every principal except those in aws:PrincipalArn (DenyUnlistedPrincipals)');
  });

  test('NON_COMPLIANT: a policy that names no principal (only a TLS Deny)', () => {
    const json = withPolicy(
      policy({ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'dynamodb:*', Resource: [TABLE], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const finding = only(evaluateDynamodb006(json));
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toContain('names no principal');
  });

  test('NON_COMPLIANT: a Deny of only some actions does not restrict the others', () => {
    const json = withPolicy(
      policy({ Effect: 'Deny', Principal: '*', Action: 'dynamodb:DeleteItem', Resource: [TABLE], Condition: { ArnNotLike: { 'aws:PrincipalArn': [ROLE] } } }),
    );
    expect(only(evaluateDynamodb006(json)).status).toBe('NON_COMPLIANT');
  });

  test('COMPLIANT: Principal "*" pinned by aws:PrincipalOrgID or aws:SourceVpce', () => {
    const json = withPolicy(
      policy({ Effect: 'Allow', Principal: '*', Action: 'dynamodb:GetItem', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0abc' } } }),
    );
    expect(only(evaluateDynamodb006(json)).reason).toBe('aws_dynamodb_resource_policy.orders allows only "*" constrained by aws:SourceVpce');
  });

  test('COMPLIANT: a literal table ARN as resource_arn', () => {
    const json = withPolicy(policy({ Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'dynamodb:GetItem', Resource: '*' }), `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Orders`);
    expect(only(evaluateDynamodb006(json)).status).toBe('COMPLIANT');
  });

  test('NON_COMPLIANT: no resource policy on the table', () => {
    const finding = only(evaluateDynamodb006(stackJson({ aws_dynamodb_table: { orders: tableResource() } })));
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toContain('no aws_dynamodb_resource_policy is attached');
  });

  test('NON_COMPLIANT: Allow to {"AWS": "*"} without a principal condition', () => {
    const json = withPolicy(policy({ Sid: 'Open', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'dynamodb:GetItem', Resource: '*' }));
    const finding = only(evaluateDynamodb006(json));
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toContain('statement Open allows Principal "*" without a condition');
  });

  test('NON_COMPLIANT: a negated or unrelated condition does not pin the principal', () => {
    const negated = withPolicy(
      policy({ Effect: 'Allow', Principal: '*', Action: 'dynamodb:GetItem', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalAccount': ACCOUNT } } }),
    );
    expect(only(evaluateDynamodb006(negated)).status).toBe('NON_COMPLIANT');
    const unrelated = withPolicy(policy({ Effect: 'Allow', Principal: '*', Action: 'dynamodb:GetItem', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }));
    expect(only(evaluateDynamodb006(unrelated)).status).toBe('NON_COMPLIANT');
  });

  test('NON_COMPLIANT: Allow with NotPrincipal, and an unverifiable policy', () => {
    const notPrincipal = withPolicy(policy({ Effect: 'Allow', NotPrincipal: { AWS: ROLE }, Action: 'dynamodb:GetItem', Resource: '*' }));
    expect(only(evaluateDynamodb006(notPrincipal)).reason).toContain('NotPrincipal');
    const expression = withPolicy('${jsonencode(local.policy)}');
    expect(only(evaluateDynamodb006(expression)).reason).toContain('cannot be verified from the artifact');
  });

  test('a resource policy on another table does not count', () => {
    const json = stackJson({
      aws_dynamodb_table: { orders: tableResource(), other: tableResource({ name: 'Other' }) },
      aws_dynamodb_resource_policy: { other: { resource_arn: '${aws_dynamodb_table.other.arn}', policy: policy({ Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'dynamodb:GetItem', Resource: '*' }) } },
    });
    expect(evaluateDynamodb006(json).map((f) => [f.resource, f.status])).toEqual([
      ['aws_dynamodb_table.orders', 'NON_COMPLIANT'],
      ['aws_dynamodb_table.other', 'COMPLIANT'],
    ]);
  });
});

describe('dynamodb:006 on global table replicas (each Region has its own resource policy)', () => {
  const json = synthEnvironment(mangaAssistCatalog, 'prod');

  test('COMPLIANT: MangaAssist prod has a policy on the table and on each replica, in the replica Region', () => {
    const findings = evaluateDynamodb006(json);
    expect(findings.map((f) => [f.resource, f.status])).toEqual([
      ['aws_dynamodb_table.sessions', 'COMPLIANT'],
      ['aws_dynamodb_table.sessions.replica[us-east-2]', 'COMPLIANT'],
      ['aws_dynamodb_table.sessions.replica[us-west-2]', 'COMPLIANT'],
    ]);
  });

  test('NON_COMPLIANT: a replica whose policy is missing', () => {
    const policies = { ...json.resource!.aws_dynamodb_resource_policy };
    delete policies.sessions_resource_policy_us_west_2;
    const findings = evaluateDynamodb006({ ...json, resource: { ...json.resource, aws_dynamodb_resource_policy: policies } });
    const replica = findings.find((f) => f.resource === 'aws_dynamodb_table.sessions.replica[us-west-2]')!;
    expect(replica.status).toBe('NON_COMPLIANT');
    expect(replica.reason).toBe('no aws_dynamodb_resource_policy is attached to the replica ARN in us-west-2, so access is not restricted to named accounts or principals');
  });
});
