import { validateConstructs } from '../support/terraform/validate-stack';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { existingKey } from '../../modules/encryption';
import { CREATE_TIME_ARGUMENTS, SecureTable, SecureTableProps } from '../../modules/table';
import { deleteTablesQuietly, localDynamoDbClient, uniqueTableName, waitForTableActive } from '../support/dynamodb-local/client';
import { terraformToImportTableInput, terraformToRestoreInput } from '../support/dynamodb-local/terraform-to-import-or-restore';
import { errorMessageOf } from '../support/errors';
import { synthConstructs, synthEnvironment } from '../support/synth';
import { auditFlowCatalog } from '../../stacks/catalogs/auditflow';
import type { Catalog } from '../../stacks/catalogs/types';

const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const SOURCE_ARN = 'arn:aws:dynamodb:us-east-1:222222222222:table/Orders';

function props(overrides: Partial<SecureTableProps> = {}): SecureTableProps {
  return {
    tableName: 'Orders',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    globalSecondaryIndexes: [{ indexName: 'by-status', partitionKey: { name: 'status', type: 'S' } }],
    encryptionKey: existingKey('test', KEY_ARN),
    timeToLiveAttribute: 'expires_at',
    ...overrides,
  };
}
const tableOf = (overrides: Partial<SecureTableProps>) => synthConstructs((stack) => new SecureTable(stack, 'orders', props(overrides))).resource!.aws_dynamodb_table.orders;
const error = (overrides: Partial<SecureTableProps>) => errorMessageOf(() => tableOf(overrides));

const csvImport: SecureTableProps['source'] = { importFromS3: { bucket: 'acme-exports', keyPrefix: 'orders/2026-11/', inputFormat: 'CSV', compression: 'GZIP', csv: { delimiter: ';', headerList: ['pk', 'sk', 'status'] } } };

describe('import from S3 and restore as code, with the guardrails on the new table', () => {
  test('import: the import_table block, and the new table keeps its key, PITR, deletion protection and stream', () => {
    const table = tableOf({ source: csvImport });
    expect(table.import_table).toEqual({
      input_format: 'CSV',
      input_compression_type: 'GZIP',
      s3_bucket_source: { bucket: 'acme-exports', key_prefix: 'orders/2026-11/' },
      input_format_options: { csv: { delimiter: ';', header_list: ['pk', 'sk', 'status'] } },
    });
    expect(table).toEqual(
      expect.objectContaining({
        server_side_encryption: { enabled: true, kms_key_arn: KEY_ARN },
        point_in_time_recovery: { enabled: true, recovery_period_in_days: 35 },
        deletion_protection_enabled: true,
        stream_enabled: true,
      }),
    );
  });

  test('restore: the latest restorable time unless a time is given; by ARN or by name', () => {
    expect(tableOf({ source: { restoreFromPointInTime: { sourceTableArn: SOURCE_ARN } } })).toEqual(expect.objectContaining({ restore_source_table_arn: SOURCE_ARN, restore_to_latest_time: true }));
    const atTime = tableOf({ source: { restoreFromPointInTime: { sourceTableName: 'Orders-old', restoreDateTime: '2026-11-30T12:00:00Z' } } });
    expect(atTime).toEqual(expect.objectContaining({ restore_source_name: 'Orders-old', restore_date_time: '2026-11-30T12:00:00Z', server_side_encryption: { enabled: true, kms_key_arn: KEY_ARN } }));
    expect(atTime.restore_to_latest_time).toBeUndefined();
  });

  test('create-time arguments are always ignored afterwards, so removing the source never replaces the table', () => {
    // restore_date_time, restore_to_latest_time and import_table's source force a new table when they change.
    for (const table of [tableOf({}), tableOf({ source: csvImport }), tableOf({ preventDestroy: true })]) {
      expect(table.lifecycle.ignore_changes).toEqual(CREATE_TIME_ARGUMENTS);
    }
    expect(tableOf({ preventDestroy: true }).lifecycle.prevent_destroy).toBe(true);
  });

  test.each([
    [{ importFromS3: { ...csvImport.importFromS3, bucket: 'Acme_Exports' } }, "source.importFromS3.bucket = 'Acme_Exports': must be an S3 bucket name (3 to 63 lowercase letters, digits, . or -)"],
    [{ importFromS3: { bucket: 'acme-exports', inputFormat: 'PARQUET' as never } }, "source.importFromS3.inputFormat = 'PARQUET': must be CSV, DYNAMODB_JSON, ION"],
    [{ importFromS3: { bucket: 'acme-exports', inputFormat: 'ION', csv: { delimiter: ',' } } }, "source.importFromS3.csv = 'ION': CSV options apply only with inputFormat 'CSV'"],
    [{ importFromS3: { bucket: 'acme-exports', inputFormat: 'CSV', csv: { delimiter: '#' } } }, "source.importFromS3.csv.delimiter = '#': must be one of , ; : | or a tab (the delimiters DynamoDB import accepts)"],
    [{ importFromS3: { bucket: 'acme-exports', inputFormat: 'CSV', bucketOwner: '12345' } }, "source.importFromS3.bucketOwner = '12345': must be a 12-digit AWS account id"],
    [{ restoreFromPointInTime: {} }, 'source.restoreFromPointInTime = []: name the source table once: sourceTableArn or sourceTableName'],
    [{ restoreFromPointInTime: { sourceTableArn: SOURCE_ARN, sourceTableName: 'Orders' } }, 'source.restoreFromPointInTime = ["sourceTableArn","sourceTableName"]: name the source table once: sourceTableArn or sourceTableName'],
    [{ restoreFromPointInTime: { sourceTableArn: 'Orders' } }, "source.restoreFromPointInTime.sourceTableArn = 'Orders': must be a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>)"],
    [{ restoreFromPointInTime: { sourceTableName: 'Orders', restoreDateTime: 'yesterday' } }, "source.restoreFromPointInTime.restoreDateTime = 'yesterday': must be a UTC time such as '2026-11-30T12:00:00Z'"],
  ])('bad source %#: one message naming the field and value', (source, message) => {
    expect(error({ source: source as SecureTableProps['source'] })).toBe(`test/orders: ${message}`);
  });

  test('a table with a source gets a long create timeout and cannot declare replicas yet (negative control: without a source, no timeout and replicas are fine)', () => {
    expect(tableOf({ source: csvImport }).timeouts).toEqual({ create: '6h' });
    expect(tableOf({}).timeouts).toBeUndefined();
    const replicas = { region: 'us-east-1', replicas: [{ region: 'us-west-2', kmsKeyArn: 'arn:aws:kms:us-west-2:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab' }] };
    expect(error({ ...replicas, source: csvImport })).toBe('test/orders: replicas = ["us-west-2"]: a table imported or restored (source) is created without its stream, which replicas need: create it first, then add the replicas in a later apply');
    expect(tableOf(replicas).replica).toHaveLength(1);
  });

  test('an imported table cannot have local secondary indexes (negative control: the same table without import may)', () => {
    const lsi = { localSecondaryIndexes: [{ indexName: 'by-date', sortKey: { name: 'date', type: 'S' as const } }] };
    expect(error({ ...lsi, source: csvImport })).toBe("test/orders: localSecondaryIndexes = 'importFromS3': a table imported from S3 cannot have local secondary indexes (DynamoDB import creates global ones only)");
    expect(tableOf(lsi).local_secondary_index).toHaveLength(1);
  });

  test('both sources pass the offline terraform validate', () => {
    const diagnostics = validateConstructs('sources', (stack) => {
      new SecureTable(stack, 'imported', props({ source: csvImport }));
      new SecureTable(stack, 'restored', props({ tableName: 'Orders-restored', source: { restoreFromPointInTime: { sourceTableArn: SOURCE_ARN, restoreDateTime: '2026-11-30T12:00:00Z' } } }));
    });
    expect(diagnostics).toEqual([]);
  });
});

describe('the requests the provider sends (translated), and DynamoDB Local judging the imported table', () => {
  let client: DynamoDBClient;
  const created: string[] = [];
  beforeAll(() => (client = localDynamoDbClient()));
  afterAll(async () => {
    await deleteTablesQuietly(client, created);
    client.destroy();
  });

  test('ImportTable: S3 source, format and compression, and TableCreationParameters DynamoDB Local accepts as a table', async () => {
    const input = terraformToImportTableInput(tableOf({ source: csvImport }), { tableName: uniqueTableName('imported') });
    expect(input).toEqual(
      expect.objectContaining({
        S3BucketSource: { S3Bucket: 'acme-exports', S3KeyPrefix: 'orders/2026-11/' },
        InputFormat: 'CSV',
        InputCompressionType: 'GZIP',
        InputFormatOptions: { Csv: { Delimiter: ';', HeaderList: ['pk', 'sk', 'status'] } },
      }),
    );
    expect(input.TableCreationParameters!.SSESpecification).toEqual({ Enabled: true, SSEType: 'KMS', KMSMasterKeyId: KEY_ARN });
    const { SSESpecification: _sse, ...creation } = input.TableCreationParameters!;
    await client.send(new CreateTableCommand(creation));
    created.push(creation.TableName!);
    const table = await waitForTableActive(client, creation.TableName!);
    expect(table.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['by-status']);
  });

  test('RestoreTableToPointInTime: source, time and the overrides that carry the guardrails (DynamoDB Local has no backups: translation only)', () => {
    const input = terraformToRestoreInput(tableOf({ source: { restoreFromPointInTime: { sourceTableArn: SOURCE_ARN } } }));
    expect(input).toEqual(
      expect.objectContaining({
        SourceTableArn: SOURCE_ARN,
        TargetTableName: 'Orders',
        UseLatestRestorableTime: true,
        BillingModeOverride: 'PAY_PER_REQUEST',
        SSESpecificationOverride: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: KEY_ARN },
      }),
    );
    expect(input.GlobalSecondaryIndexOverride?.map((index) => index.IndexName)).toEqual(['by-status']);
  });
});

test("a catalog table cannot both adopt an existing table and create one from a source (negative control: the source alone synthesizes)", () => {
  const withSource = (catalog: Catalog): Catalog => ({
    ...catalog,
    tables: catalog.tables.map((table) => (table.id === 'documents' ? { ...table, source: { restoreFromPointInTime: { sourceTableName: 'AuditFlow-Documents-old' } } } : table)),
  });
  expect(errorMessageOf(() => synthEnvironment(withSource(auditFlowCatalog), 'prod'))).toBe(
    "catalog 'auditflow': tables.documents.source = 'restoreFromPointInTime': importExisting adopts a table that exists; a source creates a new one: use one of them",
  );
  expect(synthEnvironment(withSource(auditFlowCatalog), 'staging').resource!.aws_dynamodb_table.documents.restore_to_latest_time).toBe(true);
});
