import { RequirementId } from './types';

/** A construct that satisfies a requirement: its module folder (with index.ts) and its exported name. */
export interface ConstructReference {
  readonly module: string;
  readonly name: string;
}

/**
 * One requirement of seed 004, with everything an auditor asks for: what satisfies it in the artifact, which
 * construct produces that, which rule checks it, which tests prove both, and the AWS Security Hub control, AWS Config
 * managed rule and Checkov check it corresponds to. An empty mapping list means none is known.
 */
export interface RequirementDefinition {
  readonly id: RequirementId;
  /** Short title, used in reports. */
  readonly title: string;
  /** The requirement as seed 004 states it. */
  readonly statement: string;
  /** What in the synthesized Terraform satisfies it (the rule's pass condition). */
  readonly satisfiedBy: string;
  /** General remediation, shown in SARIF help and in the requirement matrix. */
  readonly remediation: string;
  readonly constructs: readonly ConstructReference[];
  /** Repository-relative path of the rule file. */
  readonly rule: string;
  /** Repository-relative paths of the tests that prove construct and rule. */
  readonly tests: readonly string[];
  readonly securityHub: readonly string[];
  readonly awsConfig: readonly string[];
  readonly checkov: readonly string[];
}

/** Every rule is also proven on real synthesized stacks: a compliant and a non-compliant case each. */
const SYNTHESIZED_STACK_RULE_TESTS = '__tests__/compliance/rules-on-synthesized-stacks.test.ts';
/** What the policies allow and deny together, evaluated by a real IAM engine over every stack (the access proof). */
const ACCESS_PROOF_TEST = '__tests__/verification/access-proof.test.ts';

const TABLE: ConstructReference = { module: 'modules/table', name: 'SecureTable' };
const TABLE_TEST = '__tests__/modules/table.test.ts';

function ruleFile(n: string): string {
  return `modules/compliance/rules/dynamodb-${n}.ts`;
}

function ruleTest(n: string): string {
  return `__tests__/compliance/rules/dynamodb-${n}.test.ts`;
}

export const REQUIREMENTS: readonly RequirementDefinition[] = [
  {
    id: 'dynamodb:001',
    title: 'Table encryption with a customer-managed KMS key',
    statement: 'Enable encryption at rest using AWS KMS Customer Managed Key (CMK) for DynamoDB tables',
    satisfiedBy:
      'Every aws_dynamodb_table has server_side_encryption { enabled = true, kms_key_arn } where kms_key_arn references an aws_kms_key (enable_key_rotation = true) or aws_kms_replica_key of the stack, or is a literal KMS key ARN of an existing key (rotation not verifiable from the artifact). No kms_key_arn means an AWS-owned or AWS-managed key.',
    remediation: 'Encrypt the table with a customer-managed key: SecureTable encryptionKey = a DynamoDbKey (rotation on) or existingKey(<key ARN>).',
    constructs: [{ module: 'modules/encryption', name: 'DynamoDbKey' }, TABLE],
    rule: ruleFile('001'),
    tests: ['__tests__/modules/encryption.test.ts', TABLE_TEST, ruleTest('001'), SYNTHESIZED_STACK_RULE_TESTS],
    securityHub: [],
    awsConfig: ['dynamodb-table-encrypted-kms'],
    checkov: ['CKV_AWS_119'],
  },
  {
    id: 'dynamodb:002',
    title: 'Point-in-time recovery',
    statement: 'Enable Point-in-Time Recovery (PITR) for DynamoDB tables',
    satisfiedBy: 'Every aws_dynamodb_table has point_in_time_recovery { enabled = true } (SecureTable: 35 days by default).',
    remediation: 'Set SecureTable pointInTimeRecovery: true (the default), or point_in_time_recovery { enabled = true }.',
    constructs: [TABLE],
    rule: ruleFile('002'),
    tests: [TABLE_TEST, ruleTest('002'), SYNTHESIZED_STACK_RULE_TESTS],
    securityHub: ['DynamoDB.2'],
    awsConfig: ['dynamodb-pitr-enabled'],
    checkov: ['CKV_AWS_28'],
  },
  {
    id: 'dynamodb:003',
    title: 'Deletion protection',
    statement: 'Enable deletion protection for DynamoDB tables',
    satisfiedBy: 'Every aws_dynamodb_table has deletion_protection_enabled = true.',
    remediation: 'Set SecureTable deletionProtection: true (the default), or deletion_protection_enabled = true.',
    constructs: [TABLE],
    rule: ruleFile('003'),
    tests: [TABLE_TEST, ruleTest('003'), SYNTHESIZED_STACK_RULE_TESTS],
    securityHub: ['DynamoDB.6'],
    awsConfig: ['dynamodb-table-deletion-protection-enabled'],
    checkov: [],
  },
  {
    id: 'dynamodb:004',
    title: 'Capacity scales with demand',
    statement: 'Configure DynamoDB tables to automatically scale capacity with demand',
    satisfiedBy:
      'Every aws_dynamodb_table is billing_mode = "PAY_PER_REQUEST", or PROVISIONED with an aws_appautoscaling_target (service_namespace "dynamodb", resource_id "table/<name>" or "table/<name>/index/<index>") and a TargetTrackingScaling aws_appautoscaling_policy (DynamoDBRead/WriteCapacityUtilization) for read and write capacity of the table and of every GSI, in the table Region and in every replica Region of a global table.',
    remediation: 'Use Billing.onDemand(), or provisioned billing with TableAutoscaling (modules/capacity) for the table and every GSI.',
    constructs: [{ module: 'modules/capacity', name: 'Billing' }, { module: 'modules/capacity', name: 'TableAutoscaling' }],
    rule: ruleFile('004'),
    tests: ['__tests__/modules/capacity.test.ts', ruleTest('004'), SYNTHESIZED_STACK_RULE_TESTS],
    securityHub: ['DynamoDB.1'],
    awsConfig: ['dynamodb-autoscaling-enabled'],
    checkov: ['CKV2_AWS_16'],
  },
  {
    id: 'dynamodb:005',
    title: 'Tables in an AWS Backup plan',
    statement: 'Include DynamoDB tables in a backup plan',
    satisfiedBy:
      'Some aws_backup_selection selects every table: its resources list ${aws_dynamodb_table.<name>.arn}, the literal table ARN or a matching ARN pattern, or its selection_tag / condition matches the table tags (including provider default_tags), and no not_resources entry excludes it.',
    remediation: 'Add the table to a DynamoDbBackup (modules/backup): selection by table ARN, or by a tag every table carries.',
    constructs: [{ module: 'modules/backup', name: 'DynamoDbBackup' }],
    rule: ruleFile('005'),
    tests: ['__tests__/modules/backup.test.ts', ruleTest('005'), SYNTHESIZED_STACK_RULE_TESTS],
    securityHub: ['DynamoDB.4'],
    awsConfig: ['dynamodb-resources-protected-by-backup-plan'],
    checkov: [],
  },
  {
    id: 'dynamodb:006',
    title: 'Table access restricted to named accounts or principals',
    statement: 'Restrict DynamoDB table access to specific AWS accounts or IAM principals',
    satisfiedBy:
      'Every aws_dynamodb_table has an aws_dynamodb_resource_policy on its ARN that names principals — an Allow to named principals, or a Deny of dynamodb:* to every principal except listed ones (Principal "*" with StringNotEquals/ArnNotLike on aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalOrgID, aws:SourceVpce, …) — and has no open Allow: Principal "*" only with a StringEquals/StringLike/ArnEquals/ArnLike condition on such a key.',
    remediation: 'Attach a TableResourcePolicy (modules/access): it denies every principal except the listed application roles, and denies plain-HTTP and root-user access.',
    constructs: [{ module: 'modules/access', name: 'TableResourcePolicy' }],
    rule: ruleFile('006'),
    tests: ['__tests__/modules/access-resource-policy.test.ts', ruleTest('006'), SYNTHESIZED_STACK_RULE_TESTS, ACCESS_PROOF_TEST],
    securityHub: [],
    awsConfig: [],
    checkov: [],
  },
  {
    id: 'dynamodb:007',
    title: 'DAX encryption at rest',
    statement: 'Enable encryption at rest using AWS KMS Customer Managed Key (CMK) for DynamoDB Accelerator (DAX) clusters',
    satisfiedBy:
      'Every aws_dax_cluster has server_side_encryption { enabled = true }. Met to the AWS limit: DAX encrypts with an AWS-owned key and offers no customer-managed key option, so such findings are COMPLIANT and flagged "met to the AWS limit".',
    remediation: 'Create DAX clusters with SecureDaxCluster (modules/dax; server-side encryption on); it cannot be enabled on an existing cluster.',
    constructs: [{ module: 'modules/dax', name: 'SecureDaxCluster' }],
    rule: ruleFile('007'),
    tests: ['__tests__/modules/dax.test.ts', ruleTest('007'), SYNTHESIZED_STACK_RULE_TESTS],
    securityHub: ['DynamoDB.3'],
    awsConfig: ['dax-encryption-enabled'],
    checkov: ['CKV_AWS_47'],
  },
  {
    id: 'dynamodb:008',
    title: 'DAX encryption in transit',
    statement: 'Enable encryption in transit for DynamoDB Accelerator (DAX) clusters',
    satisfiedBy: 'Every aws_dax_cluster has cluster_endpoint_encryption_type = "TLS".',
    remediation: 'Create DAX clusters with SecureDaxCluster (modules/dax; TLS endpoint); the setting cannot change on an existing cluster.',
    constructs: [{ module: 'modules/dax', name: 'SecureDaxCluster' }],
    rule: ruleFile('008'),
    tests: ['__tests__/modules/dax.test.ts', ruleTest('008'), SYNTHESIZED_STACK_RULE_TESTS],
    securityHub: ['DynamoDB.7'],
    awsConfig: ['dax-tls-endpoint-encryption'],
    checkov: ['CKV_AWS_239'],
  },
  {
    id: 'dynamodb:009',
    title: 'DAX across Availability Zones',
    statement: 'Deploy DynamoDB Accelerator (DAX) clusters across multiple Availability Zones',
    satisfiedBy: 'Every aws_dax_cluster has replication_factor >= 3 and a literal availability_zones list naming at least 2 distinct AZs.',
    remediation: 'Create DAX clusters with SecureDaxCluster (modules/dax): one node per listed Availability Zone, at least 3.',
    constructs: [{ module: 'modules/dax', name: 'SecureDaxCluster' }],
    rule: ruleFile('009'),
    tests: ['__tests__/modules/dax.test.ts', ruleTest('009'), SYNTHESIZED_STACK_RULE_TESTS],
    securityHub: [],
    awsConfig: [],
    checkov: [],
  },
  {
    id: 'dynamodb:010',
    title: 'Global table replicas encrypted with a customer-managed key',
    statement: 'Enable encryption at rest using AWS KMS Customer Managed Key (CMK) for DynamoDB Global Tables',
    satisfiedBy:
      'Every replica (aws_dynamodb_table replica block or aws_dynamodb_table_replica) has kms_key_arn referencing an aws_kms_replica_key / aws_kms_key in the replica region, or a literal key ARN of that region. Legacy aws_dynamodb_global_table is NON_COMPLIANT.',
    remediation: 'Declare replicas on the SecureTable (replicas: [...]); a DynamoDbKey with replicaRegions gives every replica an aws_kms_replica_key in its region.',
    constructs: [{ module: 'modules/table', name: 'SecureTable' }, { module: 'modules/encryption', name: 'DynamoDbKey' }, { module: 'modules/replication', name: 'resolveReplicas' }],
    rule: ruleFile('010'),
    tests: ['__tests__/modules/replication.test.ts', ruleTest('010'), SYNTHESIZED_STACK_RULE_TESTS],
    securityHub: [],
    awsConfig: ['dynamodb-table-encrypted-kms'],
    checkov: ['CKV_AWS_271'],
  },
  {
    id: 'dynamodb:011',
    title: 'Point-in-time recovery on every global table replica',
    statement: 'Enable Point-in-Time Recovery (PITR) for DynamoDB Global Tables',
    satisfiedBy:
      'Every replica has point_in_time_recovery = true (replicas do not inherit PITR from the source table). Legacy aws_dynamodb_global_table is NON_COMPLIANT.',
    remediation: 'Declare replicas on the SecureTable (replicas: [...]): every replica block gets point_in_time_recovery = true.',
    constructs: [{ module: 'modules/table', name: 'SecureTable' }, { module: 'modules/replication', name: 'renderReplicas' }],
    rule: ruleFile('011'),
    tests: ['__tests__/modules/replication.test.ts', ruleTest('011'), SYNTHESIZED_STACK_RULE_TESTS],
    securityHub: ['DynamoDB.2'],
    awsConfig: ['dynamodb-pitr-enabled'],
    checkov: ['CKV_AWS_165'],
  },
  {
    id: 'dynamodb:012',
    title: 'Least-privilege access to DynamoDB',
    statement: 'Implement least privilege access for DynamoDB resources',
    satisfiedBy:
      'No policy in the stack (IAM policies, role policies, inline role policies, standalone aws_iam_policy_document data sources, table resource policies) has an Allow with Action "*" or "dynamodb:*" or NotAction, no identity policy allows DynamoDB actions that have a resource type on Resource "*", and no AdministratorAccess / AmazonDynamoDBFullAccess attachment.',
    remediation: 'Grant named DynamoDB actions on table and index ARNs with an AccessRole (modules/access) and its AccessProfile grants.',
    constructs: [
      { module: 'modules/access', name: 'AccessRole' },
      { module: 'modules/access', name: 'TableResourcePolicy' },
    ],
    rule: ruleFile('012'),
    tests: ['__tests__/modules/access-role.test.ts', '__tests__/modules/access-resource-policy.test.ts', ruleTest('012'), SYNTHESIZED_STACK_RULE_TESTS, ACCESS_PROOF_TEST],
    securityHub: ['IAM.21'],
    awsConfig: ['iam-policy-no-statements-with-full-access'],
    checkov: ['CKV_AWS_49', 'CKV_AWS_355'],
  },
  {
    id: 'dynamodb:013',
    title: 'DynamoDB Streams for change data capture',
    statement: 'Enable DynamoDB Streams for change data capture',
    satisfiedBy:
      'Every aws_dynamodb_table has stream_enabled = true; the stream_view_type is reported (SecureTable default NEW_AND_OLD_IMAGES). Every aws_dynamodb_kinesis_streaming_destination writes to an aws_kinesis_stream of the stack with encryption_type = KMS and a customer-managed key (SecureTable kinesisDestination creates one per Region), or to an existing stream whose encryption a data.aws_kinesis_stream postcondition checks at plan time.',
    remediation:
      'Keep SecureTable stream at its default (NEW_AND_OLD_IMAGES) or set another view type; do not set it to false. Let kinesisDestination create its streams, or give existing streams with their keys (checked at plan time).',
    constructs: [TABLE, { module: 'modules/table', name: 'KinesisDestination' }],
    rule: ruleFile('013'),
    tests: [TABLE_TEST, ruleTest('013'), '__tests__/modules/table-kinesis.test.ts', SYNTHESIZED_STACK_RULE_TESTS],
    securityHub: [],
    awsConfig: [],
    checkov: [],
  },
  {
    id: 'dynamodb:014',
    title: 'Time to Live',
    statement: 'Implement appropriate Time to Live (TTL) settings for DynamoDB items',
    satisfiedBy:
      'Every aws_dynamodb_table has ttl { enabled = true, attribute_name = <attribute> }. A table without TTL is NON_COMPLIANT unless waived: keeping items forever is a retention decision recorded in a waiver (reason and expiry).',
    remediation: 'Set SecureTable timeToLiveAttribute (a Number attribute with the expiry in epoch seconds), or waive dynamodb:014 for the table with the retention reason.',
    constructs: [TABLE],
    rule: ruleFile('014'),
    tests: [TABLE_TEST, ruleTest('014'), SYNTHESIZED_STACK_RULE_TESTS],
    securityHub: [],
    awsConfig: [],
    checkov: [],
  },
  {
    id: 'dynamodb:015',
    title: 'VPC endpoint for DynamoDB with a restrictive policy',
    statement: 'Use VPC endpoints for DynamoDB access',
    satisfiedBy:
      'The stack has an aws_vpc_endpoint for com.amazonaws.<region>.dynamodb, of type Gateway or Interface, whose policy scopes every Allow (a Resource other than "*", or a Condition) and denies "dynamodb:*" to Principal "*" when aws:SecureTransport is "false". A stack with tables and no such endpoint is NON_COMPLIANT.',
    remediation: 'Add a DynamoDbGatewayEndpoint (or DynamoDbInterfaceEndpoint) from modules/network; its policy is restrictive by construction.',
    constructs: [
      { module: 'modules/network', name: 'DynamoDbGatewayEndpoint' },
      { module: 'modules/network', name: 'DynamoDbInterfaceEndpoint' },
    ],
    rule: ruleFile('015'),
    tests: ['__tests__/modules/network.test.ts', ruleTest('015'), SYNTHESIZED_STACK_RULE_TESTS, ACCESS_PROOF_TEST],
    securityHub: [],
    awsConfig: ['service-vpc-endpoint-enabled'],
    checkov: [],
  },
];

export function requirement(id: RequirementId): RequirementDefinition {
  const found = REQUIREMENTS.find((r) => r.id === id);
  if (!found) throw new Error(`unknown requirement ${id}`);
  return found;
}
