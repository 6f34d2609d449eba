/**
 * The DynamoDB Local harness itself: the Terraform-JSON → CreateTable translator (pure unit tests), and the real
 * DynamoDB Local started by the Jest global setup (tables created from hand-written resource bodies).
 */
import {
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  PutItemCommand,
  QueryCommand,
  UpdateTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import {
  createTableFromTerraform,
  deleteTablesQuietly,
  localDynamoDbClient,
  localDynamoDbEndpoint,
  localDynamoDbStreamsClient,
  uniqueTableName,
} from '../support/dynamodb-local/client';
import {
  TerraformTranslationError,
  terraformToCreateTableInput,
  updateTimeToLiveInput,
  type TerraformDynamoDbTableBody,
} from '../support/dynamodb-local/terraform-to-create-table';

/** A pay-per-request table with a GSI (INCLUDE), an LSI (KEYS_ONLY), streams, TTL and ignorable extras. */
const ordersTable: TerraformDynamoDbTableBody = {
  '//': { metadata: { path: 'stack/orders/table', uniqueId: 'orders_table' } },
  name: 'orders',
  billing_mode: 'PAY_PER_REQUEST',
  hash_key: 'pk',
  range_key: 'sk',
  attribute: [
    { name: 'pk', type: 'S' },
    { name: 'sk', type: 'S' },
    { name: 'tenant', type: 'S' },
    { name: 'createdAt', type: 'N' },
    { name: 'status', type: 'S' },
  ],
  global_secondary_index: [
    {
      name: 'by-tenant-created',
      hash_key: 'tenant',
      range_key: 'createdAt',
      projection_type: 'INCLUDE',
      non_key_attributes: ['total'],
    },
  ],
  local_secondary_index: [{ name: 'by-status', range_key: 'status', projection_type: 'KEYS_ONLY' }],
  stream_enabled: true,
  stream_view_type: 'NEW_AND_OLD_IMAGES',
  deletion_protection_enabled: false,
  table_class: 'STANDARD',
  ttl: { attribute_name: 'expiresAt', enabled: true },
  point_in_time_recovery: { enabled: true },
  server_side_encryption: { enabled: true, kms_key_arn: '${aws_kms_key.orders.arn}' },
  replica: [{ region_name: 'eu-west-1', kms_key_arn: '${aws_kms_key.replica.arn}' }],
  tags: { owner: '${var.owner}' },
  lifecycle: { prevent_destroy: true },
};

/** A provisioned table whose GSI carries its own capacity. */
const provisionedTable: TerraformDynamoDbTableBody = {
  name: 'ledger',
  hash_key: 'id',
  read_capacity: 5,
  write_capacity: 3,
  attribute: [
    { name: 'id', type: 'S' },
    { name: 'account', type: 'S' },
  ],
  global_secondary_index: [
    { name: 'by-account', hash_key: 'account', projection_type: 'ALL', read_capacity: 2, write_capacity: 1 },
  ],
};

describe('terraform-to-create-table', () => {
  it('maps keys and passes attribute definitions through exactly, in order', () => {
    const input = terraformToCreateTableInput(ordersTable);
    expect(input.TableName).toBe('orders');
    expect(input.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(input.AttributeDefinitions).toEqual([
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'tenant', AttributeType: 'S' },
      { AttributeName: 'createdAt', AttributeType: 'N' },
      { AttributeName: 'status', AttributeType: 'S' },
    ]);
  });

  it('does not repair attribute definitions (unused, missing or odd types stay as synthesized)', () => {
    const input = terraformToCreateTableInput({
      name: 't',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'id',
      attribute: [
        { name: 'unused', type: 'S' },
        { name: 'other', type: 'BOOL' },
      ],
    });
    expect(input.AttributeDefinitions).toEqual([
      { AttributeName: 'unused', AttributeType: 'S' },
      { AttributeName: 'other', AttributeType: 'BOOL' },
    ]);
    expect(terraformToCreateTableInput({ name: 't', billing_mode: 'PAY_PER_REQUEST', hash_key: 'id' }).AttributeDefinitions).toEqual([]);
  });

  it('maps GSI and LSI key schemas and projections, including INCLUDE with non_key_attributes', () => {
    const input = terraformToCreateTableInput(ordersTable);
    expect(input.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'by-tenant-created',
        KeySchema: [
          { AttributeName: 'tenant', KeyType: 'HASH' },
          { AttributeName: 'createdAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] },
      },
    ]);
    expect(input.LocalSecondaryIndexes).toEqual([
      {
        IndexName: 'by-status',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'status', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ]);
  });

  it('passes non_key_attributes through even when the projection type does not allow them', () => {
    const input = terraformToCreateTableInput({
      ...provisionedTable,
      global_secondary_index: [{ name: 'g1', hash_key: 'account', projection_type: 'ALL', non_key_attributes: ['x'], read_capacity: 1, write_capacity: 1 }],
    });
    expect(input.GlobalSecondaryIndexes?.[0]?.Projection).toEqual({ ProjectionType: 'ALL', NonKeyAttributes: ['x'] });
  });

  it('sends provisioned throughput for the table and each GSI only when PROVISIONED (the default)', () => {
    const provisioned = terraformToCreateTableInput(provisionedTable);
    expect(provisioned.BillingMode).toBe('PROVISIONED');
    expect(provisioned.ProvisionedThroughput).toEqual({ ReadCapacityUnits: 5, WriteCapacityUnits: 3 });
    expect(provisioned.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput).toEqual({ ReadCapacityUnits: 2, WriteCapacityUnits: 1 });

    // Like the provider: unset capacities under PROVISIONED are sent as 0 (DynamoDB rejects them).
    const missing = terraformToCreateTableInput({ name: 't', hash_key: 'id', attribute: [{ name: 'id', type: 'S' }] });
    expect(missing.ProvisionedThroughput).toEqual({ ReadCapacityUnits: 0, WriteCapacityUnits: 0 });

    const onDemand = terraformToCreateTableInput({
      ...provisionedTable,
      billing_mode: 'PAY_PER_REQUEST',
      on_demand_throughput: { max_read_request_units: 100, max_write_request_units: 50 },
      global_secondary_index: [
        {
          name: 'by-account',
          hash_key: 'account',
          projection_type: 'ALL',
          read_capacity: 2,
          write_capacity: 1,
          on_demand_throughput: { max_read_request_units: 10, max_write_request_units: 5 },
        },
      ],
    });
    expect(onDemand.BillingMode).toBe('PAY_PER_REQUEST');
    expect(onDemand.ProvisionedThroughput).toBeUndefined();
    expect(onDemand.OnDemandThroughput).toEqual({ MaxReadRequestUnits: 100, MaxWriteRequestUnits: 50 });
    expect(onDemand.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput).toBeUndefined();
    expect(onDemand.GlobalSecondaryIndexes?.[0]?.OnDemandThroughput).toEqual({ MaxReadRequestUnits: 10, MaxWriteRequestUnits: 5 });
  });

  it('maps the stream specification only when stream_enabled is true', () => {
    expect(terraformToCreateTableInput(ordersTable).StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(terraformToCreateTableInput({ ...ordersTable, stream_enabled: false }).StreamSpecification).toBeUndefined();
    const { stream_enabled: _enabled, stream_view_type: _viewType, ...noStream } = ordersTable;
    expect(terraformToCreateTableInput(noStream).StreamSpecification).toBeUndefined();
  });

  it('maps deletion protection and table class, and accepts Terraform-style string scalars', () => {
    const input = terraformToCreateTableInput({
      ...provisionedTable,
      read_capacity: '7',
      deletion_protection_enabled: 'true',
      table_class: 'STANDARD_INFREQUENT_ACCESS',
    });
    expect(input.DeletionProtectionEnabled).toBe(true);
    expect(input.TableClass).toBe('STANDARD_INFREQUENT_ACCESS');
    expect(input.ProvisionedThroughput).toEqual({ ReadCapacityUnits: 7, WriteCapacityUnits: 3 });
  });

  it('ignores fields CreateTable does not need, even when they hold references', () => {
    const input = terraformToCreateTableInput(ordersTable);
    expect(Object.keys(input).sort()).toEqual(
      [
        'AttributeDefinitions',
        'BillingMode',
        'DeletionProtectionEnabled',
        'GlobalSecondaryIndexes',
        'KeySchema',
        'LocalSecondaryIndexes',
        'StreamSpecification',
        'TableClass',
        'TableName',
      ].sort(),
    );
  });

  it('overrides the table name and then no longer needs a literal name', () => {
    expect(terraformToCreateTableInput(ordersTable, { tableName: 'orders-x1' }).TableName).toBe('orders-x1');
    const tokenName = { ...ordersTable, name: '${var.prefix}-orders' };
    expect(() => terraformToCreateTableInput(tokenName)).toThrow(/aws_dynamodb_table\.name is an unresolved Terraform reference/);
    expect(terraformToCreateTableInput(tokenName, { tableName: 'orders-x2' }).TableName).toBe('orders-x2');
  });

  it.each<[string, TerraformDynamoDbTableBody, RegExp]>([
    ['hash_key', { ...ordersTable, hash_key: '${local.pk}' }, /aws_dynamodb_table\.hash_key is an unresolved/],
    ['an attribute type', { ...ordersTable, attribute: [{ name: 'pk', type: '${var.t}' }] }, /attribute\[0\]\.type is an unresolved/],
    ['the attribute list', { ...ordersTable, attribute: '${local.attributes}' }, /aws_dynamodb_table\.attribute is an unresolved/],
    [
      'a GSI hash key',
      { ...ordersTable, global_secondary_index: [{ name: 'g1', hash_key: '${var.k}', projection_type: 'ALL' }] },
      /global_secondary_index\[0\]\.hash_key is an unresolved/,
    ],
    ['a capacity', { ...provisionedTable, read_capacity: '${var.rcu}' }, /read_capacity is an unresolved/],
    ['stream_enabled', { ...ordersTable, stream_enabled: '${var.streams}' }, /stream_enabled is an unresolved/],
  ])('throws a clear error for a reference in %s', (_label, body, message) => {
    expect(() => terraformToCreateTableInput(body)).toThrow(TerraformTranslationError);
    expect(() => terraformToCreateTableInput(body)).toThrow(message);
  });

  it('rejects unknown fields and tables that CreateTable does not make', () => {
    expect(() => terraformToCreateTableInput({ ...ordersTable, hash_keys: 'pk' })).toThrow(/hash_keys: unknown field/);
    expect(() =>
      terraformToCreateTableInput({ ...ordersTable, global_secondary_index: [{ name: 'g1', hash_key: 'tenant', projection_type: 'ALL', projection: 'x' }] }),
    ).toThrow(/global_secondary_index\[0\]\.projection: unknown field/);
    expect(() => terraformToCreateTableInput({ ...ordersTable, restore_source_name: 'old' })).toThrow(/not supported/);
    expect(() => terraformToCreateTableInput({ ...ordersTable, hash_key: undefined })).toThrow(/hash_key is required/);
  });

  it('builds UpdateTimeToLive input only when ttl.enabled is true', () => {
    expect(updateTimeToLiveInput(ordersTable)).toEqual({
      TableName: 'orders',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    expect(updateTimeToLiveInput(ordersTable, { tableName: 'o2' })?.TableName).toBe('o2');
    expect(updateTimeToLiveInput({ ...ordersTable, ttl: [{ attribute_name: 'expiresAt', enabled: true }] })).toBeDefined();
    expect(updateTimeToLiveInput({ ...ordersTable, ttl: { attribute_name: 'expiresAt', enabled: false } })).toBeUndefined();
    expect(updateTimeToLiveInput(provisionedTable)).toBeUndefined();
    expect(() => updateTimeToLiveInput({ ...ordersTable, ttl: { attribute_name: '${var.ttl}', enabled: true } })).toThrow(
      /ttl\.attribute_name is an unresolved/,
    );
  });
});

describe('DynamoDB Local', () => {
  let client: DynamoDBClient;
  let streams: DynamoDBStreamsClient;
  const created = new Set<string>();

  /** A unique table name for this file, remembered for cleanup. */
  const tableName = (label: string) => {
    const name = uniqueTableName(`harness-${label}`);
    created.add(name);
    return name;
  };

  beforeAll(() => {
    client = localDynamoDbClient();
    streams = localDynamoDbStreamsClient();
  });

  afterAll(async () => {
    await deleteTablesQuietly(client, created);
    client?.destroy();
    streams?.destroy();
  });

  it('listens on the loopback address the global setup published', () => {
    expect(localDynamoDbEndpoint()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('creates a table from a resource body and it becomes ACTIVE', async () => {
    const name = tableName('orders');
    const table = await createTableFromTerraform(client, ordersTable, { tableName: name });

    expect(table.TableStatus).toBe('ACTIVE');
    expect(table.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table.GlobalSecondaryIndexes?.map((gsi) => [gsi.IndexName, gsi.IndexStatus, gsi.Projection])).toEqual([
      ['by-tenant-created', 'ACTIVE', { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] }],
    ]);
    expect(table.LocalSecondaryIndexes?.map((lsi) => [lsi.IndexName, lsi.Projection?.ProjectionType])).toEqual([['by-status', 'KEYS_ONLY']]);
    expect(table.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(table.LatestStreamArn).toBeTruthy();

    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
    expect(ttl.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  it('creates a provisioned table with per-GSI throughput', async () => {
    const name = tableName('ledger');
    const table = await createTableFromTerraform(client, provisionedTable, { tableName: name });
    expect(table.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 3 });
    expect(table.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 2, WriteCapacityUnits: 1 });
  });

  it('rejects an attribute definition that no key or index uses', async () => {
    const name = tableName('unused-attr');
    const body: TerraformDynamoDbTableBody = {
      name: 'unused-attr',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'pk',
      attribute: [
        { name: 'pk', type: 'S' },
        { name: 'email', type: 'S' },
      ],
    };
    await expect(createTableFromTerraform(client, body, { tableName: name })).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/attribute definitions/i),
    });
    await expect(client.send(new DescribeTableCommand({ TableName: name }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('rejects PROVISIONED billing without capacities, as the provider would send it', async () => {
    const name = tableName('no-capacity');
    const body: TerraformDynamoDbTableBody = { name: 'x', hash_key: 'id', attribute: [{ name: 'id', type: 'S' }] };
    await expect(createTableFromTerraform(client, body, { tableName: name })).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/throughput/i),
    });
  });

  it('blocks DeleteTable while deletion protection is on, and deletes once it is turned off', async () => {
    const name = tableName('protected');
    await createTableFromTerraform(client, { ...provisionedTable, deletion_protection_enabled: true }, { tableName: name });

    await expect(client.send(new DeleteTableCommand({ TableName: name }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/protected against deletion/i),
    });
    expect((await client.send(new DescribeTableCommand({ TableName: name }))).Table?.DeletionProtectionEnabled).toBe(true);

    await client.send(new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: false }));
    await client.send(new DeleteTableCommand({ TableName: name }));
    await expect(client.send(new DescribeTableCommand({ TableName: name }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('emits a stream record with the new image for a PutItem', async () => {
    const name = tableName('streamed');
    const table = await createTableFromTerraform(client, ordersTable, { tableName: name });
    const item = {
      pk: { S: 'ORDER#1' },
      sk: { S: 'v1' },
      tenant: { S: 'acme' },
      createdAt: { N: '1700000000' },
      total: { N: '42' },
    };
    await client.send(new PutItemCommand({ TableName: name, Item: item }));

    const records = await readStreamRecords(streams, table.LatestStreamArn!);
    expect(records).toHaveLength(1);
    expect(records[0]?.eventName).toBe('INSERT');
    expect(records[0]?.dynamodb?.Keys).toEqual({ pk: { S: 'ORDER#1' }, sk: { S: 'v1' } });
    expect(records[0]?.dynamodb?.NewImage).toEqual(item);
    expect(records[0]?.dynamodb?.OldImage).toBeUndefined();
  });

  it('queries a GSI in sort-key order and projects only INCLUDEd attributes', async () => {
    const name = tableName('gsi-order');
    await createTableFromTerraform(client, ordersTable, { tableName: name });
    for (const createdAt of [30, 10, 40, 20]) {
      await client.send(
        new PutItemCommand({
          TableName: name,
          Item: {
            pk: { S: `ORDER#${createdAt}` },
            sk: { S: 'v1' },
            tenant: { S: 'acme' },
            createdAt: { N: String(createdAt) },
            total: { N: String(createdAt * 2) },
            note: { S: 'not projected' },
          },
        }),
      );
    }
    await client.send(
      new PutItemCommand({ TableName: name, Item: { pk: { S: 'ORDER#other' }, sk: { S: 'v1' }, tenant: { S: 'globex' }, createdAt: { N: '15' } } }),
    );

    const query = (ascending: boolean) =>
      client.send(
        new QueryCommand({
          TableName: name,
          IndexName: 'by-tenant-created',
          KeyConditionExpression: 'tenant = :t',
          ExpressionAttributeValues: { ':t': { S: 'acme' } },
          ScanIndexForward: ascending,
        }),
      );

    const ascending = await query(true);
    expect(ascending.Items?.map((i) => Number(i.createdAt?.N))).toEqual([10, 20, 30, 40]);
    expect((await query(false)).Items?.map((i) => Number(i.createdAt?.N))).toEqual([40, 30, 20, 10]);

    const first = ascending.Items?.[0] ?? {};
    expect(Object.keys(first).sort()).toEqual(['createdAt', 'pk', 'sk', 'tenant', 'total']);
    expect(first.total).toEqual({ N: '20' });
  });
});

/** Reads every record of every shard from TRIM_HORIZON (retrying briefly until at least one record shows up). */
async function readStreamRecords(streams: DynamoDBStreamsClient, streamArn: string): Promise<StreamRecord[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const records: StreamRecord[] = [];
    const { StreamDescription: description } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of description?.Shards ?? []) {
      let iterator = (
        await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))
      ).ShardIterator;
      // An open shard always returns a next iterator; stop at the first empty page.
      while (iterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        records.push(...(page.Records ?? []));
        if (!page.Records?.length) break;
        iterator = page.NextShardIterator;
      }
    }
    if (records.length > 0 || Date.now() > deadline) return records;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
