import {
  AccessProfile,
  AccessRole,
  AccessRoleProps,
  DANGEROUS_ACTIONS,
  PolicyStatement,
  RoleTrust,
  TableTarget,
  estimatedPolicyLength,
  leastPrivilegeViolations,
  policyDocument,
} from '../../modules/access';
import { resourcesOfType, synthConstructs } from '../support/synth';
import { errorMessageOf } from '../support/errors';

const ACCOUNT = '111111111111';
const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const TABLE_ARN = 'arn:aws:dynamodb:us-east-1:111111111111:table/orders';
const VPCE = 'vpce-0123456789abcdef0';

const ordersWithIndexes: TableTarget = { tableArn: TABLE_ARN, hasIndexes: true, keyArn: KEY_ARN };
const ordersWithoutIndexes: TableTarget = { tableArn: TABLE_ARN, hasIndexes: false, keyArn: KEY_ARN };

function baseProps(overrides: Partial<AccessRoleProps> = {}): AccessRoleProps {
  return {
    roleName: 'orders-reader-role',
    trust: RoleTrust.lambda(),
    accountId: ACCOUNT,
    region: 'us-east-1',
    grants: [{ target: ordersWithoutIndexes, profile: AccessProfile.reader() }],
    ...overrides,
  };
}

function synthRole(overrides: Partial<AccessRoleProps> = {}) {
  const json = synthConstructs((stack) => new AccessRole(stack, 'orders_role', baseProps(overrides)));
  const role = resourcesOfType(json, 'aws_iam_role').orders_role;
  const inline = resourcesOfType(json, 'aws_iam_role_policy').orders_role_policy;
  const policy = JSON.parse(inline.policy);
  const statement = (sid: string) => policy.Statement.find((s: any) => s.Sid === sid);
  return { json, role, inline, policy, statement, trust: JSON.parse(role.assume_role_policy) };
}

function roleError(overrides: Partial<AccessRoleProps>): string {
  return errorMessageOf(() => synthRole(overrides));
}

const PREFIX = 'test/orders_role: ';

describe('AccessRole: one role per function with a readable inline policy (dynamodb:012)', () => {
  test('creates the role, its single inline policy and the exclusive-policies guard at stable addresses', () => {
    const { json, role, inline } = synthRole();
    expect(role.name).toBe('orders-reader-role');
    expect(role.description).toBe('Least-privilege DynamoDB access for orders-reader-role (dynamodb:012)');
    expect(role.max_session_duration).toBe(3600);
    expect(inline).toEqual(expect.objectContaining({ name: 'orders-reader-role-dynamodb', role: '${aws_iam_role.orders_role.id}' }));
    expect(resourcesOfType(json, 'aws_iam_role_policies_exclusive').orders_role_inline_policies).toEqual(
      expect.objectContaining({ role_name: '${aws_iam_role.orders_role.name}', policy_names: ['${aws_iam_role_policy.orders_role_policy.name}'] }),
    );
  });

  test('reader: GetItem, Query, BatchGetItem, DescribeTable on the table only; kms:Decrypt through DynamoDB', () => {
    const { policy, statement } = synthRole();
    expect(statement('DynamoDBRead')).toEqual({
      Sid: 'DynamoDBRead',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:DescribeTable'],
      Resource: TABLE_ARN,
    });
    expect(statement('TableKeyThroughDynamoDb')).toEqual({
      Sid: 'TableKeyThroughDynamoDb',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: KEY_ARN,
      Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' } },
    });
    expect(policy.Statement.map((s: any) => s.Sid)).toEqual(['DynamoDBRead', 'TableKeyThroughDynamoDb', 'DenyDangerous']);
  });

  test('the table index ARNs are added only when the table has indexes and the profile queries', () => {
    expect(synthRole({ grants: [{ target: ordersWithIndexes, profile: AccessProfile.reader() }] }).statement('DynamoDBRead').Resource).toEqual([
      TABLE_ARN,
      `${TABLE_ARN}/index/*`,
    ]);
    const putOnly = AccessProfile.custom('Put', ['dynamodb:PutItem']);
    expect(synthRole({ grants: [{ target: ordersWithIndexes, profile: putOnly }] }).statement('DynamoDBPut').Resource).toBe(TABLE_ARN);
    expect(synthRole({ grants: [{ target: ordersWithIndexes, profile: AccessProfile.reader(), indexes: false }] }).statement('DynamoDBRead').Resource).toBe(TABLE_ARN);
  });

  test('writer: adds PutItem, UpdateItem, ConditionCheckItem but no Scan or deletes; kms:GenerateDataKey', () => {
    const { statement } = synthRole({ grants: [{ target: ordersWithoutIndexes, profile: AccessProfile.writer() }] });
    expect(statement('DynamoDBReadWrite').Action).toEqual([
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:BatchGetItem',
      'dynamodb:DescribeTable',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:ConditionCheckItem',
    ]);
    expect(statement('TableKeyThroughDynamoDb').Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(statement('DenyDangerous').Action).toEqual(expect.arrayContaining(['dynamodb:Scan', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']));
  });

  test('writer options: deletes bring DeleteItem and BatchWriteItem; Scan only when asked', () => {
    const { statement } = synthRole({ grants: [{ target: ordersWithoutIndexes, profile: AccessProfile.writer({ allowDelete: true, allowScan: true }) }] });
    expect(statement('DynamoDBReadWrite').Action).toEqual(expect.arrayContaining(['dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:Scan']));
    expect(statement('DenyDangerous').Action).not.toEqual(expect.arrayContaining(['dynamodb:Scan']));
    expect(statement('DenyDangerous').Action).toEqual(expect.arrayContaining(['dynamodb:DeleteTable', 'dynamodb:CreateTable']));
  });

  test('stream consumer: stream actions on the stream ARN only, ListStreams on * (it has no resource type)', () => {
    const { policy, statement } = synthRole({
      grants: [{ target: ordersWithIndexes, profile: AccessProfile.streamConsumer() }],
      sourceVpceIds: [VPCE],
    });
    expect(statement('DynamoDBStreamRead')).toEqual({
      Sid: 'DynamoDBStreamRead',
      Effect: 'Allow',
      Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
      Resource: `${TABLE_ARN}/stream/*`,
    });
    expect(statement('DynamoDBStreamReadListStreams')).toEqual({ Sid: 'DynamoDBStreamReadListStreams', Effect: 'Allow', Action: ['dynamodb:ListStreams'], Resource: '*' });
    // Stream consumers read from the AWS network: no endpoint condition and no DenyNonVPCAccess for stream actions.
    expect(statement('DenyNonVPCAccess')).toBeUndefined();
    expect(JSON.stringify(policy)).not.toContain(`${TABLE_ARN}"`);
    const noList = synthRole({ grants: [{ target: ordersWithIndexes, profile: AccessProfile.streamConsumer({ listStreams: false }) }] });
    expect(noList.statement('DynamoDBStreamReadListStreams')).toBeUndefined();
  });

  test('admin: Scan, Query, DeleteItem, ExportTableToPointInTime; CreateTable and DeleteTable explicitly denied', () => {
    const { statement } = synthRole({ grants: [{ target: ordersWithIndexes, profile: AccessProfile.admin() }] });
    expect(statement('DynamoDBAdmin').Action).toEqual(['dynamodb:Query', 'dynamodb:Scan', 'dynamodb:DeleteItem', 'dynamodb:ExportTableToPointInTime']);
    expect(statement('DenyDangerous')).toEqual({
      Sid: 'DenyDangerous',
      Effect: 'Deny',
      Action: [
        'dynamodb:DeleteTable',
        'dynamodb:CreateTable',
        'dynamodb:BatchWriteItem',
        'dynamodb:UpdateContinuousBackups',
        'dynamodb:DeleteBackup',
        'dynamodb:PutResourcePolicy',
        'dynamodb:DeleteResourcePolicy',
      ],
      Resource: '*',
    });
  });

  test("leading keys: item actions get seed 001's LeadingKeys condition, DescribeTable a separate statement", () => {
    const { statement } = synthRole({ grants: [{ target: ordersWithIndexes, profile: AccessProfile.reader(), leadingKeys: ['SESSION#*'], sid: 'SessionRead' }] });
    expect(statement('SessionRead')).toEqual({
      Sid: 'SessionRead',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'],
      Resource: [TABLE_ARN, `${TABLE_ARN}/index/*`],
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SESSION#*'] } },
    });
    expect(statement('SessionReadTableLevel')).toEqual({
      Sid: 'SessionReadTableLevel',
      Effect: 'Allow',
      Action: ['dynamodb:DescribeTable'],
      Resource: [TABLE_ARN, `${TABLE_ARN}/index/*`],
    });
  });

  test('VPC endpoint only: aws:SourceVpce (and aws:SourceVpc) on table statements plus DenyNonVPCAccess', () => {
    const { statement } = synthRole({
      grants: [{ target: ordersWithoutIndexes, profile: AccessProfile.writer(), leadingKeys: ['TENANT#1#*'] }],
      sourceVpceIds: [VPCE],
      sourceVpcIds: ['vpc-0abc1234def567890'],
    });
    expect(statement('DynamoDBReadWrite').Condition).toEqual({
      StringEquals: { 'aws:SourceVpce': VPCE, 'aws:SourceVpc': 'vpc-0abc1234def567890' },
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TENANT#1#*'] },
    });
    expect(statement('DynamoDBReadWriteTableLevel').Condition).toEqual({ StringEquals: { 'aws:SourceVpce': VPCE, 'aws:SourceVpc': 'vpc-0abc1234def567890' } });
    expect(statement('TableKeyThroughDynamoDb').Condition).toEqual({ StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' } });
    expect(statement('DenyNonVPCAccess')).toEqual({
      Sid: 'DenyNonVPCAccess',
      Effect: 'Deny',
      Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:DescribeTable', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:SourceVpce': VPCE } },
    });
    expect(synthRole({ sourceVpceIds: [VPCE], denyOutsideVpcEndpoint: false }).statement('DenyNonVPCAccess')).toBeUndefined();
  });

  test('name-prefix targets: table pattern, backups on /backup/*, account-level actions on * with the network condition', () => {
    const profile = AccessProfile.custom('Management', ['dynamodb:CreateTable', 'dynamodb:DescribeBackup', 'dynamodb:ListTables']);
    const prefix = 'arn:aws:dynamodb:us-east-1:111111111111:table/project-abc-*';
    const { statement } = synthRole({ grants: [{ target: { tableArn: prefix, keyArn: KEY_ARN }, profile }], sourceVpceIds: [VPCE], denyActions: false });
    expect(statement('DynamoDBManagement')).toEqual({ Sid: 'DynamoDBManagement', Effect: 'Allow', Action: ['dynamodb:CreateTable'], Resource: prefix, Condition: { StringEquals: { 'aws:SourceVpce': VPCE } } });
    expect(statement('DynamoDBManagementBackups').Resource).toBe(`${prefix}/backup/*`);
    expect(statement('DynamoDBManagementAccountLevel')).toEqual(expect.objectContaining({ Action: ['dynamodb:ListTables'], Resource: '*', Condition: { StringEquals: { 'aws:SourceVpce': VPCE } } }));
    expect(statement('TableKeyThroughDynamoDb').Action).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant']);
    expect(statement('DenyDangerous')).toBeUndefined();
  });

  test('several grants share a profile: statement ids are numbered', () => {
    const other = { tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/customers', hasIndexes: false };
    const { policy } = synthRole({ grants: [{ target: ordersWithoutIndexes, profile: AccessProfile.reader() }, { target: other, profile: AccessProfile.reader() }] });
    expect(policy.Statement.map((s: any) => s.Sid)).toEqual(['DynamoDBRead1', 'DynamoDBRead2', 'TableKeyThroughDynamoDb', 'DenyDangerous']);
  });

  test('explicit deny list, additional statements for other services and managed policies', () => {
    const xray: PolicyStatement = { Sid: 'XRayTrace', Effect: 'Allow', Action: ['xray:PutTraceSegments'], Resource: '*' };
    const { json, statement, policy } = synthRole({
      denyActions: ['dynamodb:Scan'],
      additionalStatements: [xray],
      managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole'],
      exclusiveInlinePolicies: false,
      maxSessionDurationSeconds: 7200,
      permissionsBoundaryArn: 'arn:aws:iam::111111111111:policy/boundary',
    });
    expect(statement('DenyDangerous').Action).toEqual(['dynamodb:Scan']);
    expect(policy.Statement[policy.Statement.length - 1]).toEqual(xray);
    expect(resourcesOfType(json, 'aws_iam_role_policy_attachment').orders_role_attach_awslambdavpcaccessexecutionrole).toEqual(
      expect.objectContaining({ policy_arn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole', role: '${aws_iam_role.orders_role.name}' }),
    );
    expect(resourcesOfType(json, 'aws_iam_role_policies_exclusive')).toEqual({});
    const role = resourcesOfType(json, 'aws_iam_role').orders_role;
    expect(role.max_session_duration).toBe(7200);
    expect(role.permissions_boundary).toBe('arn:aws:iam::111111111111:policy/boundary');
  });

  test('trust policies: Lambda, Step Functions, named principals and the own account', () => {
    const trustOf = (trust: RoleTrust) => synthRole({ trust }).trust.Statement[0];
    expect(trustOf(RoleTrust.lambda())).toEqual({ Sid: 'TrustedToAssume', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' });
    expect(trustOf(RoleTrust.stepFunctions()).Principal).toEqual({ Service: 'states.amazonaws.com' });
    expect(trustOf(RoleTrust.service('lambda.amazonaws.com', 'edgelambda.amazonaws.com')).Principal).toEqual({ Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] });
    expect(trustOf(RoleTrust.principals(['arn:aws:iam::222222222222:role/ci'])).Principal).toEqual({ AWS: 'arn:aws:iam::222222222222:role/ci' });
    expect(trustOf(RoleTrust.sameAccount()).Principal).toEqual({ AWS: 'arn:aws:iam::111111111111:root' });
  });

  test('every synthesized policy passes the least-privilege lint', () => {
    const { policy } = synthRole({ grants: [{ target: ordersWithIndexes, profile: AccessProfile.writer({ allowDelete: true }) }], sourceVpceIds: [VPCE] });
    expect(leastPrivilegeViolations(policy)).toEqual([]);
  });
});

describe('AccessRole rejects every shape dynamodb:012 forbids', () => {
  const allow = (statement: Omit<PolicyStatement, 'Effect'>): Partial<AccessRoleProps> => ({ additionalStatements: [{ Effect: 'Allow', ...statement }] });

  test.each([
    [
      'Allow of *',
      allow({ Sid: 'Everything', Action: '*', Resource: '*' }),
      "policy.Statement[3] (Everything).Action = '*': an Allow of every action ('*') is never least privilege (dynamodb:012)",
    ],
    [
      'Allow of dynamodb:*',
      { grants: [{ target: ordersWithoutIndexes, profile: AccessProfile.custom('All', ['dynamodb:*']) }] },
      "policy.Statement[0] (DynamoDBAll).Action = 'dynamodb:*': DynamoDB actions must be listed one by one: a wildcard also grants control-plane actions such as dynamodb:DeleteTable (dynamodb:012)",
    ],
    [
      'Allow of a DynamoDB action wildcard',
      allow({ Sid: 'Gets', Action: 'dynamodb:Get*', Resource: TABLE_ARN }),
      "policy.Statement[3] (Gets).Action = 'dynamodb:Get*': DynamoDB actions must be listed one by one: a wildcard also grants control-plane actions such as dynamodb:DeleteTable (dynamodb:012)",
    ],
    [
      'DynamoDB actions on Resource *',
      allow({ Sid: 'AnyTable', Action: ['dynamodb:GetItem', 'dynamodb:ListTables'], Resource: '*' }),
      "policy.Statement[3] (AnyTable).Resource = '*': DynamoDB actions need table, index or stream ARNs, not '*' (only account-level list/describe actions such as dynamodb:ListTables may use '*'); offending actions: dynamodb:GetItem (dynamodb:012)",
    ],
    [
      'a table ARN that covers every table',
      allow({ Sid: 'AllTables', Action: 'dynamodb:GetItem', Resource: 'arn:aws:dynamodb:us-east-1:111111111111:table/*' }),
      "policy.Statement[3] (AllTables).Resource = 'arn:aws:dynamodb:us-east-1:111111111111:table/*': this ARN covers every table of the account; name the table or a table-name prefix (dynamodb:012)",
    ],
    [
      'a table ARN with region and account wildcards (seed 000)',
      allow({ Sid: 'Anywhere', Action: 'dynamodb:GetItem', Resource: 'arn:aws:dynamodb:*:*:table/project-abc-*' }),
      "policy.Statement[3] (Anywhere).Resource = 'arn:aws:dynamodb:*:*:table/project-abc-*': a table ARN must name its region and account; a wildcard there reaches tables in every region or account (dynamodb:012)",
    ],
    [
      'NotAction on an Allow',
      allow({ Sid: 'AllBut', NotAction: 'dynamodb:DeleteTable', Resource: TABLE_ARN }),
      "policy.Statement[3] (AllBut).NotAction = 'dynamodb:DeleteTable': an Allow with NotAction grants every action it does not list; list the allowed actions instead (dynamodb:012)",
    ],
    [
      'NotResource on an Allow of DynamoDB actions',
      allow({ Sid: 'Others', Action: 'dynamodb:GetItem', NotResource: TABLE_ARN }),
      "policy.Statement[3] (Others).NotResource = 'arn:aws:dynamodb:us-east-1:111111111111:table/orders': an Allow of DynamoDB actions with NotResource reaches every table it does not list; name the tables in Resource (dynamodb:012)",
    ],
    [
      'an API name that is not an IAM action (seed 000)',
      { grants: [{ target: ordersWithoutIndexes, profile: AccessProfile.custom('Tx', ['dynamodb:TransactWriteItems']) }] },
      "policy.Statement[0] (DynamoDBTx).Action = 'dynamodb:TransactWriteItems': is an API operation, not an IAM action: a transaction is authorized by the item actions it contains (dynamodb:PutItem, dynamodb:UpdateItem, dynamodb:DeleteItem, dynamodb:ConditionCheckItem)",
    ],
  ])('%s', (_name, overrides, message) => {
    expect(roleError(overrides)).toBe(`${PREFIX}${message}`);
  });

  test.each([
    [
      'a malformed table ARN',
      { grants: [{ target: { tableArn: 'orders' }, profile: AccessProfile.reader() }] },
      "grants[0].target.tableArn = 'orders': must be a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>) or a table-name prefix followed by '*'",
    ],
    [
      'a table-name prefix too short to mean anything',
      { grants: [{ target: { tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/ab*' }, profile: AccessProfile.reader() }] },
      "grants[0].target.tableArn = 'arn:aws:dynamodb:us-east-1:111111111111:table/ab*': a table-name prefix needs at least 3 characters before '*', or the grant reaches nearly every table",
    ],
    [
      'another service in a table grant',
      { grants: [{ target: ordersWithoutIndexes, profile: AccessProfile.custom('Mixed', ['dynamodb:GetItem', 's3:GetObject']) }] },
      "grants[0].profile.actions = 's3:GetObject': table grants carry DynamoDB actions only; put permissions for other services in additionalStatements",
    ],
    [
      'an empty profile',
      { grants: [{ target: ordersWithoutIndexes, profile: AccessProfile.custom('Nothing', []) }] },
      "grants[0].profile = 'Nothing': grants at least one action",
    ],
    [
      'Scan limited by leading keys',
      { grants: [{ target: ordersWithoutIndexes, profile: AccessProfile.writer({ allowScan: true }), leadingKeys: ['SESSION#*'] }] },
      'grants[0].leadingKeys = ["SESSION#*"]: dynamodb:Scan reads every partition, so dynamodb:LeadingKeys cannot limit it; grant Scan in a separate grant or drop it',
    ],
    [
      'leading keys on a stream grant',
      { grants: [{ target: ordersWithoutIndexes, profile: AccessProfile.streamConsumer(), leadingKeys: ['SESSION#*'] }] },
      'grants[0].leadingKeys = ["SESSION#*"]: none of the granted actions carries dynamodb:LeadingKeys (dynamodb:GetItem, dynamodb:BatchGetItem, dynamodb:Query, dynamodb:PutItem, dynamodb:UpdateItem, dynamodb:DeleteItem, dynamodb:BatchWriteItem, dynamodb:ConditionCheckItem)',
    ],
    [
      'empty leading keys',
      { grants: [{ target: ordersWithoutIndexes, profile: AccessProfile.reader(), leadingKeys: [] }] },
      "grants[0].leadingKeys = []: list at least one non-empty partition-key pattern such as 'SESSION#*'",
    ],
    [
      'indexes on a table without indexes',
      { grants: [{ target: ordersWithoutIndexes, profile: AccessProfile.reader(), indexes: true }] },
      'grants[0].indexes = true: the table has no secondary indexes',
    ],
    [
      'a sid with punctuation',
      { grants: [{ target: ordersWithoutIndexes, profile: AccessProfile.reader(), sid: 'read-orders' }] },
      "grants[0].sid = 'read-orders': statement ids may contain only letters and digits",
    ],
    [
      'two grants with the same sid',
      {
        grants: [
          { target: ordersWithoutIndexes, profile: AccessProfile.reader(), sid: 'Orders' },
          { target: ordersWithoutIndexes, profile: AccessProfile.streamConsumer({ listStreams: false }), sid: 'Orders' },
        ],
      },
      "policy.Sid = 'Orders': statement ids must be unique within a policy; give the grants distinct sids",
    ],
    ['no grants', { grants: [] }, 'grants = []: a DynamoDB access role needs at least one table grant'],
    [
      'denying a granted action',
      { denyActions: ['dynamodb:GetItem', 'dynamodb:DeleteTable'] },
      'denyActions = ["dynamodb:GetItem"]: these actions are both granted and denied: an explicit Deny always wins, so the grant would never work',
    ],
    [
      'a role name IAM refuses',
      { roleName: 'orders role' },
      "roleName = 'orders role': must be 1 to 64 characters of letters, digits and '+=,.@_-'",
    ],
    ['a bad account id', { accountId: '1234' }, "accountId = '1234': must be a 12-digit AWS account id"],
    ['a bad region', { region: 'useast1' }, "region = 'useast1': must be an AWS region such as 'us-east-1'"],
    ['a wildcard trust principal', { trust: RoleTrust.principals(['*']) }, "trust = '*': must be an IAM role, user or account-root ARN (no wildcards)"],
    ['a made-up service principal', { trust: RoleTrust.service('lambda') }, "trust = 'lambda': must be a service principal such as 'lambda.amazonaws.com'"],
    ['a trust without principals', { trust: RoleTrust.principals([]) }, 'trust = []: name at least one principal allowed to assume the role'],
    [
      'a malformed VPC endpoint id',
      { sourceVpceIds: ['vpce-project-abc-dynamodb'] },
      "sourceVpceIds[0] = 'vpce-project-abc-dynamodb': must be a VPC endpoint id ('vpce-' followed by 8 or 17 lowercase hex digits)",
    ],
    [
      'a managed policy that reaches every table',
      { managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess'] },
      "managedPolicyArns[0] = 'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess': this managed policy reaches every DynamoDB table of the account; grant tables through AccessRole grants (dynamodb:012)",
    ],
    [
      'a session longer than IAM allows',
      { maxSessionDurationSeconds: 50_000 },
      'maxSessionDurationSeconds = 50000: must be a whole number from 3600 to 43200',
    ],
  ])('%s', (_name, overrides, message) => {
    expect(roleError(overrides as Partial<AccessRoleProps>)).toBe(`${PREFIX}${message}`);
  });

  test('an inline policy over the IAM size limit', () => {
    const grants = Array.from({ length: 60 }, (_, i) => ({
      target: { tableArn: `arn:aws:dynamodb:us-east-1:111111111111:table/orders-archive-${i}`, hasIndexes: true },
      profile: AccessProfile.writer({ allowDelete: true }),
      sid: `Orders${i}`,
    }));
    expect(roleError({ grants })).toMatch(
      /^test\/orders_role: policy = '\d+ characters': the inline policies of a role are limited to 10240 characters; split the access over more roles$/,
    );
  });

  test('size limits count each Terraform reference as 128 characters (the ARN it becomes)', () => {
    expect(estimatedPolicyLength('{"Resource":"${TfToken[TOKEN.7]}/index/*"}')).toBe('{"Resource":""}'.length + 128 + '/index/*'.length);
  });

  test('the lint reports each violation of a hand-written policy', () => {
    const violations = leastPrivilegeViolations(
      policyDocument([
        { Effect: 'Allow', Action: ['dynamodb:*'], Resource: '*' },
        { Effect: 'Deny', Action: 'dynamodb:*', Resource: '*' },
      ]),
    );
    expect(violations.map((v) => v.field)).toEqual(['Statement[0].Action']);
    expect(DANGEROUS_ACTIONS).toEqual(expect.arrayContaining(['dynamodb:Scan', 'dynamodb:DeleteItem', 'dynamodb:DeleteTable', 'dynamodb:CreateTable', 'dynamodb:BatchWriteItem']));
  });
});
