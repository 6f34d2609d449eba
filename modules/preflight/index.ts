import { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamSessionContext } from '@cdktf/provider-aws/lib/data-aws-iam-session-context';
import { DataAwsRegions } from '@cdktf/provider-aws/lib/data-aws-regions';
import { useStableAddress } from '../naming';

/** A Region a stack uses, and what uses it (for the message). */
export interface UsedRegion {
  readonly region: string;
  readonly usedBy: string;
}

export interface PlanTimeChecksProps {
  readonly accountId: string;
  /** Every Region the stack creates something in: its own, replica Regions, the backup copy Region. */
  readonly regions: readonly UsedRegion[];
  /** The principals the table resource policies exempt and that may run Terraform: deployers, break-glass roles. */
  readonly deployerPrincipalArns: readonly string[];
  /** The setting that names the deployers, for the message (`environments.prod.deployerRoles (or …)`). */
  readonly deployerSetting: string;
}

/** What a precondition checks, the condition as Terraform evaluates it, and the message when it fails. */
export interface PlanTimeCheck {
  readonly address: string;
  readonly condition: string;
  readonly errorMessage: string;
}

// Region names and IAM ARNs contain no quotes, backslashes or `${`, so their JSON form is also an HCL string literal.

/** Region opt-in states in which an account can use a Region (EC2 DescribeRegions `opt-in-status` filter). */
export const USABLE_REGION_STATES = ['opt-in-not-required', 'opted-in'];

/**
 * Account preconditions that the real provider checks during `terraform plan`, before anything changes: data sources
 * with `lifecycle.postcondition`s (Terraform evaluates a data source's postconditions when it reads it, which for
 * these is while planning: Terraform language, "Custom Conditions").
 * - Every Region the stack uses is enabled for the account. Opt-in Regions (ap-south-2, …) are disabled until
 *   enabled (AWS Account Management, "Enable or disable AWS Regions"); an apply would otherwise fail half-way, after
 *   the home Region's tables were already changed.
 * - Terraform runs as one of the deployers the table resource policies exempt; anyone else would lock Terraform out
 *   of its own tables on the first apply.
 */
export class PlanTimeChecks extends Construct {
  readonly checks: readonly PlanTimeCheck[];

  constructor(scope: Construct, id: string, props: PlanTimeChecksProps) {
    super(scope, id);
    const regionChecks = uniqueRegions(props.regions).map(({ region, usedBy }) => ({
      condition: `\${contains(self.names, ${JSON.stringify(region)})}`,
      errorMessage: `Region ${region} (${usedBy}) is not enabled in account ${props.accountId}: enable it (aws account enable-region --region-name ${region}) and plan again once aws account get-region-opt-status --region-name ${region} says ENABLED. Nothing was changed.`,
    }));
    const regions = useStableAddress(
      new DataAwsRegions(this, 'enabled_regions', {
        allRegions: true,
        filter: [{ name: 'opt-in-status', values: [...USABLE_REGION_STATES] }],
        lifecycle: { postcondition: regionChecks },
      }),
    );
    const caller = useStableAddress(new DataAwsCallerIdentity(this, 'caller'));
    const deployerCheck = {
      condition: `\${contains(${JSON.stringify(props.deployerPrincipalArns)}, self.issuer_arn)}`,
      errorMessage: `Terraform runs as a principal the table resource policies do not exempt (they exempt ${props.deployerPrincipalArns.join(', ')}): its first apply would lock it out of its own tables. Run it as one of those, or set ${props.deployerSetting} to the role that runs terraform apply. Nothing was changed.`,
    };
    const session = useStableAddress(new DataAwsIamSessionContext(this, 'deployer_session', { arn: caller.arn, lifecycle: { postcondition: [deployerCheck] } }));
    this.checks = [
      ...regionChecks.map((check) => ({ address: `data.aws_regions.${regions.friendlyUniqueId}`, condition: check.condition, errorMessage: check.errorMessage })),
      { address: `data.aws_iam_session_context.${session.friendlyUniqueId}`, ...deployerCheck },
    ];
  }
}

function uniqueRegions(regions: readonly UsedRegion[]): UsedRegion[] {
  const byRegion = new Map<string, string[]>();
  for (const { region, usedBy } of regions) byRegion.set(region, [...(byRegion.get(region) ?? []), usedBy]);
  return [...byRegion.entries()].map(([region, users]) => ({ region, usedBy: [...new Set(users)].join(', ') }));
}
