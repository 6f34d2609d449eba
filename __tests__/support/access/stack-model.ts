import { partitionForRegion } from '../../../modules/access/arns';
import { AWS_MANAGED_POLICIES } from './managed-policies';
import { StandIns, StackLocation, TerraformResources } from './stand-ins';

/**
 * What a synthesized stack says about access, as an IAM engine needs it: the roles with every policy that applies to
 * them, the tables (and replicas) with their resource policies, the VPC endpoint policies and the key policies. Built
 * from the Terraform JSON alone, with references replaced by stand-ins (stand-ins.ts).
 */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: ReadonlyArray<Record<string, unknown>>;
}

export interface NamedPolicy {
  /** `aws_iam_role_policy.msg_role_policy`, `arn:aws:iam::aws:policy/…` */
  readonly name: string;
  readonly policy: PolicyDocument;
}

export interface RoleModel {
  readonly address: string;
  readonly name: string;
  readonly arn: string;
  readonly trust: PolicyDocument;
  readonly policies: readonly NamedPolicy[];
  /** Managed policies attached by ARN that the proof has no document for (reported, never guessed). */
  readonly unknownManagedPolicies: readonly string[];
}

export interface TableModel {
  readonly address: string;
  readonly name: string;
  /** Home Region first, then the replica Regions. */
  readonly regions: readonly string[];
  arnIn(region: string): string;
  /** The resource policy of the table (or its replica) in a Region. */
  readonly resourcePolicies: ReadonlyMap<string, NamedPolicy>;
  /** The resource policy of the table's stream (home Region). */
  readonly streamPolicy?: NamedPolicy;
}

export interface EndpointModel {
  readonly address: string;
  readonly id: string;
  readonly vpcId: string;
  readonly region: string;
  readonly policy: NamedPolicy;
}

export interface KeyModel {
  readonly address: string;
  readonly arn: string;
  readonly region: string;
  readonly policy: NamedPolicy;
}

/** A resource policy of another service (bucket, topic, queue, Lambda permission) and the ARNs it governs (globs). */
export interface ServiceResourcePolicy {
  readonly address: string;
  readonly resources: readonly string[];
  readonly policy: NamedPolicy;
}

export interface StackModel extends StackLocation {
  readonly stack: string;
  readonly roles: ReadonlyMap<string, RoleModel>;
  readonly tables: ReadonlyMap<string, TableModel>;
  readonly endpoints: readonly EndpointModel[];
  readonly keys: readonly KeyModel[];
  readonly servicePolicies: readonly ServiceResourcePolicy[];
  readonly standIns: StandIns;
}

export interface TerraformJson {
  readonly resource?: TerraformResources;
  readonly provider?: { readonly aws?: ReadonlyArray<{ region?: string; allowed_account_ids?: string[] }> };
}

/** Account and Region from the stack's AWS provider (`allowed_account_ids`, `region`). */
export function stackLocationOf(json: TerraformJson): StackLocation {
  const provider = json.provider?.aws?.[0] ?? {};
  const region = provider.region ?? 'us-east-1';
  return { partition: partitionForRegion(region), accountId: provider.allowed_account_ids?.[0] ?? '000000000000', region };
}

export function loadStackModel(stack: string, json: TerraformJson): StackModel {
  const resources = json.resource ?? {};
  const location = stackLocationOf(json);
  const standIns = new StandIns(resources, location);
  const ref = (type: string, name: string, attribute: string) => standIns.resolve(`\${${type}.${name}.${attribute}}`);
  const of = (type: string) => Object.entries(resources[type] ?? {});
  const parse = (text: unknown, address: string): PolicyDocument => {
    try {
      return JSON.parse(standIns.resolve(String(text))) as PolicyDocument;
    } catch (error) {
      throw new Error(`${stack}: ${address}: policy is not JSON: ${(error as Error).message}`);
    }
  };

  const roles = new Map<string, RoleModel>();
  for (const [name, role] of of('aws_iam_role')) {
    const roleName = ref('aws_iam_role', name, 'name');
    const belongs = (value: unknown) => [roleName, ref('aws_iam_role', name, 'id')].includes(standIns.resolve(String(value)));
    const inline = of('aws_iam_role_policy')
      .filter(([, policy]) => belongs(policy.role))
      .map(([policyName, policy]) => ({ name: `aws_iam_role_policy.${policyName}`, policy: parse(policy.policy, `aws_iam_role_policy.${policyName}`) }));
    const attached = of('aws_iam_role_policy_attachment')
      .filter(([, attachment]) => belongs(attachment.role))
      .map(([, attachment]) => standIns.resolve(String(attachment.policy_arn)));
    // Customer-managed policies of the stack (aws_iam_policy), by the ARN their stand-in gets.
    const customer = new Map(of('aws_iam_policy').map(([policyName, policy]) => [ref('aws_iam_policy', policyName, 'arn'), { name: `aws_iam_policy.${policyName}`, policy: parse(policy.policy, `aws_iam_policy.${policyName}`) }]));
    const managed = attached.flatMap((arn) => {
      const document = AWS_MANAGED_POLICIES[arn.replace(/^arn:aws[a-z-]*:iam::aws:policy\//, '')];
      return document ? [{ name: arn, policy: document }] : customer.has(arn) ? [customer.get(arn)!] : [];
    });
    roles.set(name, {
      address: `aws_iam_role.${name}`,
      name: roleName,
      arn: ref('aws_iam_role', name, 'arn'),
      trust: parse(role.assume_role_policy, `aws_iam_role.${name}`),
      policies: [...inline, ...managed],
      unknownManagedPolicies: attached.filter((arn) => !AWS_MANAGED_POLICIES[arn.replace(/^arn:aws[a-z-]*:iam::aws:policy\//, '')] && !customer.has(arn)),
    });
  }

  const tables = new Map<string, TableModel>();
  for (const [name, table] of of('aws_dynamodb_table')) {
    const tableName = standIns.resolve(String(table.name));
    const home = standIns.regionOf('aws_dynamodb_table', name);
    const replicaRegions = ((table.replica as Array<{ region_name: string }> | undefined) ?? []).map((replica) => replica.region_name);
    const arnIn = (r: string) => `arn:${location.partition}:dynamodb:${r}:${location.accountId}:table/${tableName}`;
    const resourcePolicies = new Map<string, NamedPolicy>();
    for (const [policyName, policy] of of('aws_dynamodb_resource_policy')) {
      const target = standIns.resolve(String(policy.resource_arn));
      const policyRegion = [home, ...replicaRegions].find((r) => target === arnIn(r));
      if (policyRegion) resourcePolicies.set(policyRegion, { name: `aws_dynamodb_resource_policy.${policyName}`, policy: parse(policy.policy, `aws_dynamodb_resource_policy.${policyName}`) });
    }
    const streamArn = ref('aws_dynamodb_table', name, 'stream_arn');
    const stream = of('aws_dynamodb_resource_policy').find(([, policy]) => standIns.resolve(String(policy.resource_arn)) === streamArn);
    const streamPolicy = stream ? { name: `aws_dynamodb_resource_policy.${stream[0]}`, policy: parse(stream[1].policy, `aws_dynamodb_resource_policy.${stream[0]}`) } : undefined;
    tables.set(name, { address: `aws_dynamodb_table.${name}`, name: tableName, regions: [home, ...replicaRegions], arnIn, resourcePolicies, streamPolicy });
  }

  const endpoints = of('aws_vpc_endpoint')
    .filter(([, endpoint]) => String(endpoint.service_name).endsWith('.dynamodb') && endpoint.policy !== undefined)
    .map(([name, endpoint]) => ({
      address: `aws_vpc_endpoint.${name}`,
      id: ref('aws_vpc_endpoint', name, 'id'),
      vpcId: standIns.resolve(String(endpoint.vpc_id)),
      region: standIns.regionOf('aws_vpc_endpoint', name),
      policy: { name: `aws_vpc_endpoint.${name}`, policy: parse(endpoint.policy, `aws_vpc_endpoint.${name}`) },
    }));

  const keys: KeyModel[] = [
    ...of('aws_kms_key').map(([name, key]) => ({ type: 'aws_kms_key', name, key })),
    ...of('aws_kms_replica_key').map(([name, key]) => ({ type: 'aws_kms_replica_key', name, key })),
  ].map(({ type, name, key }) => ({
    address: `${type}.${name}`,
    arn: ref(type, name, 'arn'),
    region: standIns.regionOf(type, name),
    policy: { name: `${type}.${name}`, policy: parse(key.policy, `${type}.${name}`) },
  }));

  const named = (address: string, resources: string[], policy: PolicyDocument): ServiceResourcePolicy => ({ address, resources, policy: { name: address, policy } });
  const servicePolicies: ServiceResourcePolicy[] = [
    ...of('aws_s3_bucket_policy').map(([name, policy]) => {
      const bucket = standIns.resolve(String(policy.bucket));
      return named(`aws_s3_bucket_policy.${name}`, [`arn:${location.partition}:s3:::${bucket}`, `arn:${location.partition}:s3:::${bucket}/*`], parse(policy.policy, `aws_s3_bucket_policy.${name}`));
    }),
    ...of('aws_sns_topic_policy').map(([name, policy]) => named(`aws_sns_topic_policy.${name}`, [standIns.resolve(String(policy.arn))], parse(policy.policy, `aws_sns_topic_policy.${name}`))),
    // Each Lambda permission is a statement of the function's one resource policy.
    ...lambdaResourcePolicies(of('aws_lambda_permission'), standIns, location).map(({ names, functionArn, statements }) =>
      named(names.map((name) => `aws_lambda_permission.${name}`).join(' + '), [functionArn], { Version: '2012-10-17', Statement: statements }),
    ),
  ];

  return { stack, ...location, roles, tables, endpoints, keys, servicePolicies, standIns };
}

/** The Lambda permissions of a stack grouped by function: one resource policy per function, one statement each. */
function lambdaResourcePolicies(permissions: Array<[string, Record<string, unknown>]>, standIns: StandIns, location: { partition: string; region: string; accountId: string }) {
  const byFunction = new Map<string, { names: string[]; functionArn: string; statements: Record<string, unknown>[] }>();
  for (const [name, permission] of permissions) {
    const functionName = standIns.resolve(String(permission.function_name));
    const functionArn = `arn:${location.partition}:lambda:${location.region}:${location.accountId}:function:${functionName}`;
    const condition = {
      ...(permission.source_arn ? { ArnLike: { 'aws:SourceArn': standIns.resolve(String(permission.source_arn)) } } : {}),
      ...(permission.source_account ? { StringEquals: { 'aws:SourceAccount': String(permission.source_account) } } : {}),
    };
    const statement = { Sid: String(permission.statement_id ?? name), Effect: 'Allow', Principal: { Service: String(permission.principal) }, Action: String(permission.action), Resource: functionArn, ...(Object.keys(condition).length ? { Condition: condition } : {}) };
    const entry = byFunction.get(functionArn) ?? { names: [], functionArn, statements: [] };
    entry.names.push(name);
    entry.statements.push(statement);
    byFunction.set(functionArn, entry);
  }
  return [...byFunction.values()];
}
