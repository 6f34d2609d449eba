import {
  ACTIONS_WITHOUT_RESOURCE_TYPES,
  hasWildcard,
  includesAction,
  isDynamoDbAction,
  resourceKindOf,
} from '../access/actions';
import { dynamoDbTableArn, dynamoDbTablePrefixArn } from '../access/arns';
import { PolicyCondition, PolicyDocument, PolicyStatement, estimatedPolicyLength, oneOrMany, policyDocument } from '../access/policy-document';
import { leastPrivilegeViolations } from '../access/policy-lint';
import { GuardrailError, isResolved } from '../validation';
import { requireAccountId, requireAwsId, requireRegion } from './ids';

/** VPC endpoint policies are limited to 20,480 characters. */
export const MAX_ENDPOINT_POLICY_CHARS = 20_480;
/** Literal characters a table-name prefix needs: the policy appends `*`. */
export const MIN_ENDPOINT_PREFIX_LENGTH = 3;

/** Item and table-metadata actions applications send through the endpoint. */
export const ENDPOINT_DATA_ACTIONS: readonly string[] = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];

/**
 * Calls the AWS SDKs make on their own, which an endpoint policy must not block (the policy is a ceiling for every
 * principal in the VPC; IAM and the table policies still decide who may make them): reading the table's description
 * and TTL, the reads of a batch, the condition checks of a transaction (DynamoDB Developer Guide, "Using IAM with
 * DynamoDB transactions"), and endpoint discovery.
 */
export const ENDPOINT_SDK_TABLE_ACTIONS: readonly string[] = ['dynamodb:DescribeTable', 'dynamodb:DescribeTimeToLive', 'dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem'];
export const ENDPOINT_SDK_ACCOUNT_ACTIONS: readonly string[] = ['dynamodb:DescribeEndpoints'];

const PREFIX = /^[A-Za-z0-9_.-]+$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/*?-]*[\w+=,.@-][\w+=,.@/*?-]*$/;

export interface EndpointPolicyOptions {
  /** Account that owns the catalog's tables. */
  readonly accountId: string;
  readonly region: string;
  /** The VPC the endpoint lives in (input: this project never creates VPCs). */
  readonly vpcId: string;
  /** Table-name prefixes reachable through the endpoint, e.g. `manga-assist-` (the policy appends `*`). */
  readonly tableNamePrefixes: readonly string[];
  /** DynamoDB actions allowed on those tables. @default ENDPOINT_DATA_ACTIONS */
  readonly allowedActions?: readonly string[];
  /** Account-level actions (ListTables, …) that AWS only accepts on `"Resource": "*"`. @default [] */
  readonly accountLevelActions?: readonly string[];
  /**
   * Other tables of the account that clients in this VPC use through the endpoint (e.g. a Terraform state-lock table),
   * by exact name; they get the same actions. @default none
   */
  readonly extraTableNames?: readonly string[];
  /** Only these principals may use the endpoint (seed 000 §4.2). @default any principal; IAM and table policies decide */
  readonly allowedPrincipalArns?: readonly string[];
  /** The Allow requires `aws:SourceVpc = vpcId` (seed 001). @default true */
  readonly requireSourceVpc?: boolean;
  /** `DenyNonTLS` on `aws:SecureTransport = false` (seed 001). @default true */
  readonly denyInsecureTransport?: boolean;
}

/**
 * The endpoint policy of seeds 000/001 (dynamodb:015): only the catalog's tables, only the listed actions, optionally
 * only the catalog's roles, never without TLS. A table-name pattern `table/<prefix>*` also covers the tables' indexes,
 * because `*` in an ARN matches `/` too.
 */
export function dynamoDbEndpointPolicy(options: EndpointPolicyOptions): PolicyDocument {
  const condition: PolicyCondition = {};
  if (options.requireSourceVpc ?? true) condition.StringEquals = { 'aws:SourceVpc': options.vpcId };
  const principals = options.allowedPrincipalArns ?? [];
  if (principals.length > 0) condition.ArnLike = { 'aws:PrincipalArn': oneOrMany(principals) };
  const withCondition = Object.keys(condition).length > 0 ? { Condition: condition } : {};

  const statements: PolicyStatement[] = [
    {
      Sid: 'AllowOnlyFromVPC',
      Effect: 'Allow',
      Principal: '*',
      Action: unique([...(options.allowedActions ?? ENDPOINT_DATA_ACTIONS), ...ENDPOINT_SDK_TABLE_ACTIONS]),
      Resource: oneOrMany([
        ...options.tableNamePrefixes.map((prefix) => dynamoDbTablePrefixArn(options, prefix)),
        ...(options.extraTableNames ?? []).flatMap((name) => [dynamoDbTableArn(options, name), `${dynamoDbTableArn(options, name)}/index/*`]),
      ]),
      ...withCondition,
    },
  ];
  const accountLevel = unique([...(options.accountLevelActions ?? []), ...ENDPOINT_SDK_ACCOUNT_ACTIONS]);
  if (accountLevel.length > 0) {
    statements.push({ Sid: 'AllowAccountLevelActions', Effect: 'Allow', Principal: '*', Action: [...accountLevel], Resource: '*', ...withCondition });
  }
  if (principals.length > 0) {
    statements.push({
      Sid: 'DenyOtherPrincipals',
      Effect: 'Deny',
      Principal: '*',
      Action: 'dynamodb:*',
      Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': oneOrMany(principals) } },
    });
  }
  if (options.denyInsecureTransport ?? true) {
    statements.push({ Sid: 'DenyNonTLS', Effect: 'Deny', Principal: '*', Action: 'dynamodb:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  }
  return policyDocument(statements);
}

/** Throws a GuardrailError for the first bad option, then for the first dynamodb:012 violation of the policy. */
export function validateEndpointPolicy(subject: string, options: EndpointPolicyOptions): PolicyDocument {
  requireAccountId(subject, 'accountId', options.accountId);
  requireRegion(subject, 'region', options.region);
  requireAwsId(subject, 'vpcId', options.vpcId, 'vpc');
  if (options.tableNamePrefixes.length === 0) {
    throw new GuardrailError(subject, 'tableNamePrefixes', [], "list the catalog's table-name prefixes; an endpoint that reaches every table defeats dynamodb:015");
  }
  options.tableNamePrefixes.forEach((prefix, i) => {
    if (isResolved(prefix) && (prefix.length < MIN_ENDPOINT_PREFIX_LENGTH || prefix.length > 254 || !PREFIX.test(prefix))) {
      throw new GuardrailError(subject, `tableNamePrefixes[${i}]`, prefix, `must be ${MIN_ENDPOINT_PREFIX_LENGTH} to 254 letters, digits, '_', '-' or '.' (the policy appends '*')`);
    }
  });
  (options.extraTableNames ?? []).forEach((name, i) => {
    if (isResolved(name) && !TABLE_NAME.test(name)) throw new GuardrailError(subject, `extraTableNames[${i}]`, name, 'must be a DynamoDB table name (3 to 255 letters, digits, _, - or .)');
  });
  const actions = options.allowedActions ?? ENDPOINT_DATA_ACTIONS;
  if (actions.length === 0) throw new GuardrailError(subject, 'allowedActions', [], 'allow at least one action, or the endpoint carries no DynamoDB traffic');
  for (const action of actions) {
    if (!isDynamoDbAction(action) || hasWildcard(action)) {
      throw new GuardrailError(subject, 'allowedActions', action, 'list explicit DynamoDB actions (no wildcards, no other services)');
    }
    if (resourceKindOf(action) === 'stream' || action.toLowerCase() === 'dynamodb:liststreams') {
      throw new GuardrailError(subject, 'allowedActions', action, 'DynamoDB Streams has its own endpoint (streams.dynamodb.<region>.amazonaws.com) that a DynamoDB gateway endpoint does not carry; stream actions do not belong here');
    }
    if (resourceKindOf(action) === 'account') {
      throw new GuardrailError(subject, 'allowedActions', action, 'this action has no table resource; list it in accountLevelActions');
    }
  }
  for (const action of options.accountLevelActions ?? []) {
    if (!includesAction(ACTIONS_WITHOUT_RESOURCE_TYPES, action) || action.toLowerCase() === 'dynamodb:liststreams') {
      throw new GuardrailError(subject, 'accountLevelActions', action, `only actions without a resource type belong here (${ACTIONS_WITHOUT_RESOURCE_TYPES.filter((a) => a !== 'dynamodb:ListStreams').join(', ')})`);
    }
  }
  (options.allowedPrincipalArns ?? []).forEach((arn, i) => {
    if (isResolved(arn) && !PRINCIPAL_ARN.test(arn)) {
      throw new GuardrailError(subject, `allowedPrincipalArns[${i}]`, arn, 'must be an IAM role or user ARN of one account (wildcards only inside the name)');
    }
  });

  const document = dynamoDbEndpointPolicy(options);
  const [violation] = leastPrivilegeViolations(document);
  if (violation) throw new GuardrailError(subject, `policy.${violation.field}`, violation.value, violation.problem);
  const length = estimatedPolicyLength(JSON.stringify(document));
  if (length > MAX_ENDPOINT_POLICY_CHARS) {
    throw new GuardrailError(subject, 'policy', `${length} characters`, `VPC endpoint policies are limited to ${MAX_ENDPOINT_POLICY_CHARS} characters`);
  }
  return document;
}

export function dynamoDbServiceName(region: string): string {
  return `com.amazonaws.${region}.dynamodb`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
