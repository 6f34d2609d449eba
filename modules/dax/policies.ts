/**
 * IAM documents of a DAX cluster's service role, as small pure functions so the exact JSON that lands in
 * `cdk.tf.json` can be read (and unit-tested) without synthesizing anything.
 *
 * Sources: DynamoDB Developer Guide, "DAX access control" (the service-role example grants DescribeTable plus the
 * item read/write actions on the table) and "Creating an IAM service role for DAX" (trust `dax.amazonaws.com`).
 */

export const DAX_SERVICE_PRINCIPAL = 'dax.amazonaws.com';

/** What DAX needs to serve reads; `DescribeTable` keeps the cluster's table metadata current. */
export const DAX_READ_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
] as const;

/** Write-through actions (transactions sent through DAX are authorized per item by these same actions). */
export const DAX_WRITE_ACTIONS = [
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
] as const;

/** The only actions that address an index (`table/<name>/index/<index>`). */
export const DAX_INDEX_ACTIONS = ['dynamodb:Query', 'dynamodb:Scan'] as const;

/** Reading a table encrypted with a customer-managed key; allowed only when DynamoDB makes the call. */
export const DAX_KMS_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'] as const;

/** `readWrite`: DAX reads and writes through to DynamoDB. `readOnly`: writes sent to the cluster are refused. */
export type DaxAccess = 'readWrite' | 'readOnly';

/** One table the cluster may cache. */
export interface DaxTableAccess {
  /** ARN of the table (`SecureTable.tableArn`). Its indexes (`<arn>/index/*`) are included. */
  readonly tableArn: string;
  /** Customer-managed key of the table (dynamodb:001), if any: the role may decrypt with it through DynamoDB only. */
  readonly keyArn?: string;
}

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: { readonly Service: string };
  readonly Action: string | string[];
  readonly Resource?: string[];
  readonly Condition?: Record<string, Record<string, string>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: PolicyStatement[];
}

/**
 * Trust policy of the service role: only the DAX service may assume it.
 *
 * No `aws:SourceAccount` / `aws:SourceArn` condition: AWS documents neither key for DAX's AssumeRole call (its own
 * trust-policy examples carry no condition), and a condition key the service does not send makes the role
 * unassumable, which would only show up as a failed cluster creation at apply time.
 */
export function daxAssumeRolePolicy(): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DaxServiceAssumesRole',
        Effect: 'Allow',
        Principal: { Service: DAX_SERVICE_PRINCIPAL },
        Action: 'sts:AssumeRole',
      },
    ],
  };
}

/**
 * The DynamoDB actions granted on each table for an access mode, sorted; with `clientActions`, only those (and
 * DescribeTable, which the cluster itself needs). Through DAX only the cluster role's permissions apply to the items
 * (DynamoDB Developer Guide, "DAX access control": DAX can subvert the fine-grained policies of its callers), so the
 * role should allow no more than what the cluster's clients may do.
 */
export function daxTableActions(access: DaxAccess, clientActions?: readonly string[]): string[] {
  const actions: string[] = access === 'readOnly' ? [...DAX_READ_ACTIONS] : [...DAX_READ_ACTIONS, ...DAX_WRITE_ACTIONS];
  const wanted = clientActions ? new Set([...clientActions, 'dynamodb:DescribeTable']) : undefined;
  return actions.filter((action) => !wanted || wanted.has(action)).sort();
}

/**
 * Permission policy of the service role: the DAX data-plane actions on exactly the given tables, Query/Scan on their
 * indexes, and (when a table has a customer-managed key) decrypt with those keys only when DynamoDB in `region`
 * makes the call (`kms:ViaService`). No wildcard resources, no `dynamodb:*`.
 */
export function daxTableAccessPolicy(tables: readonly DaxTableAccess[], options: { region: string; access: DaxAccess; clientActions?: readonly string[] }): PolicyDocument {
  const tableArns = unique(tables.map((t) => t.tableArn));
  const keyArns = unique(tables.flatMap((t) => (t.keyArn ? [t.keyArn] : [])));
  const indexActions = DAX_INDEX_ACTIONS.filter((action) => !options.clientActions || options.clientActions.includes(action));
  const statements: PolicyStatement[] = [
    { Sid: 'DaxTableAccess', Effect: 'Allow', Action: daxTableActions(options.access, options.clientActions), Resource: tableArns },
    ...(indexActions.length > 0 ? [{ Sid: 'DaxIndexAccess', Effect: 'Allow' as const, Action: [...indexActions], Resource: tableArns.map((arn) => `${arn}/index/*`) }] : []),
  ];
  if (keyArns.length > 0) {
    statements.push({
      Sid: 'DecryptTablesThroughDynamoDb',
      Effect: 'Allow',
      Action: [...DAX_KMS_ACTIONS],
      Resource: keyArns,
      Condition: { StringEquals: { 'kms:ViaService': `dynamodb.${options.region}.amazonaws.com` } },
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
