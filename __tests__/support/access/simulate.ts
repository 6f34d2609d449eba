import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { globMatch } from '../../../modules/compliance/terraform';
import type { NamedPolicy, PolicyDocument, StackModel } from './stack-model';

/**
 * One request to AWS, in the terms of a catalog: who (a role of the stack, or a principal AWS or an attacker uses),
 * what, on which table/key in which Region, from where. `evaluateRequest` turns it into the request context a real
 * call carries and lets @cloud-copilot/iam-simulate (AWS's evaluation logic, AWS's service authorization data)
 * decide, with every policy that applies: identity, resource, VPC endpoint, key.
 */
export type Network =
  /** From an application in the catalog's VPC, through its DynamoDB gateway endpoint (aws:SourceVpce, aws:SourceVpc). */
  | 'vpc-endpoint'
  /** From the internet or another network: no VPC keys in the context. */
  | 'outside-vpc'
  /**
   * From the AWS network under a role a service assumed (a Lambda polling a stream, Step Functions, AWS Backup,
   * replication): no VPC keys. `aws:ViaAWSService` only for calls a service forwards (`viaDynamoDb`).
   */
  | 'aws-service';

export type ResourceRef =
  | { readonly table: string; readonly region?: string; readonly part?: 'table' | 'index' | 'stream' | 'backup' }
  | { readonly key: string; readonly region?: string }
  | { readonly arn: string };

export interface AccessRequest {
  /**
   * A role of the stack by its Terraform name (`lambda_role`, `backup_role`), or one of: `deployer`, `break-glass`,
   * `root`, `unlisted-admin` (an administrator of the same account the policies do not list), `other-account` (an
   * administrator of another account), `service-linked:<service>` (`config`, `replication.dynamodb`,
   * `dynamodb.application-autoscaling`), `service:<principal>` (`service:cloudtrail.amazonaws.com`: the service itself).
   */
  readonly principal: string;
  readonly action: string;
  readonly resource: ResourceRef;
  readonly network: Network;
  /** @default true */
  readonly tls?: boolean;
  /** A KMS call DynamoDB makes for the principal (kms:ViaService dynamodb.<Region>.amazonaws.com). @default false */
  readonly viaDynamoDb?: boolean;
  /** Further request context, e.g. `{ "dynamodb:LeadingKeys": "SESSION#1" }`. */
  readonly context?: Readonly<Record<string, string | string[]>>;
}

export interface AccessDecision {
  readonly decision: 'allow' | 'deny';
  /** `Allowed`, `ExplicitlyDenied`, `ImplicitlyDenied` as the engine says. */
  readonly engineResult: string;
  /** The statements that decided: `aws_dynamodb_resource_policy.x#DenyAllNonVPCAccess (deny)`. */
  readonly deciding: readonly string[];
  /** The request as simulated, for messages. */
  readonly request: { readonly principal: string; readonly action: string; readonly resource: string; readonly context: Readonly<Record<string, string | string[]>> };
}

const ADMINISTRATOR: PolicyDocument = { Version: '2012-10-17', Statement: [{ Sid: 'AdministratorAccess', Effect: 'Allow', Action: '*', Resource: '*' }] };
/** An account no stack uses: the "principal of another account" of the denial scenarios. */
export const OTHER_ACCOUNT = '999999999999';
/** The address an outside caller comes from (TEST-NET-3, never routed). */
const OUTSIDE_IP = '203.0.113.10';

interface ResolvedPrincipal {
  readonly arn: string;
  readonly account: string;
  readonly policies: readonly NamedPolicy[];
}

export function resolvePrincipal(model: StackModel, principal: string, deployerArns: readonly string[], breakGlassArns: readonly string[], action: string): ResolvedPrincipal {
  const { partition, accountId } = model;
  const admin = (arn: string, account = accountId): ResolvedPrincipal => ({ arn, account, policies: [{ name: `${principal} (AdministratorAccess)`, policy: ADMINISTRATOR }] });
  const role = model.roles.get(principal);
  if (role) return { arn: role.arn, account: accountId, policies: role.policies };
  // An AWS service acting on its own (CloudTrail writing logs, CloudWatch publishing alarms): only resource policies count.
  const service = /^service:([a-z0-9.-]+\.amazonaws\.com)$/.exec(principal);
  if (service) return { arn: service[1], account: accountId, policies: [] };
  if (principal === 'deployer') return admin(deployerArns[0]);
  if (principal === 'break-glass') return admin(breakGlassArns[0]);
  if (principal === 'root') return admin(`arn:${partition}:iam::${accountId}:root`);
  if (principal === 'unlisted-admin') return admin(`arn:${partition}:iam::${accountId}:role/unlisted-administrator`);
  if (principal === 'other-account') return admin(`arn:${partition}:iam::${OTHER_ACCOUNT}:role/administrator`, OTHER_ACCOUNT);
  const serviceLinked = /^service-linked:(.+)$/.exec(principal);
  if (serviceLinked) {
    const { path, name } = SERVICE_LINKED_ROLES[serviceLinked[1]] ?? { path: `${serviceLinked[1]}.amazonaws.com`, name: 'AWSServiceRole' };
    // The service-linked role's own permissions are AWS's to define; the proof grants it the action and asks whether
    // our resource-side policies (table, key, endpoint) let it through.
    return { arn: `arn:${partition}:iam::${accountId}:role/aws-service-role/${path}/${name}`, account: accountId, policies: [{ name: `${principal} (its AWS-managed permissions)`, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] } }] };
  }
  throw new Error(`unknown principal '${principal}': not a role of stack ${model.stack} (${[...model.roles.keys()].join(', ')}) nor one of deployer, break-glass, root, unlisted-admin, other-account, service-linked:<service>`);
}

/** Service-linked roles by the short names scenarios use (IAM User Guide, "AWS services that work with IAM"). */
export const SERVICE_LINKED_ROLES: Readonly<Record<string, { path: string; name: string }>> = {
  config: { path: 'config.amazonaws.com', name: 'AWSServiceRoleForConfig' },
  'replication.dynamodb': { path: 'replication.dynamodb.amazonaws.com', name: 'AWSServiceRoleForDynamoDBReplication' },
  'dynamodb.application-autoscaling': { path: 'dynamodb.application-autoscaling.amazonaws.com', name: 'AWSServiceRoleForApplicationAutoScaling_DynamoDBTable' },
};

function resolveResource(model: StackModel, ref: ResourceRef): { arn: string; region: string; policy?: NamedPolicy } {
  if ('arn' in ref) {
    const arn = model.standIns.resolve(ref.arn).replace(/\$\{account\}/g, model.accountId).replace(/\$\{region\}/g, model.region);
    const governing = model.servicePolicies.find((candidate) => candidate.resources.some((glob) => globMatch(glob, arn)));
    const key = model.keys.find((candidate) => candidate.arn === arn);
    // A role's trust policy is the resource policy of sts:AssumeRole on it.
    const role = [...model.roles.values()].find((candidate) => candidate.arn === arn);
    const trust = role ? { name: `${role.address} (trust)`, policy: role.trust } : undefined;
    return { arn, region: arn.split(':')[3] || model.region, policy: governing?.policy ?? key?.policy ?? trust };
  }
  if ('table' in ref) {
    const table = model.tables.get(ref.table);
    if (!table) throw new Error(`unknown table '${ref.table}': stack ${model.stack} has ${[...model.tables.keys()].join(', ')}`);
    const region = ref.region ?? table.regions[0];
    if (!table.regions.includes(region)) throw new Error(`table '${ref.table}' has no replica in ${region} (Regions: ${table.regions.join(', ')})`);
    const base = table.arnIn(region);
    const arn = { table: base, index: `${base}/index/any-index`, stream: `${base}/stream/2026-01-01T00:00:00.000`, backup: `${base}/backup/01767225600000-a1b2c3d4` }[ref.part ?? 'table'];
    const policy = ref.part === 'stream' ? (region === table.regions[0] ? table.streamPolicy : undefined) : table.resourcePolicies.get(region);
    return { arn, region, policy };
  }
  const region = ref.region ?? model.region;
  const key = model.keys.find((candidate) => candidate.region === region && (candidate.address === `aws_kms_key.${ref.key}` || candidate.address.startsWith(`aws_kms_replica_key.${ref.key}_replica_`)));
  if (!key) throw new Error(`unknown key '${ref.key}' in ${region}: stack ${model.stack} has ${model.keys.map((k) => `${k.address} (${k.region})`).join(', ')}`);
  return { arn: key.arn, region, policy: key.policy };
}

export async function evaluateRequest(model: StackModel, request: AccessRequest, principals: { deployers: readonly string[]; breakGlass: readonly string[] }): Promise<AccessDecision> {
  const principal = resolvePrincipal(model, request.principal, principals.deployers, principals.breakGlass, request.action);
  const resource = resolveResource(model, request.resource);
  // Only DynamoDB calls of the caller itself pass the DynamoDB gateway endpoint: a KMS call DynamoDB makes for it, an
  // S3 write of an export or a DAX request carries none of the endpoint's keys.
  const throughEndpoint = request.network === 'vpc-endpoint' && request.action.startsWith('dynamodb:') && !request.viaDynamoDb;
  const endpoint = throughEndpoint ? model.endpoints.find((candidate) => candidate.region === resource.region) : undefined;
  const isService = request.principal.startsWith('service:');
  const context: Record<string, string | string[]> = {
    'aws:SecureTransport': String(request.tls ?? true),
    ...(isService ? { 'aws:PrincipalServiceName': principal.arn } : { 'aws:PrincipalArn': principal.arn, 'aws:PrincipalAccount': principal.account }),
    'aws:RequestedRegion': resource.region,
    ...(throughEndpoint
      ? // An application VPC of another Region (no endpoint of this stack there) still sends its own endpoint's keys.
        { 'aws:SourceVpce': endpoint?.id ?? 'vpce-0aaaaaaaaaaaaaaaa', 'aws:SourceVpc': endpoint?.vpcId ?? 'vpc-0aaaaaaaaaaaaaaaa' }
      : {}),
    ...(request.network === 'outside-vpc' ? { 'aws:SourceIp': OUTSIDE_IP } : {}),
    ...(request.viaDynamoDb ? { 'kms:ViaService': `dynamodb.${resource.region}.amazonaws.com`, 'kms:CallerAccount': principal.account, 'aws:ViaAWSService': 'true' } : {}),
    ...withAccount(model.standIns.resolve(request.context ?? {}), model.accountId, model.region),
  };
  const simulation: Simulation = {
    request: { principal: principal.arn, action: request.action, resource: { resource: resource.arn, accountId: model.accountId }, contextVariables: context },
    identityPolicies: principal.policies.map((policy) => ({ name: policy.name, policy: policy.policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: resource.policy?.policy,
    vpcEndpointPolicies: endpoint ? [{ name: endpoint.policy.name, policy: endpoint.policy.policy }] : undefined,
  };
  const result = await runSimulation(simulation, {});
  const shown = { principal: principal.arn, action: request.action, resource: resource.arn, context };
  if (result.resultType === 'error') throw new Error(`the engine refused the request ${JSON.stringify(shown)}: ${JSON.stringify(result.errors)}`);
  if (result.resultType !== 'single') throw new Error(`expected one resource, got a ${result.resultType} result for ${resource.arn}`);
  const analysis = result.result.analysis;
  type Analysed = { readonly denyStatements: readonly unknown[]; readonly allowStatements: readonly unknown[] };
  const parts: Array<[string | undefined, Analysed | undefined]> = [
    [undefined, analysis.identityAnalysis],
    [resource.policy?.name, analysis.resourceAnalysis],
    [endpoint?.policy.name, analysis.endpointAnalysis],
  ];
  const deciding = parts.flatMap(([name, part]) => {
    if (!part) return [];
    const describe = (effect: string) => (statement: unknown) => `${name ?? policyIdOf(statement)}#${sidOf(statement)} (${effect})`;
    return [...part.denyStatements.map(describe('deny')), ...(result.overallResult === 'Allowed' ? part.allowStatements.map(describe('allow')) : [])];
  });
  return { decision: result.overallResult === 'Allowed' ? 'allow' : 'deny', engineResult: result.overallResult, deciding, request: shown };
}

/** The engine's statement analyses carry the policy id and the statement (whose Sid its explain names). */
function sidOf(analysed: unknown): string {
  const { explain } = analysed as { explain?: { identifier?: string } };
  return explain?.identifier ?? '(no Sid)';
}

function policyIdOf(analysed: unknown): string {
  return (analysed as { policyId?: string }).policyId ?? 'policy';
}

/** `${account}` and `${region}` in a scenario stand for the stack's account and Region. */
function withAccount(context: Record<string, string | string[]>, accountId: string, region: string): Record<string, string | string[]> {
  const fill = (value: string) => value.replace(/\$\{account\}/g, accountId).replace(/\$\{region\}/g, region);
  return Object.fromEntries(Object.entries(context).map(([key, value]) => [key, Array.isArray(value) ? value.map(fill) : fill(value)]));
}
