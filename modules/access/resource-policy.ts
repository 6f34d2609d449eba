import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { DynamodbResourcePolicy } from '@cdktf/provider-aws/lib/dynamodb-resource-policy';
import { useStableAddress } from '../naming';
import { requireAccountId, requireAwsIds, requireRegion } from '../network/ids';
import { GuardrailError, isResolved } from '../validation';
import { STREAM_READ_ACTIONS, hasWildcard, includesAction, isDynamoDbAction, resourceKindOf } from './actions';
import { accountRootArn, indexArnsOf, partitionForRegion } from './arns';
import { leastPrivilegeViolations } from './policy-lint';
import { PolicyDocument } from './policy-document';
import {
  MAX_RESOURCE_POLICY_BYTES,
  ResourcePolicyGrant,
  ResourcePolicyKind,
  policyBytes,
  resourcePolicyDocument,
} from './resource-policy-document';
import { policyJson } from '../rendering';

const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/;
/** Exempt principals may use wildcards in the role or user name (SSO roles carry a random suffix). */
const EXEMPT_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/*?-]*[\w+=,.@-][\w+=,.@/*?-]*$/;
const ACCOUNT_ID = /^\d{12}$/;
const SID = /^[A-Za-z0-9]+$/;

export interface TableResourcePolicyProps {
  /** ARN for `resource_arn`: the table's `tableArn` (a reference, so Terraform orders it after the table) or its stream ARN. */
  readonly resourceArn: string;
  /**
   * ARN written into the policy's `Resource` (pass the literal table ARN so reviewers can read it). Tables also get
   * `<arn>/index/*`.
   * @default resourceArn
   */
  readonly policyResourceArn?: string;
  /** @default 'table' */
  readonly kind?: ResourcePolicyKind;
  /** Account that owns the table. */
  readonly accountId: string;
  /** Region of the table (decides the ARN partition). */
  readonly region: string;
  /**
   * Create the policy in this Region (provider 6's per-resource `region`): a global table's replica has its own
   * resource policy in its own Region. @default the provider's Region
   */
  readonly resourceRegion?: string;
  /**
   * Principals (IAM ARNs or 12-digit account ids) that may use the table; every other principal is denied. What they may
   * do still comes from their IAM policies, so least privilege stays in one place (dynamodb:012).
   * @default []
   */
  readonly allowedPrincipals?: readonly string[];
  /**
   * Allow statements. Cross-account principals need one; for same-account roles prefer `allowedPrincipals`, because
   * an Allow here adds to (never narrows) what their IAM policy grants.
   * @default []
   */
  readonly grants?: readonly ResourcePolicyGrant[];
  /** Deny every principal not listed in allowedPrincipals, grants or exemptPrincipalArns. @default true */
  readonly denyUnlistedPrincipals?: boolean;
  /** Deny requests that do not arrive through these VPC endpoints (`aws:SourceVpce`). @default no network deny */
  readonly vpcEndpointIds?: readonly string[];
  /** Listed principals that call DynamoDB from the AWS network, not the VPC (Step Functions roles). @default [] */
  readonly outsideVpcPrincipalArns?: readonly string[];
  /**
   * The Terraform deployer role(s) and a break-glass admin role: exempt from every deny except TLS and root. Without
   * them the policy would deny the deployer and Terraform could no longer read or change the table or this policy.
   */
  readonly exemptPrincipalArns: readonly string[];
  /** @default true */
  readonly denyInsecureTransport?: boolean;
  /** Principals that must never change the table or write its items (see resourcePolicyDocument). @default [] */
  readonly protectedFromPrincipalArns?: readonly string[];
  /** Deny requests through no VPC endpoint at all (replicas, see resourcePolicyDocument). @default false */
  readonly denyOutsideAnyVpcEndpoint?: boolean;
  /** Deny the account root user (seed 000). @default true */
  readonly denyRootUser?: boolean;
  /**
   * Terraform's `confirm_remove_self_resource_access`: DynamoDB refuses a policy that takes away the caller's own right
   * to change it unless this is true. Keep it false: the deployer is exempt, and a refusal is the warning you want.
   * @default false
   */
  readonly confirmRemoveSelfResourceAccess?: boolean;
  /** Resources that must exist first, e.g. the roles named in the policy (DynamoDB rejects unknown principals). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * `aws_dynamodb_resource_policy` for one table or stream (dynamodb:006): only listed principals, optionally only
 * through the environment's VPC endpoint, TLS only, never the root user, and never the Terraform deployer locked out.
 */
export class TableResourcePolicy extends Construct {
  readonly resource: DynamodbResourcePolicy;
  readonly policyDocument: PolicyDocument;

  constructor(scope: Construct, id: string, props: TableResourcePolicyProps) {
    super(scope, id);
    const subject = this.node.path;
    const kind = props.kind ?? 'table';
    this.validateProps(subject, kind, props);
    const partition = partitionForRegion(props.region);
    const arn = props.policyResourceArn ?? props.resourceArn;
    const listed = [...(props.allowedPrincipals ?? [])];

    this.policyDocument = resourcePolicyDocument({
      kind,
      resources: kind === 'table' ? [arn, indexArnsOf(arn)] : [arn],
      partition,
      accountId: props.accountId,
      grants: props.grants,
      allowedPrincipals: (props.denyUnlistedPrincipals ?? true) ? listed : undefined,
      vpcEndpointIds: props.vpcEndpointIds,
      outsideVpcPrincipalArns: props.outsideVpcPrincipalArns,
      exemptPrincipalArns: props.exemptPrincipalArns,
      denyInsecureTransport: props.denyInsecureTransport,
      denyRootUser: props.denyRootUser,
      protectedFromPrincipalArns: props.protectedFromPrincipalArns,
      denyOutsideAnyVpcEndpoint: props.denyOutsideAnyVpcEndpoint,
    });
    this.validateDocument(subject, this.policyDocument);

    this.resource = useStableAddress(
      new DynamodbResourcePolicy(this, 'policy', {
        resourceArn: props.resourceArn,
        region: props.resourceRegion,
        policy: policyJson(this.policyDocument),
        confirmRemoveSelfResourceAccess: props.confirmRemoveSelfResourceAccess ? true : undefined,
        dependsOn: props.dependsOn,
      }),
      { primary: true },
    );
  }

  private validateProps(subject: string, kind: ResourcePolicyKind, props: TableResourcePolicyProps): void {
    requireAccountId(subject, 'accountId', props.accountId);
    requireRegion(subject, 'region', props.region);
    const grants = props.grants ?? [];
    grants.forEach((grant, i) => validateGrant(subject, `grants[${i}]`, kind, grant));
    (props.allowedPrincipals ?? []).forEach((p, i) => validatePrincipal(subject, `allowedPrincipals[${i}]`, p));
    (props.outsideVpcPrincipalArns ?? []).forEach((p, i) => validateExempt(subject, `outsideVpcPrincipalArns[${i}]`, p));
    props.exemptPrincipalArns.forEach((p, i) => validateExempt(subject, `exemptPrincipalArns[${i}]`, p));
    if (props.vpcEndpointIds !== undefined) requireAwsIds(subject, 'vpcEndpointIds', props.vpcEndpointIds, 'vpce');

    const denyUnlisted = props.denyUnlistedPrincipals ?? true;
    // With no listed principal the table is still usable by the exempt ones (deployers, break-glass, service roles): a
    // catalog's table that no role is granted yet.
    if (denyUnlisted && (props.allowedPrincipals ?? []).length === 0 && grants.length === 0 && props.exemptPrincipalArns.length === 0) {
      throw new GuardrailError(subject, 'allowedPrincipals', props.allowedPrincipals, 'name the principals allowed to use the table (or set denyUnlistedPrincipals: false)');
    }
    const vpcOnly = (props.vpcEndpointIds ?? []).length > 0;
    if ((denyUnlisted || vpcOnly) && props.exemptPrincipalArns.length === 0) {
      throw new GuardrailError(
        subject,
        'exemptPrincipalArns',
        [],
        `list the Terraform deployer role: without an exemption ${denyUnlisted ? 'DenyUnlistedPrincipals' : 'DenyAllNonVPCAccess'} also denies the deployer, and Terraform can no longer read or update the table or this policy`,
      );
    }
    const root = accountRootArn(partitionForRegion(props.region), props.accountId);
    for (const [field, list] of [['allowedPrincipals', props.allowedPrincipals ?? []], ['exemptPrincipalArns', props.exemptPrincipalArns]] as const) {
      if ((props.denyRootUser ?? true) && list.includes(root)) {
        throw new GuardrailError(subject, field, root, 'the account root user is denied by DenyRootUser; it cannot also be listed');
      }
    }
  }

  private validateDocument(subject: string, document: PolicyDocument): void {
    const [violation] = leastPrivilegeViolations(document);
    if (violation) throw new GuardrailError(subject, `policy.${violation.field}`, violation.value, violation.problem);
    const sids = document.Statement.map((s) => s.Sid ?? '');
    const duplicate = sids.find((sid, i) => sids.indexOf(sid) !== i);
    if (duplicate !== undefined) throw new GuardrailError(subject, 'grants.sid', duplicate, 'statement ids must be unique within a policy');
    const bytes = policyBytes(document);
    if (bytes > MAX_RESOURCE_POLICY_BYTES) {
      throw new GuardrailError(subject, 'policy', `${bytes} bytes`, `DynamoDB resource policies are limited to ${MAX_RESOURCE_POLICY_BYTES} bytes (20 KB); list fewer principals or use account ids`);
    }
  }
}

function validateGrant(subject: string, field: string, kind: ResourcePolicyKind, grant: ResourcePolicyGrant): void {
  if (grant.principals.length === 0) throw new GuardrailError(subject, `${field}.principals`, [], 'name at least one principal');
  grant.principals.forEach((p, i) => validatePrincipal(subject, `${field}.principals[${i}]`, p));
  if (grant.actions.length === 0) throw new GuardrailError(subject, `${field}.actions`, [], 'grant at least one action');
  if (grant.sid !== undefined && !SID.test(grant.sid)) {
    throw new GuardrailError(subject, `${field}.sid`, grant.sid, 'statement ids may contain only letters and digits');
  }
  for (const action of grant.actions) {
    if (!isDynamoDbAction(action) || hasWildcard(action)) {
      throw new GuardrailError(subject, `${field}.actions`, action, 'a DynamoDB resource policy grants explicit DynamoDB actions only (no wildcards, no other services)');
    }
    if (kind === 'stream' && !includesAction(STREAM_READ_ACTIONS, action)) {
      throw new GuardrailError(subject, `${field}.actions`, action, `a stream policy accepts only ${STREAM_READ_ACTIONS.join(', ')}; DynamoDB rejects every other action (including dynamodb:ListStreams)`);
    }
    if (kind === 'table' && resourceKindOf(action) === 'stream') {
      throw new GuardrailError(subject, `${field}.actions`, action, "DynamoDB rejects stream actions in a table policy; attach a policy to the stream instead (kind: 'stream')");
    }
    if (kind === 'table' && resourceKindOf(action) !== 'table') {
      throw new GuardrailError(subject, `${field}.actions`, action, 'this action is not about the table itself (it has no resource or acts on backups), so DynamoDB rejects it in a table policy');
    }
  }
}

function validatePrincipal(subject: string, field: string, principal: string): void {
  if (!isResolved(principal)) return;
  if (principal === '*' || (!ACCOUNT_ID.test(principal) && !IAM_PRINCIPAL_ARN.test(principal))) {
    throw new GuardrailError(subject, field, principal, "must be an IAM role or user ARN or a 12-digit account id; '*' and wildcards would make the table public");
  }
}

function validateExempt(subject: string, field: string, principal: string): void {
  if (!isResolved(principal)) return;
  if (!EXEMPT_PRINCIPAL_ARN.test(principal)) {
    throw new GuardrailError(subject, field, principal, "must be an IAM role or user ARN of one account (wildcards only inside the name, e.g. SSO roles 'AWSReservedSSO_Admin_*')");
  }
}
