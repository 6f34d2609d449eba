import { STREAM_READ_ACTIONS } from './actions';
import { accountRootArn } from './arns';
import { PolicyCondition, PolicyDocument, PolicyStatement, estimatedPolicyLength, oneOrMany, policyDocument, unique } from './policy-document';

/**
 * DynamoDB resource-based policies (dynamodb:006) as data. Pure (no cdktf imports): the governance Lambda builds the
 * same documents at runtime.
 */

/** DynamoDB limit for one resource-based policy; whitespace counts. */
export const MAX_RESOURCE_POLICY_BYTES = 20 * 1024;

/**
 * What only Terraform (or the deployers) may do to a Terraform-managed table: change, delete or copy it (a
 * point-in-time restore makes a copy), its recovery settings, policy, tags, and its items.
 */
export const TERRAFORM_OWNED_ACTIONS = [
  'dynamodb:UpdateTable',
  'dynamodb:DeleteTable',
  'dynamodb:RestoreTableToPointInTime',
  'dynamodb:UpdateContinuousBackups',
  'dynamodb:UpdateTimeToLive',
  'dynamodb:PutResourcePolicy',
  'dynamodb:DeleteResourcePolicy',
  'dynamodb:TagResource',
  'dynamodb:UntagResource',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

export type ResourcePolicyKind = 'table' | 'stream';

/** An Allow statement; needed for cross-account principals (same-account roles get their rights from IAM). */
export interface ResourcePolicyGrant {
  /** @default 'AllowListedPrincipals' (numbered from the second grant) */
  readonly sid?: string;
  /** IAM principal ARNs, or 12-digit account ids for whole accounts. */
  readonly principals: readonly string[];
  /** Explicit DynamoDB actions valid for the resource kind. */
  readonly actions: readonly string[];
  /** @default none */
  readonly condition?: PolicyCondition;
}

export interface ResourcePolicyDocumentInput {
  readonly kind: ResourcePolicyKind;
  /** `Resource` of every statement: `[table, table/index/*]`, `[stream]`, or `['*']` (AWS reads it as the resource the policy is attached to). */
  readonly resources: readonly string[];
  readonly partition: string;
  /** Account owning the resource (for the root-user deny). */
  readonly accountId: string;
  /** @default [] */
  readonly grants?: readonly ResourcePolicyGrant[];
  /**
   * Only these principals (plus grant principals and exempt principals) may use the resource; every other principal
   * is denied (`DenyUnlistedPrincipals`). Same-account principals still need an IAM policy that allows the action.
   * @default no such deny
   */
  readonly allowedPrincipals?: readonly string[];
  /** Deny requests that do not arrive through one of these VPC endpoints. @default no network deny */
  readonly vpcEndpointIds?: readonly string[];
  /** Listed principals that may call from outside the endpoint (e.g. a Step Functions role). @default [] */
  readonly outsideVpcPrincipalArns?: readonly string[];
  /** Deployer and break-glass principals exempt from every deny except TLS and root. @default [] */
  readonly exemptPrincipalArns?: readonly string[];
  /** @default true */
  readonly denyInsecureTransport?: boolean;
  /** @default true */
  readonly denyRootUser?: boolean;
  /**
   * Principals that may use the table's data but never change or delete the table, its backups settings, policy or
   * tags, nor write items (seed 000's ML scientists on the Terraform-managed tables). @default []
   */
  readonly protectedFromPrincipalArns?: readonly string[];
  /**
   * Deny requests that come through no VPC endpoint at all (`aws:SourceVpce` absent): for a replica in a Region where
   * the stack manages no endpoint and so cannot name one. @default false
   */
  readonly denyOutsideAnyVpcEndpoint?: boolean;
}

/**
 * Deny statements use `"Principal": "*"` with `aws:PrincipalArn` conditions. A Deny with
 * `"Principal": {"AWS": "arn:aws:iam::<account>:root"}` would not mean the root user: an account principal stands for
 * every principal of the account, so it would lock the whole account out. Deny statements of stream policies list the
 * stream actions: a stream policy accepts only DescribeStream, GetRecords and GetShardIterator.
 */
export function resourcePolicyDocument(input: ResourcePolicyDocumentInput): PolicyDocument {
  const resource = oneOrMany(input.resources);
  const denied = input.kind === 'stream' ? [...STREAM_READ_ACTIONS] : 'dynamodb:*';
  const exempt = [...(input.exemptPrincipalArns ?? [])];
  const grants = input.grants ?? [];
  const statements: PolicyStatement[] = grants.map((grant, i) => ({
    Sid: grant.sid ?? `AllowListedPrincipals${i === 0 ? '' : i + 1}`,
    Effect: 'Allow',
    Principal: { AWS: oneOrMany(grant.principals) },
    Action: [...grant.actions],
    Resource: resource,
    ...(grant.condition ? { Condition: grant.condition } : {}),
  }));

  if (input.allowedPrincipals !== undefined) {
    const listed = unique([...input.allowedPrincipals, ...grants.flatMap((g) => g.principals)]).map((p) => principalArnPattern(input.partition, p));
    statements.push({
      Sid: 'DenyUnlistedPrincipals',
      Effect: 'Deny',
      Principal: '*',
      Action: denied,
      Resource: resource,
      Condition: { ArnNotLike: { 'aws:PrincipalArn': oneOrMany(unique([...listed, ...exempt])) } },
    });
  }
  const endpoints = input.vpcEndpointIds ?? [];
  if (endpoints.length > 0) {
    const outside = unique([...exempt, ...(input.outsideVpcPrincipalArns ?? [])]);
    statements.push({
      Sid: 'DenyAllNonVPCAccess',
      Effect: 'Deny',
      Principal: '*',
      Action: denied,
      Resource: resource,
      Condition: {
        StringNotEquals: { 'aws:SourceVpce': oneOrMany(endpoints) },
        ...(outside.length > 0 ? { ArnNotLike: { 'aws:PrincipalArn': oneOrMany(outside) } } : {}),
      },
    });
  }
  if (input.denyOutsideAnyVpcEndpoint) {
    const outside = unique([...exempt, ...(input.outsideVpcPrincipalArns ?? [])]);
    statements.push({
      Sid: 'DenyOutsideAnyVpcEndpoint',
      Effect: 'Deny',
      Principal: '*',
      Action: denied,
      Resource: resource,
      Condition: { Null: { 'aws:SourceVpce': 'true' }, ...(outside.length > 0 ? { ArnNotLike: { 'aws:PrincipalArn': oneOrMany(outside) } } : {}) },
    });
  }
  const protectedFrom = input.protectedFromPrincipalArns ?? [];
  if (input.kind === 'table' && protectedFrom.length > 0) {
    statements.push({
      Sid: 'DenyChangesOutsideTerraform',
      Effect: 'Deny',
      Principal: '*',
      Action: [...TERRAFORM_OWNED_ACTIONS],
      Resource: resource,
      Condition: { ArnLike: { 'aws:PrincipalArn': oneOrMany(protectedFrom) } },
    });
  }
  if (input.denyInsecureTransport ?? true) {
    statements.push({ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: denied, Resource: resource, Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  }
  if (input.denyRootUser ?? true) {
    statements.push({
      Sid: 'DenyRootUser',
      Effect: 'Deny',
      Principal: '*',
      Action: denied,
      Resource: resource,
      Condition: { ArnEquals: { 'aws:PrincipalArn': accountRootArn(input.partition, input.accountId) } },
    });
  }
  return policyDocument(statements);
}

/** A whole account (12-digit id) matches every principal ARN of that account. */
export function principalArnPattern(partition: string, principal: string): string {
  return /^\d{12}$/.test(principal) ? `arn:${partition}:iam::${principal}:*` : principal;
}

/** Bytes of the policy's JSON, references counted as TOKEN_LENGTH_ESTIMATE characters. */
export function policyBytes(document: PolicyDocument): number {
  const json = JSON.stringify(document);
  return new TextEncoder().encode(json).length + (estimatedPolicyLength(json) - json.length);
}
