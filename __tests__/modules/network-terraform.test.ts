/** Both endpoint constructs with every option pass the real `terraform validate` (hashicorp/aws 6.25.0 schema). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DynamoDbGatewayEndpoint, DynamoDbInterfaceEndpoint } from '../../modules/network';
import { formatDiagnostic, terraformValidate } from '../support/terraform/validate';

let outdir: string;
beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-network-'));
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

test('gateway and interface endpoints with every option', () => {
  const app = Testing.app({ outdir });
  const stack = new TerraformStack(app, 'network-all-options');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const policy = {
    accountId: '111111111111',
    region: 'eu-west-1',
    vpcId: 'vpc-0abc1234def567890',
    tableNamePrefixes: ['project-abc-', 'shared-'],
    allowedActions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:CreateTable'],
    accountLevelActions: ['dynamodb:ListTables'],
    allowedPrincipalArns: ['arn:aws:iam::111111111111:role/project-abc-lambda-role', 'arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_*'],
  };
  new DynamoDbGatewayEndpoint(stack, 'dynamodb_endpoint', { ...policy, routeTableIds: ['rtb-0123456789abcdef0', 'rtb-01234567'], tags: { Name: 'dynamodb' } });
  new DynamoDbInterfaceEndpoint(stack, 'dynamodb_interface_endpoint', {
    ...policy,
    requireSourceVpc: false,
    subnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
    allowedCidrs: ['10.20.0.0/16', '192.168.10.0/24'],
    allowedSecurityGroupIds: ['sg-0123456789abcdef0'],
    securityGroupName: 'dynamodb-endpoint',
    tags: { Name: 'dynamodb-privatelink' },
  });
  app.synth();
  const result = terraformValidate(path.join(outdir, 'stacks', 'network-all-options'));
  expect(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
  expect(result.valid).toBe(true);
});
