import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Fn, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  DAX_ENCRYPTION_AT_REST,
  DAX_NODE_TYPES,
  SecureDaxCluster,
  SecureDaxClusterProps,
  daxAssumeRolePolicy,
  daxTableAccessPolicy,
  daxTableActions,
} from '../../modules/dax';
import { DynamoDbKey, existingKey } from '../../modules/encryption';
import { SecureTable } from '../../modules/table';
import { TerraformJson, onlyResource, resourcesOfType, synthConstructs } from '../support/synth';
import { formatDiagnostic, terraformValidate } from '../support/terraform/validate';
import { errorMessageOf } from '../support/errors';

const ORDERS_ARN = 'arn:aws:dynamodb:us-east-1:111111111111:table/Orders';
const CUSTOMERS_ARN = 'arn:aws:dynamodb:us-east-1:111111111111:table/Customers';
const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const APP_SG = 'sg-0aaaaaaaaaaaaaaaa';
const OTHER_APP_SG = 'sg-0bbbbbbbbbbbbbbbb';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:111111111111:dax-events';

const ALL_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:UpdateItem',
];

function baseProps(): SecureDaxClusterProps {
  return {
    clusterName: 'orders-cache',
    region: 'us-east-1',
    vpcId: 'vpc-0123456789abcdef0',
    subnetIds: ['subnet-0a000000000000001', 'subnet-0b000000000000002', 'subnet-0c000000000000003'],
    availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    applicationSecurityGroupIds: [APP_SG],
    tables: [{ tableArn: ORDERS_ARN, keyArn: KEY_ARN }],
  };
}

function synthDax(overrides: Partial<SecureDaxClusterProps> = {}): TerraformJson {
  return synthConstructs((stack) => new SecureDaxCluster(stack, 'dax', { ...baseProps(), ...overrides }));
}

function cluster(overrides: Partial<SecureDaxClusterProps> = {}): any {
  return onlyResource(synthDax(overrides), 'aws_dax_cluster');
}

function rolePolicy(json: TerraformJson): any {
  return JSON.parse(onlyResource(json, 'aws_iam_role_policy').policy);
}

function daxError(overrides: Partial<SecureDaxClusterProps>): string {
  return errorMessageOf(() => synthDax(overrides));
}

describe('SecureDaxCluster secure defaults', () => {
  const json = synthDax();
  const dax = onlyResource(json, 'aws_dax_cluster');

  test('encrypts at rest (dynamodb:007, AWS-owned key: DAX has no customer-managed key option)', () => {
    expect(dax.server_side_encryption).toEqual({ enabled: true });
    expect(Object.keys(dax.server_side_encryption)).toEqual(['enabled']);
  });

  test('serves TLS only (dynamodb:008)', () => {
    expect(dax.cluster_endpoint_encryption_type).toBe('TLS');
  });

  test('one node in each of three explicitly listed zones (dynamodb:009)', () => {
    expect(dax.replication_factor).toBe(3);
    expect(dax.availability_zones).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
  });

  test('memory-optimized dax.r5.large nodes, default description, no maintenance window or topic', () => {
    expect(dax.cluster_name).toBe('orders-cache');
    expect(dax.node_type).toBe('dax.r5.large');
    expect(dax.description).toBe('DAX cache for DynamoDB tables (dynamodb:007-009)');
    expect(dax.maintenance_window).toBeUndefined();
    expect(dax.notification_topic_arn).toBeUndefined();
    expect(dax.tags).toBeUndefined();
  });

  test('wires its own subnet group, parameter group, security group and role', () => {
    expect(dax.subnet_group_name).toBe('${aws_dax_subnet_group.dax_subnet_group.name}');
    expect(dax.parameter_group_name).toBe('${aws_dax_parameter_group.dax_parameter_group.name}');
    expect(dax.security_group_ids).toEqual(['${aws_security_group.dax_security_group.id}']);
    expect(dax.iam_role_arn).toBe('${aws_iam_role.dax_role.arn}');
    expect(dax.depends_on).toEqual(['aws_iam_role_policy.dax_role_policy']);
  });

  test('has readable, stable Terraform addresses', () => {
    const addresses = Object.fromEntries(
      [
        'aws_dax_cluster',
        'aws_dax_subnet_group',
        'aws_dax_parameter_group',
        'aws_security_group',
        'aws_vpc_security_group_ingress_rule',
        'aws_iam_role',
        'aws_iam_role_policy',
      ].map((type) => [type, Object.keys(resourcesOfType(json, type))]),
    );
    expect(addresses).toEqual({
      aws_dax_cluster: ['dax'],
      aws_dax_subnet_group: ['dax_subnet_group'],
      aws_dax_parameter_group: ['dax_parameter_group'],
      aws_security_group: ['dax_security_group'],
      aws_vpc_security_group_ingress_rule: ['dax_ingress_sg_0aaaaaaaaaaaaaaaa'],
      aws_iam_role: ['dax_role'],
      aws_iam_role_policy: ['dax_role_policy'],
    });
    expect(resourcesOfType(json, 'aws_vpc_security_group_egress_rule')).toEqual({});
  });

  test('subnet group of the given private subnets', () => {
    const group = onlyResource(json, 'aws_dax_subnet_group');
    expect(group.name).toBe('orders-cache-subnets');
    expect(group.description).toBe('Private subnets of DAX cluster orders-cache');
    expect(group.subnet_ids).toEqual(baseProps().subnetIds);
  });

  test('parameter group with the 5-minute DAX default TTLs', () => {
    const group = onlyResource(json, 'aws_dax_parameter_group');
    expect(group.name).toBe('orders-cache-params');
    expect(group.parameters).toEqual([
      { name: 'query-ttl-millis', value: '300000' },
      { name: 'record-ttl-millis', value: '300000' },
    ]);
  });

  test('security group in the VPC without inline rules (so no allow-all egress)', () => {
    const group = onlyResource(json, 'aws_security_group');
    expect(group.name).toBe('orders-cache-dax');
    expect(group.vpc_id).toBe('vpc-0123456789abcdef0');
    expect(group.description).toBe('DAX cluster orders-cache: TLS (TCP 9111) from application security groups only');
    expect(group.revoke_rules_on_delete).toBe(true);
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
    expect(group.tags).toEqual({ Name: 'orders-cache-dax' });
  });

  test('ingress only on TCP 9111, only from the application security group', () => {
    expect(onlyResource(json, 'aws_vpc_security_group_ingress_rule')).toEqual({
      security_group_id: '${aws_security_group.dax_security_group.id}',
      referenced_security_group_id: APP_SG,
      ip_protocol: 'tcp',
      from_port: 9111,
      to_port: 9111,
      description: 'DAX TLS from application security group',
    });
  });

  test('role trusted by the DAX service only', () => {
    const role = onlyResource(json, 'aws_iam_role');
    expect(role.name).toBe('orders-cache-dax-service');
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'DaxServiceAssumesRole', Effect: 'Allow', Principal: { Service: 'dax.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
  });

  test('role policy: DAX actions on exactly the table and its indexes, KMS decrypt through DynamoDB only', () => {
    const policyResource = onlyResource(json, 'aws_iam_role_policy');
    expect(policyResource.name).toBe('dynamodb-tables');
    expect(policyResource.role).toBe('${aws_iam_role.dax_role.id}');
    expect(rolePolicy(json)).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'DaxTableAccess', Effect: 'Allow', Action: ALL_ACTIONS, Resource: [ORDERS_ARN] },
        { Sid: 'DaxIndexAccess', Effect: 'Allow', Action: ['dynamodb:Query', 'dynamodb:Scan'], Resource: [`${ORDERS_ARN}/index/*`] },
        {
          Sid: 'DecryptTablesThroughDynamoDb',
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:DescribeKey'],
          Resource: [KEY_ARN],
          Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' } },
        },
      ],
    });
  });

  test('a multi-AZ cluster carries no waiver', () => {
    let built: SecureDaxCluster | undefined;
    synthConstructs((stack) => {
      built = new SecureDaxCluster(stack, 'dax', baseProps());
    });
    expect(built!.replicationFactor).toBe(3);
    expect(built!.singleNodeWaiver).toBeUndefined();
    expect(built!.complianceWaiver).toBeUndefined();
  });

  test('no wildcard resource and no dynamodb:* anywhere in the policy', () => {
    const statements = rolePolicy(json).Statement as Array<{ Action: string[]; Resource: string[] }>;
    expect(statements.flatMap((s) => s.Resource)).not.toContain('*');
    expect(statements.flatMap((s) => s.Action).filter((a) => a.endsWith(':*'))).toEqual([]);
  });
});

describe('SecureDaxCluster options', () => {
  test('node type, description, maintenance window, SNS topic and tags', () => {
    const json = synthDax({
      nodeType: 'dax.r5.2xlarge',
      description: 'MangaAssist session cache',
      maintenanceWindow: 'sat:23:30-sun:00:30',
      notificationTopicArn: TOPIC_ARN,
      tags: { DataClassification: 'internal' },
    });
    const dax = onlyResource(json, 'aws_dax_cluster');
    expect(dax.node_type).toBe('dax.r5.2xlarge');
    expect(dax.description).toBe('MangaAssist session cache');
    expect(dax.maintenance_window).toBe('sat:23:30-sun:00:30');
    expect(dax.notification_topic_arn).toBe(TOPIC_ARN);
    expect(dax.tags).toEqual({ DataClassification: 'internal' });
    expect(onlyResource(json, 'aws_security_group').tags).toEqual({ DataClassification: 'internal', Name: 'orders-cache-dax' });
    expect(onlyResource(json, 'aws_iam_role').tags).toEqual({ DataClassification: 'internal' });
    expect(onlyResource(json, 'aws_vpc_security_group_ingress_rule').tags).toEqual({ DataClassification: 'internal' });
  });

  test('item and query cache TTLs', () => {
    const group = onlyResource(synthDax({ itemCacheTtlMillis: 0, queryCacheTtlMillis: 60000 }), 'aws_dax_parameter_group');
    expect(group.parameters).toEqual([
      { name: 'query-ttl-millis', value: '60000' },
      { name: 'record-ttl-millis', value: '0' },
    ]);
  });

  test('more zones mean more nodes; an explicit matching replicationFactor is accepted', () => {
    const zones = ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d'];
    const subnets = [...baseProps().subnetIds, 'subnet-0d000000000000004'];
    const dax = cluster({ availabilityZones: zones, subnetIds: subnets, replicationFactor: 4 });
    expect(dax.replication_factor).toBe(4);
    expect(dax.availability_zones).toEqual(zones);
  });

  test('one ingress rule per application security group', () => {
    const json = synthDax({ applicationSecurityGroupIds: [APP_SG, OTHER_APP_SG] });
    const rules = resourcesOfType(json, 'aws_vpc_security_group_ingress_rule');
    expect(Object.keys(rules)).toEqual(['dax_ingress_sg_0aaaaaaaaaaaaaaaa', 'dax_ingress_sg_0bbbbbbbbbbbbbbbb']);
    expect(Object.values(rules).map((r: any) => [r.referenced_security_group_id, r.from_port, r.to_port, r.ip_protocol])).toEqual([
      [APP_SG, 9111, 9111, 'tcp'],
      [OTHER_APP_SG, 9111, 9111, 'tcp'],
    ]);
  });

  test('application security groups and subnets may be Terraform references', () => {
    const json = synthConstructs((stack) => {
      const app = new SecurityGroup(stack, 'app', { name: 'app', vpcId: 'vpc-0123456789abcdef0' });
      new SecureDaxCluster(stack, 'dax', {
        ...baseProps(),
        subnetIds: Fn.split(',', 'subnet-0a000000000000001,subnet-0b000000000000002,subnet-0c000000000000003'),
        applicationSecurityGroupIds: [app.id],
      });
    });
    expect(onlyResource(json, 'aws_dax_subnet_group').subnet_ids).toBe(
      '${split(",", "subnet-0a000000000000001,subnet-0b000000000000002,subnet-0c000000000000003")}',
    );
    const rules = resourcesOfType(json, 'aws_vpc_security_group_ingress_rule');
    expect(Object.keys(rules)).toEqual(['dax_ingress_app_0']);
    expect(rules.dax_ingress_app_0.referenced_security_group_id).toBe('${aws_security_group.app.id}');
  });

  test('addApplicationEgressRules: each application group may reach the cluster on 9111', () => {
    const json = synthDax({ applicationSecurityGroupIds: [APP_SG, OTHER_APP_SG], addApplicationEgressRules: true });
    const rules = resourcesOfType(json, 'aws_vpc_security_group_egress_rule');
    expect(Object.keys(rules)).toEqual(['dax_egress_sg_0aaaaaaaaaaaaaaaa', 'dax_egress_sg_0bbbbbbbbbbbbbbbb']);
    expect(rules.dax_egress_sg_0aaaaaaaaaaaaaaaa).toEqual({
      security_group_id: APP_SG,
      referenced_security_group_id: '${aws_security_group.dax_security_group.id}',
      ip_protocol: 'tcp',
      from_port: 9111,
      to_port: 9111,
      description: 'DAX TLS to cluster orders-cache',
    });
  });

  test('single-node waiver: one node in one zone', () => {
    const dax = cluster({
      availabilityZones: ['us-east-1a'],
      subnetIds: ['subnet-0a000000000000001'],
      singleNodeWaiver: { reason: 'dev cache, rebuilt on demand', id: 'WVR-12', expires: '2026-12-31' },
    });
    expect(dax.replication_factor).toBe(1);
    expect(dax.availability_zones).toEqual(['us-east-1a']);
    expect(dax.server_side_encryption).toEqual({ enabled: true });
    expect(dax.cluster_endpoint_encryption_type).toBe('TLS');
  });

  test('burstable dax.t3 nodes with allowBurstableNodeType', () => {
    expect(cluster({ nodeType: 'dax.t3.small', allowBurstableNodeType: true }).node_type).toBe('dax.t3.small');
  });

  test('readOnly access drops the write actions', () => {
    const statements = rolePolicy(synthDax({ access: 'readOnly' })).Statement;
    expect(statements[0].Action).toEqual(['dynamodb:BatchGetItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan']);
    expect(statements[1].Action).toEqual(['dynamodb:Query', 'dynamodb:Scan']);
  });

  test('several tables: every table and its indexes, each key once; tables without a key add no KMS grant', () => {
    const twoTables = rolePolicy(
      synthDax({ tables: [{ tableArn: ORDERS_ARN, keyArn: KEY_ARN }, { tableArn: CUSTOMERS_ARN, keyArn: KEY_ARN }] }),
    ).Statement;
    expect(twoTables[0].Resource).toEqual([ORDERS_ARN, CUSTOMERS_ARN]);
    expect(twoTables[1].Resource).toEqual([`${ORDERS_ARN}/index/*`, `${CUSTOMERS_ARN}/index/*`]);
    expect(twoTables[2].Resource).toEqual([KEY_ARN]);

    const noKey = rolePolicy(synthDax({ tables: [{ tableArn: ORDERS_ARN }] })).Statement;
    expect(noKey.map((s: any) => s.Sid)).toEqual(['DaxTableAccess', 'DaxIndexAccess']);
  });

  test('SecureTable and DynamoDbKey references resolve to Terraform interpolations in the policy', () => {
    const json = synthConstructs((stack) => {
      const key = new DynamoDbKey(stack, 'dynamodb_key', { accountId: '111111111111', region: 'us-east-1', aliasName: 'alias/test-dynamodb' });
      const table = new SecureTable(stack, 'orders', { tableName: 'Orders', partitionKey: { name: 'pk', type: 'S' }, encryptionKey: key });
      new SecureDaxCluster(stack, 'dax', { ...baseProps(), tables: [{ tableArn: table.tableArn, keyArn: key.keyArn }] });
    });
    const statements = rolePolicy(json).Statement;
    expect(statements[0].Resource).toEqual(['${aws_dynamodb_table.orders.arn}']);
    expect(statements[1].Resource).toEqual(['${aws_dynamodb_table.orders.arn}/index/*']);
    expect(statements[2].Resource).toEqual(['${aws_kms_key.dynamodb_key.arn}']);
  });

  test('readonly attributes: endpoint, port, ARN, security group and role', () => {
    const json = synthConstructs((stack) => {
      const dax = new SecureDaxCluster(stack, 'dax', baseProps());
      const outputs: Record<string, unknown> = {
        cluster_name: dax.clusterName,
        cluster_arn: dax.clusterArn,
        cluster_address: dax.clusterAddress,
        configuration_endpoint: dax.configurationEndpoint,
        port: dax.port,
        endpoint_url: dax.endpointUrl,
        security_group_id: dax.securityGroupId,
        role_arn: dax.roleArn,
      };
      for (const [name, value] of Object.entries(outputs)) new TerraformOutput(stack, name, { value }).overrideLogicalId(name);
    });
    expect(Object.fromEntries(Object.entries(json.output!).map(([name, output]) => [name, output.value]))).toEqual({
      cluster_name: '${aws_dax_cluster.dax.cluster_name}',
      cluster_arn: '${aws_dax_cluster.dax.arn}',
      cluster_address: '${aws_dax_cluster.dax.cluster_address}',
      configuration_endpoint: '${aws_dax_cluster.dax.configuration_endpoint}',
      port: '${aws_dax_cluster.dax.port}',
      endpoint_url: 'daxs://${aws_dax_cluster.dax.cluster_address}',
      security_group_id: '${aws_security_group.dax_security_group.id}',
      role_arn: '${aws_iam_role.dax_role.arn}',
    });
  });

  test('exposes the replication factor, waiver and the encryption notes for the compliance report', () => {
    const waiver = { reason: 'dev cache, rebuilt on demand', expires: '2026-12-31' };
    let built: SecureDaxCluster | undefined;
    synthConstructs((stack) => {
      built = new SecureDaxCluster(stack, 'dax', { ...baseProps(), availabilityZones: ['us-east-1a'], singleNodeWaiver: waiver });
    });
    expect(built!.replicationFactor).toBe(1);
    expect(built!.singleNodeWaiver).toBe(waiver);
    expect(built!.complianceWaiver).toEqual({
      requirement: 'dynamodb:009',
      resource: 'aws_dax_cluster.dax',
      reason: 'dev cache, rebuilt on demand',
      expires: '2026-12-31',
    });
    expect(built!.encryptionAtRest.summary).toBe('met to the AWS limit: AWS-owned key');
    expect(built!.encryptionInTransit).toEqual({ requirement: 'dynamodb:008', clusterEndpointEncryptionType: 'TLS', port: 9111, endpointScheme: 'daxs://' });
  });
});

describe('DAX policy functions and notes', () => {
  test('dynamodb:007 note states the AWS-owned key limit', () => {
    expect(DAX_ENCRYPTION_AT_REST).toEqual({
      requirement: 'dynamodb:007',
      status: 'met-to-aws-limit',
      keyType: 'AWS-owned key',
      summary: 'met to the AWS limit: AWS-owned key',
      detail:
        'DAX encryption at rest (AES-256) is enabled. DAX supports only its AWS service default key; customer-managed ' +
        'KMS keys cannot be configured for DAX clusters (aws_dax_cluster.server_side_encryption has no key argument).',
    });
  });

  test('daxTableActions per access mode', () => {
    expect(daxTableActions('readWrite')).toEqual(ALL_ACTIONS);
    expect(daxTableActions('readOnly')).toEqual(['dynamodb:BatchGetItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan']);
  });

  test('daxTableAccessPolicy deduplicates tables and keys', () => {
    const policy = daxTableAccessPolicy(
      [{ tableArn: ORDERS_ARN, keyArn: KEY_ARN }, { tableArn: ORDERS_ARN, keyArn: KEY_ARN }],
      { region: 'eu-west-1', access: 'readWrite' },
    );
    expect(policy.Statement.map((s) => s.Resource)).toEqual([[ORDERS_ARN], [`${ORDERS_ARN}/index/*`], [KEY_ARN]]);
    expect(policy.Statement[2].Condition).toEqual({ StringEquals: { 'kms:ViaService': 'dynamodb.eu-west-1.amazonaws.com' } });
  });

  test('daxAssumeRolePolicy trusts dax.amazonaws.com only', () => {
    expect(daxAssumeRolePolicy().Statement.map((s) => s.Principal)).toEqual([{ Service: 'dax.amazonaws.com' }]);
  });

  test('the accepted node types are the current r5 and t3 generations', () => {
    expect(DAX_NODE_TYPES).toEqual([
      'dax.r5.large',
      'dax.r5.xlarge',
      'dax.r5.2xlarge',
      'dax.r5.4xlarge',
      'dax.r5.8xlarge',
      'dax.r5.12xlarge',
      'dax.r5.16xlarge',
      'dax.r5.24xlarge',
      'dax.t3.small',
      'dax.t3.medium',
    ]);
  });
});

describe('SecureDaxCluster validation', () => {
  const prefix = 'test/dax';

  test.each([
    ['empty', '', "clusterName = '': must be 1 to 20 characters long, got 0"],
    ['too long', 'a'.repeat(21), `clusterName = '${'a'.repeat(21)}': must be 1 to 20 characters long, got 21`],
    ['upper case', 'Orders-cache', "clusterName = 'Orders-cache': must start with a lowercase letter and contain only lowercase letters, digits and '-'"],
    ['starts with a digit', '1cache', "clusterName = '1cache': must start with a lowercase letter and contain only lowercase letters, digits and '-'"],
    ['underscore', 'orders_cache', "clusterName = 'orders_cache': must start with a lowercase letter and contain only lowercase letters, digits and '-'"],
    ['trailing hyphen', 'orders-', "clusterName = 'orders-': must not end with '-' or contain '--'"],
    ['double hyphen', 'orders--cache', "clusterName = 'orders--cache': must not end with '-' or contain '--'"],
  ])('cluster name %s', (_case, clusterName, message) => {
    expect(daxError({ clusterName })).toBe(`${prefix}: ${message}`);
  });

  test('region', () => {
    expect(daxError({ region: 'US East' })).toBe(`${prefix}: region = 'US East': must be an AWS region code such as 'us-east-1'`);
  });

  test('unknown or previous-generation node type', () => {
    expect(daxError({ nodeType: 'dax.r4.large' })).toBe(
      `${prefix}: nodeType = 'dax.r4.large': must be one of the current DAX node types: ${DAX_NODE_TYPES.join(', ')}`,
    );
  });

  test('burstable node type without allowBurstableNodeType', () => {
    expect(daxError({ nodeType: 'dax.t3.medium' })).toBe(
      `${prefix}: nodeType = 'dax.t3.medium': burstable dax.t3 nodes run on CPU credits and suit development and test only; set allowBurstableNodeType: true to use one outside production`,
    );
  });

  const tooFewZones = (n: number) =>
    `dynamodb:009 needs at least 3 nodes in 3 distinct availability zones (DAX places one node in each listed zone), got ${n}; only a development cluster may run 1 node, with singleNodeWaiver`;

  test.each([
    [[], tooFewZones(0)],
    [['us-east-1a'], tooFewZones(1)],
    [['us-east-1a', 'us-east-1b'], tooFewZones(2)],
  ])('availabilityZones %j', (availabilityZones, problem) => {
    expect(daxError({ availabilityZones })).toBe(`${prefix}: availabilityZones = ${JSON.stringify(availabilityZones)}: ${problem}`);
  });

  test('more than 10 zones', () => {
    const zones = 'abcdefghijk'.split('').map((letter) => `us-east-1${letter}`);
    expect(daxError({ availabilityZones: zones })).toBe(
      `${prefix}: availabilityZones = ${JSON.stringify(zones)}: DAX creates clusters of at most 10 nodes (one per listed zone), got 11`,
    );
  });

  test('a zone listed twice', () => {
    const zones = ['us-east-1a', 'us-east-1b', 'us-east-1a'];
    expect(daxError({ availabilityZones: zones })).toBe(
      `${prefix}: availabilityZones = ${JSON.stringify(zones)}: lists 'us-east-1a' more than once; DAX places exactly one node in each listed zone`,
    );
  });

  test.each(['us-west-2a', 'use1-az1', 'us-east-1'])('zone %s outside the region', (zone) => {
    expect(daxError({ availabilityZones: ['us-east-1a', 'us-east-1b', zone] })).toBe(
      `${prefix}: availabilityZones[2] = '${zone}': must be an availability zone of region 'us-east-1', such as 'us-east-1a'`,
    );
  });

  test('availability zones given as a Terraform expression', () => {
    expect(daxError({ availabilityZones: Fn.split(',', 'us-east-1a,us-east-1b,us-east-1c') })).toBe(
      `${prefix}: availabilityZones = '(Terraform expression)': must be a literal list, so that the zones of the nodes can be checked (dynamodb:009)`,
    );
  });

  test('replicationFactor different from the zone count', () => {
    expect(daxError({ replicationFactor: 5 })).toBe(
      `${prefix}: replicationFactor = 5: must equal the number of availabilityZones (3): DAX places exactly one node in each listed zone when it creates the cluster`,
    );
  });

  test('a waiver on a multi-node cluster', () => {
    expect(daxError({ singleNodeWaiver: { reason: 'dev cache, rebuilt on demand', expires: '2026-12-31' } })).toBe(
      `${prefix}: singleNodeWaiver = {"reason":"dev cache, rebuilt on demand","expires":"2026-12-31"}: only a one-node cluster needs a waiver, but availabilityZones lists 3 zones; remove the waiver`,
    );
  });

  const oneNode = { availabilityZones: ['us-east-1a'], subnetIds: ['subnet-0a000000000000001'] };

  test('a waiver reason shorter than 10 characters', () => {
    expect(daxError({ ...oneNode, singleNodeWaiver: { reason: ' dev only ', expires: '2026-12-31' } })).toBe(
      `${prefix}: singleNodeWaiver.reason = ' dev only ': must say why one node is acceptable, in at least 10 characters`,
    );
  });

  test('an empty waiver id', () => {
    expect(daxError({ ...oneNode, singleNodeWaiver: { reason: 'dev cache, rebuilt on demand', expires: '2026-12-31', id: ' ' } })).toBe(
      `${prefix}: singleNodeWaiver.id = ' ': must not be empty when given`,
    );
  });

  test('a waiver without an expiry', () => {
    const waiver = { reason: 'dev cache, rebuilt on demand' } as { reason: string; expires: string };
    expect(daxError({ ...oneNode, singleNodeWaiver: waiver })).toBe(
      `${prefix}: singleNodeWaiver.expires = (not set): must be a date in the form YYYY-MM-DD`,
    );
  });

  test('a waiver expiry that is not a date', () => {
    expect(daxError({ ...oneNode, singleNodeWaiver: { reason: 'dev cache, rebuilt on demand', expires: '31/12/2026' } })).toBe(
      `${prefix}: singleNodeWaiver.expires = '31/12/2026': must be a date in the form YYYY-MM-DD`,
    );
  });

  test('VPC id', () => {
    expect(daxError({ vpcId: 'main-vpc' })).toBe(`${prefix}: vpcId = 'main-vpc': must be a VPC id such as 'vpc-0123456789abcdef0'`);
  });

  test('fewer subnets than zones', () => {
    const subnetIds = ['subnet-0a000000000000001', 'subnet-0b000000000000002'];
    expect(daxError({ subnetIds })).toBe(
      `${prefix}: subnetIds = ${JSON.stringify(subnetIds)}: the subnet group needs a private subnet in each of the 3 availability zones of the nodes, got 2 subnets`,
    );
  });

  test('a malformed subnet id', () => {
    const subnetIds = ['subnet-0a000000000000001', 'subnet-0b000000000000002', 'private-c'];
    expect(daxError({ subnetIds })).toBe(`${prefix}: subnetIds[2] = 'private-c': must be a subnet id such as 'subnet-0123456789abcdef0'`);
  });

  test('a subnet listed twice', () => {
    const subnetIds = ['subnet-0a000000000000001', 'subnet-0b000000000000002', 'subnet-0a000000000000001'];
    expect(daxError({ subnetIds })).toBe(`${prefix}: subnetIds = ${JSON.stringify(subnetIds)}: lists 'subnet-0a000000000000001' more than once`);
  });

  test('no application security group', () => {
    expect(daxError({ applicationSecurityGroupIds: [] })).toBe(
      `${prefix}: applicationSecurityGroupIds = []: must name at least one application security group; the cluster accepts connections on TCP 9111 from these groups only`,
    );
  });

  test('application security groups given as a Terraform expression', () => {
    expect(daxError({ applicationSecurityGroupIds: Fn.split(',', 'sg-0aaaaaaaaaaaaaaaa') })).toBe(
      `${prefix}: applicationSecurityGroupIds = '(Terraform expression)': must be a literal list (its entries may be references): the module creates one ingress rule per group`,
    );
  });

  test('a malformed application security group id', () => {
    expect(daxError({ applicationSecurityGroupIds: [APP_SG, 'app-servers'] })).toBe(
      `${prefix}: applicationSecurityGroupIds[1] = 'app-servers': must be a security group id such as 'sg-0123456789abcdef0'`,
    );
  });

  test('an application security group listed twice', () => {
    expect(daxError({ applicationSecurityGroupIds: [APP_SG, APP_SG] })).toBe(
      `${prefix}: applicationSecurityGroupIds = ${JSON.stringify([APP_SG, APP_SG])}: lists '${APP_SG}' more than once`,
    );
  });

  test('no tables', () => {
    expect(daxError({ tables: [] })).toBe(`${prefix}: tables = []: must list at least one table; the cluster's role can reach only the listed tables`);
  });

  test('a table ARN that is not a table ARN', () => {
    expect(daxError({ tables: [{ tableArn: 'Orders' }] })).toBe(
      `${prefix}: tables[0].tableArn = 'Orders': must be a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>)`,
    );
  });

  test('a table in another region', () => {
    const tableArn = 'arn:aws:dynamodb:eu-west-1:111111111111:table/Orders';
    expect(daxError({ tables: [{ tableArn }] })).toBe(
      `${prefix}: tables[0].tableArn = '${tableArn}': is in region 'eu-west-1', but the cluster is in 'us-east-1'; DAX caches tables of its own region only`,
    );
  });

  test('a table listed twice', () => {
    expect(daxError({ tables: [{ tableArn: ORDERS_ARN }, { tableArn: ORDERS_ARN }] })).toBe(
      `${prefix}: tables[1].tableArn = '${ORDERS_ARN}': is listed more than once`,
    );
  });

  test('a key ARN that is not a KMS key ARN', () => {
    expect(daxError({ tables: [{ tableArn: ORDERS_ARN, keyArn: 'alias/aws/dynamodb' }] })).toBe(
      `${prefix}: tables[0].keyArn = 'alias/aws/dynamodb': must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)`,
    );
  });

  test.each([
    ['itemCacheTtlMillis', -1],
    ['itemCacheTtlMillis', 1.5],
    ['queryCacheTtlMillis', 2_147_483_648],
  ] as const)('%s = %p', (field, value) => {
    expect(daxError({ [field]: value })).toBe(`${prefix}: ${field} = ${value}: must be a whole number from 0 to 2147483647`);
  });

  test.each(['Sun:05:00-Sun:06:00', 'sun:5:00-sun:06:00', 'sun:24:00-mon:01:00', 'sunday:05:00-sunday:06:00', 'sun:05:00'])(
    'maintenance window %s in the wrong format',
    (maintenanceWindow) => {
      expect(daxError({ maintenanceWindow })).toBe(
        `${prefix}: maintenanceWindow = '${maintenanceWindow}': must look like 'ddd:hh24:mi-ddd:hh24:mi' in UTC with lowercase days, e.g. 'sun:05:00-sun:06:00'`,
      );
    },
  );

  test.each([
    ['sun:05:00-sun:05:30', 30],
    ['sat:23:30-sun:00:15', 45],
    ['mon:05:00-mon:05:00', 0],
  ])('maintenance window %s shorter than an hour', (maintenanceWindow, minutes) => {
    expect(daxError({ maintenanceWindow })).toBe(`${prefix}: maintenanceWindow = '${maintenanceWindow}': must be at least 60 minutes long, got ${minutes}`);
  });

  test('notification topic that is not an SNS topic ARN', () => {
    const topic = 'arn:aws:sqs:us-east-1:111111111111:dax-events';
    expect(daxError({ notificationTopicArn: topic })).toBe(
      `${prefix}: notificationTopicArn = '${topic}': must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)`,
    );
  });
});

describe('SecureDaxCluster passes terraform validate', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-dax-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('every option, a single-node dev cluster and real table/key references', () => {
    const app = Testing.app({ outdir });
    const stack = new TerraformStack(app, 'dax-validate');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const key = new DynamoDbKey(stack, 'dynamodb_key', { accountId: '111111111111', region: 'us-east-1', aliasName: 'alias/dax-validate' });
    const orders = new SecureTable(stack, 'orders', { tableName: 'Orders', partitionKey: { name: 'pk', type: 'S' }, encryptionKey: key });
    const customers = new SecureTable(stack, 'customers', {
      tableName: 'Customers',
      partitionKey: { name: 'pk', type: 'S' },
      encryptionKey: existingKey('test', KEY_ARN),
    });
    new SecureDaxCluster(stack, 'dax', {
      ...baseProps(),
      description: 'All options',
      nodeType: 'dax.r5.xlarge',
      replicationFactor: 3,
      applicationSecurityGroupIds: [APP_SG, OTHER_APP_SG],
      addApplicationEgressRules: true,
      tables: [
        { tableArn: orders.tableArn, keyArn: key.keyArn },
        { tableArn: customers.tableArn, keyArn: KEY_ARN },
      ],
      access: 'readWrite',
      itemCacheTtlMillis: 600000,
      queryCacheTtlMillis: 60000,
      maintenanceWindow: 'sun:05:00-sun:06:00',
      notificationTopicArn: TOPIC_ARN,
      tags: { DataClassification: 'internal' },
    });
    new SecureDaxCluster(stack, 'dev_dax', {
      ...baseProps(),
      clusterName: 'orders-cache-dev',
      availabilityZones: ['us-east-1a'],
      subnetIds: ['subnet-0a000000000000001'],
      singleNodeWaiver: { reason: 'dev cache, rebuilt on demand', id: 'WVR-12', expires: '2026-12-31' },
      nodeType: 'dax.t3.small',
      allowBurstableNodeType: true,
      access: 'readOnly',
      tables: [{ tableArn: orders.tableArn }],
    });
    app.synth();

    const result = terraformValidate(path.join(outdir, 'stacks', 'dax-validate'));
    expect(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test('the real schema has no customer-managed key argument for DAX encryption (dynamodb:007 AWS limit)', () => {
    const app = Testing.app({ outdir: path.join(outdir, 'cmk') });
    const stack = new TerraformStack(app, 'dax-cmk');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const dax = new SecureDaxCluster(stack, 'dax', baseProps());
    // Test-only negative control: try to give DAX a customer-managed key the way aws_dynamodb_table takes one.
    dax.cluster.addOverride('server_side_encryption.kms_key_arn', KEY_ARN);
    app.synth();

    const result = terraformValidate(path.join(outdir, 'cmk', 'stacks', 'dax-cmk'));
    expect(result.valid).toBe(false);
    expect(result.diagnostics.map((d) => d.detail)).toContain('No argument or block type is named "kms_key_arn".');
  });
});

describe('the cluster role does no more than the cluster clients (DAX applies its role, not the caller)', () => {
  test('clientActions narrow the table and index statements; DescribeTable stays for the cluster itself', () => {
    const policy = rolePolicy(synthDax({ clientActions: ['dynamodb:GetItem', 'dynamodb:Query'] }));
    expect(policy.Statement[0].Action).toEqual(['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query']);
    expect(policy.Statement[1]).toEqual(expect.objectContaining({ Sid: 'DaxIndexAccess', Action: ['dynamodb:Query'] }));
  });

  test('without clientActions every read and write action is granted (negative control), and no index statement without Query or Scan', () => {
    expect(rolePolicy(synthDax()).Statement[0].Action).toContain('dynamodb:Scan');
    expect(rolePolicy(synthDax({ clientActions: ['dynamodb:GetItem'] })).Statement.map((s: any) => s.Sid)).toEqual(['DaxTableAccess', 'DecryptTablesThroughDynamoDb']);
  });

  test('an action DAX does not pass on is refused', () => {
    expect(daxError({ clientActions: ['dynamodb:DeleteTable'] })).toBe("test/dax: clientActions[0] = 'dynamodb:DeleteTable': must be one of the item actions DAX passes to DynamoDB with access 'readWrite': dynamodb:BatchGetItem, dynamodb:BatchWriteItem, dynamodb:ConditionCheckItem, dynamodb:DeleteItem, dynamodb:DescribeTable, dynamodb:GetItem, dynamodb:PutItem, dynamodb:Query, dynamodb:Scan, dynamodb:UpdateItem");
  });
});
