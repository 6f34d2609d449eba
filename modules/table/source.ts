import { DynamodbTableConfig } from '@cdktf/provider-aws/lib/dynamodb-table';
import { GuardrailError, isResolved } from '../validation';

export type ImportInputFormat = 'CSV' | 'DYNAMODB_JSON' | 'ION';
export type ImportCompression = 'GZIP' | 'ZSTD' | 'NONE';
export const IMPORT_INPUT_FORMATS: readonly ImportInputFormat[] = ['CSV', 'DYNAMODB_JSON', 'ION'];
export const IMPORT_COMPRESSIONS: readonly ImportCompression[] = ['GZIP', 'ZSTD', 'NONE'];
/** S3 bucket names (S3 User Guide, "General purpose bucket naming rules"), simplified to what can ever be valid. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}$/;
const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** A new table filled from S3 by DynamoDB import (Developer Guide, "DynamoDB data import from Amazon S3"). */
export interface ImportFromS3 {
  readonly bucket: string;
  readonly keyPrefix?: string;
  /** Account that owns the bucket, when it is another account. */
  readonly bucketOwner?: string;
  readonly inputFormat: ImportInputFormat;
  /** @default 'NONE' */
  readonly compression?: ImportCompression;
  /** CSV only: delimiter (one character) and the header names when the files have no header line. */
  readonly csv?: { readonly delimiter?: string; readonly headerList?: readonly string[] };
}

/** A new table restored from another table's point-in-time backups (PITR). */
export interface RestoreFromPointInTime {
  /** The source table by ARN (another Region or account) or by name (this Region); exactly one. */
  readonly sourceTableArn?: string;
  readonly sourceTableName?: string;
  /** UTC time to restore to, `2026-11-30T12:00:00Z`. @default the latest restorable time */
  readonly restoreDateTime?: string;
}

/** How a table is created: empty (the default), imported from S3, or restored from a point in time. */
export type TableSource = { readonly importFromS3: ImportFromS3 } | { readonly restoreFromPointInTime: RestoreFromPointInTime };

/**
 * The create-time arguments Terraform uses only when it creates the table. Several of them force a new table when
 * they change (`restore_date_time`, `restore_to_latest_time`, `import_table`'s source), so the table ignores later
 * changes to all of them: removing `source` once the table exists never replaces it.
 */
export const CREATE_TIME_ARGUMENTS = ['import_table', 'restore_source_name', 'restore_source_table_arn', 'restore_date_time', 'restore_to_latest_time'];

/** Create timeout of a table with a source (import or restore); the provider's default is 30 minutes. */
export const SOURCE_CREATE_TIMEOUT = '6h';

/** The `aws_dynamodb_table` arguments of a source, after validation. */
export function sourceArguments(subject: string, source: TableSource | undefined, hasLocalIndexes: boolean): Partial<DynamodbTableConfig> {
  if (source === undefined) return {};
  if ('importFromS3' in source) return importArguments(subject, source.importFromS3, hasLocalIndexes);
  if ('restoreFromPointInTime' in source) return restoreArguments(subject, source.restoreFromPointInTime);
  throw new GuardrailError(subject, 'source', Object.keys(source as object), 'must be { importFromS3: {...} } or { restoreFromPointInTime: {...} }');
}

function importArguments(subject: string, options: ImportFromS3, hasLocalIndexes: boolean): Partial<DynamodbTableConfig> {
  const field = 'source.importFromS3';
  if (isResolved(options.bucket) && !BUCKET_NAME.test(options.bucket)) throw new GuardrailError(subject, `${field}.bucket`, options.bucket, 'must be an S3 bucket name (3 to 63 lowercase letters, digits, . or -)');
  if (options.bucketOwner !== undefined && isResolved(options.bucketOwner) && !/^\d{12}$/.test(options.bucketOwner)) throw new GuardrailError(subject, `${field}.bucketOwner`, options.bucketOwner, 'must be a 12-digit AWS account id');
  if (!IMPORT_INPUT_FORMATS.includes(options.inputFormat)) throw new GuardrailError(subject, `${field}.inputFormat`, options.inputFormat, `must be ${IMPORT_INPUT_FORMATS.join(', ')}`);
  if (options.compression !== undefined && !IMPORT_COMPRESSIONS.includes(options.compression)) throw new GuardrailError(subject, `${field}.compression`, options.compression, `must be ${IMPORT_COMPRESSIONS.join(', ')}`);
  if (options.csv && options.inputFormat !== 'CSV') throw new GuardrailError(subject, `${field}.csv`, options.inputFormat, "CSV options apply only with inputFormat 'CSV'");
  const delimiter = options.csv?.delimiter;
  if (delimiter !== undefined && !/^[,\t:;|]$/.test(delimiter)) throw new GuardrailError(subject, `${field}.csv.delimiter`, delimiter, "must be one of , ; : | or a tab (the delimiters DynamoDB import accepts)");
  // ImportTable creates the table from TableCreationParameters, which have no local secondary indexes.
  if (hasLocalIndexes) throw new GuardrailError(subject, 'localSecondaryIndexes', 'importFromS3', 'a table imported from S3 cannot have local secondary indexes (DynamoDB import creates global ones only)');
  return {
    importTable: {
      inputFormat: options.inputFormat,
      inputCompressionType: options.compression,
      s3BucketSource: { bucket: options.bucket, keyPrefix: options.keyPrefix, bucketOwner: options.bucketOwner },
      inputFormatOptions: options.csv ? { csv: { delimiter: options.csv.delimiter, headerList: options.csv.headerList ? [...options.csv.headerList] : undefined } } : undefined,
    },
  };
}

function restoreArguments(subject: string, options: RestoreFromPointInTime): Partial<DynamodbTableConfig> {
  const field = 'source.restoreFromPointInTime';
  const { sourceTableArn, sourceTableName, restoreDateTime } = options;
  if ((sourceTableArn === undefined) === (sourceTableName === undefined)) {
    throw new GuardrailError(subject, field, Object.keys(options), 'name the source table once: sourceTableArn or sourceTableName');
  }
  if (sourceTableArn !== undefined && isResolved(sourceTableArn) && !TABLE_ARN.test(sourceTableArn)) throw new GuardrailError(subject, `${field}.sourceTableArn`, sourceTableArn, 'must be a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>)');
  if (restoreDateTime !== undefined && isResolved(restoreDateTime) && (!UTC_TIME.test(restoreDateTime) || Number.isNaN(Date.parse(restoreDateTime)))) {
    throw new GuardrailError(subject, `${field}.restoreDateTime`, restoreDateTime, "must be a UTC time such as '2026-11-30T12:00:00Z'");
  }
  return {
    restoreSourceTableArn: sourceTableArn,
    restoreSourceName: sourceTableName,
    restoreDateTime,
    restoreToLatestTime: restoreDateTime === undefined ? true : undefined,
  };
}
