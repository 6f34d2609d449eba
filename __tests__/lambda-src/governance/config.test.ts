import { DEFAULT_MAX_WAIT_SECONDS, ENV, loadGovernanceConfig } from '../../../lambda-src/governance/config';
import { DEPLOYER_ROLE_ARN, GOVERNANCE_ROLE_ARN, PROJECT_KEY_ARN, REQUIRED_TAGS, validEnv } from './support/fixtures';

function problemsOf(overrides: Record<string, string | undefined>) {
  const result = loadGovernanceConfig(validEnv(overrides));
  if (result.ok) throw new Error('expected the configuration to be invalid');
  return result.problems;
}

describe('loadGovernanceConfig', () => {
  test('a valid environment gives the whole configuration', () => {
    const result = loadGovernanceConfig(validEnv({ GOVERNANCE_MAX_WAIT_SECONDS: undefined, GOVERNANCE_METRICS_NAMESPACE: undefined }));
    expect(result).toEqual({
      ok: true,
      config: {
        accountId: '111111111111',
        region: 'us-east-1',
        partition: 'aws',
        projectUuid: '3f2a9c1e5b7d4e8f',
        tablePrefix: 'project-3f2a9c1e5b7d4e8f-',
        vpcEndpointId: 'vpce-0123456789abcdef0',
        vpcId: 'vpc-0123456789abcdef0',
        kmsKeyArn: PROJECT_KEY_ARN,
        requiredTags: REQUIRED_TAGS,
        quarantineAction: 'quarantine',
        snsTopicArn: 'arn:aws:sns:us-east-1:111111111111:ml-platform-governance',
        exemptPrincipalArns: [GOVERNANCE_ROLE_ARN, DEPLOYER_ROLE_ARN],
        terraformPrincipalArns: [DEPLOYER_ROLE_ARN],
        terraformTableNames: [],
        maxWaitSeconds: DEFAULT_MAX_WAIT_SECONDS,
        metricsNamespace: 'DynamoDBGuardrails/Governance',
      },
    });
  });

  test('an empty environment reports every required variable at once', () => {
    const result = loadGovernanceConfig({});
    expect(result.ok).toBe(false);
    const variables = result.ok ? [] : result.problems.map((p) => p.variable);
    expect(new Set(variables)).toEqual(
      new Set([
        ENV.accountId,
        ENV.region,
        ENV.projectUuid,
        ENV.vpcEndpointId,
        ENV.vpcId,
        ENV.kmsKeyArn,
        ENV.snsTopicArn,
        ENV.quarantineAction,
        ENV.requiredTags,
        ENV.exemptPrincipalArns,
      ]),
    );
  });

  test.each([
    [ENV.accountId, '12345', 'must be a 12-digit AWS account id'],
    [ENV.projectUuid, '3f2a9c1e-5b7d-4e8f', 'no hyphens'],
    [ENV.vpcEndpointId, 'vpce-project-x-dynamodb', 'VPC endpoint id'],
    [ENV.vpcId, 'vpc-project-x', 'VPC id'],
    [ENV.kmsKeyArn, 'alias/project-x-dynamodb', 'not an alias'],
    [ENV.kmsKeyArn, 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab', "the key is in 'eu-west-1'"],
    [ENV.quarantineAction, 'delete', "'quarantine', 'report-only'"],
    [ENV.snsTopicArn, 'ml-platform-governance', 'SNS topic ARN'],
    [ENV.requiredTags, '{"Owner":"ml-team"', 'not valid JSON'],
    [ENV.requiredTags, '["Owner"]', 'JSON object'],
    [ENV.requiredTags, '{"Project":"p","Owner":"o","Environment":"e"}', "non-empty 'CostCenter'"],
    [ENV.requiredTags, '{"Project":"p","Owner":"o","Environment":"e","CostCenter":""}', "non-empty 'CostCenter'"],
    [ENV.requiredTags, '{"Project":"p","Owner":"o","Environment":"e","CostCenter":"c","aws:x":"y"}', "must not start with 'aws:'"],
    [ENV.requiredTags, '{"Project":"p","Owner":1,"Environment":"e","CostCenter":"c"}', 'string value'],
    [ENV.exemptPrincipalArns, '[]', 'non-empty JSON array'],
    [ENV.exemptPrincipalArns, '["arn:aws:iam::111111111111:role/*"]', 'without wildcards'],
    [ENV.exemptPrincipalArns, '["arn:aws:iam::222222222222:role/deployer"]', 'belongs to account 222222222222'],
    [ENV.exemptPrincipalArns, '["arn:aws:iam::111111111111:root"]', 'IAM role or user ARN'],
    [ENV.terraformPrincipalArns, '"arn:aws:iam::111111111111:role/deployer"', 'JSON array'],
    [ENV.terraformPrincipalArns, '["deployer"]', 'IAM role or user ARN'],
    [ENV.maxWaitSeconds, '5', 'from 10 to 840'],
    [ENV.maxWaitSeconds, '1.5', 'whole number'],
    [ENV.metricsNamespace, 'AWS/DynamoDB', "must not start with 'AWS/'"],
    [ENV.region, 'useast1', 'AWS region'],
  ])('%s = %s: %s', (variable, value, problem) => {
    expect(problemsOf({ [variable]: value })).toEqual([{ variable, problem: expect.stringContaining(problem) }]);
  });

  test('Terraform principals are optional', () => {
    const result = loadGovernanceConfig(validEnv({ [ENV.terraformPrincipalArns]: undefined }));
    expect(result.ok && result.config.terraformPrincipalArns).toEqual([]);
  });

  test('duplicate exempt principals are listed once', () => {
    const result = loadGovernanceConfig(validEnv({ [ENV.exemptPrincipalArns]: JSON.stringify([GOVERNANCE_ROLE_ARN, GOVERNANCE_ROLE_ARN]) }));
    expect(result.ok && result.config.exemptPrincipalArns).toEqual([GOVERNANCE_ROLE_ARN]);
  });

  test('partition follows the region', () => {
    const result = loadGovernanceConfig(
      validEnv({
        AWS_REGION: 'cn-north-1',
        [ENV.kmsKeyArn]: 'arn:aws-cn:kms:cn-north-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        [ENV.snsTopicArn]: 'arn:aws-cn:sns:cn-north-1:111111111111:t',
        [ENV.exemptPrincipalArns]: '["arn:aws-cn:iam::111111111111:role/governance"]',
      }),
    );
    expect(result.ok && result.config.partition).toBe('aws-cn');
  });
});

test('GOVERNANCE_TERRAFORM_TABLE_NAMES must be a JSON array of table names', () => {
  const loaded = loadGovernanceConfig(validEnv({ GOVERNANCE_TERRAFORM_TABLE_NAMES: '["ok-table", "no*"]' }));
  expect(loaded).toEqual({ ok: false, problems: [{ variable: 'GOVERNANCE_TERRAFORM_TABLE_NAMES', problem: 'must be a JSON array of DynamoDB table names' }] });
});
