/**
 * Every access construct with every option, and both catalogs' roles and resource policies, pass the real
 * `terraform validate` against the hashicorp/aws 6.25.0 schema.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AccessProfile, AccessRole, RoleTrust, TableResourcePolicy, addCatalogAccess, tableTargetOf } from '../../modules/access';
import { DynamoDbKey } from '../../modules/encryption';
import { addCatalogEndpoints } from '../../modules/network';
import { SecureTable } from '../../modules/table';
import { mangaAssistCatalog } from '../../stacks/catalogs/manga-assist';
import { mlPlatformCatalog } from '../../stacks/catalogs/ml-platform';
import { Catalog } from '../../stacks/catalogs/types';
import { formatDiagnostic, terraformValidate } from '../support/terraform/validate';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const DEPLOYER = 'arn:aws:iam::111111111111:role/terraform-deployer';
let outdir: string;
beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-access-'));
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

function expectValid(stackId: string, build: (stack: TerraformStack) => void): void {
  const app = Testing.app({ outdir });
  const stack = new TerraformStack(app, stackId);
  new AwsProvider(stack, 'aws', { region: REGION });
  build(stack);
  app.synth();
  const result = terraformValidate(path.join(outdir, 'stacks', stackId));
  expect(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
  expect(result.valid).toBe(true);
}

function catalogStack(stack: TerraformStack, catalog: Catalog): void {
  const key = new DynamoDbKey(stack, 'dynamodb_key', { accountId: ACCOUNT, region: REGION, aliasName: `alias/${catalog.name}-dev-dynamodb` });
  const tables = new Map<string, SecureTable>();
  for (const { id, baseName, environmentOverrides: _overrides, ...settings } of catalog.tables) {
    tables.set(id, new SecureTable(stack, id, { ...settings, tableName: `${baseName}-dev`, encryptionKey: key, region: REGION }));
  }
  const network = { accountId: ACCOUNT, region: REGION, vpcId: 'vpc-0abc1234def567890', routeTableIds: ['rtb-0123456789abcdef0'] };
  const endpoints = addCatalogEndpoints(stack, `${catalog.name}-dev`, catalog.endpoint!, network, (catalog.roles ?? []).map((r) => r.roleName));
  addCatalogAccess(stack, catalog, {
    accountId: ACCOUNT,
    region: REGION,
    tables,
    defaultKeyArn: key.keyArn,
    vpcEndpointIds: [endpoints.gateway.endpointId],
    vpcIds: [network.vpcId],
    exemptPrincipalArns: [DEPLOYER],
  });
}

test('roles with every trust kind and option, table and stream resource policies', () => {
  expectValid('access-all-options', (stack) => {
    const key = new DynamoDbKey(stack, 'dynamodb_key', { accountId: ACCOUNT, region: REGION, aliasName: 'alias/orders-dev-dynamodb' });
    const orders = new SecureTable(stack, 'orders', {
      tableName: 'orders-dev',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      globalSecondaryIndexes: [{ indexName: 'by-customer', partitionKey: { name: 'customer_id', type: 'S' } }],
      encryptionKey: key,
    });
    const target = tableTargetOf(orders, { region: REGION, accountId: ACCOUNT });
    const writer = new AccessRole(stack, 'writer_role', {
      roleName: 'orders-writer',
      trust: RoleTrust.lambda(),
      accountId: ACCOUNT,
      region: REGION,
      grants: [
        { target, profile: AccessProfile.writer({ allowDelete: true }), leadingKeys: ['ORDER#*'] },
        { target, profile: AccessProfile.streamConsumer() },
      ],
      sourceVpceIds: ['vpce-0123456789abcdef0'],
      sourceVpcIds: ['vpc-0abc1234def567890'],
      additionalStatements: [{ Sid: 'XRayTrace', Effect: 'Allow', Action: ['xray:PutTraceSegments'], Resource: '*' }],
      managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
      permissionsBoundaryArn: 'arn:aws:iam::111111111111:policy/boundary',
      maxSessionDurationSeconds: 7200,
      tags: { Function: 'orders-writer' },
    });
    new AccessRole(stack, 'workflow_role', {
      roleName: 'orders-workflow',
      trust: RoleTrust.stepFunctions(),
      accountId: ACCOUNT,
      region: REGION,
      grants: [{ target, profile: AccessProfile.reader() }],
      denyActions: false,
      exclusiveInlinePolicies: false,
    });
    new AccessRole(stack, 'analyst_role', {
      roleName: 'orders-analyst',
      trust: RoleTrust.principals(['arn:aws:iam::222222222222:role/analysts']),
      accountId: ACCOUNT,
      region: REGION,
      grants: [{ target: { tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/orders-*' }, profile: AccessProfile.custom('Ops', ['dynamodb:DescribeTable', 'dynamodb:ListTables', 'dynamodb:DescribeBackup']) }],
    });
    new AccessRole(stack, 'admin_role', { roleName: 'orders-admin', trust: RoleTrust.sameAccount(), accountId: ACCOUNT, region: REGION, grants: [{ target, profile: AccessProfile.admin() }] });
    new TableResourcePolicy(stack, 'orders_resource_policy', {
      resourceArn: orders.tableArn,
      policyResourceArn: target.tableArn,
      accountId: ACCOUNT,
      region: REGION,
      allowedPrincipals: ['arn:aws:iam::111111111111:role/orders-writer'],
      grants: [{ sid: 'AnalyticsRead', principals: ['222222222222'], actions: ['dynamodb:GetItem', 'dynamodb:Query'] }],
      vpcEndpointIds: ['vpce-0123456789abcdef0'],
      outsideVpcPrincipalArns: ['arn:aws:iam::111111111111:role/orders-workflow'],
      exemptPrincipalArns: [DEPLOYER],
      confirmRemoveSelfResourceAccess: true,
      dependsOn: [writer.role],
    });
    new TableResourcePolicy(stack, 'orders_stream_policy', {
      kind: 'stream',
      resourceArn: orders.streamArn,
      accountId: ACCOUNT,
      region: REGION,
      grants: [{ principals: ['arn:aws:iam::222222222222:role/stream-consumer'], actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'] }],
      exemptPrincipalArns: [DEPLOYER],
    });
  });
});

test.each([mangaAssistCatalog, mlPlatformCatalog])('catalog $name: roles, resource policies and endpoint', (catalog) => {
  expectValid(`${catalog.name}-access`, (stack) => catalogStack(stack, catalog));
});
