import { evaluateDynamodb012 } from '../../../modules/compliance';
import { ACCOUNT, only, policy, stackJson, statusOf, synthSecureTable } from '../fixtures';

const TABLE_ARN = '${aws_dynamodb_table.orders.arn}';

describe('dynamodb:012 least privilege for DynamoDB', () => {
  test('NOT_APPLICABLE: a stack with no IAM or table policy (KMS key policies are not in scope)', () => {
    const finding = only(evaluateDynamodb012(synthSecureTable()));
    expect(finding).toMatchObject({ status: 'NOT_APPLICABLE', resource: '(stack)' });
  });

  test('COMPLIANT: named actions on the table and index ARNs', () => {
    const json = stackJson({
      aws_iam_policy: {
        reader: { policy: policy({ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: [TABLE_ARN, `${TABLE_ARN}/index/*`] }) },
      },
    });
    expect(only(evaluateDynamodb012(json))).toMatchObject({
      resource: 'aws_iam_policy.reader',
      status: 'COMPLIANT',
      reason: 'grants only scoped DynamoDB actions (dynamodb:GetItem, dynamodb:Query)',
    });
  });

  test('COMPLIANT: narrower wildcards (dynamodb:Get*) and resource-less actions on "*"', () => {
    const json = stackJson({
      aws_iam_role_policy: {
        app: {
          role: '${aws_iam_role.app.id}',
          policy: policy(
            { Effect: 'Allow', Action: 'dynamodb:Get*', Resource: TABLE_ARN },
            { Effect: 'Allow', Action: ['dynamodb:ListTables', 'dynamodb:DescribeLimits'], Resource: '*' },
          ),
        },
      },
    });
    expect(only(evaluateDynamodb012(json)).status).toBe('COMPLIANT');
  });

  test('NON_COMPLIANT: dynamodb:*, "*", NotAction, and table actions on Resource "*"', () => {
    const json = stackJson({
      aws_iam_policy: {
        all: { policy: policy({ Sid: 'All', Effect: 'Allow', Action: '*', Resource: '*' }) },
        service: { policy: policy({ Sid: 'Service', Effect: 'Allow', Action: 'dynamodb:*', Resource: TABLE_ARN }) },
        not_action: { policy: policy({ Sid: 'Not', Effect: 'Allow', NotAction: 'iam:*', Resource: TABLE_ARN }) },
        star_resource: { policy: policy({ Sid: 'Star', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:ListTables'], Resource: '*' }) },
      },
    });
    const findings = evaluateDynamodb012(json);
    expect(findings.map((f) => f.status)).toEqual(['NON_COMPLIANT', 'NON_COMPLIANT', 'NON_COMPLIANT', 'NON_COMPLIANT']);
    const reason = (resource: string) => findings.find((f) => f.resource === resource)?.reason;
    expect(reason('aws_iam_policy.all')).toBe('statement All allows Action "*" (every action of every service)');
    expect(reason('aws_iam_policy.service')).toBe('statement Service allows Action "dynamodb:*" (every DynamoDB action)');
    expect(reason('aws_iam_policy.not_action')).toContain('NotAction ["iam:*"]');
    expect(reason('aws_iam_policy.star_resource')).toBe('statement Star allows dynamodb:GetItem on Resource "*"');
  });

  test('NON_COMPLIANT: seed 000 table resource policy granting dynamodb:* to project roles', () => {
    const json = stackJson({
      aws_dynamodb_resource_policy: {
        orders: {
          resource_arn: TABLE_ARN,
          policy: policy({
            Sid: 'ProjectVPCOnlyAccess',
            Effect: 'Allow',
            Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:role/project-lambda-role`] },
            Action: 'dynamodb:*',
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } },
          }),
        },
      },
    });
    const finding = only(evaluateDynamodb012(json));
    expect(finding).toMatchObject({ resource: 'aws_dynamodb_resource_policy.orders', status: 'NON_COMPLIANT' });
    expect(finding.reason).toContain('dynamodb:*');
  });

  test('a policy document data source is evaluated through the policy that uses it', () => {
    const json = stackJson(
      { aws_iam_policy: { writer: { policy: '${data.aws_iam_policy_document.writer.json}' } } },
      { data: { aws_iam_policy_document: { writer: { statement: [{ actions: ['dynamodb:PutItem'], resources: ['*'] }] } } } },
    );
    const finding = only(evaluateDynamodb012(json));
    expect(finding.resource).toBe('aws_iam_policy.writer');
    expect(finding.reason).toBe('statement #1 allows dynamodb:PutItem on Resource "*" (policy from data.aws_iam_policy_document.writer)');
  });

  test('standalone documents are evaluated; documents used by endpoints or key policies are not', () => {
    const json = stackJson(
      { aws_vpc_endpoint: { dynamodb: { service_name: 'com.amazonaws.us-east-1.dynamodb', vpc_id: 'vpc-1', policy: '${data.aws_iam_policy_document.endpoint.json}' } } },
      {
        data: {
          aws_iam_policy_document: {
            endpoint: { statement: [{ actions: ['dynamodb:*'], resources: ['*'], principals: [{ type: '*', identifiers: ['*'] }] }] },
            loose: { statement: [{ effect: 'Allow', actions: ['dynamodb:*'], resources: [TABLE_ARN] }] },
          },
        },
      },
    );
    expect(only(evaluateDynamodb012(json))).toMatchObject({ resource: 'data.aws_iam_policy_document.loose', status: 'NON_COMPLIANT' });
  });

  test('inline role policies and broad AWS-managed attachments', () => {
    const json = stackJson({
      aws_iam_role: {
        app: {
          assume_role_policy: policy({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
          inline_policy: [{ name: 'tables', policy: policy({ Effect: 'Allow', Action: 'dynamodb:*', Resource: TABLE_ARN }) }],
        },
      },
      aws_iam_role_policy_attachment: {
        full: { role: '${aws_iam_role.app.name}', policy_arn: 'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess' },
        logs: { role: '${aws_iam_role.app.name}', policy_arn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' },
      },
    });
    const findings = evaluateDynamodb012(json);
    expect(statusOf(findings, 'aws_iam_role.app.inline_policy[tables]')).toBe('NON_COMPLIANT');
    expect(statusOf(findings, 'aws_iam_role_policy_attachment.full')).toBe('NON_COMPLIANT');
    expect(statusOf(findings, 'aws_iam_role_policy_attachment.logs')).toBeUndefined();
  });

  test('NON_COMPLIANT: a policy built by a Terraform expression cannot be verified', () => {
    const json = stackJson({ aws_iam_policy: { p: { policy: '${jsonencode({Statement = local.statements})}' } } });
    expect(only(evaluateDynamodb012(json)).reason).toContain('cannot be checked');
  });
});
