/** `dynamodb:001` … `dynamodb:015`: the security requirements of seed 004. */
export type RequirementId =
  | 'dynamodb:001'
  | 'dynamodb:002'
  | 'dynamodb:003'
  | 'dynamodb:004'
  | 'dynamodb:005'
  | 'dynamodb:006'
  | 'dynamodb:007'
  | 'dynamodb:008'
  | 'dynamodb:009'
  | 'dynamodb:010'
  | 'dynamodb:011'
  | 'dynamodb:012'
  | 'dynamodb:013'
  | 'dynamodb:014'
  | 'dynamodb:015';

export const REQUIREMENT_IDS: readonly RequirementId[] = [
  'dynamodb:001',
  'dynamodb:002',
  'dynamodb:003',
  'dynamodb:004',
  'dynamodb:005',
  'dynamodb:006',
  'dynamodb:007',
  'dynamodb:008',
  'dynamodb:009',
  'dynamodb:010',
  'dynamodb:011',
  'dynamodb:012',
  'dynamodb:013',
  'dynamodb:014',
  'dynamodb:015',
];

export function isRequirementId(value: unknown): value is RequirementId {
  return typeof value === 'string' && (REQUIREMENT_IDS as readonly string[]).includes(value);
}

/** cdk-nag's three outcomes. A waived failure stays NON_COMPLIANT and carries the waiver. */
export type ComplianceStatus = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

export type ComplianceEnvironment = 'dev' | 'staging' | 'prod';

/**
 * The resource a stack-wide finding is about, when there is no single Terraform address (no DAX cluster at all,
 * no IAM policy at all, no table at all).
 */
export const STACK_RESOURCE = '(stack)';

/** What one rule says about one resource. */
export interface Finding {
  readonly requirement: RequirementId;
  readonly status: ComplianceStatus;
  /**
   * Terraform address (`aws_dynamodb_table.documents`), a block inside one
   * (`aws_dynamodb_table.sessions.replica[eu-west-1]`), or `(stack)`.
   */
  readonly resource: string;
  /** Why, from the artifact: names the attribute and the value found. */
  readonly reason: string;
  /** How to become compliant (NON_COMPLIANT only). */
  readonly fix?: string;
  /**
   * COMPLIANT only as far as AWS allows (DAX encryption at rest uses an AWS-owned key; there is no customer-managed
   * key option). Reports show it separately so nobody mistakes it for full compliance.
   */
  readonly metToAwsLimit?: true;
}

/** A synthesized Terraform JSON document (`cdk.tf.json`), parsed. */
export type TerraformJson = { readonly [key: string]: unknown };

/** One requirement's check: a pure function of the synthesized Terraform JSON of one stack. */
export interface ComplianceRule {
  readonly requirement: RequirementId;
  readonly evaluate: (stack: TerraformJson) => Finding[];
}
