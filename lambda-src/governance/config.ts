/**
 * Configuration of the governance Lambda, read once at cold start from environment variables and validated
 * completely: every problem is reported at once, as data (`{ variable, problem }`), so the cold-start log line says
 * exactly which variable to fix. Dependency-free (no cdktf): modules/governance imports the variable names from here,
 * so the construct and the handler can never disagree on them.
 */
import { projectTablePrefix, projectTableResourcePolicy } from '../../modules/access/project-template';
import { partitionForRegion } from '../../modules/access/arns';

/** Environment variable names, shared with modules/governance. */
export const ENV = {
  accountId: 'GOVERNANCE_ACCOUNT_ID',
  projectUuid: 'GOVERNANCE_PROJECT_UUID',
  vpcEndpointId: 'GOVERNANCE_VPC_ENDPOINT_ID',
  vpcId: 'GOVERNANCE_VPC_ID',
  kmsKeyArn: 'GOVERNANCE_KMS_KEY_ARN',
  requiredTags: 'GOVERNANCE_REQUIRED_TAGS',
  quarantineAction: 'GOVERNANCE_QUARANTINE_ACTION',
  snsTopicArn: 'GOVERNANCE_SNS_TOPIC_ARN',
  exemptPrincipalArns: 'GOVERNANCE_EXEMPT_PRINCIPAL_ARNS',
  terraformPrincipalArns: 'GOVERNANCE_TERRAFORM_PRINCIPAL_ARNS',
  terraformTableNames: 'GOVERNANCE_TERRAFORM_TABLE_NAMES',
  maxWaitSeconds: 'GOVERNANCE_MAX_WAIT_SECONDS',
  metricsNamespace: 'GOVERNANCE_METRICS_NAMESPACE',
  /** Set by the Lambda runtime. */
  region: 'AWS_REGION',
} as const;

/** What happens to a table whose name has the project prefix but breaks the `project-<uuid>-<suffix>` convention. */
export const QUARANTINE_ACTIONS = ['quarantine', 'report-only'] as const;
export type QuarantineAction = (typeof QUARANTINE_ACTIONS)[number];

/** Tags every project table must carry (seed 000 §6.1.1). */
export const REQUIRED_TAG_KEYS = ['Project', 'Owner', 'Environment', 'CostCenter'] as const;

export const DEFAULT_MAX_WAIT_SECONDS = 120;
export const MIN_MAX_WAIT_SECONDS = 10;
/** Lambda's 900 s limit minus a minute for the enforcement calls after the wait. */
export const MAX_MAX_WAIT_SECONDS = 840;
export const DEFAULT_METRICS_NAMESPACE = 'DynamoDBGuardrails/Governance';

export interface GovernanceConfig {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly projectUuid: string;
  /** `project-<uuid>-` */
  readonly tablePrefix: string;
  readonly vpcEndpointId: string;
  readonly vpcId: string;
  /** The project's customer-managed key; tables on AWS-owned or AWS-managed keys are switched to it. */
  readonly kmsKeyArn: string;
  readonly requiredTags: Readonly<Record<string, string>>;
  readonly quarantineAction: QuarantineAction;
  readonly snsTopicArn: string;
  /** Exempt from the VPC-only and quarantine denies; must include the governance Lambda's own role. */
  readonly exemptPrincipalArns: readonly string[];
  /**
   * Principals whose CreateTable calls are Terraform's (the deployer roles): their tables are left to Terraform, which
   * already applies the guardrails and would otherwise fight the function over the resource policy.
   */
  readonly terraformPrincipalArns: readonly string[];
  /**
   * Tables Terraform manages (the catalog's own): their guardrails and resource policies are Terraform's, so the
   * function never changes them, whoever changed them (a template policy would replace Terraform's stricter one).
   */
  readonly terraformTableNames: readonly string[];
  readonly maxWaitSeconds: number;
  readonly metricsNamespace: string;
}

export interface ConfigProblem {
  readonly variable: string;
  readonly problem: string;
}

export type ConfigResult = { readonly ok: true; readonly config: GovernanceConfig } | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d{1,2}$/;
const PROJECT_UUID = /^[a-z0-9]{1,40}$/;
const VPC_ENDPOINT_ID = /^vpce-([0-9a-f]{8}|[0-9a-f]{17})$/;
const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:key\/(mrk-)?[0-9a-f-]{32,36}$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}$/;
/** Role or user ARNs (with optional path) as `aws:PrincipalArn` reports them; no wildcards. */
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;
const MAX_TAG_KEY_LENGTH = 128;
const MAX_TAG_VALUE_LENGTH = 256;

/** Reads and validates the whole configuration; never throws. */
export function loadGovernanceConfig(env: Readonly<Record<string, string | undefined>>): ConfigResult {
  const problems: ConfigProblem[] = [];
  const required = (variable: string, pattern: RegExp, problem: string): string => {
    const value = env[variable];
    if (value === undefined || value === '') {
      problems.push({ variable, problem: 'is not set' });
      return '';
    }
    if (!pattern.test(value)) problems.push({ variable, problem });
    return value;
  };

  const accountId = required(ENV.accountId, ACCOUNT_ID, 'must be a 12-digit AWS account id');
  const region = required(ENV.region, REGION, "must be an AWS region such as 'us-east-1'");
  const projectUuid = required(ENV.projectUuid, PROJECT_UUID, 'must be 1 to 40 lowercase letters or digits (no hyphens)');
  const vpcEndpointId = required(ENV.vpcEndpointId, VPC_ENDPOINT_ID, "must be a VPC endpoint id ('vpce-' and 8 or 17 hex digits)");
  const vpcId = required(ENV.vpcId, VPC_ID, "must be a VPC id ('vpc-' and 8 or 17 hex digits)");
  const kmsKeyArn = required(ENV.kmsKeyArn, KMS_KEY_ARN, 'must be a customer-managed KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias');
  const snsTopicArn = required(ENV.snsTopicArn, SNS_TOPIC_ARN, 'must be an SNS topic ARN (standard topic)');
  const keyRegion = KMS_KEY_ARN.exec(kmsKeyArn)?.[1];
  if (keyRegion !== undefined && REGION.test(region) && keyRegion !== region) {
    problems.push({ variable: ENV.kmsKeyArn, problem: `the key is in '${keyRegion}' but the function runs in '${region}'; DynamoDB needs a key in the table's region` });
  }

  const quarantineAction = env[ENV.quarantineAction] ?? '';
  if (!(QUARANTINE_ACTIONS as readonly string[]).includes(quarantineAction)) {
    problems.push({ variable: ENV.quarantineAction, problem: `must be one of ${QUARANTINE_ACTIONS.map((a) => `'${a}'`).join(', ')}` });
  }
  const requiredTags = parseRequiredTags(env[ENV.requiredTags], problems);
  const exemptPrincipalArns = parsePrincipals(ENV.exemptPrincipalArns, env[ENV.exemptPrincipalArns], accountId, problems, true);
  const terraformPrincipalArns = env[ENV.terraformPrincipalArns] ? parsePrincipals(ENV.terraformPrincipalArns, env[ENV.terraformPrincipalArns], accountId, problems, false) : [];
  const terraformTableNames = parseTableNames(env[ENV.terraformTableNames], problems);
  const maxWaitSeconds = parseMaxWait(env[ENV.maxWaitSeconds], problems);
  const metricsNamespace = env[ENV.metricsNamespace] || DEFAULT_METRICS_NAMESPACE;
  if (!/^[A-Za-z0-9._#:/-]{1,255}$/.test(metricsNamespace) || metricsNamespace.startsWith('AWS/')) {
    problems.push({ variable: ENV.metricsNamespace, problem: "must be 1 to 255 characters of letters, digits and . _ # : / -, and must not start with 'AWS/'" });
  }

  const partition = partitionForRegion(region);
  if (problems.length === 0) {
    try {
      // The policy the handler will attach; building it once here surfaces its own checks at cold start.
      projectTableResourcePolicy({ accountId, projectUuid, vpcEndpointId, vpcId, exemptPrincipalArns, partition });
    } catch (error) {
      problems.push({ variable: ENV.exemptPrincipalArns, problem: (error as Error).message });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      accountId,
      region,
      partition,
      projectUuid,
      tablePrefix: projectTablePrefix(projectUuid),
      vpcEndpointId,
      vpcId,
      kmsKeyArn,
      requiredTags,
      quarantineAction: quarantineAction as QuarantineAction,
      snsTopicArn,
      exemptPrincipalArns,
      terraformPrincipalArns,
      terraformTableNames,
      maxWaitSeconds,
      metricsNamespace,
    },
  };
}

function parseJson(variable: string, raw: string | undefined, problems: ConfigProblem[]): unknown {
  if (raw === undefined || raw === '') {
    problems.push({ variable, problem: 'is not set' });
    return undefined;
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    problems.push({ variable, problem: 'is not valid JSON' });
    return undefined;
  }
}

function parseRequiredTags(raw: string | undefined, problems: ConfigProblem[]): Record<string, string> {
  const variable = ENV.requiredTags;
  const parsed = parseJson(variable, raw, problems);
  if (parsed === undefined) return {};
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push({ variable, problem: 'must be a JSON object of tag keys to values, e.g. {"Project":"project-<uuid>","Owner":"ml-team","Environment":"prod","CostCenter":"ml-platform"}' });
    return {};
  }
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') {
      problems.push({ variable, problem: `tag '${key}' must have a string value` });
      continue;
    }
    if (key.length === 0 || key.length > MAX_TAG_KEY_LENGTH || key.toLowerCase().startsWith('aws:')) {
      problems.push({ variable, problem: `tag key '${key}' must be 1 to ${MAX_TAG_KEY_LENGTH} characters and must not start with 'aws:'` });
      continue;
    }
    if (value.length > MAX_TAG_VALUE_LENGTH) {
      problems.push({ variable, problem: `tag '${key}' has a value longer than ${MAX_TAG_VALUE_LENGTH} characters` });
      continue;
    }
    tags[key] = value;
  }
  for (const key of REQUIRED_TAG_KEYS) {
    // A key present with a bad value was reported above.
    if (!tags[key] && (!(key in parsed) || (parsed as Record<string, unknown>)[key] === '')) problems.push({ variable, problem: `must set a non-empty '${key}' tag (required: ${REQUIRED_TAG_KEYS.join(', ')})` });
  }
  return tags;
}

function parseTableNames(raw: string | undefined, problems: ConfigProblem[]): string[] {
  if (!raw) return [];
  const parsed = parseJson(ENV.terraformTableNames, raw, problems);
  if (parsed === undefined) return [];
  if (!Array.isArray(parsed) || parsed.some((name) => typeof name !== 'string' || !/^[A-Za-z0-9_.-]{3,255}$/.test(name))) {
    problems.push({ variable: ENV.terraformTableNames, problem: 'must be a JSON array of DynamoDB table names' });
    return [];
  }
  return parsed as string[];
}

function parsePrincipals(variable: string, raw: string | undefined, accountId: string, problems: ConfigProblem[], required: boolean): string[] {
  const parsed = parseJson(variable, raw, problems);
  if (parsed === undefined) return [];
  if (!Array.isArray(parsed) || (required && parsed.length === 0)) {
    problems.push({
      variable,
      problem: required
        ? "must be a non-empty JSON array of IAM role/user ARNs, including the governance function's own role (the table policy denies everyone else outside the VPC)"
        : 'must be a JSON array of IAM role/user ARNs',
    });
    return [];
  }
  const arns: string[] = [];
  parsed.forEach((value: unknown, i) => {
    if (typeof value !== 'string' || !PRINCIPAL_ARN.test(value)) {
      problems.push({ variable, problem: `entry ${i} must be an IAM role or user ARN without wildcards` });
      return;
    }
    if (ACCOUNT_ID.test(accountId) && value.split(':')[4] !== accountId) {
      problems.push({ variable, problem: `entry ${i} belongs to account ${value.split(':')[4]}, not ${accountId}` });
      return;
    }
    if (!arns.includes(value)) arns.push(value);
  });
  return arns;
}

function parseMaxWait(raw: string | undefined, problems: ConfigProblem[]): number {
  if (raw === undefined || raw === '') return DEFAULT_MAX_WAIT_SECONDS;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < MIN_MAX_WAIT_SECONDS || value > MAX_MAX_WAIT_SECONDS) {
    problems.push({ variable: ENV.maxWaitSeconds, problem: `must be a whole number of seconds from ${MIN_MAX_WAIT_SECONDS} to ${MAX_MAX_WAIT_SECONDS}` });
    return DEFAULT_MAX_WAIT_SECONDS;
  }
  return value;
}
