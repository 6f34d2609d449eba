import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePoliciesExclusive } from '@cdktf/provider-aws/lib/iam-role-policies-exclusive';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { useStableAddress } from '../naming';
import { requireAccountId, requireAwsIds, requireRegion } from '../network/ids';
import { GuardrailError, isResolved, requireIntegerInRange } from '../validation';
import { LEADING_KEY_ACTIONS, includesAction, intersectActions, isDynamoDbAction } from './actions';
import { partitionForRegion } from './arns';
import { RoleAccessPolicyInput, TableGrant, roleAccessPolicy } from './identity-policy';
import { leastPrivilegeViolations } from './policy-lint';
import { PolicyDocument, PolicyStatement, estimatedPolicyLength, unique } from './policy-document';
import { RoleTrust } from './trust';
import { policyJson } from '../rendering';

/** IAM limits, named so messages and tests agree with AWS. */
export const MAX_ROLE_NAME_LENGTH = 64;
/** All inline policies of a role together; IAM does not count whitespace. */
export const MAX_INLINE_POLICY_CHARS = 10_240;
export const MIN_SESSION_SECONDS = 3_600;
export const MAX_SESSION_SECONDS = 43_200;
/** Literal characters a table-name prefix needs before its `*`, so a pattern can never mean "every table". */
export const MIN_TABLE_PREFIX_LENGTH = 3;

const ROLE_NAME = /^[\w+=,.@-]+$/;
const SID = /^[A-Za-z0-9]+$/;
const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/([A-Za-z0-9_.-]+)(\*?)$/;
const MANAGED_POLICY_ARN = /^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/(.+\/)?[\w+=,.@-]+$/;
/** AWS managed policies that reach every table of the account. */
const TOO_BROAD_MANAGED_POLICIES = /:policy\/(.*\/)?(AdministratorAccess|PowerUserAccess|AmazonDynamoDBFullAccess\w*|AmazonDynamoDBReadOnlyAccess)$/;
const SERVICE_PRINCIPAL = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com(\.cn)?$/;
const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/;

export interface AccessRoleProps {
  /** IAM role name, e.g. `manga-msg-role`; one role per function (seed 001). */
  readonly roleName: string;
  readonly trust: RoleTrust;
  /** Account of the role; also the account `RoleTrust.sameAccount()` delegates to. */
  readonly accountId: string;
  /** Region of the tables: KMS use is allowed only via `dynamodb.<region>.amazonaws.com`. */
  readonly region: string;
  /** The tables and what the role may do to each; at least one. */
  readonly grants: readonly TableGrant[];
  /** @default 'Least-privilege DynamoDB access for <roleName> (dynamodb:012)' */
  readonly description?: string;
  /**
   * Only through these VPC endpoints (`aws:SourceVpce` on every table statement, plus seed 000's `DenyNonVPCAccess`).
   * Stream statements never get it: stream consumers read from the AWS service network.
   * @default no network condition
   */
  readonly sourceVpceIds?: readonly string[];
  /** Adds `aws:SourceVpc` next to `aws:SourceVpce` (seed 000). @default no condition */
  readonly sourceVpcIds?: readonly string[];
  /** With sourceVpceIds, also deny the granted actions outside the endpoint. @default true */
  readonly denyOutsideVpcEndpoint?: boolean;
  /**
   * Actions of the explicit `DenyDangerous` statement; `false` for none. Listing an action the role is granted is an
   * error (the Deny would silently win).
   * @default DANGEROUS_ACTIONS not granted to the role
   */
  readonly denyActions?: readonly string[] | false;
  /** Permissions for other services (Bedrock, X-Ray, Kinesis, SNS…); checked by the same rules. @default [] */
  readonly additionalStatements?: readonly PolicyStatement[];
  /** Managed policy ARNs to attach (e.g. AWSLambdaVPCAccessExecutionRole for logs and ENIs). @default [] */
  readonly managedPolicyArns?: readonly string[];
  /** @default no permissions boundary */
  readonly permissionsBoundaryArn?: string;
  /** @default 3600 */
  readonly maxSessionDurationSeconds?: number;
  /**
   * Adds `aws_iam_role_policies_exclusive`, so an inline policy added outside Terraform is removed on the next apply.
   * @default true
   */
  readonly exclusiveInlinePolicies?: boolean;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * One IAM role for one function, with its trust policy and a single inline least-privilege policy built from table
 * grants (dynamodb:012). The policy is a literal JSON string, so reviewers read it in the synthesized JSON. Every
 * shape dynamodb:012 forbids (Allow of `*` or `dynamodb:*`, DynamoDB actions on `"Resource": "*"`, …) is rejected in
 * the constructor.
 */
export class AccessRole extends Construct {
  readonly role: IamRole;
  readonly policy: IamRolePolicy;
  readonly roleName: string;
  readonly roleArn: string;
  /** The inline policy as data (what `policy.policy` holds as JSON). */
  readonly policyDocument: PolicyDocument;
  readonly assumeRolePolicyDocument: PolicyDocument;

  constructor(scope: Construct, id: string, props: AccessRoleProps) {
    super(scope, id);
    const subject = this.node.path;
    this.validateProps(subject, props);
    const partition = partitionForRegion(props.region);

    const input: RoleAccessPolicyInput = {
      region: props.region,
      grants: props.grants,
      sourceVpceIds: props.sourceVpceIds,
      sourceVpcIds: props.sourceVpcIds,
      denyOutsideVpcEndpoint: props.denyOutsideVpcEndpoint,
      denyActions: props.denyActions,
      additionalStatements: props.additionalStatements,
    };
    this.policyDocument = roleAccessPolicy(input);
    this.validatePolicy(subject, this.policyDocument);
    this.assumeRolePolicyDocument = props.trust.assumeRolePolicy({ partition, accountId: props.accountId });

    this.role = useStableAddress(
      new IamRole(this, 'role', {
        name: props.roleName,
        description: props.description ?? `Least-privilege DynamoDB access for ${props.roleName} (dynamodb:012)`,
        assumeRolePolicy: policyJson(this.assumeRolePolicyDocument),
        maxSessionDuration: props.maxSessionDurationSeconds ?? MIN_SESSION_SECONDS,
        permissionsBoundary: props.permissionsBoundaryArn,
        tags: props.tags,
      }),
      { primary: true },
    );
    const policyName = `${props.roleName}-dynamodb`;
    this.policy = useStableAddress(
      new IamRolePolicy(this, 'policy', { name: policyName, role: this.role.id, policy: policyJson(this.policyDocument) }),
    );
    if (props.exclusiveInlinePolicies ?? true) {
      useStableAddress(
        new IamRolePoliciesExclusive(this, 'inline_policies', { roleName: this.role.name, policyNames: [this.policy.name] }),
      );
    }
    (props.managedPolicyArns ?? []).forEach((policyArn) => {
      const name = policyArn.split('/').pop() ?? policyArn;
      useStableAddress(new IamRolePolicyAttachment(this, `attach_${name}`, { role: this.role.name, policyArn }));
    });
    this.roleName = this.role.name;
    this.roleArn = this.role.arn;
  }

  private validateProps(subject: string, props: AccessRoleProps): void {
    validateRoleName(subject, props.roleName);
    requireAccountId(subject, 'accountId', props.accountId);
    requireRegion(subject, 'region', props.region);
    validateTrust(subject, props.trust);
    if (props.grants.length === 0) {
      throw new GuardrailError(subject, 'grants', [], 'a DynamoDB access role needs at least one table grant');
    }
    props.grants.forEach((grant, i) => validateGrant(subject, `grants[${i}]`, grant));
    if (props.sourceVpceIds !== undefined) requireAwsIds(subject, 'sourceVpceIds', props.sourceVpceIds, 'vpce');
    if (props.sourceVpcIds !== undefined) requireAwsIds(subject, 'sourceVpcIds', props.sourceVpcIds, 'vpc');
    if (props.denyActions) this.validateDenyActions(subject, props.denyActions, props.grants);
    (props.managedPolicyArns ?? []).forEach((arn, i) => validateManagedPolicy(subject, `managedPolicyArns[${i}]`, arn));
    if (props.permissionsBoundaryArn !== undefined && isResolved(props.permissionsBoundaryArn) && !MANAGED_POLICY_ARN.test(props.permissionsBoundaryArn)) {
      throw new GuardrailError(subject, 'permissionsBoundaryArn', props.permissionsBoundaryArn, 'must be an IAM managed policy ARN (arn:aws:iam::<account>:policy/<name>)');
    }
    requireIntegerInRange(subject, 'maxSessionDurationSeconds', props.maxSessionDurationSeconds ?? MIN_SESSION_SECONDS, MIN_SESSION_SECONDS, MAX_SESSION_SECONDS);
  }

  private validateDenyActions(subject: string, denyActions: readonly string[], grants: readonly TableGrant[]): void {
    const granted = unique(grants.flatMap((g) => g.profile.actions));
    const both = intersectActions(denyActions, granted);
    if (both.length > 0) {
      throw new GuardrailError(subject, 'denyActions', both, 'these actions are both granted and denied: an explicit Deny always wins, so the grant would never work');
    }
  }

  private validatePolicy(subject: string, document: PolicyDocument): void {
    const [violation] = leastPrivilegeViolations(document);
    if (violation) throw new GuardrailError(subject, `policy.${violation.field}`, violation.value, violation.problem);
    const sids = document.Statement.map((s) => s.Sid).filter((sid): sid is string => sid !== undefined);
    const duplicate = sids.find((sid, i) => sids.indexOf(sid) !== i);
    if (duplicate) throw new GuardrailError(subject, 'policy.Sid', duplicate, 'statement ids must be unique within a policy; give the grants distinct sids');
    const invalid = sids.find((sid) => !SID.test(sid));
    if (invalid) throw new GuardrailError(subject, 'policy.Sid', invalid, 'statement ids may contain only letters and digits');
    const length = estimatedPolicyLength(JSON.stringify(document));
    if (length > MAX_INLINE_POLICY_CHARS) {
      throw new GuardrailError(subject, 'policy', `${length} characters`, `the inline policies of a role are limited to ${MAX_INLINE_POLICY_CHARS} characters; split the access over more roles`);
    }
  }
}

function validateRoleName(subject: string, roleName: string): void {
  if (!isResolved(roleName)) return;
  if (roleName.length === 0 || roleName.length > MAX_ROLE_NAME_LENGTH || !ROLE_NAME.test(roleName)) {
    throw new GuardrailError(subject, 'roleName', roleName, `must be 1 to ${MAX_ROLE_NAME_LENGTH} characters of letters, digits and '+=,.@_-'`);
  }
}

function validateTrust(subject: string, trust: RoleTrust): void {
  if (trust.kind === 'account') return;
  if (trust.principals.length === 0) {
    throw new GuardrailError(subject, 'trust', [], 'name at least one principal allowed to assume the role');
  }
  for (const principal of trust.principals.filter(isResolved)) {
    const ok = trust.kind === 'service' ? SERVICE_PRINCIPAL.test(principal) : IAM_PRINCIPAL_ARN.test(principal);
    if (!ok) {
      const expected = trust.kind === 'service' ? "a service principal such as 'lambda.amazonaws.com'" : 'an IAM role, user or account-root ARN (no wildcards)';
      throw new GuardrailError(subject, 'trust', principal, `must be ${expected}`);
    }
  }
}

function validateGrant(subject: string, field: string, grant: TableGrant): void {
  const arn = grant.target.tableArn;
  if (isResolved(arn)) {
    const match = TABLE_ARN.exec(arn);
    if (!match || match[1].length > 255) {
      throw new GuardrailError(subject, `${field}.target.tableArn`, arn, "must be a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>) or a table-name prefix followed by '*'");
    }
    if (match[2] === '*' && match[1].length < MIN_TABLE_PREFIX_LENGTH) {
      throw new GuardrailError(subject, `${field}.target.tableArn`, arn, `a table-name prefix needs at least ${MIN_TABLE_PREFIX_LENGTH} characters before '*', or the grant reaches nearly every table`);
    }
  }
  const actions = grant.profile.actions;
  if (actions.length === 0) throw new GuardrailError(subject, `${field}.profile`, grant.profile.name, 'grants at least one action');
  const foreign = actions.find((a) => !isDynamoDbAction(a));
  if (foreign) {
    throw new GuardrailError(subject, `${field}.profile.actions`, foreign, 'table grants carry DynamoDB actions only; put permissions for other services in additionalStatements');
  }
  if (grant.indexes === true && grant.target.hasIndexes === false) {
    throw new GuardrailError(subject, `${field}.indexes`, true, 'the table has no secondary indexes');
  }
  if (grant.leadingKeys !== undefined) {
    if (grant.leadingKeys.length === 0 || grant.leadingKeys.some((key) => key.length === 0)) {
      throw new GuardrailError(subject, `${field}.leadingKeys`, grant.leadingKeys, "list at least one non-empty partition-key pattern such as 'SESSION#*'");
    }
    if (includesAction(actions, 'dynamodb:Scan')) {
      throw new GuardrailError(subject, `${field}.leadingKeys`, grant.leadingKeys, 'dynamodb:Scan reads every partition, so dynamodb:LeadingKeys cannot limit it; grant Scan in a separate grant or drop it');
    }
    if (!actions.some((a) => includesAction(LEADING_KEY_ACTIONS, a))) {
      throw new GuardrailError(subject, `${field}.leadingKeys`, grant.leadingKeys, `none of the granted actions carries dynamodb:LeadingKeys (${LEADING_KEY_ACTIONS.join(', ')})`);
    }
  }
  if (grant.sid !== undefined && isResolved(grant.sid) && !SID.test(grant.sid)) {
    throw new GuardrailError(subject, `${field}.sid`, grant.sid, 'statement ids may contain only letters and digits');
  }
  if (!SID.test(grant.profile.name) && grant.sid === undefined) {
    throw new GuardrailError(subject, `${field}.profile`, grant.profile.name, 'profile names become statement ids and may contain only letters and digits');
  }
}

function validateManagedPolicy(subject: string, field: string, arn: string): void {
  if (!isResolved(arn)) return;
  if (!MANAGED_POLICY_ARN.test(arn)) {
    throw new GuardrailError(subject, field, arn, 'must be an IAM managed policy ARN (arn:aws:iam::aws:policy/<name> or arn:aws:iam::<account>:policy/<name>)');
  }
  if (TOO_BROAD_MANAGED_POLICIES.test(arn)) {
    throw new GuardrailError(subject, field, arn, 'this managed policy reaches every DynamoDB table of the account; grant tables through AccessRole grants (dynamodb:012)');
  }
}
