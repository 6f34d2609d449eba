import { TerraformStack } from 'cdktf';
import { PROJECT_TABLE_ACTIONS, addCatalogAccess, leastPrivilegeViolations, projectTableResourcePolicy } from '../../modules/access';
import { existingKey } from '../../modules/encryption';
import { addCatalogEndpoints } from '../../modules/network';
import { SecureTable } from '../../modules/table';
import { ML_PROJECT_UUID, mlPlatformCatalog } from '../../stacks/catalogs/ml-platform';
import { resourcesOfType, synthConstructs } from '../support/synth';

const ACCOUNT = '111111111111';
const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const DEPLOYER = 'arn:aws:iam::111111111111:role/terraform-deployer';
const VPC = 'vpc-0abc1234def567890';
const PREFIX = `project-${ML_PROJECT_UUID}-`;
const PROJECT_TABLES = `arn:aws:dynamodb:us-east-1:111111111111:table/${PREFIX}*`;
const LAMBDA_ROLE = `arn:aws:iam::111111111111:role/${PREFIX}lambda-role`;
const SCIENTIST_ROLE = `arn:aws:iam::111111111111:role/${PREFIX}ml-scientist-role`;
const ENDPOINT = '${aws_vpc_endpoint.dynamodb_endpoint.id}';

const json = synthConstructs((stack: TerraformStack) => {
  const key = existingKey('test', KEY_ARN);
  const tables = new Map<string, SecureTable>();
  for (const { id, baseName, environmentOverrides: _overrides, ...settings } of mlPlatformCatalog.tables) {
    tables.set(id, new SecureTable(stack, id, { ...settings, tableName: `${baseName}-dev`, encryptionKey: key }));
  }
  const network = { accountId: ACCOUNT, region: 'us-east-1', vpcId: VPC, routeTableIds: ['rtb-0123456789abcdef0'] };
  const endpoints = addCatalogEndpoints(stack, 'ml-platform-dev', mlPlatformCatalog.endpoint!, network, mlPlatformCatalog.roles!.map((r) => r.roleName));
  addCatalogAccess(stack, mlPlatformCatalog, {
    accountId: ACCOUNT,
    region: 'us-east-1',
    tables,
    defaultKeyArn: KEY_ARN,
    vpcEndpointIds: [endpoints.gateway.endpointId],
    vpcIds: [VPC],
    exemptPrincipalArns: [DEPLOYER],
  });
});
const policyOf = (roleId: string) => JSON.parse(resourcesOfType(json, 'aws_iam_role_policy')[`${roleId}_policy`].policy);
const sid = (roleId: string, id: string) => policyOf(roleId).Statement.find((s: any) => s.Sid === id);
const VPC_ONLY = { StringEquals: { 'aws:SourceVpce': ENDPOINT } };

describe("seed 000's project-isolated tables", () => {
  const tables = resourcesOfType(json, 'aws_dynamodb_table');

  test('project-<uuid>-user-sessions, -conversation-history, -model-metadata with their keys', () => {
    const summary = Object.fromEntries(Object.entries(tables).map(([id, t]) => [id, [t.name, t.hash_key, t.range_key, t.ttl?.attribute_name]]));
    expect(summary).toEqual({
      user_sessions: [`${PREFIX}user-sessions-dev`, 'session_id', 'timestamp', 'ttl'],
      conversation_history: [`${PREFIX}conversation-history-dev`, 'conversation_id', 'timestamp', 'ttl'],
      model_metadata: [`${PREFIX}model-metadata-dev`, 'model_id', 'version', 'expires_at'],
    });
    expect(tables.user_sessions.attribute).toEqual([
      { name: 'session_id', type: 'S' },
      { name: 'timestamp', type: 'N' },
      { name: 'user_id', type: 'S' },
    ]);
  });

  test('the uuid has no hyphens (seed 000 splits project-<uuid> on "-") and the Project tag is project-<uuid>', () => {
    expect(ML_PROJECT_UUID).toMatch(/^[0-9a-f]{32}$/);
    expect(mlPlatformCatalog.project).toBe(`project-${ML_PROJECT_UUID}`);
    for (const spec of mlPlatformCatalog.roles!) expect(spec.roleName.length).toBeLessThanOrEqual(64);
  });

  test.each(mlPlatformCatalog.accessPatterns.map((p) => [p.id, p] as const))('access pattern %s uses only the keys of its table or index', (_id, pattern) => {
    const spec = mlPlatformCatalog.tables.find((t) => t.id === pattern.table)!;
    const index = pattern.indexName ? spec.globalSecondaryIndexes?.find((g) => g.indexName === pattern.indexName) : undefined;
    if (pattern.indexName) expect(index).toBeDefined();
    const keys = index ? [index.partitionKey.name, index.sortKey?.name] : [spec.partitionKey.name, spec.sortKey?.name];
    const expression = pattern.keyConditionExpression.replace(/#\w+/g, (placeholder) => pattern.expressionAttributeNames?.[placeholder] ?? placeholder);
    const names = [...expression.matchAll(/(\w+)\s*(?:=|<|>|BETWEEN)|begins_with\((\w+)/g)].map((m) => m[1] ?? m[2]);
    expect(names[0]).toBe(keys[0]);
    for (const name of names) expect(keys).toContain(name);
  });
});

describe("seed 000's roles, made least-privilege", () => {
  test('lambda role: the explicit §11.2.1 actions on project tables and their indexes, VPC endpoint and VPC only', () => {
    expect(sid('lambda_role', 'DynamoDBVPCOnlyAccess')).toEqual({
      Sid: 'DynamoDBVPCOnlyAccess',
      Effect: 'Allow',
      Action: [...PROJECT_TABLE_ACTIONS],
      Resource: [PROJECT_TABLES, `${PROJECT_TABLES}/index/*`],
      Condition: { StringEquals: { 'aws:SourceVpce': ENDPOINT, 'aws:SourceVpc': VPC } },
    });
    expect(sid('lambda_role', 'DenyNonVPCAccess')).toEqual({
      Sid: 'DenyNonVPCAccess',
      Effect: 'Deny',
      Action: [...PROJECT_TABLE_ACTIONS],
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:SourceVpce': ENDPOINT } },
    });
    expect(sid('lambda_role', 'DenyDangerous').Action).toEqual(expect.arrayContaining(['dynamodb:CreateTable', 'dynamodb:DeleteTable']));
    expect(JSON.stringify(policyOf('lambda_role'))).not.toContain('"dynamodb:*"');
  });

  test('ML scientist role: table ARNs project-<uuid>-* instead of "*" with a TableName condition', () => {
    expect(sid('ml_scientist_role', 'DynamoDBTableManagement')).toEqual({
      Sid: 'DynamoDBTableManagement',
      Effect: 'Allow',
      Action: [
        'dynamodb:CreateTable',
        'dynamodb:UpdateTable',
        'dynamodb:DeleteTable',
        'dynamodb:DescribeTable',
        'dynamodb:TagResource',
        'dynamodb:UntagResource',
        'dynamodb:ListTagsOfResource',
        'dynamodb:CreateBackup',
        'dynamodb:RestoreTableToPointInTime',
      ],
      Resource: PROJECT_TABLES,
      Condition: VPC_ONLY,
    });
    expect(sid('ml_scientist_role', 'DynamoDBTableManagementBackups')).toEqual(
      expect.objectContaining({ Action: ['dynamodb:DeleteBackup', 'dynamodb:DescribeBackup', 'dynamodb:RestoreTableFromBackup'], Resource: `${PROJECT_TABLES}/backup/*`, Condition: VPC_ONLY }),
    );
    expect(sid('ml_scientist_role', 'DynamoDBTableManagementAccountLevel')).toEqual(
      expect.objectContaining({ Action: ['dynamodb:ListTables', 'dynamodb:ListBackups'], Resource: '*', Condition: VPC_ONLY }),
    );
    expect(sid('ml_scientist_role', 'DenyDangerous').Action).toEqual(['dynamodb:PutResourcePolicy', 'dynamodb:DeleteResourcePolicy']);
    expect(sid('ml_scientist_role', 'TableKeyThroughDynamoDb').Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:CreateGrant']);
    const trust = JSON.parse(resourcesOfType(json, 'aws_iam_role').ml_scientist_role.assume_role_policy);
    expect(trust.Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::111111111111:root' });
  });

  test('both policies pass the least-privilege lint and never use a TableName condition', () => {
    for (const roleId of ['lambda_role', 'ml_scientist_role']) {
      expect(leastPrivilegeViolations(policyOf(roleId))).toEqual([]);
      expect(JSON.stringify(policyOf(roleId)).toLowerCase()).not.toContain('dynamodb:tablename');
    }
  });
});

describe('resource policies and endpoint policy', () => {
  test('every table: only the two project roles, only through the project endpoint, never root, TLS only', () => {
    const all = resourcesOfType(json, 'aws_dynamodb_resource_policy');
    expect(Object.keys(all).sort()).toEqual(['conversation_history_resource_policy', 'conversation_history_stream_policy', 'model_metadata_resource_policy', 'model_metadata_stream_policy', 'user_sessions_resource_policy', 'user_sessions_stream_policy']);
    const policies = Object.fromEntries(Object.entries(all).filter(([name]) => name.endsWith('_resource_policy')));
    const policy = JSON.parse(policies.user_sessions_resource_policy.policy);
    expect(policy.Statement.map((s: any) => s.Sid)).toEqual(['DenyUnlistedPrincipals', 'DenyAllNonVPCAccess', 'DenyChangesOutsideTerraform', 'DenyInsecureTransport', 'DenyRootUser']);
    expect(policy.Statement[0].Condition.ArnNotLike['aws:PrincipalArn']).toEqual([LAMBDA_ROLE, SCIENTIST_ROLE, DEPLOYER]);
    expect(policy.Statement[1].Condition).toEqual({ StringNotEquals: { 'aws:SourceVpce': ENDPOINT }, ArnNotLike: { 'aws:PrincipalArn': DEPLOYER } });
    expect(policies.user_sessions_resource_policy.resource_arn).toBe('${aws_dynamodb_table.user_sessions.arn}');
  });

  test('endpoint: project tables only, the project roles only, list actions on "*", TLS only', () => {
    const endpoint = JSON.parse(resourcesOfType(json, 'aws_vpc_endpoint').dynamodb_endpoint.policy);
    const statement = (id: string) => endpoint.Statement.find((s: any) => s.Sid === id);
    expect(statement('AllowOnlyFromVPC').Resource).toBe(PROJECT_TABLES);
    expect(statement('AllowOnlyFromVPC').Condition).toEqual({ StringEquals: { 'aws:SourceVpc': VPC }, ArnLike: { 'aws:PrincipalArn': [LAMBDA_ROLE, SCIENTIST_ROLE] } });
    expect(statement('AllowAccountLevelActions').Action).toEqual(['dynamodb:ListTables', 'dynamodb:ListBackups', 'dynamodb:DescribeEndpoints']);
    expect(statement('DenyOtherPrincipals').Condition).toEqual({ ArnNotLike: { 'aws:PrincipalArn': [LAMBDA_ROLE, SCIENTIST_ROLE] } });
    expect(statement('DenyNonTLS')).toBeDefined();
  });

  test("the governance template names the catalog's roles", () => {
    const template = projectTableResourcePolicy({ accountId: ACCOUNT, projectUuid: ML_PROJECT_UUID, vpcEndpointId: 'vpce-0123456789abcdef0', vpcId: VPC, exemptPrincipalArns: [DEPLOYER] });
    expect(template.Statement[0].Principal).toEqual({ AWS: [LAMBDA_ROLE, SCIENTIST_ROLE] });
  });
});
