/**
 * The account preconditions of one synthesized stack, read from its Terraform JSON: those the provider checks during
 * `terraform plan` (data-source postconditions, modules/preflight) and those hashicorp/aws 6.25 has no data source for,
 * which must be checked by hand before the first apply. Each comes with the read-only AWS CLI command that checks it.
 */
export interface Precondition {
  readonly what: string;
  /** `plan`: Terraform stops the plan when it fails; `manual`: no data source can read it, check before applying. */
  readonly checkedBy: 'plan' | 'manual';
  readonly command: string;
}

type Json = Record<string, any>;

const GOVERNANCE_DETAIL_TYPE = 'AWS API Call via CloudTrail';

export function preconditionsOf(json: Json): Precondition[] {
  const list: Precondition[] = [];
  for (const check of json.data?.aws_regions?.preflight_enabled_regions?.lifecycle?.postcondition ?? []) {
    const region = /"([a-z0-9-]+)"\)\}$/.exec(check.condition)?.[1];
    if (region) list.push({ what: `Region ${region} is enabled for the account (${/\(([^)]+)\)/.exec(check.error_message)?.[1] ?? 'used by the stack'})`, checkedBy: 'plan', command: `aws account get-region-opt-status --region-name ${region}   # ENABLED or ENABLED_BY_DEFAULT` });
  }
  for (const check of json.data?.aws_iam_session_context?.preflight_deployer_session?.lifecycle?.postcondition ?? []) {
    const principals = /contains\((\[.*\]), self\.issuer_arn\)/.exec(check.condition)?.[1];
    list.push({ what: `Terraform runs as a principal the table resource policies exempt: ${principals ? (JSON.parse(principals) as string[]).join(', ') : '(see the stack)'}`, checkedBy: 'plan', command: 'aws sts get-caller-identity   # the role in Arn (assumed-role/<name>/…) must be one of them' });
  }
  for (const [name, plan] of Object.entries<Json>(json.resource?.aws_backup_plan ?? {})) {
    const rules: Json[] = plan.rule ?? [];
    const copies = rules.flatMap((rule) => rule.copy_action ?? []);
    const cold = rules.some((rule) => rule.lifecycle?.cold_storage_after !== undefined) || copies.some((copy) => copy.lifecycle?.cold_storage_after !== undefined);
    if (copies.length === 0 && !cold) continue;
    const region = json.provider?.aws?.[0]?.region ?? '<region>';
    // Cross-Region copies and cold storage of DynamoDB recovery points need AWS Backup's advanced DynamoDB features
    // (AWS Backup Developer Guide, "Advanced DynamoDB backup"); no data source of hashicorp/aws 6.25 reads the setting.
    list.push({ what: `AWS Backup's advanced features for DynamoDB are on in ${region} (aws_backup_plan.${name} ${copies.length > 0 ? 'copies recovery points to another Region' : 'moves them to cold storage'})`, checkedBy: 'manual', command: `aws backup describe-region-settings --region ${region}   # ResourceTypeManagementPreference.DynamoDB must be true` });
  }
  const listensToCloudTrail = Object.values<Json>(json.resource?.aws_cloudwatch_event_rule ?? {}).some((rule) => String(rule.event_pattern ?? '').includes(GOVERNANCE_DETAIL_TYPE));
  if (listensToCloudTrail && Object.keys(json.resource?.aws_cloudtrail ?? {}).length === 0) {
    const region = json.provider?.aws?.[0]?.region ?? '<region>';
    // EventBridge receives "AWS API Call via CloudTrail" events only while a trail with logging on records the
    // management events (Amazon EventBridge User Guide, "Events from AWS services"); no data source lists trails.
    list.push({ what: `a CloudTrail trail records management events in ${region} (the governance rule listens to them; this stack creates none)`, checkedBy: 'manual', command: `aws cloudtrail describe-trails --region ${region} && aws cloudtrail get-trail-status --name <trail> --region ${region}   # IsLogging: true, with management events (get-event-selectors)` });
  }
  return list;
}

/** The checklist of some stacks as markdown (help/preflight.md) or plain text (the CLI). */
export function renderChecklist(stacks: ReadonlyArray<readonly [stack: string, json: Json]>, format: 'markdown' | 'text'): string {
  const lines: string[] = [];
  for (const [stack, json] of stacks) {
    const preconditions = preconditionsOf(json);
    lines.push(format === 'markdown' ? `## ${stack}\n` : `${stack}:`);
    for (const p of preconditions) {
      const by = p.checkedBy === 'plan' ? 'checked by terraform plan' : 'check by hand: no data source can read it';
      lines.push(format === 'markdown' ? `- ${p.what} (${by})\n  \`${p.command}\`` : `  - ${p.what} [${by}]\n      ${p.command}`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export const PREFLIGHT_HELP_FILE = 'help/preflight.md';

/** help/preflight.md: what is checked when, and the checklist of the example stacks (`npm run preflight -- --help-page`). */
export function preflightHelpPage(stacks: ReadonlyArray<readonly [stack: string, json: Json]>): string {
  return `# Preflight: account preconditions

An apply that fails half-way is the worst outcome for a prod adoption (imported tables already changed, a copy vault
missing). So every stack carries the account preconditions that Terraform itself can check, as data sources with
\`lifecycle.postcondition\`s (modules/preflight): the real provider reads them during \`terraform plan\`, and a failing
one stops the plan, before anything changes, with a message that says what to enable and how.

- **Regions:** every Region the stack uses (its own, replica Regions, the backup copy Region) is enabled for the
  account (\`data.aws_regions\` with the \`opt-in-status\` filter). Opt-in Regions such as ap-south-2 are disabled until
  someone enables them (AWS Account Management Reference Guide, "Enable or disable AWS Regions in your account").
- **Deployer:** Terraform runs as one of the principals the table resource policies exempt
  (\`data.aws_iam_session_context\` of the caller: for an assumed role its \`issuer_arn\` is the role's ARN, with its
  path; IAM Identity Center roles need their \`aws-reserved/sso.amazonaws.com/…\` path in \`deployerRoles\`). A
  separate read-only role that only plans fails this check too: plan with a deployer role, or list the plan role in
  \`deployerRoles\` (it is then exempt as well).

The principal that plans needs \`ec2:DescribeRegions\`, \`sts:GetCallerIdentity\` and \`iam:GetRole\` on its own role
for these data sources, and, where a table autoscales, \`dynamodb:ListTables\` (the plan reads the table's live
capacity; help/capacity.md).

Two preconditions have no data source in hashicorp/aws 6.25, so Terraform cannot check them; check them by hand
before the first apply (the commands are read-only):
- AWS Backup's advanced DynamoDB features, needed for cross-Region copies and cold storage of DynamoDB recovery
  points (AWS Backup Developer Guide, "Advanced DynamoDB backup").
- A CloudTrail trail with logging on that records management events, where the governance rule depends on one and
  the stack creates none: EventBridge receives "AWS API Call via CloudTrail" events only then (Amazon EventBridge
  User Guide, "Events from AWS services").

\`npm run preflight [stack…]\` prints this list for your synthesized stacks (after \`npm run synth\`). How the
conditions are tested offline: help/verification.md.

The example stacks (embedded example settings):

${renderChecklist(stacks, 'markdown')}`;
}
