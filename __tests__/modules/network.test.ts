import {
  DynamoDbGatewayEndpoint,
  DynamoDbGatewayEndpointProps,
  DynamoDbInterfaceEndpoint,
  DynamoDbInterfaceEndpointProps,
  ENDPOINT_DATA_ACTIONS,
  ENDPOINT_SDK_TABLE_ACTIONS,
  addCatalogEndpoints,
} from '../../modules/network';
import { resourcesOfType, synthConstructs } from '../support/synth';

const VPC = 'vpc-0abc1234def567890';
const RTB_A = 'rtb-0123456789abcdef0';
const RTB_B = 'rtb-0fedcba9876543210';

function gatewayProps(overrides: Partial<DynamoDbGatewayEndpointProps> = {}): DynamoDbGatewayEndpointProps {
  return {
    accountId: '111111111111',
    region: 'us-east-1',
    vpcId: VPC,
    routeTableIds: [RTB_A, RTB_B],
    tableNamePrefixes: ['manga-assist-'],
    ...overrides,
  };
}

function interfaceProps(overrides: Partial<DynamoDbInterfaceEndpointProps> = {}): DynamoDbInterfaceEndpointProps {
  return {
    accountId: '111111111111',
    region: 'us-east-1',
    vpcId: VPC,
    tableNamePrefixes: ['manga-assist-'],
    subnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
    allowedCidrs: ['10.20.0.0/16'],
    allowedSecurityGroupIds: ['sg-0123456789abcdef0'],
    securityGroupName: 'manga-assist-dev-dynamodb-endpoint',
    ...overrides,
  };
}

function synthGateway(overrides: Partial<DynamoDbGatewayEndpointProps> = {}) {
  const json = synthConstructs((stack) => new DynamoDbGatewayEndpoint(stack, 'dynamodb_endpoint', gatewayProps(overrides)));
  const endpoint = resourcesOfType(json, 'aws_vpc_endpoint').dynamodb_endpoint;
  const policy = JSON.parse(endpoint.policy);
  return { endpoint, policy, statement: (sid: string) => policy.Statement.find((s: any) => s.Sid === sid) };
}

function synthInterface(overrides: Partial<DynamoDbInterfaceEndpointProps> = {}) {
  const json = synthConstructs((stack) => new DynamoDbInterfaceEndpoint(stack, 'dynamodb_interface_endpoint', interfaceProps(overrides)));
  return {
    endpoint: resourcesOfType(json, 'aws_vpc_endpoint').dynamodb_interface_endpoint,
    group: resourcesOfType(json, 'aws_security_group').dynamodb_interface_endpoint_security_group,
    rules: resourcesOfType(json, 'aws_vpc_security_group_ingress_rule'),
  };
}

function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the endpoint to be rejected');
}

describe('DynamoDbGatewayEndpoint (dynamodb:015)', () => {
  test("a gateway endpoint for com.amazonaws.<region>.dynamodb on the environment's route tables", () => {
    const { endpoint } = synthGateway({ tags: { Name: 'manga-assist-dev-dynamodb' } });
    expect(endpoint).toEqual(
      expect.objectContaining({
        vpc_id: VPC,
        service_name: 'com.amazonaws.us-east-1.dynamodb',
        vpc_endpoint_type: 'Gateway',
        route_table_ids: [RTB_A, RTB_B],
        tags: { Name: 'manga-assist-dev-dynamodb' },
      }),
    );
  });

  test("seed 001's policy: only the catalog's tables, only from the VPC, TLS only", () => {
    const { policy } = synthGateway();
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AllowOnlyFromVPC',
          Effect: 'Allow',
          Principal: '*',
          Action: [...new Set([...ENDPOINT_DATA_ACTIONS, ...ENDPOINT_SDK_TABLE_ACTIONS])],
          Resource: 'arn:aws:dynamodb:us-east-1:111111111111:table/manga-assist-*',
          Condition: { StringEquals: { 'aws:SourceVpc': VPC } },
        },
        { Sid: 'AllowAccountLevelActions', Effect: 'Allow', Principal: '*', Action: ['dynamodb:DescribeEndpoints'], Resource: '*', Condition: { StringEquals: { 'aws:SourceVpc': VPC } } },
        { Sid: 'DenyNonTLS', Effect: 'Deny', Principal: '*', Action: 'dynamodb:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ],
    });
  });

  test("seed 000 §4.2: only the project's roles, account-level list actions, several prefixes", () => {
    const roles = ['arn:aws:iam::111111111111:role/project-abc-lambda-role', 'arn:aws:iam::111111111111:role/project-abc-ml-scientist-role'];
    const { statement } = synthGateway({
      tableNamePrefixes: ['project-abc-', 'shared-lookup-'],
      allowedActions: ['dynamodb:GetItem', 'dynamodb:CreateTable'],
      accountLevelActions: ['dynamodb:ListTables'],
      allowedPrincipalArns: roles,
    });
    expect(statement('AllowOnlyFromVPC')).toEqual({
      Sid: 'AllowOnlyFromVPC',
      Effect: 'Allow',
      Principal: '*',
      Action: ['dynamodb:GetItem', 'dynamodb:CreateTable', ...ENDPOINT_SDK_TABLE_ACTIONS],
      Resource: ['arn:aws:dynamodb:us-east-1:111111111111:table/project-abc-*', 'arn:aws:dynamodb:us-east-1:111111111111:table/shared-lookup-*'],
      Condition: { StringEquals: { 'aws:SourceVpc': VPC }, ArnLike: { 'aws:PrincipalArn': roles } },
    });
    expect(statement('AllowAccountLevelActions')).toEqual(expect.objectContaining({ Action: ['dynamodb:ListTables', 'dynamodb:DescribeEndpoints'], Resource: '*' }));
    expect(statement('DenyOtherPrincipals')).toEqual({
      Sid: 'DenyOtherPrincipals',
      Effect: 'Deny',
      Principal: '*',
      Action: 'dynamodb:*',
      Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': roles } },
    });
  });

  test('the VPC condition and the TLS deny can be turned off', () => {
    const { policy } = synthGateway({ requireSourceVpc: false, denyInsecureTransport: false });
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['AllowOnlyFromVPC', 'AllowAccountLevelActions']);
    expect(policy.Statement.map((s: { Condition?: unknown }) => s.Condition)).toEqual([undefined, undefined]);
  });
});

describe('DynamoDbInterfaceEndpoint (PrivateLink for on-premises clients)', () => {
  test('an interface endpoint in the given subnets, private DNS off (DynamoDB does not offer it), same policy', () => {
    const { endpoint } = synthInterface();
    expect(endpoint).toEqual(
      expect.objectContaining({
        vpc_id: VPC,
        service_name: 'com.amazonaws.us-east-1.dynamodb',
        vpc_endpoint_type: 'Interface',
        subnet_ids: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
        security_group_ids: ['${aws_security_group.dynamodb_interface_endpoint_security_group.id}'],
        private_dns_enabled: false,
      }),
    );
    expect(JSON.parse(endpoint.policy).Statement.map((s: any) => s.Sid)).toEqual(['AllowOnlyFromVPC', 'AllowAccountLevelActions', 'DenyNonTLS']);
  });

  test('its security group admits 443 only from the listed CIDRs and security groups, with no egress', () => {
    const { group, rules } = synthInterface();
    expect(group).toEqual(
      expect.objectContaining({ name: 'manga-assist-dev-dynamodb-endpoint', vpc_id: VPC, description: 'HTTPS (443) to the DynamoDB interface endpoint from listed networks only (dynamodb:015)' }),
    );
    expect(group.egress).toBeUndefined();
    expect(group.ingress).toBeUndefined();
    expect(rules).toEqual({
      dynamodb_interface_endpoint_https_from_10_20_0_0_16: expect.objectContaining({
        security_group_id: '${aws_security_group.dynamodb_interface_endpoint_security_group.id}',
        ip_protocol: 'tcp',
        from_port: 443,
        to_port: 443,
        cidr_ipv4: '10.20.0.0/16',
      }),
      dynamodb_interface_endpoint_https_from_sg_0123456789abcdef0: expect.objectContaining({
        ip_protocol: 'tcp',
        from_port: 443,
        to_port: 443,
        referenced_security_group_id: 'sg-0123456789abcdef0',
      }),
    });
  });
});

describe('addCatalogEndpoints', () => {
  test('gateway always, PrivateLink when configured; restrictToCatalogRoles turns role names into principals', () => {
    const json = synthConstructs((stack) =>
      addCatalogEndpoints(
        stack,
        'ml-platform-dev',
        { tableNamePrefixes: ['project-abc-'], restrictToCatalogRoles: true },
        {
          accountId: '111111111111',
          region: 'us-east-1',
          vpcId: VPC,
          routeTableIds: [RTB_A],
          interfaceEndpoint: { subnetIds: ['subnet-0123456789abcdef0'], allowedCidrs: ['192.168.0.0/24'] },
          extraPrincipalArns: ['arn:aws:iam::111111111111:role/terraform-deployer'],
        },
        ['project-abc-lambda-role'],
      ),
    );
    const endpoints = resourcesOfType(json, 'aws_vpc_endpoint');
    expect(Object.keys(endpoints).sort()).toEqual(['dynamodb_endpoint', 'dynamodb_interface_endpoint']);
    const deny = JSON.parse(endpoints.dynamodb_endpoint.policy).Statement.find((s: any) => s.Sid === 'DenyOtherPrincipals');
    expect(deny.Condition.ArnNotLike['aws:PrincipalArn']).toEqual(['arn:aws:iam::111111111111:role/project-abc-lambda-role', 'arn:aws:iam::111111111111:role/terraform-deployer']);
    expect(resourcesOfType(json, 'aws_security_group').dynamodb_interface_endpoint_security_group.name).toBe('ml-platform-dev-dynamodb-endpoint');
  });
});

describe('endpoint validation', () => {
  const gateway = (overrides: Partial<DynamoDbGatewayEndpointProps>) => errorOf(() => synthGateway(overrides));
  const privateLink = (overrides: Partial<DynamoDbInterfaceEndpointProps>) => errorOf(() => synthInterface(overrides));

  test.each([
    ["seed 001's 16-digit example VPC id", { vpcId: 'vpc-0abc1234def56789' }, "vpcId = 'vpc-0abc1234def56789': must be a VPC id ('vpc-' followed by 8 or 17 lowercase hex digits)"],
    ['no route tables', { routeTableIds: [] }, 'routeTableIds = []: needs at least 1 route table id'],
    ['a subnet id as route table', { routeTableIds: ['subnet-0123456789abcdef0'] }, "routeTableIds[0] = 'subnet-0123456789abcdef0': must be a route table id ('rtb-' followed by 8 or 17 lowercase hex digits)"],
    ['a route table twice', { routeTableIds: [RTB_A, RTB_A] }, `routeTableIds = '${RTB_A}': is listed twice`],
    ['no prefixes', { tableNamePrefixes: [] }, "tableNamePrefixes = []: list the catalog's table-name prefixes; an endpoint that reaches every table defeats dynamodb:015"],
    ['a prefix too short', { tableNamePrefixes: ['m'] }, "tableNamePrefixes[0] = 'm': must be 3 to 254 letters, digits, '_', '-' or '.' (the policy appends '*')"],
    ['a wildcard prefix', { tableNamePrefixes: ['manga-*'] }, "tableNamePrefixes[0] = 'manga-*': must be 3 to 254 letters, digits, '_', '-' or '.' (the policy appends '*')"],
    ['a wildcard action', { allowedActions: ['dynamodb:*'] }, "allowedActions = 'dynamodb:*': list explicit DynamoDB actions (no wildcards, no other services)"],
    [
      'a stream action',
      { allowedActions: ['dynamodb:GetRecords'] },
      "allowedActions = 'dynamodb:GetRecords': DynamoDB Streams has its own endpoint (streams.dynamodb.<region>.amazonaws.com) that a DynamoDB gateway endpoint does not carry; stream actions do not belong here",
    ],
    ['an account-level action on tables', { allowedActions: ['dynamodb:ListTables'] }, "allowedActions = 'dynamodb:ListTables': this action has no table resource; list it in accountLevelActions"],
    [
      'a table action as account-level',
      { accountLevelActions: ['dynamodb:Scan'] },
      "accountLevelActions = 'dynamodb:Scan': only actions without a resource type belong here (dynamodb:ListTables, dynamodb:ListBackups, dynamodb:ListGlobalTables, dynamodb:ListExports, dynamodb:ListImports, dynamodb:ListContributorInsights, dynamodb:DescribeLimits, dynamodb:DescribeEndpoints, dynamodb:DescribeReservedCapacity, dynamodb:DescribeReservedCapacityOfferings)",
    ],
    [
      'a wildcard principal',
      { allowedPrincipalArns: ['*'] },
      "allowedPrincipalArns[0] = '*': must be an IAM role or user ARN of one account (wildcards only inside the name)",
    ],
    ['a bad region', { region: 'US-EAST-1' }, "region = 'US-EAST-1': must be an AWS region such as 'us-east-1'"],
  ])('gateway: %s', (_name, overrides, message) => {
    expect(gateway(overrides as Partial<DynamoDbGatewayEndpointProps>)).toBe(`test/dynamodb_endpoint: ${message}`);
  });

  test.each([
    ['no subnets', { subnetIds: [] }, 'subnetIds = []: needs at least 1 subnet id'],
    ['a malformed subnet id', { subnetIds: ['subnet-1'] }, "subnetIds[0] = 'subnet-1': must be a subnet id ('subnet-' followed by 8 or 17 lowercase hex digits)"],
    [
      'nobody allowed in',
      { allowedCidrs: [], allowedSecurityGroupIds: [] },
      'allowedCidrs = []: list the on-premises CIDRs or client security groups allowed to reach the endpoint on 443; otherwise nothing can use it',
    ],
    ['the whole internet', { allowedCidrs: ['0.0.0.0/0'] }, "allowedCidrs[0] = '0.0.0.0/0': would open the endpoint to every network that can route to the VPC; list the on-premises ranges instead"],
    ['host bits set', { allowedCidrs: ['10.20.1.0/16'] }, "allowedCidrs[0] = '10.20.1.0/16': has host bits set; the network address is '10.20.0.0/16'"],
    ['not a CIDR', { allowedCidrs: ['10.20.0.0'] }, "allowedCidrs[0] = '10.20.0.0': must be an IPv4 CIDR block such as '10.20.0.0/16'"],
    ['a CIDR twice', { allowedCidrs: ['10.20.0.0/16', '10.20.0.0/16'] }, "allowedCidrs = '10.20.0.0/16': is listed twice"],
    ['a malformed security group', { allowedSecurityGroupIds: ['sg-xyz'] }, "allowedSecurityGroupIds[0] = 'sg-xyz': must be a security group id ('sg-' followed by 8 or 17 lowercase hex digits)"],
    ['a reserved security group name', { securityGroupName: 'sg-dynamodb' }, "securityGroupName = 'sg-dynamodb': must be 1 to 255 characters and must not start with 'sg-'"],
  ])('interface: %s', (_name, overrides, message) => {
    expect(privateLink(overrides as Partial<DynamoDbInterfaceEndpointProps>)).toBe(`test/dynamodb_interface_endpoint: ${message}`);
  });
});

describe('endpoint policies let the SDKs work and name other tables only where the settings list them', () => {
  test('the calls SDKs make on their own are never blocked, whatever the catalog lists (negative control: before, seed 001 had none)', () => {
    const { statement } = synthGateway({ allowedActions: ['dynamodb:GetItem'] });
    expect(statement('AllowOnlyFromVPC').Action).toEqual(['dynamodb:GetItem', 'dynamodb:DescribeTable', 'dynamodb:DescribeTimeToLive', 'dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem']);
    expect(statement('AllowAccountLevelActions').Action).toEqual(['dynamodb:DescribeEndpoints']);
  });

  test('extraTableNames adds exactly those tables and their indexes; a bad name is refused', () => {
    const { statement } = synthGateway({ extraTableNames: ['terraform-locks'] });
    expect(statement('AllowOnlyFromVPC').Resource).toEqual([
      'arn:aws:dynamodb:us-east-1:111111111111:table/manga-assist-*',
      'arn:aws:dynamodb:us-east-1:111111111111:table/terraform-locks',
      'arn:aws:dynamodb:us-east-1:111111111111:table/terraform-locks/index/*',
    ]);
    expect(() => synthGateway({ extraTableNames: ['a*'] })).toThrow("extraTableNames[0] = 'a*': must be a DynamoDB table name");
  });
});
