import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { ENDPOINT_DATA_ACTIONS, ENDPOINT_SDK_ACCOUNT_ACTIONS, ENDPOINT_SDK_TABLE_ACTIONS, MIN_ENDPOINT_PREFIX_LENGTH } from '../../modules/network/endpoint-policy';
import { awsIdPattern } from '../../modules/network/ids';
import { ModuleStack } from '../module-stack';
import { hclStringList, matches, tf } from './hcl';

export const VPC_ENDPOINT_MODULE = 'vpc-endpoint';

const PREFIX_PATTERN = new RegExp(`^[A-Za-z0-9_.-]{${MIN_ENDPOINT_PREFIX_LENGTH},255}$`);
const TABLE_NAME_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;
const DYNAMODB_ACTION_PATTERN = /^dynamodb:[A-Za-z]+$/;
const PRINCIPAL_ARN_PATTERN = /^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)\/[A-Za-z0-9+=,.@_/*?-]+$/;

/** The template (inside a quoted HCL string) of `arn:<partition>:dynamodb:<region>:<account>:table/<name>` in the module's own account and Region. */
const TABLE_ARN = (name: string) => `arn:\${data.aws_partition.current.partition}:dynamodb:\${data.aws_region.current.region}:\${data.aws_caller_identity.current.account_id}:table/\${${name}}`;

/**
 * The endpoint policy of modules/network (dynamoDbEndpointPolicy, dynamodb:015) as one Terraform expression over the
 * module's inputs. Statement for statement the same document: a test evaluates it in `terraform console` and compares
 * it with what the TypeScript function writes for the same values.
 */
function endpointPolicyExpression(): string {
  const principalCondition = 'length(var.allowed_principal_arns) > 0 ? { ArnLike = { "aws:PrincipalArn" = var.allowed_principal_arns } } : {}';
  const condition = `merge({ StringEquals = { "aws:SourceVpc" = var.vpc_id } }, ${principalCondition})`;
  const resources = `concat([for prefix in var.table_name_prefixes : "${TABLE_ARN('prefix')}*"], flatten([for name in var.extra_table_names : ["${TABLE_ARN('name')}", "${TABLE_ARN('name')}/index/*"]]))`;
  return [
    'jsonencode({ Version = "2012-10-17", Statement = concat(',
    `[{ Sid = "AllowOnlyFromVPC", Effect = "Allow", Principal = "*", Action = distinct(concat(var.allowed_actions, ${hclStringList(ENDPOINT_SDK_TABLE_ACTIONS)})), Resource = ${resources}, Condition = ${condition} },`,
    ` { Sid = "AllowAccountLevelActions", Effect = "Allow", Principal = "*", Action = distinct(concat(var.account_level_actions, ${hclStringList(ENDPOINT_SDK_ACCOUNT_ACTIONS)})), Resource = "*", Condition = ${condition} }],`,
    ' length(var.allowed_principal_arns) > 0 ? [{ Sid = "DenyOtherPrincipals", Effect = "Deny", Principal = "*", Action = "dynamodb:*", Resource = "*", Condition = { ArnNotLike = { "aws:PrincipalArn" = var.allowed_principal_arns } } }] : [],',
    ' [{ Sid = "DenyNonTLS", Effect = "Deny", Principal = "*", Action = "dynamodb:*", Resource = "*", Condition = { Bool = { "aws:SecureTransport" = "false" } } }]',
    ') })',
  ].join('');
}

/**
 * The `vpc-endpoint` module: a DynamoDB gateway endpoint with the restrictive policy of modules/network (dynamodb:015):
 * only the named tables (by prefix or exact name) and their indexes, only the listed actions plus the calls the SDKs
 * make on their own, only from the VPC, optionally only for named principals, never without TLS.
 */
export function buildVpcEndpointModule(scope: Construct): ModuleStack {
  const stack = new ModuleStack(scope, VPC_ENDPOINT_MODULE, {
    description:
      'A DynamoDB gateway VPC endpoint with a restrictive policy (dynamodb:015): only the named tables and their indexes, only the listed actions and the calls AWS SDKs make themselves, only from the VPC, optionally only for named principals, TLS only.',
  });
  const vpc = awsIdPattern('vpc');
  const rtb = awsIdPattern('rtb');
  stack.variable({ name: 'vpc_id', type: 'string', description: 'The VPC of the endpoint (vpc-…).', validations: [{ condition: tf(matches(vpc, 'var.vpc_id')), errorMessage: "vpc_id: must be a VPC id ('vpc-' and 8 or 17 hex digits)." }] });
  stack.variable({
    name: 'route_table_ids',
    type: 'list(string)',
    description: 'Route tables of the subnets whose traffic to DynamoDB goes through the endpoint.',
    nullable: false,
    validations: [{ condition: tf(`length(var.route_table_ids) > 0 && alltrue([for id in var.route_table_ids : ${matches(rtb, 'id')}])`), errorMessage: "route_table_ids: name at least one route table; each must be a route table id ('rtb-' and 8 or 17 hex digits)." }],
  });
  stack.variable({
    name: 'table_name_prefixes',
    type: 'list(string)',
    description: `Table-name prefixes reachable through the endpoint (the policy appends *, which also covers the indexes); at least ${MIN_ENDPOINT_PREFIX_LENGTH} characters each.`,
    nullable: false,
    validations: [{ condition: tf(`length(var.table_name_prefixes) > 0 && alltrue([for prefix in var.table_name_prefixes : ${matches(PREFIX_PATTERN, 'prefix')}])`), errorMessage: `table_name_prefixes: name at least one prefix; each must be ${MIN_ENDPOINT_PREFIX_LENGTH} to 255 letters, digits, '_', '-' or '.' (a shorter one would open most tables of the account).` }],
  });
  stack.variable({
    name: 'extra_table_names',
    type: 'list(string)',
    description: 'Other tables clients in the VPC use through the endpoint, by exact name (e.g. a Terraform state-lock table).',
    default: [],
    nullable: false,
    validations: [{ condition: tf(`alltrue([for name in var.extra_table_names : ${matches(TABLE_NAME_PATTERN, 'name')}])`), errorMessage: "extra_table_names: each must be a table name of 3 to 255 letters, digits, '_', '-' or '.'." }],
  });
  stack.variable({
    name: 'allowed_actions',
    type: 'list(string)',
    description: 'DynamoDB actions allowed on those tables; the read-only and discovery calls AWS SDKs make are always added.',
    default: [...ENDPOINT_DATA_ACTIONS],
    nullable: false,
    validations: [{ condition: tf(`length(var.allowed_actions) > 0 && alltrue([for action in var.allowed_actions : ${matches(DYNAMODB_ACTION_PATTERN, 'action')}])`), errorMessage: "allowed_actions: each must be one DynamoDB action such as 'dynamodb:GetItem' (no wildcards)." }],
  });
  stack.variable({
    name: 'account_level_actions',
    type: 'list(string)',
    description: 'Account-level actions (e.g. dynamodb:ListTables) AWS accepts only on Resource "*"; dynamodb:DescribeEndpoints is always added.',
    default: [],
    nullable: false,
    validations: [{ condition: tf(`alltrue([for action in var.account_level_actions : ${matches(DYNAMODB_ACTION_PATTERN, 'action')}])`), errorMessage: "account_level_actions: each must be one DynamoDB action such as 'dynamodb:ListTables' (no wildcards)." }],
  });
  stack.variable({
    name: 'allowed_principal_arns',
    type: 'list(string)',
    description: 'Only these IAM roles or users may use the endpoint (an explicit deny for everyone else); empty for any principal, IAM and the table policies deciding.',
    default: [],
    nullable: false,
    validations: [{ condition: tf(`alltrue([for arn in var.allowed_principal_arns : ${matches(PRINCIPAL_ARN_PATTERN, 'arn')}])`), errorMessage: 'allowed_principal_arns: each must be an IAM role or user ARN.' }],
  });
  stack.variable({ name: 'tags', type: 'map(string)', description: 'Tags of the endpoint.', default: {}, nullable: false });

  new DataAwsRegion(stack, 'current', {}).overrideLogicalId('current');
  new DataAwsPartition(stack, 'partition', {}).overrideLogicalId('current');
  new DataAwsCallerIdentity(stack, 'caller', {}).overrideLogicalId('current');
  stack.local('policy', tf(endpointPolicyExpression()));
  const endpoint = new VpcEndpoint(stack, 'endpoint', {
    vpcId: tf('var.vpc_id'),
    // com.amazonaws in the aws partition, cn.com.amazonaws in China: the partition's reverse DNS prefix.
    serviceName: tf('"${data.aws_partition.current.reverse_dns_prefix}.${data.aws_region.current.region}.dynamodb"'),
    vpcEndpointType: 'Gateway',
    routeTableIds: Token.asList(tf('var.route_table_ids')),
    policy: tf('local.policy'),
    tags: Token.asStringMap(tf('var.tags')),
  });
  endpoint.overrideLogicalId('this');
  stack.output('endpoint_id', tf('aws_vpc_endpoint.this.id'), 'Id of the endpoint (vpce-…), for table policies that require aws:SourceVpce.');
  stack.output('policy_json', tf('local.policy'), 'The endpoint policy.');
  stack.output('prefix_list_id', tf('aws_vpc_endpoint.this.prefix_list_id'), 'The DynamoDB prefix list of the Region, for security group egress rules.');
  return stack;
}
