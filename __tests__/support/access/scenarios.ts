import { daxTableActions } from '../../../modules/dax/policies';
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { GuardrailError } from '../../../modules/validation';
import { parseWithSchema } from '../../../modules/validation/schema';
import type { Catalog } from '../../../stacks/catalogs/types';
import { ENVIRONMENT_NAMES, EnvironmentName } from '../../../stacks/settings/types';
import { OTHER_ACCOUNT, type AccessRequest } from './simulate';

/**
 * Access scenarios: requests with the decision the catalog's design promises. A catalog keeps its own in
 * `stacks/catalogs/<name>/access-scenarios.json` (the seeds' role matrices, what each role is documented to do);
 * every catalog also gets the generic ones below (network, transport, root, unlisted administrator, another account,
 * the deployer and the service principals its stack needs) without writing them.
 */
export interface AccessScenario extends AccessRequest {
  readonly id: string;
  readonly description: string;
  readonly expect: 'allow' | 'deny';
  /** @default every environment */
  readonly environments?: readonly EnvironmentName[];
  /** Where it came from, for messages: the file, or `generic`. */
  readonly source: string;
}

export const SCENARIO_FILE = 'access-scenarios.json';

const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;
const resource = z.union([
  z.strictObject({ table: z.string().min(1), region: z.string().optional(), part: z.enum(['table', 'index', 'stream', 'backup']).optional() }),
  z.strictObject({ key: z.string().min(1), region: z.string().optional() }),
  z.strictObject({ arn: z.string().regex(/^(arn:aws[a-z-]*:[a-z0-9-]+:|\$\{)/, 'must be an ARN (or a Terraform reference to one)') }),
]);
const scenario = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,80}$/, 'must be lowercase letters, digits and hyphens'),
  description: z.string().min(1),
  principal: z.string().min(1),
  action: z.string().regex(IAM_ACTION, "must be an IAM action such as 'dynamodb:GetItem'"),
  resource,
  network: z.enum(['vpc-endpoint', 'outside-vpc', 'aws-service']),
  tls: z.boolean().optional(),
  viaDynamoDb: z.boolean().optional(),
  context: z.record(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9:/-]+$/, 'must be a condition key such as aws:SourceVpce'), z.union([z.string(), z.array(z.string())])).optional(),
  expect: z.enum(['allow', 'deny']),
  environments: z.array(z.enum(ENVIRONMENT_NAMES)).optional(),
});
const scenarioFile = z.strictObject({ scenarios: z.array(scenario) });

/** The catalog's own scenarios, checked: ids unique, principals and tables that exist in the catalog. */
export function loadCatalogScenarios(catalog: Catalog, catalogDir: string, stackRoleNames: readonly string[]): AccessScenario[] {
  const file = path.join(catalogDir, SCENARIO_FILE);
  if (!fs.existsSync(file)) return [];
  const subject = `access scenarios ${path.relative(process.cwd(), file)}`;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new GuardrailError(subject, '(whole file)', '<unparsable>', `is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = parseWithSchema(scenarioFile, json, subject);
  const tables = catalog.tables.map((table) => table.id);
  const roles = [...new Set([...(catalog.roles ?? []).map((role) => role.id), ...stackRoleNames])];
  parsed.scenarios.forEach((item, i) => {
    const at = `scenarios['${item.id}']`;
    if (parsed.scenarios.findIndex((other) => other.id === item.id) !== i) throw new GuardrailError(subject, `${at}.id`, item.id, 'is the id of another scenario');
    if ('table' in item.resource && !tables.includes(item.resource.table)) throw new GuardrailError(subject, `${at}.resource.table`, item.resource.table, `is not a table of catalog '${catalog.name}' (${tables.join(', ')})`);
    if (!roles.includes(item.principal) && !GENERIC_PRINCIPAL.test(item.principal)) {
      throw new GuardrailError(subject, `${at}.principal`, item.principal, `is not a role of catalog '${catalog.name}' (${roles.join(', ')}) nor one of deployer, break-glass, root, unlisted-admin, other-account, service-linked:<service>`);
    }
  });
  return parsed.scenarios.map((item) => ({ ...item, source: subject }));
}

const STREAM_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];

const GENERIC_PRINCIPAL = /^(deployer|break-glass|root|unlisted-admin|other-account|service-linked:[a-z0-9.-]+|service:[a-z0-9.-]+\.amazonaws\.com)$/;

/** The scenarios every catalog gets: who must be kept out, from where, and who must get in for the stack to work. */
export function genericScenarios(catalog: Catalog): AccessScenario[] {
  const scenarios: AccessScenario[] = [];
  const add = (item: Omit<AccessScenario, 'source'>) => scenarios.push({ ...item, source: 'generic' });
  for (const table of catalog.tables) {
    const policy = catalog.resourcePolicies?.find((candidate) => candidate.table === table.id);
    for (const principal of ['root', 'unlisted-admin', 'other-account'] as const) {
      add({ id: `${table.id}-${principal}-denied`, description: `${principal} cannot read ${table.baseName}, even from the VPC`, principal, action: 'dynamodb:GetItem', resource: { table: table.id }, network: 'vpc-endpoint', expect: 'deny' });
    }
    if (policy && table.stream !== false) {
      add({ id: `${table.id}-stream-unlisted-admin-denied`, description: `an unlisted administrator cannot read the stream of ${table.baseName} (its own resource policy)`, principal: 'unlisted-admin', action: 'dynamodb:GetRecords', resource: { table: table.id, part: 'stream' }, network: 'outside-vpc', expect: 'deny' });
    }
    add({ id: `${table.id}-deployer-manages`, description: `the deployer manages ${table.baseName} from outside the VPC (Terraform)`, principal: 'deployer', action: 'dynamodb:UpdateTable', resource: { table: table.id }, network: 'outside-vpc', expect: 'allow' });
    add({ id: `${table.id}-config-describes`, description: `AWS Config's service-linked role can describe ${table.baseName} (Config rules, Security Hub)`, principal: 'service-linked:config', action: 'dynamodb:DescribeTable', resource: { table: table.id }, network: 'aws-service', expect: 'allow' });
    for (const role of catalog.roles ?? []) {
      const grant = role.grants.find((candidate) => candidate.table === table.id);
      const action = grant?.profile.actions.find((candidate) => candidate.startsWith('dynamodb:') && !candidate.endsWith('DescribeTable') && candidate !== 'dynamodb:ListStreams');
      if (!grant || !action || grant.leadingKeys) continue;
      // Stream reads address the stream, and come from the Lambda service polling it, not from the VPC.
      if (STREAM_ACTIONS.includes(action)) {
        add({ id: `${table.id}-${role.id}-reads-stream`, description: `${role.roleName} may ${action} on the stream of ${table.baseName}`, principal: role.id, action, resource: { table: table.id, part: 'stream' }, network: 'aws-service', expect: 'allow' });
        continue;
      }
      const network = role.vpcEndpointOnly || (policy?.requireVpcEndpoint ?? true) ? 'vpc-endpoint' : 'outside-vpc';
      const outsideAllowed = !role.vpcEndpointOnly && (policy?.outsideVpcRoles ?? []).includes(role.id);
      add({ id: `${table.id}-${role.id}-granted`, description: `${role.roleName} may ${action} on ${table.baseName} (its grant)`, principal: role.id, action, resource: { table: table.id }, network, expect: 'allow' });
      add({ id: `${table.id}-${role.id}-no-tls-denied`, description: `${role.roleName} is refused without TLS`, principal: role.id, action, resource: { table: table.id }, network, tls: false, expect: 'deny' });
      if (policy && (policy.requireVpcEndpoint ?? true) && !outsideAllowed) {
        add({ id: `${table.id}-${role.id}-outside-vpc-denied`, description: `${role.roleName} is refused from outside the VPC endpoint`, principal: role.id, action, resource: { table: table.id }, network: 'outside-vpc', expect: 'deny' });
      }
    }
  }
  return scenarios;
}

/** Scenarios that apply to one environment's stack. */
export function scenariosFor(environment: EnvironmentName, scenarios: readonly AccessScenario[]): AccessScenario[] {
  return scenarios.filter((item) => !item.environments || item.environments.includes(environment));
}

/**
 * What the services a stack configures must be able to do, derived from its resources: CloudTrail writing its bucket
 * and key, CloudWatch alarms publishing to the encrypted topic, EventBridge (or another service) invoking a Lambda it
 * was given permission for, DAX reading the tables it caches. Values are Terraform references, resolved to the same
 * stand-ins as the policies.
 */
export function serviceScenarios(resources: Record<string, Record<string, Record<string, unknown>>>, catalog: Catalog, environment: EnvironmentName): AccessScenario[] {
  const scenarios: AccessScenario[] = [];
  const add = (item: Omit<AccessScenario, 'source' | 'network'> & { network?: AccessScenario['network'] }) => scenarios.push({ network: 'aws-service', ...item, source: 'generic (from the stack)' });
  const ref = (type: string, name: string, attribute: string) => `\${${type}.${name}.${attribute}}`;
  for (const [name, trail] of Object.entries(resources.aws_cloudtrail ?? {})) {
    const trailArn = ref('aws_cloudtrail', name, 'arn');
    const bucket = referencedName(trail.s3_bucket_name, 'aws_s3_bucket', 'id');
    if (bucket) {
      add({ id: `${name}-writes-log-files`, description: 'CloudTrail writes log files into its bucket', principal: 'service:cloudtrail.amazonaws.com', action: 's3:PutObject', resource: { arn: `${ref('aws_s3_bucket', bucket, 'arn')}/AWSLogs/\${account}/CloudTrail/x.json.gz` }, context: { 'aws:SourceArn': trailArn, 's3:x-amz-acl': 'bucket-owner-full-control' }, expect: 'allow' });
      add({ id: `${name}-checks-bucket-acl`, description: 'CloudTrail checks its bucket ACL', principal: 'service:cloudtrail.amazonaws.com', action: 's3:GetBucketAcl', resource: { arn: ref('aws_s3_bucket', bucket, 'arn') }, context: { 'aws:SourceArn': trailArn }, expect: 'allow' });
      add({ id: `${name}-bucket-refuses-others`, description: 'the trail bucket refuses a principal of another account', principal: 'other-account', action: 's3:GetObject', resource: { arn: `${ref('aws_s3_bucket', bucket, 'arn')}/AWSLogs/x` }, network: 'outside-vpc', expect: 'deny' });
    }
    const key = referencedName(trail.kms_key_id, 'aws_kms_key', 'arn');
    // kms:GenerateDataKey is not simulated: its statement conditions on kms:EncryptionContext:aws:cloudtrail:arn, and
    // the engine (0.1.173) drops encryption-context keys whose name holds ':' as not applicable, so it cannot match
    // the condition AWS documents for trail keys (CloudTrail User Guide, "Configure AWS KMS key policies").
    if (key) add({ id: `${name}-describes-its-key`, description: 'CloudTrail describes the trail key', principal: 'service:cloudtrail.amazonaws.com', action: 'kms:DescribeKey', resource: { arn: ref('aws_kms_key', key, 'arn') }, context: { 'aws:SourceArn': trailArn }, expect: 'allow' });
  }
  for (const [name, topic] of Object.entries(resources.aws_sns_topic ?? {})) {
    // An alarm that notifies this topic: each Region's alarms notify that Region's topic.
    const topicRef = ref('aws_sns_topic', name, 'arn');
    const alarm = Object.entries(resources.aws_cloudwatch_metric_alarm ?? {}).find(([, config]) => JSON.stringify(config.alarm_actions ?? []).includes(topicRef))?.[0];
    if (!alarm) continue;
    const context = { 'aws:SourceAccount': '${account}', 'aws:SourceArn': ref('aws_cloudwatch_metric_alarm', alarm, 'arn') };
    add({ id: `${name}-cloudwatch-publishes`, description: 'CloudWatch alarms publish to the alarm topic', principal: 'service:cloudwatch.amazonaws.com', action: 'sns:Publish', resource: { arn: ref('aws_sns_topic', name, 'arn') }, context, expect: 'allow' });
    const key = referencedName(topic.kms_master_key_id, 'aws_kms_key', 'arn');
    if (key) add({ id: `${name}-cloudwatch-uses-topic-key`, description: 'CloudWatch can encrypt for the encrypted topic', principal: 'service:cloudwatch.amazonaws.com', action: 'kms:GenerateDataKey', resource: { arn: ref('aws_kms_key', key, 'arn') }, context, expect: 'allow' });
  }
  for (const [name, permission] of Object.entries(resources.aws_lambda_permission ?? {})) {
    const functionName = referencedName(permission.function_name, 'aws_lambda_function', 'function_name');
    if (!functionName) continue;
    add({ id: `${name}-invokes`, description: `${permission.principal} invokes the function it was given permission for`, principal: `service:${permission.principal}`, action: String(permission.action), resource: { arn: ref('aws_lambda_function', functionName, 'arn') }, context: { ...(permission.source_arn ? { 'aws:SourceArn': String(permission.source_arn) } : {}), 'aws:SourceAccount': '${account}' }, expect: 'allow' });
  }
  if (resources.aws_iam_role?.backup_role) {
    for (const table of catalog.tables) add({ id: `backup-role-backs-up-${table.id}`, description: `the AWS Backup role backs up ${table.baseName}`, principal: 'backup_role', action: 'dynamodb:CreateBackup', resource: { table: table.id }, expect: 'allow' });
    for (const [name, vault] of Object.entries(resources.aws_backup_vault ?? {})) {
      const key = referencedName(vault.kms_key_arn, 'aws_kms_key', 'arn');
      const region = typeof vault.region === 'string' ? vault.region : undefined;
      if (key) add({ id: `backup-role-uses-key-of-${name}`, description: `AWS Backup encrypts recovery points in ${name} with its key`, principal: 'backup_role', action: 'kms:GenerateDataKey', resource: { arn: ref('aws_kms_key', key, 'arn') }, context: { 'kms:ViaService': `backup.${region ?? '${region}'}.amazonaws.com`, 'kms:CallerAccount': '${account}' }, expect: 'allow' });
    }
  }
  // Every service role can be assumed by its service; Step Functions, which sends the source keys, only for a state
  // machine of this account (confused-deputy prevention, help/access-model.md "Trust policies").
  for (const [name, role] of Object.entries(resources.aws_iam_role ?? {})) {
    const trusted = JSON.parse(String(role.assume_role_policy)).Statement.flatMap((statement: any) => [statement.Principal?.Service ?? []].flat()) as string[];
    for (const service of trusted) {
      const stateMachine = (account: string) => ({ 'aws:SourceAccount': account, 'aws:SourceArn': `arn:aws:states:\${region}:${account}:stateMachine:orders-flow` });
      add({ id: `${name}-assumed-by-${service}`, description: `${service} assumes ${role.name}`, principal: `service:${service}`, action: 'sts:AssumeRole', resource: { arn: ref('aws_iam_role', name, 'arn') }, network: 'aws-service', context: service === 'states.amazonaws.com' ? stateMachine('${account}') : {}, expect: 'allow' });
      if (service === 'states.amazonaws.com') {
        add({ id: `${name}-not-assumed-for-other-account`, description: `Step Functions cannot assume ${role.name} for a state machine of another account`, principal: `service:${service}`, action: 'sts:AssumeRole', resource: { arn: ref('aws_iam_role', name, 'arn') }, network: 'aws-service', context: stateMachine(OTHER_ACCOUNT), expect: 'deny' });
      }
    }
  }
  // A role whose DynamoDB access works only through the VPC endpoint runs in the VPC: Lambda creates its interfaces.
  for (const role of catalog.roles ?? []) {
    if (!role.vpcEndpointOnly || role.trust.kind !== 'service' || !role.trust.principals.includes('lambda.amazonaws.com')) continue;
    add({ id: `${role.id}-creates-network-interfaces`, description: `${role.roleName} runs in the VPC: Lambda creates its network interfaces with it`, principal: role.id, action: 'ec2:CreateNetworkInterface', resource: { arn: 'arn:aws:ec2:${region}:${account}:network-interface/eni-0123456789abcdef0' }, expect: 'allow' });
  }
  if (resources.aws_dax_cluster && catalog.dax?.environments.includes(environment)) {
    for (const table of catalog.dax.tables) add({ id: `dax-reads-${table}`, description: `the DAX cluster role reads ${table}`, principal: 'dax_role', action: 'dynamodb:GetItem', resource: { table }, expect: 'allow' });
    // Through DAX the cluster role's permissions reach the items, so it may do no more than its clients.
    const clientActions = catalog.dax.clientActions;
    const beyondClients = clientActions ? daxTableActions('readWrite').filter((action) => action !== 'dynamodb:DescribeTable' && !clientActions.includes(action)) : [];
    for (const table of catalog.dax.tables) {
      for (const action of beyondClients) add({ id: `dax-role-no-${action.slice('dynamodb:'.length)}-${table}`, description: `no client of the cluster may ${action}, so neither may the DAX cluster role on ${table}`, principal: 'dax_role', action, resource: { table }, expect: 'deny' });
    }
  }
  return scenarios;
}

/** The resource name in a whole-value reference such as `${aws_kms_key.trail_key.arn}` to `type`.`attribute`. */
function referencedName(value: unknown, type: string, attribute: string): string | undefined {
  const match = /^\$\{([a-z0-9_]+)\.([\w-]+)\.([a-z_]+)\}$/.exec(String(value));
  return match && match[1] === type && match[3] === attribute ? match[2] : undefined;
}
