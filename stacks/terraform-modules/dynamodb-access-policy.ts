import { Construct } from 'constructs';
import { TerraformIterator, Token, ref } from 'cdktf';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { AccessProfile, roleAccessPolicy } from '../../modules/access';
import { KMS_KEY_ARN } from '../../modules/encryption';
import { awsIdPattern, REGION_PATTERN } from '../../modules/network/ids';
import { ModuleStack } from '../module-stack';
import { matches, tf } from './hcl';
import { PolicyFeature, Placeholders, policyVariants } from './policy-expression';

export const DYNAMODB_ACCESS_POLICY_MODULE = 'dynamodb-access-policy';

/** `arn:aws:dynamodb:<region>:<account>:table/<name>` (a table, not an index or stream). */
export const DYNAMODB_TABLE_ARN_PATTERN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table\/[a-zA-Z0-9_.-]{3,255}$/;
/** IAM policy names: up to 128 characters; the prefix leaves room for `-stream-consumer`. */
export const POLICY_NAME_PREFIX_PATTERN = /^[A-Za-z0-9+=,.@_-]{1,100}$/;

/** The profiles every module call produces, in output order: module key, profile factory, features that shape it. */
export const ACCESS_PROFILES = ['reader', 'writer', 'stream_consumer', 'admin'] as const;
export type AccessProfileKey = (typeof ACCESS_PROFILES)[number];

const LEADING_KEYS: PolicyFeature = { name: 'leading_keys', enabledWhen: 'length(var.leading_keys) > 0' };
const VPCE: PolicyFeature = { name: 'vpce', enabledWhen: 'length(var.source_vpce_ids) > 0' };
const DELETE: PolicyFeature = { name: 'delete', enabledWhen: 'var.writer_allow_delete' };

/**
 * dynamodb:LeadingKeys cannot limit Scan (admin) and stream reads carry no item keys, so only the reader and writer
 * take leading keys; the TypeScript API refuses the other combinations.
 */
const PROFILE_FEATURES: Record<AccessProfileKey, readonly PolicyFeature[]> = {
  reader: [LEADING_KEYS, VPCE],
  writer: [LEADING_KEYS, VPCE, DELETE],
  stream_consumer: [VPCE],
  admin: [VPCE],
};

function profileOf(key: AccessProfileKey, enabled: ReadonlySet<string>): AccessProfile {
  switch (key) {
    case 'reader':
      return AccessProfile.reader();
    case 'writer':
      return AccessProfile.writer({ allowDelete: enabled.has('delete') });
    case 'stream_consumer':
      return AccessProfile.streamConsumer();
    case 'admin':
      return AccessProfile.admin();
  }
}

const TABLE_ARN = '__TF_TABLE_ARN__';
const KEY_ARN = '__TF_KMS_KEY_ARN__';
const REGION = '__TF_REGION__';
const LEADING_KEY_LIST = '__TF_LEADING_KEYS__';
const VPCE_LIST = '__TF_SOURCE_VPCE_IDS__';

const PLACEHOLDERS: Placeholders = {
  scalars: [
    { sentinel: TABLE_ARN, expression: 'var.table_arn' },
    { sentinel: KEY_ARN, expression: 'var.kms_key_arn' },
    { sentinel: REGION, expression: 'split(":", var.table_arn)[3]' },
  ],
  lists: [
    { sentinel: LEADING_KEY_LIST, expression: 'var.leading_keys' },
    { sentinel: VPCE_LIST, expression: 'var.source_vpce_ids' },
  ],
};

/** The identity policy of one profile, built by roleAccessPolicy exactly as a LeastPrivilegeRole builds it. */
function profilePolicy(key: AccessProfileKey, enabled: ReadonlySet<string>) {
  return roleAccessPolicy({
    region: REGION,
    grants: [
      {
        target: { tableArn: TABLE_ARN, keyArn: KEY_ARN },
        profile: profileOf(key, enabled),
        leadingKeys: enabled.has('leading_keys') ? [LEADING_KEY_LIST] : undefined,
      },
    ],
    sourceVpceIds: enabled.has('vpce') ? [VPCE_LIST] : undefined,
  });
}

/**
 * The `dynamodb-access-policy` module: the least-privilege IAM policy set of modules/access (dynamodb:012) for one
 * table: reader, writer, stream consumer and admin documents (outputs), and optionally managed `aws_iam_policy`s.
 */
export function buildDynamoDbAccessPolicyModule(scope: Construct): ModuleStack {
  const stack = new ModuleStack(scope, DYNAMODB_ACCESS_POLICY_MODULE, {
    description:
      'Least-privilege IAM policies for one DynamoDB table (dynamodb:012): reader, writer, stream consumer and admin, each with table-key use only through DynamoDB and an explicit deny of the dangerous actions it is not granted.',
  });

  stack.variable({
    name: 'table_arn',
    type: 'string',
    description: 'ARN of the table (e.g. module.table.table_arn). Index, stream and KMS statements are derived from it.',
    validations: [
      {
        condition: tf(matches(DYNAMODB_TABLE_ARN_PATTERN, 'var.table_arn')),
        errorMessage: 'table_arn = ${var.table_arn}: must be a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>) without wildcards.',
      },
    ],
  });
  stack.variable({
    name: 'kms_key_arn',
    type: 'string',
    description: "ARN of the table's customer-managed KMS key; the policies allow its use only through DynamoDB in the table's Region.",
    validations: [
      {
        condition: tf(matches(KMS_KEY_ARN, 'var.kms_key_arn')),
        errorMessage: 'kms_key_arn = ${var.kms_key_arn}: must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>).',
      },
      {
        condition: tf('try(split(":", var.kms_key_arn)[3] == split(":", var.table_arn)[3], false)'),
        errorMessage: "kms_key_arn: the key must be in the table's Region (DynamoDB uses the key of its own Region).",
      },
    ],
  });
  stack.variable({
    name: 'leading_keys',
    type: 'list(string)',
    description: "dynamodb:LeadingKeys patterns such as 'SESSION#*': reader and writer item actions only reach items whose partition key matches. Empty for no item-level restriction.",
    default: [],
    nullable: false,
    validations: [
      {
        condition: tf('alltrue([for key in var.leading_keys : length(key) > 0 && key != "*"])'),
        errorMessage: "leading_keys: each pattern must be non-empty and narrower than '*'.",
      },
    ],
  });
  stack.variable({
    name: 'replica_regions',
    type: 'list(string)',
    description: "Regions of the table's global-table replicas: every grant on the table, its indexes and its stream covers the replica in each of them (after a failover the application uses the replica of its own Region). With source_vpce_ids, list the endpoints of every Region. The key statement keeps kms_key_arn: the replicas' keys must let account principals use them through DynamoDB in their Region (the key policy of modules/encryption DynamoDbKey does).",
    default: [],
    nullable: false,
    validations: [
      {
        condition: tf(`alltrue([for region in var.replica_regions : ${matches(REGION_PATTERN, 'region')}]) && length(distinct(var.replica_regions)) == length(var.replica_regions)`),
        errorMessage: "replica_regions: each must be an AWS Region such as 'eu-west-1', listed once.",
      },
    ],
  });
  stack.variable({
    name: 'source_vpce_ids',
    type: 'list(string)',
    description: 'VPC endpoint ids: table, index and account-level statements require aws:SourceVpce, and an explicit DenyNonVPCAccess is added. Empty for no network condition. Stream reads are never restricted (DynamoDB Streams has no gateway endpoint).',
    default: [],
    nullable: false,
    validations: [
      {
        condition: tf(`alltrue([for id in var.source_vpce_ids : ${matches(awsIdPattern('vpce'), 'id')}])`),
        errorMessage: "source_vpce_ids: each must be a VPC endpoint id ('vpce-' and 8 or 17 hex digits).",
      },
    ],
  });
  stack.variable({
    name: 'writer_allow_delete',
    type: 'bool',
    description: 'Adds dynamodb:DeleteItem and dynamodb:BatchWriteItem to the writer (a batch write can delete).',
    default: false,
    nullable: false,
  });
  stack.variable({
    name: 'create_managed_policies',
    type: 'bool',
    description: 'Also create one aws_iam_policy per profile, named <policy_name_prefix>-<profile>. Off: use the *_policy_json outputs (e.g. as inline role policies).',
    default: false,
    nullable: false,
  });
  stack.variable({
    name: 'policy_name_prefix',
    type: 'string',
    description: 'Prefix of the managed policy names; required with create_managed_policies.',
    default: null,
    validations: [
      {
        condition: tf(`var.policy_name_prefix == null ? !var.create_managed_policies : ${matches(POLICY_NAME_PREFIX_PATTERN, 'var.policy_name_prefix')}`),
        errorMessage: "policy_name_prefix: required with create_managed_policies; 1 to 100 letters, digits or '+=,.@_-'.",
      },
    ],
  });
  stack.variable({
    name: 'policy_path',
    type: 'string',
    description: 'IAM path of the managed policies.',
    default: '/',
    nullable: false,
    validations: [{ condition: tf(matches(/^\/([A-Za-z0-9+=,.@_-]+\/)*$/, 'var.policy_path')), errorMessage: "policy_path: must start and end with '/'." }],
  });
  stack.variable({
    name: 'tags',
    type: 'map(string)',
    description: 'Tags of the managed policies.',
    default: {},
    nullable: false,
  });

  const selected: Record<string, string> = {};
  for (const key of ACCESS_PROFILES) {
    const variants = policyVariants(PROFILE_FEATURES[key], (enabled) => profilePolicy(key, enabled), PLACEHOLDERS);
    if (variants.variantsExpression) stack.local(`${key}_policy_variants`, tf(variants.variantsExpression));
    selected[key] = variants.selectExpression(`local.${key}_policy_variants`);
  }
  stack.local('home_policies', tf(`{ ${ACCESS_PROFILES.map((key) => `${key} = ${selected[key]}`).join(', ')} }`));
  // A global table: every table, index and stream ARN of the home Region is granted in each replica Region too (the
  // same ARN with the replica's Region). Only then are the documents rewritten, so a single-Region table keeps the
  // exact documents roleAccessPolicy writes.
  stack.local('replica_table_arns', tf('[for region in var.replica_regions : join(":", concat(slice(split(":", var.table_arn), 0, 3), [region], slice(split(":", var.table_arn), 4, 6)))]'));
  stack.local(
    'policies',
    tf(
      'length(var.replica_regions) == 0 ? local.home_policies : { for profile, document in local.home_policies : profile => jsonencode(merge(jsondecode(document), { Statement = [for statement in jsondecode(document).Statement : merge(statement, can(statement.Resource) ? { Resource = distinct(flatten([for resource in flatten([statement.Resource]) : concat([resource], [for arn in local.replica_table_arns : replace(resource, var.table_arn, arn)])])) } : {})] })) }',
    ),
  );

  const managed = TerraformIterator.fromMap(Token.asAnyMap(ref('{ for profile, document in local.policies : profile => document if var.create_managed_policies }')));
  const policy = new IamPolicy(stack, 'managed', {
    forEach: managed,
    name: '${var.policy_name_prefix}-${replace(each.key, "_", "-")}',
    path: tf('var.policy_path'),
    description: 'DynamoDB ${replace(each.key, "_", " ")} access to ${split("/", var.table_arn)[1]} (dynamodb:012)',
    policy: managed.value,
    tags: Token.asStringMap(tf('var.tags')),
  });
  policy.overrideLogicalId('this');

  for (const key of ACCESS_PROFILES) {
    stack.output(`${key}_policy_json`, tf(`local.policies.${key}`), `IAM policy JSON of the ${key.replace('_', ' ')} profile.`);
  }
  stack.output('policy_json', tf('local.policies'), 'All four policy documents by profile (reader, writer, stream_consumer, admin).');
  stack.output('managed_policy_arns', tf('{ for profile, policy in aws_iam_policy.this : profile => policy.arn }'), 'ARNs of the managed policies by profile; empty unless create_managed_policies.');
  return stack;
}
