import {
  DANGEROUS_ACTIONS,
  LEADING_KEY_ACTIONS,
  includesAction,
  isDynamoDbAction,
  kmsActionsFor,
  resourceKindOf,
  withoutActions,
} from './actions';
import { backupArnsOf, indexArnsOf, streamArnsOf } from './arns';
import { AccessProfile } from './profile';
import { PolicyCondition, PolicyDocument, PolicyStatement, oneOrMany, policyDocument, unique } from './policy-document';

/** The table (or table-name prefix) a grant is about. */
export interface TableTarget {
  /** Table ARN, or `…:table/<prefix>*` for every table whose name starts with the prefix. */
  readonly tableArn: string;
  /** Whether the table has secondary indexes; leave unset when unknown (name-prefix targets). */
  readonly hasIndexes?: boolean;
  /** The table's customer-managed KMS key. @default no KMS statement */
  readonly keyArn?: string;
  /**
   * Regions of the global table's replicas: the role gets the same access to each replica (after a failover the
   * application uses the replica in its own Region). @default [] (single-Region)
   */
  readonly replicaRegions?: readonly string[];
}

/** One table and what the role may do to it. */
export interface TableGrant {
  readonly target: TableTarget;
  readonly profile: AccessProfile;
  /**
   * Adds `<table>/index/*` to the table statement.
   * @default true when the table has (or may have) indexes and the profile has Query or Scan
   */
  readonly indexes?: boolean;
  /**
   * `dynamodb:LeadingKeys` patterns such as `SESSION#*` (seed 001): item actions only reach items whose partition key
   * matches. Actions without item keys (DescribeTable, …) go to a separate statement.
   * @default no item-level restriction
   */
  readonly leadingKeys?: readonly string[];
  /** Statement id of the grant's first statement. @default `DynamoDB<profile name>` */
  readonly sid?: string;
}

export interface RoleAccessPolicyInput {
  /** Region of the tables; KMS use is allowed only via `dynamodb.<region>.amazonaws.com`. */
  readonly region: string;
  readonly grants: readonly TableGrant[];
  /** Adds `aws:SourceVpce` to every table, index, backup and account-level statement. @default no network condition */
  readonly sourceVpceIds?: readonly string[];
  /** Adds `aws:SourceVpc` the same way (seed 000 uses both). @default no condition */
  readonly sourceVpcIds?: readonly string[];
  /** With sourceVpceIds: an explicit `DenyNonVPCAccess` for the granted actions (seed 000). @default true */
  readonly denyOutsideVpcEndpoint?: boolean;
  /** Actions of the `DenyDangerous` statement; `false` for none. @default DANGEROUS_ACTIONS not granted to the role */
  readonly denyActions?: readonly string[] | false;
  /** Permissions for other services (Bedrock, X-Ray, …), appended as given. @default [] */
  readonly additionalStatements?: readonly PolicyStatement[];
}

const INDEX_READ_ACTIONS = ['dynamodb:Query', 'dynamodb:Scan'];

type Part = 'table' | 'tableWithoutKeys' | 'backup' | 'stream' | 'listStreams' | 'account';
const SID_SUFFIX: Record<Part, string> = {
  table: '',
  tableWithoutKeys: 'TableLevel',
  backup: 'Backups',
  stream: 'Stream',
  listStreams: 'ListStreams',
  account: 'AccountLevel',
};

/**
 * The inline policy of a least-privilege role (dynamodb:012): per grant, actions on the table, `/index/*` only when
 * indexes are used, `/stream/*` only for stream actions, `/backup/*` only for backup actions; KMS use of the table
 * key through DynamoDB only; an explicit Deny of the dangerous actions the role is not granted. Pure.
 */
export function roleAccessPolicy(input: RoleAccessPolicyInput): PolicyDocument {
  const network = networkCondition(input.sourceVpceIds ?? [], input.sourceVpcIds ?? []);
  const baseSids = grantSids(input.grants);
  // A replica Region has no endpoint of this stack: its statements require that the call comes through some VPC
  // endpoint (aws:SourceVpce present), the most a policy can say without that endpoint's id.
  const replicaNetwork: PolicyCondition | undefined = network ? { Null: { 'aws:SourceVpce': 'false' } } : undefined;
  const statements: PolicyStatement[] = input.grants.flatMap((grant, i) => [
    ...grantStatements(grant, baseSids[i], network),
    ...replicaArnsOf(grant.target).flatMap((replicaArn) => grantStatements({ ...grant, target: { ...grant.target, tableArn: replicaArn } }, `${baseSids[i]}${regionSid(replicaArn)}`, replicaNetwork)),
  ]);
  statements.push(...kmsStatements(input));

  const granted = unique(input.grants.flatMap((g) => g.profile.actions));
  const denied = input.denyActions === false ? [] : (input.denyActions ?? withoutActions(DANGEROUS_ACTIONS, granted));
  if (denied.length > 0) statements.push({ Sid: 'DenyDangerous', Effect: 'Deny', Action: [...denied], Resource: '*' });

  const vpcOnly = granted.filter((a) => isDynamoDbAction(a) && !['stream', 'listStreams'].includes(partOf(a)));
  if ((input.sourceVpceIds ?? []).length > 0 && (input.denyOutsideVpcEndpoint ?? true) && vpcOnly.length > 0) {
    const global = input.grants.some((grant) => replicaArnsOf(grant.target).length > 0);
    statements.push({
      Sid: 'DenyNonVPCAccess',
      Effect: 'Deny',
      Action: vpcOnly,
      Resource: '*',
      // With replicas, the endpoint id is checked in the home Region only; every Region still needs some endpoint.
      Condition: global
        ? { StringNotEquals: { 'aws:SourceVpce': oneOrMany(input.sourceVpceIds ?? []) }, StringEquals: { 'aws:RequestedRegion': input.region } }
        : { StringNotEquals: { 'aws:SourceVpce': oneOrMany(input.sourceVpceIds ?? []) } },
    });
    if (global) statements.push({ Sid: 'DenyOutsideVpcEndpoints', Effect: 'Deny', Action: vpcOnly, Resource: '*', Condition: { Null: { 'aws:SourceVpce': 'true' } } });
  }
  statements.push(...(input.additionalStatements ?? []));
  return policyDocument(statements);
}

/** Whether a grant adds `/index/*`. */
export function grantUsesIndexes(grant: TableGrant): boolean {
  if (grant.indexes !== undefined) return grant.indexes;
  return grant.target.hasIndexes !== false && grant.profile.actions.some((a) => includesAction(INDEX_READ_ACTIONS, a));
}

function partOf(action: string): Part {
  const kind = resourceKindOf(action);
  if (kind === 'account') return action.toLowerCase() === 'dynamodb:liststreams' ? 'listStreams' : 'account';
  return kind;
}

function grantStatements(grant: TableGrant, baseSid: string, network: PolicyCondition | undefined): PolicyStatement[] {
  const arn = grant.target.tableArn;
  const byPart = new Map<Part, string[]>();
  for (const action of grant.profile.actions) {
    let part = partOf(action);
    if (part === 'table' && grant.leadingKeys && !includesAction(LEADING_KEY_ACTIONS, action)) part = 'tableWithoutKeys';
    byPart.set(part, [...(byPart.get(part) ?? []), action]);
  }

  const tableResources = grantUsesIndexes(grant) ? [arn, indexArnsOf(arn)] : [arn];
  const leadingKeys: PolicyCondition | undefined = grant.leadingKeys
    ? { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...grant.leadingKeys] } }
    : undefined;
  const shapes: Record<Part, { resource: string | string[]; condition?: PolicyCondition }> = {
    table: { resource: oneOrMany(tableResources), condition: merge(network, leadingKeys) },
    tableWithoutKeys: { resource: oneOrMany(tableResources), condition: network },
    backup: { resource: backupArnsOf(arn), condition: network },
    // DynamoDB Streams is not reachable through a gateway endpoint, and Lambda event source mappings read streams from
    // the AWS service network: a network condition here would break every stream consumer.
    stream: { resource: streamArnsOf(arn) },
    listStreams: { resource: '*' },
    account: { resource: '*', condition: network },
  };

  const statements: PolicyStatement[] = [];
  for (const part of Object.keys(SID_SUFFIX) as Part[]) {
    const actions = byPart.get(part);
    if (!actions) continue;
    const shape = shapes[part];
    statements.push({
      Sid: statements.length === 0 ? baseSid : `${baseSid}${SID_SUFFIX[part]}`,
      Effect: 'Allow',
      Action: actions,
      Resource: shape.resource,
      ...(shape.condition ? { Condition: shape.condition } : {}),
    });
  }
  return statements;
}

function kmsStatements(input: RoleAccessPolicyInput): PolicyStatement[] {
  const byKey = new Map<string, string[]>();
  for (const grant of input.grants) {
    const key = grant.target.keyArn;
    if (key === undefined) continue;
    byKey.set(key, [...(byKey.get(key) ?? []), ...grant.profile.actions]);
  }
  return [...byKey.entries()].map(([keyArn, actions], i) => ({
    Sid: `TableKeyThroughDynamoDb${i === 0 ? '' : i + 1}`,
    Effect: 'Allow' as const,
    Action: kmsActionsFor(actions),
    Resource: keyArn,
    Condition: { StringEquals: { 'kms:ViaService': `dynamodb.${input.region}.amazonaws.com` } },
  }));
}

/** `DynamoDB<profile>`, numbered when several grants would share it. */
function grantSids(grants: readonly TableGrant[]): string[] {
  const bases = grants.map((g) => g.sid ?? `DynamoDB${g.profile.name}`);
  return bases.map((base, i) => {
    const explicit = grants[i].sid !== undefined;
    const shared = bases.filter((b) => b === base).length > 1;
    return explicit || !shared ? base : `${base}${bases.slice(0, i + 1).filter((b) => b === base).length}`;
  });
}

/** The table ARN in each replica Region (literal ARNs only; a reference cannot be rewritten). */
function replicaArnsOf(target: TableTarget): string[] {
  const parts = target.tableArn.split(':');
  if (parts.length < 6 || target.tableArn.includes('${')) return [];
  return (target.replicaRegions ?? []).map((region) => [...parts.slice(0, 3), region, ...parts.slice(4)].join(':'));
}

/** `UsEast2` for a replica ARN in us-east-2: statement ids of replica grants. */
function regionSid(arn: string): string {
  return arn.split(':')[3].split('-').map((word) => word[0].toUpperCase() + word.slice(1)).join('');
}

function networkCondition(vpceIds: readonly string[], vpcIds: readonly string[]): PolicyCondition | undefined {
  if (vpceIds.length === 0 && vpcIds.length === 0) return undefined;
  const equals: Record<string, string | string[]> = {};
  if (vpceIds.length > 0) equals['aws:SourceVpce'] = oneOrMany(vpceIds);
  if (vpcIds.length > 0) equals['aws:SourceVpc'] = oneOrMany(vpcIds);
  return { StringEquals: equals };
}

function merge(...conditions: Array<PolicyCondition | undefined>): PolicyCondition | undefined {
  const present = conditions.filter((c): c is PolicyCondition => c !== undefined);
  return present.length === 0 ? undefined : Object.assign({}, ...present);
}
