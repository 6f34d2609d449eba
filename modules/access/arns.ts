/**
 * Literal ARNs, so policies read the same in the synthesized JSON as in the AWS console. Pure (no cdktf imports).
 */

/** The ARN partition of a Region (aws, aws-cn, aws-us-gov). */
export function partitionForRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export interface TableLocation {
  readonly region: string;
  readonly accountId: string;
}

/** `arn:aws:dynamodb:us-east-1:111111111111:table/manga-assist-sessions` */
export function dynamoDbTableArn(location: TableLocation, tableName: string): string {
  return `arn:${partitionForRegion(location.region)}:dynamodb:${location.region}:${location.accountId}:table/${tableName}`;
}

/** Every table whose name starts with the prefix: `…:table/project-<uuid>-*`. */
export function dynamoDbTablePrefixArn(location: TableLocation, tableNamePrefix: string): string {
  return dynamoDbTableArn(location, `${tableNamePrefix}*`);
}

export const indexArnsOf = (tableArn: string): string => `${tableArn}/index/*`;
export const streamArnsOf = (tableArn: string): string => `${tableArn}/stream/*`;
export const backupArnsOf = (tableArn: string): string => `${tableArn}/backup/*`;

export function iamRoleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** The account root user as `aws:PrincipalArn` reports it. */
export function accountRootArn(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

/** The service-linked role DynamoDB global tables replicate with; exempt it from table resource policy denies. */
export function dynamoDbReplicationRoleArn(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:role/aws-service-role/replication.dynamodb.amazonaws.com/AWSServiceRoleForDynamoDBReplication`;
}
