/**
 * Seed 000 §3.1.3: the resource policy the governance Lambda attaches to every `project-<uuid>-*` table created
 * outside Terraform. Dependency-free on purpose (no cdktf, no validation module): the Lambda bundles this file.
 *
 * Deviations from the seed's text, each because the literal text would not do what the seed intends:
 * - `ProjectVPCOnlyAccess` lists actions instead of `dynamodb:*`: within one account, access is the union of the IAM
 *   and resource policies, so `dynamodb:*` here would hand both roles DeleteTable and every other action regardless
 *   of their least-privilege IAM policies (dynamodb:012).
 * - `DenyRootUser` uses `"Principal": "*"` + `aws:PrincipalArn = arn:aws:iam::<account>:root`. The seed's
 *   `"Principal": {"AWS": "arn:aws:iam::<account>:root"}` means every principal of the account, so that Deny would
 *   lock out the two project roles as well. (The root user can still remove the policy: DynamoDB always lets it call
 *   DeleteResourcePolicy.)
 * - The denies use `dynamodb:*`, not `*`: a DynamoDB resource policy only governs DynamoDB actions.
 * - `DenyAllNonVPCAccess` exempts the given principals (the Terraform deployer, the governance Lambda's role), or the
 *   next update of the policy or the table from outside the VPC would fail.
 * - `DenyInsecureTransport` is added (seed 001: TLS only).
 * - The seed's `vpce-project-<uuid>-dynamodb` / `vpc-project-<uuid>` are placeholders, not ids: real ids are inputs.
 */
import { accountRootArn, iamRoleArn } from './arns';
import { PolicyDocument } from './policy-document';
import { resourcePolicyDocument } from './resource-policy-document';

/** Seed 000 §11.2.1's Lambda actions, minus the two API names that are not IAM actions, plus ConditionCheckItem. */
export const PROJECT_TABLE_ACTIONS: readonly string[] = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];

export interface ProjectTemplateParams {
  readonly accountId: string;
  /** Lowercase letters and digits only: seed 000 parses it as the second `-` field of `project-<uuid>`. */
  readonly projectUuid: string;
  /** The project VPC's DynamoDB gateway endpoint (`vpce-…`). */
  readonly vpcEndpointId: string;
  /** The project VPC (`vpc-…`). */
  readonly vpcId: string;
  /** Principals exempt from the VPC-only deny: the Terraform deployer, the governance Lambda's role, break-glass. */
  readonly exemptPrincipalArns?: readonly string[];
  /** @default 'aws' */
  readonly partition?: string;
}

export function projectTablePrefix(projectUuid: string): string {
  return `project-${projectUuid}-`;
}

export function projectRoleNames(projectUuid: string): { readonly lambdaRole: string; readonly mlScientistRole: string } {
  return { lambdaRole: `project-${projectUuid}-lambda-role`, mlScientistRole: `project-${projectUuid}-ml-scientist-role` };
}

/** The table resource policy of seed 000 §3.1.3 for one project (see the file comment for the deviations). */
export function projectTableResourcePolicy(params: ProjectTemplateParams): PolicyDocument {
  check('accountId', params.accountId, /^\d{12}$/, 'must be a 12-digit AWS account id');
  check('projectUuid', params.projectUuid, /^[a-z0-9]{1,40}$/, 'must be 1 to 40 lowercase letters or digits (no hyphens: seed 000 splits project-<uuid> on "-")');
  check('vpcEndpointId', params.vpcEndpointId, /^vpce-([0-9a-f]{8}|[0-9a-f]{17})$/, 'must be a VPC endpoint id (vpce-…)');
  check('vpcId', params.vpcId, /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/, 'must be a VPC id (vpc-…)');
  const partition = params.partition ?? 'aws';
  const roles = projectRoleNames(params.projectUuid);
  const exempt = params.exemptPrincipalArns ?? [];
  if (exempt.includes(accountRootArn(partition, params.accountId))) {
    throw new Error(`projectTableResourcePolicy: exemptPrincipalArns = ${JSON.stringify(exempt)}: must not contain the account root, which DenyRootUser denies`);
  }
  return resourcePolicyDocument({
    kind: 'table',
    resources: ['*'],
    partition,
    accountId: params.accountId,
    grants: [
      {
        sid: 'ProjectVPCOnlyAccess',
        principals: [iamRoleArn(partition, params.accountId, roles.lambdaRole), iamRoleArn(partition, params.accountId, roles.mlScientistRole)],
        actions: PROJECT_TABLE_ACTIONS,
        condition: { StringEquals: { 'aws:SourceVpce': params.vpcEndpointId, 'aws:SourceVpc': params.vpcId } },
      },
    ],
    vpcEndpointIds: [params.vpcEndpointId],
    exemptPrincipalArns: exempt,
    denyInsecureTransport: true,
    denyRootUser: true,
  });
}

function check(field: string, value: string, pattern: RegExp, problem: string): void {
  if (!pattern.test(value)) throw new Error(`projectTableResourcePolicy: ${field} = '${value}': ${problem}`);
}
