import type { PolicyDocument } from './stack-model';

/**
 * The AWS managed policies our stacks attach, as documents the engine can evaluate. Source: the AWS Managed Policy
 * Reference (docs.aws.amazon.com/aws-managed-policy/latest/reference/<name>.html), versions current on 2026-12-01.
 * AWSLambdaVPCAccessExecutionRole is complete. The two AWS Backup policies are reduced to their DynamoDB statements
 * (the rest covers EBS, RDS, EFS … which no scenario here touches); a scenario that needs another service's
 * permission from them must add it here from the reference first.
 */
export const AWS_MANAGED_POLICIES: Readonly<Record<string, PolicyDocument>> = {
  'service-role/AWSLambdaVPCAccessExecutionRole': {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AWSLambdaVPCAccessExecutionPermissions',
        Effect: 'Allow',
        Action: [
          'logs:CreateLogGroup',
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        Resource: '*',
      },
    ],
  },
  'service-role/AWSBackupServiceRolePolicyForBackup': {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'DynamoDBPermissions', Effect: 'Allow', Action: ['dynamodb:DescribeTable', 'dynamodb:CreateBackup'], Resource: 'arn:aws:dynamodb:*:*:table/*' },
      { Sid: 'DynamoDBBackupResourcePermissions', Effect: 'Allow', Action: ['dynamodb:DescribeBackup', 'dynamodb:DeleteBackup'], Resource: 'arn:aws:dynamodb:*:*:table/*/backup/*' },
    ],
  },
  'service-role/AWSBackupServiceRolePolicyForRestores': {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DynamoDBPermissions',
        Effect: 'Allow',
        Action: ['dynamodb:Scan', 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:DescribeTable'],
        Resource: 'arn:aws:dynamodb:*:*:table/*',
      },
      { Sid: 'DynamoDBBackupResourcePermissions', Effect: 'Allow', Action: ['dynamodb:RestoreTableFromBackup'], Resource: 'arn:aws:dynamodb:*:*:table/*/backup/*' },
    ],
  },
};
