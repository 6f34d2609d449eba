/**
 * Every table of every synthesized stack is created in AWS's DynamoDB Local (catching what Terraform only finds at
 * apply time: attribute definitions that do not match keys, index key types, name rules), and each catalog's
 * declared access patterns return the expected items in the expected order.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DeleteTableCommand, PutItemCommand, QueryCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { shippedCatalogs } from '../../stacks/app';

const CATALOGS = shippedCatalogs();
import { synthesizeAll } from '../../stacks/synth';
import { ACCESS_PATTERN_SAMPLES } from '../fixtures/access-pattern-samples';
import type { AccessPattern, Catalog } from '../../stacks/catalogs/types';
import { generatedSamples, SAMPLE_MARKER } from '../support/dynamodb-local/generated-samples';
import { createTableFromTerraform, deleteTablesQuietly, localDynamoDbClient, localDynamoDbStreamsClient, uniqueTableName } from '../support/dynamodb-local/client';
import { synthEnvironment } from '../support/synth';

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-ddb-local-'));
const stacks = synthesizeAll({ outdir: 'out', cwd, env: {} });
let client: DynamoDBClient;
const created: string[] = [];

beforeAll(() => {
  client = localDynamoDbClient();
});
afterAll(async () => {
  await deleteTablesQuietly(client, created);
  client.destroy();
  fs.rmSync(cwd, { recursive: true, force: true });
});

function tablesOf(stack: string): Array<[string, any]> {
  const json = JSON.parse(fs.readFileSync(path.join(cwd, 'out/stacks', stack, 'cdk.tf.json'), 'utf8'));
  return Object.entries(json.resource?.aws_dynamodb_table ?? {});
}

let createdCount = 0;

/** The synthesized name itself (plus a suffix unique in this shared DynamoDB Local), so DynamoDB checks the real name. */
function realNameOf(body: any): string {
  createdCount += 1;
  return `${body.name}.${process.pid}-${createdCount}`;
}

async function create(label: string, body: any, tableName = uniqueTableName(label)): Promise<string> {
  created.push(tableName);
  await createTableFromTerraform(client, body, { tableName });
  return tableName;
}

describe.each(stacks)('%s: every table is accepted by DynamoDB Local', (stack) => {
  test.each(tablesOf(stack))('%s', async (address, body) => {
    const tableName = await create(address, body, realNameOf(body));
    const described = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table!;
    expect(described.TableStatus).toBe('ACTIVE');
    expect((described.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName).sort()).toEqual(
      (body.global_secondary_index ?? []).map((index: any) => index.name).sort(),
    );
    expect(described.DeletionProtectionEnabled).toBe(body.deletion_protection_enabled);
    expect(described.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(described.BillingModeSummary?.BillingMode ?? 'PROVISIONED').toBe(body.billing_mode);
  });
});

/** The tables of a catalog created from its dev synthesis, with these items in them; resolves to table names by id. */
function tablesWithItems(catalog: Catalog, itemsOf: (tableId: string) => ReadonlyArray<Record<string, unknown>>): Map<string, string> {
  const json = synthEnvironment(catalog, 'dev');
  const tableNames = new Map<string, string>();
  beforeAll(async () => {
    for (const table of catalog.tables) {
      const tableName = await create(`${catalog.name}-${table.id}`, json.resource!.aws_dynamodb_table[table.id]);
      tableNames.set(table.id, tableName);
      for (const item of itemsOf(table.id)) await client.send(new PutItemCommand({ TableName: tableName, Item: marshall(item) }));
    }
  });
  return tableNames;
}

async function query(tableNames: ReadonlyMap<string, string>, pattern: AccessPattern): Promise<Array<Record<string, unknown>>> {
  const result = await client.send(
    new QueryCommand({
      TableName: tableNames.get(pattern.table),
      IndexName: pattern.indexName,
      KeyConditionExpression: pattern.keyConditionExpression,
      ExpressionAttributeNames: pattern.expressionAttributeNames ? { ...pattern.expressionAttributeNames } : undefined,
      ExpressionAttributeValues: marshall({ ...pattern.expressionAttributeValues }),
      ScanIndexForward: pattern.scanIndexForward,
    }),
  );
  return (result.Items ?? []).map((item) => unmarshall(item));
}

const withSamples = CATALOGS.filter((catalog) => ACCESS_PATTERN_SAMPLES[catalog.name] !== undefined);
// Every catalog, also those with sample items: the generator itself is checked on the seeds' patterns.
const withPatterns = CATALOGS.filter((catalog) => catalog.accessPatterns.length > 0);

describe.each(withSamples.map((catalog) => [catalog.name, catalog] as const))('%s access patterns (sample items of the seeds)', (catalogName, catalog) => {
  const samples = ACCESS_PATTERN_SAMPLES[catalogName];
  const tableNames = tablesWithItems(catalog, (tableId) => samples.items[tableId] ?? []);

  test('every declared pattern has sample items and an expected result', () => {
    expect(Object.keys(samples.expected).sort()).toEqual(catalog.accessPatterns.map((p) => p.id).sort());
  });

  test.each(catalog.accessPatterns.map((pattern) => [pattern.id, pattern] as const))('%s returns the expected items in order', async (id, pattern) => {
    const { resultKey, values } = samples.expected[id];
    expect((await query(tableNames, pattern)).map((item) => String(item[resultKey]))).toEqual(values);
  });
});

describe.each(withPatterns.map((catalog) => [catalog.name, catalog] as const))('%s access patterns (items generated from the key schema)', (_name, catalog) => {
  const samples = generatedSamples(catalog);
  const tableNames = tablesWithItems(catalog, (tableId) => samples.filter((sample) => sample.pattern.table === tableId).map((sample) => sample.item));

  test.each(samples.map((sample) => [sample.pattern.id, sample] as const))('%s finds the item made for it', async (_id, sample) => {
    expect((await query(tableNames, sample.pattern)).map((item) => item[SAMPLE_MARKER])).toContain(sample.pattern.id);
  });
});

describe('generated samples (negative control)', () => {
  const [catalog] = CATALOGS.filter((candidate) => candidate.accessPatterns.some((pattern) => pattern.indexName));
  const pattern = catalog.accessPatterns.find((candidate) => candidate.indexName)!;
  // The same pattern against an index whose key is another attribute: the generated item is not found.
  const table = catalog.tables.find((candidate) => candidate.id === pattern.table)!;
  const renamed: Catalog = {
    ...catalog,
    tables: catalog.tables.map((candidate) =>
      candidate !== table ? candidate : { ...candidate, globalSecondaryIndexes: candidate.globalSecondaryIndexes!.map((index) => (index.indexName === pattern.indexName ? { ...index, partitionKey: { ...index.partitionKey, name: `${index.partitionKey.name}_renamed` } } : index)) },
    ),
  };
  const samples = generatedSamples(catalog);
  const tableNames = tablesWithItems(renamed, (tableId) => samples.filter((sample) => sample.pattern.table === tableId).map((sample) => sample.item));

  test(`${pattern.id} on an index keyed by another attribute is refused or finds nothing`, async () => {
    const found = await query(tableNames, pattern).then(
      (items) => items.map((item) => item[SAMPLE_MARKER]),
      (error: Error) => [error.name],
    );
    expect(found).not.toContain(pattern.id);
  });
});

test("seed 002's literal pattern 3 (`status = :status`) is rejected: status is a reserved word", async () => {
  const auditflow = CATALOGS.find((catalog) => catalog.name === 'auditflow')!;
  const body = synthEnvironment(auditflow, 'dev').resource!.aws_dynamodb_table.audit_records;
  const tableName = await create('reserved-word', body);
  const query = new QueryCommand({
    TableName: tableName,
    IndexName: 'risk_score-audit_timestamp-index',
    KeyConditionExpression: 'status = :status AND risk_score > :threshold',
    ExpressionAttributeValues: marshall({ ':status': 'COMPLETED', ':threshold': 50 }),
  });
  await expect(client.send(query)).rejects.toThrow(/reserved keyword: status/);
});

test('a table broken by an escape-hatch override (an attribute definition no key uses) is rejected by DynamoDB Local', async () => {
  const [catalog] = CATALOGS;
  const body = synthEnvironment(catalog, 'dev').resource!.aws_dynamodb_table[catalog.tables[0].id];
  const broken = { ...body, attribute: [...body.attribute, { name: 'file_size_bytes', type: 'N' }] };
  await expect(create('unused-attribute', broken)).rejects.toThrow(/attributes in key schema must match the number of attributes defined in attribute definitions/);
});

describe('runtime behaviour of a synthesized table', () => {
  const [catalog] = CATALOGS;
  const [spec] = catalog.tables;
  const body = synthEnvironment(catalog, 'prod').resource!.aws_dynamodb_table[spec.id];

  test('deletion protection blocks DeleteTable', async () => {
    const tableName = await create('protected', body);
    await expect(client.send(new DeleteTableCommand({ TableName: tableName }))).rejects.toThrow(/deletion protection/i);
  });

  test('a write produces a stream record with old and new images', async () => {
    const tableName = await create('streamed', body);
    const key = spec.partitionKey.name;
    await client.send(new PutItemCommand({ TableName: tableName, Item: marshall({ [key]: 'item-1', note: 'first' }) }));
    const streamArn = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table!.LatestStreamArn!;
    const streams = localDynamoDbStreamsClient();
    try {
      const shard = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards![0];
      const iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      const records = (await streams.send(new GetRecordsCommand({ ShardIterator: iterator }))).Records ?? [];
      expect(records.map((record) => record.eventName)).toEqual(['INSERT']);
      expect(records[0].dynamodb?.StreamViewType).toBe('NEW_AND_OLD_IMAGES');
      expect(records[0].dynamodb?.NewImage?.note).toEqual({ S: 'first' });
    } finally {
      streams.destroy();
    }
  });
});
