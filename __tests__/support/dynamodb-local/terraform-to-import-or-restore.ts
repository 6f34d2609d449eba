/**
 * The requests the AWS provider sends for a table created by import from S3 or restored from a point in time:
 * ImportTable (its TableCreationParameters are the CreateTable shape, so DynamoDB Local can judge them) and
 * RestoreTableToPointInTime (DynamoDB Local has no backups: only the translation is checked). Strict like
 * terraform-to-create-table.ts: an unknown field or an unresolved reference throws.
 */
import type { CreateTableCommandInput, ImportTableCommandInput, InputCompressionType, InputFormat, RestoreTableToPointInTimeCommandInput } from '@aws-sdk/client-dynamodb';
import { CREATE_TIME_ARGUMENTS } from '../../../modules/table';
import { terraformToCreateTableInput, TerraformDynamoDbTableBody, TerraformTranslationError, TranslateOptions } from './terraform-to-create-table';

const IMPORT_FIELDS = new Set(['input_format', 'input_compression_type', 'input_format_options', 's3_bucket_source']);
const S3_SOURCE_FIELDS = new Set(['bucket', 'bucket_owner', 'key_prefix']);

/** The table's shape without its create-time arguments, as CreateTable would take it. */
function tableShape(resource: TerraformDynamoDbTableBody, options: TranslateOptions): CreateTableCommandInput {
  const shape = Object.fromEntries(Object.entries(resource).filter(([key]) => !CREATE_TIME_ARGUMENTS.includes(key)));
  return terraformToCreateTableInput(shape, options);
}

/** The ImportTable input for a body with an `import_table` block. */
export function terraformToImportTableInput(resource: TerraformDynamoDbTableBody, options: TranslateOptions = {}): ImportTableCommandInput {
  const block = single(resource.import_table, 'aws_dynamodb_table.import_table');
  if (!block) throw new TerraformTranslationError('aws_dynamodb_table.import_table: the body has no import_table block');
  for (const key of Object.keys(block)) if (!IMPORT_FIELDS.has(key)) throw new TerraformTranslationError(`aws_dynamodb_table.import_table.${key}: unknown field`);
  const source = single(block.s3_bucket_source, 'aws_dynamodb_table.import_table.s3_bucket_source');
  if (!source) throw new TerraformTranslationError('aws_dynamodb_table.import_table.s3_bucket_source: required');
  for (const key of Object.keys(source)) if (!S3_SOURCE_FIELDS.has(key)) throw new TerraformTranslationError(`aws_dynamodb_table.import_table.s3_bucket_source.${key}: unknown field`);
  const csv = single(single(block.input_format_options, 'input_format_options')?.csv, 'input_format_options.csv');
  const shape = tableShape(resource, options);
  return {
    S3BucketSource: { S3Bucket: literal(source.bucket, 'bucket'), S3KeyPrefix: optionalLiteral(source.key_prefix, 'key_prefix'), S3BucketOwner: optionalLiteral(source.bucket_owner, 'bucket_owner') },
    InputFormat: literal(block.input_format, 'input_format') as InputFormat,
    InputCompressionType: optionalLiteral(block.input_compression_type, 'input_compression_type') as InputCompressionType | undefined,
    InputFormatOptions: csv ? { Csv: { Delimiter: optionalLiteral(csv.delimiter, 'delimiter'), HeaderList: csv.header_list as string[] | undefined } } : undefined,
    // ImportTable takes these parts of the table; the provider adds PITR and TTL after the create, the rest (stream,
    // deletion protection, tags) only the next apply sets (help/table-features.md).
    TableCreationParameters: {
      TableName: shape.TableName!,
      AttributeDefinitions: shape.AttributeDefinitions!,
      KeySchema: shape.KeySchema!,
      BillingMode: shape.BillingMode,
      ProvisionedThroughput: shape.ProvisionedThroughput,
      OnDemandThroughput: shape.OnDemandThroughput,
      GlobalSecondaryIndexes: shape.GlobalSecondaryIndexes,
      SSESpecification: sse(resource),
    },
  };
}

/** The RestoreTableToPointInTime input for a body with `restore_source_*`. */
export function terraformToRestoreInput(resource: TerraformDynamoDbTableBody, options: TranslateOptions = {}): RestoreTableToPointInTimeCommandInput {
  const shape = tableShape(resource, options);
  const dateTime = optionalLiteral(resource.restore_date_time, 'restore_date_time');
  return {
    SourceTableArn: optionalLiteral(resource.restore_source_table_arn, 'restore_source_table_arn'),
    SourceTableName: optionalLiteral(resource.restore_source_name, 'restore_source_name'),
    TargetTableName: shape.TableName!,
    UseLatestRestorableTime: resource.restore_to_latest_time === true ? true : undefined,
    RestoreDateTime: dateTime === undefined ? undefined : new Date(dateTime),
    BillingModeOverride: shape.BillingMode,
    ProvisionedThroughputOverride: shape.ProvisionedThroughput,
    OnDemandThroughputOverride: shape.OnDemandThroughput,
    GlobalSecondaryIndexOverride: shape.GlobalSecondaryIndexes,
    LocalSecondaryIndexOverride: shape.LocalSecondaryIndexes,
    SSESpecificationOverride: sse(resource),
  };
}

function sse(resource: TerraformDynamoDbTableBody) {
  const block = single(resource.server_side_encryption, 'server_side_encryption');
  if (!block || block.enabled !== true) return undefined;
  return { Enabled: true, SSEType: 'KMS' as const, KMSMasterKeyId: literal(block.kms_key_arn, 'server_side_encryption.kms_key_arn') };
}

function single(value: unknown, where: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  const block = Array.isArray(value) ? (value.length <= 1 ? value[0] : undefined) : value;
  if (block !== undefined && (typeof block !== 'object' || block === null)) throw new TerraformTranslationError(`${where}: must be one block`);
  if (Array.isArray(value) && value.length > 1) throw new TerraformTranslationError(`${where}: at most one block`);
  return block as Record<string, unknown> | undefined;
}

function literal(value: unknown, field: string): string {
  const text = optionalLiteral(value, field);
  if (text === undefined) throw new TerraformTranslationError(`aws_dynamodb_table: ${field} is required`);
  return text;
}

function optionalLiteral(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new TerraformTranslationError(`aws_dynamodb_table: ${field} must be a string, got ${JSON.stringify(value)}`);
  if (value.includes('${')) throw new TerraformTranslationError(`aws_dynamodb_table: ${field} is an unresolved Terraform reference (${JSON.stringify(value)})`);
  return value;
}
