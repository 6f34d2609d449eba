import { Construct } from 'constructs';
import { Token, TerraformIterator, ref } from 'cdktf';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { DaxCluster } from '@cdktf/provider-aws/lib/dax-cluster';
import { DaxParameterGroup } from '@cdktf/provider-aws/lib/dax-parameter-group';
import { DaxSubnetGroup } from '@cdktf/provider-aws/lib/dax-subnet-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import {
  DAX_ENCRYPTION_IN_TRANSIT,
  DAX_INDEX_ACTIONS,
  DAX_KMS_ACTIONS,
  DAX_NODE_TYPES,
  DAX_READ_ACTIONS,
  DAX_TLS_PORT,
  DAX_WRITE_ACTIONS,
  DEFAULT_CACHE_TTL_MILLIS,
  DEFAULT_NODE_TYPE,
  MAX_CACHE_TTL_MILLIS,
  MAX_CLUSTER_NAME_LENGTH,
  MAX_REPLICATION_FACTOR,
  MIN_REPLICATION_FACTOR,
  daxAssumeRolePolicy,
} from '../../modules/dax';
import { KMS_KEY_ARN } from '../../modules/encryption';
import { awsIdPattern } from '../../modules/network/ids';
import { policyJson } from '../../modules/rendering';
import { ModuleStack } from '../module-stack';
import { hclStringList, matches, oneOf, tf } from './hcl';
import { DYNAMODB_TABLE_ARN_PATTERN } from './dynamodb-access-policy';

export const DAX_CLUSTER_MODULE = 'dax-cluster';
const CLUSTER_NAME = new RegExp(`^[a-z](-?[a-z0-9])*$`);
const AVAILABILITY_ZONE = /^[a-z]{2}(-[a-z]+)+-[0-9]+[a-z]$/;

/**
 * The permission policy of modules/dax (daxTableAccessPolicy) as one Terraform expression over the module's inputs:
 * the cluster's actions on exactly its tables, Query/Scan on their indexes, decrypt with the tables' keys only through
 * DynamoDB. A test compares it, evaluated by `terraform console`, with the TypeScript function.
 */
function rolePolicyExpression(): string {
  const all = `var.access == "readOnly" ? ${hclStringList([...DAX_READ_ACTIONS])} : ${hclStringList([...DAX_READ_ACTIONS, ...DAX_WRITE_ACTIONS])}`;
  const tableActions = `sort(var.client_actions == null ? (${all}) : [for action in (${all}) : action if contains(concat(var.client_actions, ["dynamodb:DescribeTable"]), action)])`;
  const indexActions = `[for action in ${hclStringList([...DAX_INDEX_ACTIONS])} : action if var.client_actions == null || contains(coalesce(var.client_actions, []), action)]`;
  const tables = 'distinct([for table in var.tables : table.table_arn])';
  const keys = 'distinct(compact([for table in var.tables : table.kms_key_arn]))';
  return [
    'jsonencode({ Version = "2012-10-17", Statement = concat(',
    `[{ Sid = "DaxTableAccess", Effect = "Allow", Action = ${tableActions}, Resource = ${tables} }],`,
    ` length(${indexActions}) > 0 ? [{ Sid = "DaxIndexAccess", Effect = "Allow", Action = ${indexActions}, Resource = [for arn in ${tables} : "\${arn}/index/*"] }] : [],`,
    ` length(${keys}) > 0 ? [{ Sid = "DecryptTablesThroughDynamoDb", Effect = "Allow", Action = ${hclStringList([...DAX_KMS_ACTIONS])}, Resource = ${keys}, Condition = { StringEquals = { "kms:ViaService" = "dynamodb.\${data.aws_region.current.region}.amazonaws.com" } } }] : []`,
    ') })',
  ].join('');
}

/**
 * The `dax-cluster` module: a DAX cluster as modules/dax builds it: encryption at rest (dynamodb:007, DAX's AWS-owned
 * key, the most AWS allows) and TLS (dynamodb:008), 3 to 10 nodes over at least two Availability Zones
 * (dynamodb:009), its own subnet, parameter and security groups (TLS port from the application security groups only)
 * and a service role limited to its tables.
 */
export function buildDaxClusterModule(scope: Construct): ModuleStack {
  const stack = new ModuleStack(scope, DAX_CLUSTER_MODULE, {
    description:
      'A DAX cluster with encryption at rest and TLS (dynamodb:007, 008), 3 to 10 nodes over at least two Availability Zones (dynamodb:009), its own subnet, parameter and security groups, and a service role limited to its tables.',
  });
  stack.variable({
    name: 'cluster_name',
    type: 'string',
    description: `Name of the cluster: 1 to ${MAX_CLUSTER_NAME_LENGTH} lowercase letters, digits and single '-', starting with a letter.`,
    validations: [{ condition: tf(`length(var.cluster_name) <= ${MAX_CLUSTER_NAME_LENGTH} && ${matches(CLUSTER_NAME, 'var.cluster_name')}`), errorMessage: `cluster_name: must be 1 to ${MAX_CLUSTER_NAME_LENGTH} lowercase letters, digits and single '-', starting with a letter and not ending with '-'.` }],
  });
  stack.variable({ name: 'node_type', type: 'string', description: 'Node type (current generations only).', default: DEFAULT_NODE_TYPE, nullable: false, validations: [{ condition: tf(oneOf(DAX_NODE_TYPES, 'var.node_type')), errorMessage: `node_type: must be one of ${DAX_NODE_TYPES.join(', ')}.` }] });
  stack.variable({
    name: 'availability_zones',
    type: 'list(string)',
    description: `One Availability Zone per node (${MIN_REPLICATION_FACTOR} to ${MAX_REPLICATION_FACTOR} nodes, at least two different zones; dynamodb:009).`,
    nullable: false,
    validations: [
      { condition: tf(`length(var.availability_zones) >= ${MIN_REPLICATION_FACTOR} && length(var.availability_zones) <= ${MAX_REPLICATION_FACTOR}`), errorMessage: `availability_zones: a cluster has ${MIN_REPLICATION_FACTOR} to ${MAX_REPLICATION_FACTOR} nodes, one zone each (dynamodb:009).` },
      { condition: tf(`length(distinct(var.availability_zones)) >= 2 && alltrue([for zone in var.availability_zones : ${matches(AVAILABILITY_ZONE, 'zone')}])`), errorMessage: 'availability_zones: the nodes must span at least two different Availability Zones such as "us-east-1a" (dynamodb:009).' },
      // The provider keeps the zones as a set, so a repeated zone would leave fewer zones than nodes, which DAX refuses.
      { condition: tf('length(distinct(var.availability_zones)) == length(var.availability_zones)'), errorMessage: 'availability_zones: list each zone once (one node per zone); the provider keeps them as a set.' },
    ],
  });
  stack.variable({ name: 'subnet_ids', type: 'list(string)', description: 'Private subnets of the cluster, in its Availability Zones.', nullable: false, validations: [{ condition: tf(`length(var.subnet_ids) >= 2 && alltrue([for id in var.subnet_ids : ${matches(awsIdPattern('subnet'), 'id')}])`), errorMessage: "subnet_ids: at least two subnet ids ('subnet-' and 8 or 17 hex digits) in different zones." }] });
  stack.variable({ name: 'vpc_id', type: 'string', description: 'VPC of the subnets.', validations: [{ condition: tf(matches(awsIdPattern('vpc'), 'var.vpc_id')), errorMessage: "vpc_id: must be a VPC id ('vpc-' and 8 or 17 hex digits)." }] });
  stack.variable({
    name: 'application_security_group_ids',
    type: 'list(string)',
    description: `Security groups of the clients: only they may reach the cluster, on TLS port ${DAX_TLS_PORT}.`,
    nullable: false,
    validations: [{ condition: tf(`length(var.application_security_group_ids) > 0 && alltrue([for id in var.application_security_group_ids : ${matches(awsIdPattern('sg'), 'id')}])`), errorMessage: "application_security_group_ids: name at least one security group ('sg-' and 8 or 17 hex digits); nothing else can reach the cluster." }],
  });
  stack.variable({
    name: 'tables',
    type: 'list(object({ table_arn = string, kms_key_arn = optional(string) }))',
    description: "The tables the cluster caches: ARN and, for a customer-managed key, the key (the role may decrypt with it through DynamoDB only).",
    nullable: false,
    validations: [
      { condition: tf(`length(var.tables) > 0 && alltrue([for table in var.tables : ${matches(DYNAMODB_TABLE_ARN_PATTERN, 'table.table_arn')}])`), errorMessage: 'tables: name at least one table; each table_arn must be a table ARN (no wildcards, no index or stream ARN).' },
      { condition: tf(`alltrue([for table in var.tables : table.kms_key_arn == null ? true : ${matches(KMS_KEY_ARN, 'table.kms_key_arn')}])`), errorMessage: 'tables: each kms_key_arn must be a KMS key ARN.' },
    ],
  });
  stack.variable({ name: 'access', type: 'string', description: 'readWrite or readOnly: what the cluster may do on the tables.', default: 'readWrite', nullable: false, validations: [{ condition: tf(oneOf(['readWrite', 'readOnly'], 'var.access')), errorMessage: 'access: must be readWrite or readOnly.' }] });
  stack.variable({
    name: 'client_actions',
    type: 'list(string)',
    description: 'The item actions the clients of the cluster use: through DAX only the cluster role applies (DAX can subvert its callers\' fine-grained policies), so the role gets only these (and DescribeTable). null for every action of access.',
    default: null,
    validations: [{ condition: tf(`var.client_actions == null ? true : alltrue([for action in var.client_actions : contains(var.access == "readOnly" ? ${hclStringList([...DAX_READ_ACTIONS])} : ${hclStringList([...DAX_READ_ACTIONS, ...DAX_WRITE_ACTIONS])}, action)])`), errorMessage: 'client_actions: each must be an item action DAX passes to DynamoDB for the chosen access (e.g. dynamodb:GetItem, dynamodb:Query).' }],
  });
  for (const [name, what] of [['item_cache_ttl_millis', 'items (record-ttl-millis)'], ['query_cache_ttl_millis', 'query results (query-ttl-millis)']] as const) {
    stack.variable({ name, type: 'number', description: `How long the cluster caches ${what}; 0 evicts by LRU only.`, default: DEFAULT_CACHE_TTL_MILLIS, nullable: false, validations: [{ condition: tf(`var.${name} >= 0 && var.${name} <= ${MAX_CACHE_TTL_MILLIS} && floor(var.${name}) == var.${name}`), errorMessage: `${name}: must be a whole number of milliseconds from 0 to ${MAX_CACHE_TTL_MILLIS}.` }] });
  }
  stack.variable({ name: 'maintenance_window', type: 'string', description: 'Weekly maintenance window, e.g. "sun:05:00-sun:06:00" (at least 60 minutes). null for one DAX picks.', default: null });
  stack.variable({ name: 'tags', type: 'map(string)', description: 'Tags of every resource.', default: {}, nullable: false });

  new DataAwsRegion(stack, 'current', {}).overrideLogicalId('current');
  const name = (suffix: string) => tf(`"\${var.cluster_name}${suffix}"`);
  const tags = Token.asStringMap(tf('var.tags'));
  const subnets = new DaxSubnetGroup(stack, 'subnet_group', { name: name('-subnets'), description: tf('"Private subnets of DAX cluster ${var.cluster_name}"'), subnetIds: Token.asList(tf('var.subnet_ids')) });
  subnets.overrideLogicalId('this');
  const parameters = new DaxParameterGroup(stack, 'parameter_group', {
    name: name('-params'),
    description: tf('"Cache TTLs of DAX cluster ${var.cluster_name}"'),
    parameters: [
      { name: 'query-ttl-millis', value: tf('tostring(var.query_cache_ttl_millis)') },
      { name: 'record-ttl-millis', value: tf('tostring(var.item_cache_ttl_millis)') },
    ],
  });
  parameters.overrideLogicalId('this');
  const group = new SecurityGroup(stack, 'security_group', {
    name: name('-dax'),
    description: tf(`"DAX cluster \${var.cluster_name}: TLS (TCP ${DAX_TLS_PORT}) from application security groups only"`),
    vpcId: tf('var.vpc_id'),
    revokeRulesOnDelete: true,
    tags: Token.asStringMap(tf('merge(var.tags, { Name = "${var.cluster_name}-dax" })')),
  });
  group.overrideLogicalId('this');
  const sources = TerraformIterator.fromList(Token.asList(ref('var.application_security_group_ids')));
  new VpcSecurityGroupIngressRule(stack, 'ingress', {
    forEach: sources,
    securityGroupId: tf('aws_security_group.this.id'),
    referencedSecurityGroupId: tf('each.value'),
    ipProtocol: 'tcp',
    fromPort: DAX_TLS_PORT,
    toPort: DAX_TLS_PORT,
    description: 'DAX TLS from application security group',
    tags,
  }).overrideLogicalId('this');
  const role = new IamRole(stack, 'role', { name: name('-dax-service'), description: tf('"Service role of DAX cluster ${var.cluster_name}: access to its DynamoDB tables only"'), assumeRolePolicy: policyJson(daxAssumeRolePolicy()), tags });
  role.overrideLogicalId('this');
  stack.local('role_policy', tf(rolePolicyExpression()));
  const policy = new IamRolePolicy(stack, 'role_policy', { name: 'dynamodb-tables', role: tf('aws_iam_role.this.id'), policy: tf('local.role_policy') });
  policy.overrideLogicalId('this');
  const cluster = new DaxCluster(stack, 'cluster', {
    clusterName: tf('var.cluster_name'),
    description: 'DAX cache for DynamoDB tables (dynamodb:007-009)',
    iamRoleArn: tf('aws_iam_role.this.arn'),
    nodeType: tf('var.node_type'),
    replicationFactor: Token.asNumber(tf('length(var.availability_zones)')),
    availabilityZones: Token.asList(tf('var.availability_zones')),
    subnetGroupName: tf('aws_dax_subnet_group.this.name'),
    securityGroupIds: Token.asList(tf('[aws_security_group.this.id]')),
    parameterGroupName: tf('aws_dax_parameter_group.this.name'),
    maintenanceWindow: tf('var.maintenance_window'),
    serverSideEncryption: { enabled: true },
    clusterEndpointEncryptionType: DAX_ENCRYPTION_IN_TRANSIT.clusterEndpointEncryptionType,
    tags,
    // The role's permissions must exist before DAX checks them at creation.
    dependsOn: [policy],
  });
  cluster.overrideLogicalId('this');
  stack.output('cluster_arn', tf('aws_dax_cluster.this.arn'), 'ARN of the cluster (for the clients\' dax:* grants).');
  stack.output('endpoint_url', tf(`"${DAX_ENCRYPTION_IN_TRANSIT.endpointScheme}\${aws_dax_cluster.this.cluster_address}"`), 'What DAX clients are given: daxs://<cluster address> (TLS).');
  stack.output('security_group_id', tf('aws_security_group.this.id'), 'Security group of the cluster.');
  stack.output('role_arn', tf('aws_iam_role.this.arn'), 'Service role of the cluster.');
  stack.output('role_policy_json', tf('local.role_policy'), 'Permission policy of the service role.');
  return stack;
}
