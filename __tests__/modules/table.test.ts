import { Billing, Capacity } from '../../modules/capacity';
import { existingKey } from '../../modules/encryption';
import { CREATE_TIME_ARGUMENTS, SecureTable, SecureTableProps } from '../../modules/table';
import { onlyResource, synthConstructs } from '../support/synth';
import { errorMessageOf } from '../support/errors';

const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function baseProps(): SecureTableProps {
  return {
    tableName: 'Orders',
    partitionKey: { name: 'pk', type: 'S' },
    encryptionKey: existingKey('test', KEY_ARN),
  };
}

function synthTable(overrides: Partial<SecureTableProps> = {}): any {
  const json = synthConstructs((stack) => new SecureTable(stack, 'orders', { ...baseProps(), ...overrides }));
  return onlyResource(json, 'aws_dynamodb_table');
}

function tableError(overrides: Partial<SecureTableProps>): string {
  return errorMessageOf(() => synthTable(overrides));
}

describe('SecureTable secure defaults', () => {
  const table = synthTable();

  test('encrypts with the customer-managed key (dynamodb:001)', () => {
    expect(table.server_side_encryption).toEqual({ enabled: true, kms_key_arn: KEY_ARN });
  });

  test('turns on PITR for 35 days (dynamodb:002)', () => {
    expect(table.point_in_time_recovery).toEqual({ enabled: true, recovery_period_in_days: 35 });
  });

  test('turns on deletion protection (dynamodb:003) without prevent_destroy', () => {
    expect(table.deletion_protection_enabled).toBe(true);
    // Only the create-time arguments (source) are ignored; prevent_destroy is off by default.
    expect(table.lifecycle).toEqual({ ignore_changes: CREATE_TIME_ARGUMENTS });
  });

  test('is on-demand with no request-unit cap', () => {
    expect(table.billing_mode).toBe('PAY_PER_REQUEST');
    expect(table.on_demand_throughput).toBeUndefined();
    expect(table.read_capacity).toBeUndefined();
  });

  test('streams NEW_AND_OLD_IMAGES (dynamodb:013)', () => {
    expect(table.stream_enabled).toBe(true);
    expect(table.stream_view_type).toBe('NEW_AND_OLD_IMAGES');
  });

  test('uses the STANDARD table class and no TTL unless asked', () => {
    expect(table.table_class).toBe('STANDARD');
    expect(table.ttl).toBeUndefined();
  });

  test('derives the attribute definitions from the key only', () => {
    expect(table.hash_key).toBe('pk');
    expect(table.range_key).toBeUndefined();
    expect(table.attribute).toEqual([{ name: 'pk', type: 'S' }]);
  });

  test('has a Terraform address derived from the construct id', () => {
    const json = synthConstructs((stack) => new SecureTable(stack, 'orders', baseProps()));
    expect(Object.keys(json.resource!.aws_dynamodb_table)).toEqual(['orders']);
  });
});

describe('SecureTable options', () => {
  test('sort key, GSIs and LSIs: one attribute definition per distinct key attribute', () => {
    const table = synthTable({
      sortKey: { name: 'sk', type: 'S' },
      globalSecondaryIndexes: [
        { indexName: 'by-customer', partitionKey: { name: 'customer_id', type: 'S' }, sortKey: { name: 'created', type: 'N' } },
        { indexName: 'by-status', partitionKey: { name: 'status', type: 'S' }, sortKey: { name: 'created', type: 'N' }, projection: 'KEYS_ONLY' },
        { indexName: 'by-region', partitionKey: { name: 'region', type: 'S' }, projection: 'INCLUDE', nonKeyAttributes: ['total', 'currency'] },
      ],
      localSecondaryIndexes: [{ indexName: 'by-amount', sortKey: { name: 'amount', type: 'N' }, projection: 'INCLUDE', nonKeyAttributes: ['currency'] }],
    });
    expect(table.range_key).toBe('sk');
    expect(table.attribute).toEqual([
      { name: 'pk', type: 'S' },
      { name: 'sk', type: 'S' },
      { name: 'customer_id', type: 'S' },
      { name: 'created', type: 'N' },
      { name: 'status', type: 'S' },
      { name: 'region', type: 'S' },
      { name: 'amount', type: 'N' },
    ]);
    expect(table.global_secondary_index).toEqual([
      { name: 'by-customer', hash_key: 'customer_id', range_key: 'created', projection_type: 'ALL' },
      { name: 'by-status', hash_key: 'status', range_key: 'created', projection_type: 'KEYS_ONLY' },
      { name: 'by-region', hash_key: 'region', projection_type: 'INCLUDE', non_key_attributes: ['total', 'currency'] },
    ]);
    expect(table.local_secondary_index).toEqual([
      { name: 'by-amount', range_key: 'amount', projection_type: 'INCLUDE', non_key_attributes: ['currency'] },
    ]);
  });

  test('on-demand max request units on the table and on a GSI', () => {
    const table = synthTable({
      billing: Billing.onDemand({ maxReadRequestUnits: 1000, maxWriteRequestUnits: 500 }),
      globalSecondaryIndexes: [{ indexName: 'by-status', partitionKey: { name: 'status', type: 'S' }, maxReadRequestUnits: 200 }],
    });
    expect(table.on_demand_throughput).toEqual({ max_read_request_units: 1000, max_write_request_units: 500 });
    expect(table.global_secondary_index[0].on_demand_throughput).toEqual({ max_read_request_units: 200 });
  });

  test('fixed provisioned capacity (with a waiver) is applied to the table and inherited by GSIs', () => {
    const table = synthTable({
      billing: Billing.provisioned({ readCapacity: Capacity.fixed(5), writeCapacity: Capacity.fixed(3), fixedCapacityWaiver: 'steady batch load, reviewed 2026-Q4' }),
      globalSecondaryIndexes: [
        { indexName: 'by-status', partitionKey: { name: 'status', type: 'S' } },
        { indexName: 'by-owner', partitionKey: { name: 'owner', type: 'S' }, readCapacity: Capacity.fixed(10) },
      ],
    });
    expect(table.billing_mode).toBe('PROVISIONED');
    expect([table.read_capacity, table.write_capacity]).toEqual([5, 3]);
    expect(table.global_secondary_index.map((g: any) => [g.read_capacity, g.write_capacity])).toEqual([[5, 3], [10, 3]]);
  });

  test('table class, TTL, stream view type, PITR days', () => {
    const table = synthTable({ tableClass: 'STANDARD_INFREQUENT_ACCESS', timeToLiveAttribute: 'expires_at', stream: 'KEYS_ONLY', pointInTimeRecoveryDays: 7 });
    expect(table.table_class).toBe('STANDARD_INFREQUENT_ACCESS');
    expect(table.ttl).toEqual({ attribute_name: 'expires_at', enabled: true });
    expect(table.stream_view_type).toBe('KEYS_ONLY');
    expect(table.point_in_time_recovery).toEqual({ enabled: true, recovery_period_in_days: 7 });
  });

  test('streams, PITR and deletion protection can be turned off explicitly', () => {
    const table = synthTable({ stream: false, pointInTimeRecovery: false, deletionProtection: false });
    expect(table.stream_enabled).toBe(false);
    expect(table.stream_view_type).toBeUndefined();
    expect(table.point_in_time_recovery).toEqual({ enabled: false });
    expect(table.deletion_protection_enabled).toBe(false);
  });

  test('preventDestroy adds lifecycle.prevent_destroy; tags are passed through', () => {
    const table = synthTable({ preventDestroy: true, tags: { DataClassification: 'confidential' } });
    expect(table.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: CREATE_TIME_ARGUMENTS });
    expect(table.tags).toEqual({ DataClassification: 'confidential' });
  });
});

describe('SecureTable validation', () => {
  const gsi = (indexName: string, partition = 'g', type: 'S' | 'N' = 'S') => ({ indexName, partitionKey: { name: partition, type } });
  const lsi = (indexName: string) => ({ indexName, sortKey: { name: `${indexName}_sk`, type: 'S' as const } });

  test.each([
    ['too short', 'ab', "test/orders: tableName = 'ab': must be 3 to 255 characters long, got 2"],
    ['too long', 'x'.repeat(256), `test/orders: tableName = '${'x'.repeat(256)}': must be 3 to 255 characters long, got 256`],
    ['bad characters', 'orders table!', "test/orders: tableName = 'orders table!': may contain only letters, digits, '_', '-' and '.'"],
  ])('table name %s', (_case, tableName, message) => {
    expect(tableError({ tableName })).toBe(message);
  });

  test('index names follow the same rules', () => {
    expect(tableError({ globalSecondaryIndexes: [gsi('ix')] })).toBe(
      "test/orders: globalSecondaryIndexes['ix'].indexName = 'ix': must be 3 to 255 characters long, got 2",
    );
  });

  test('more than 20 GSIs', () => {
    const many = Array.from({ length: 21 }, (_, i) => gsi(`index-${i}`));
    expect(tableError({ globalSecondaryIndexes: many })).toMatch(/^test\/orders: globalSecondaryIndexes = \[.*\]: a table can have at most 20 global secondary indexes, got 21$/);
  });

  test('more than 5 LSIs', () => {
    const many = Array.from({ length: 6 }, (_, i) => lsi(`local-${i}`));
    expect(tableError({ sortKey: { name: 'sk', type: 'S' }, localSecondaryIndexes: many })).toMatch(
      /^test\/orders: localSecondaryIndexes = \[.*\]: a table can have at most 5 local secondary indexes, got 6$/,
    );
  });

  test('an LSI needs a table sort key', () => {
    expect(tableError({ localSecondaryIndexes: [lsi('by-date')] })).toBe(
      'test/orders: localSecondaryIndexes = ["by-date"]: local secondary indexes need a table sort key; add sortKey to the table or use a global secondary index',
    );
  });

  test('an attribute used with two different types', () => {
    expect(tableError({ globalSecondaryIndexes: [gsi('by-pk-number', 'pk', 'N')] })).toBe(
      "test/orders: type of key attribute 'pk' = 'N': the partition key of GSI 'by-pk-number' uses 'pk' with type N, but the table partition key defines it as S; an attribute has one type per table",
    );
  });

  test('an unknown attribute type', () => {
    expect(tableError({ partitionKey: { name: 'pk', type: 'SS' as 'S' } })).toBe(
      "test/orders: type of key attribute 'pk' = 'SS': the table partition key must have type S (string), N (number) or B (binary)",
    );
  });

  test('duplicate index names across GSIs and LSIs', () => {
    expect(tableError({ sortKey: { name: 'sk', type: 'S' }, globalSecondaryIndexes: [gsi('by-x')], localSecondaryIndexes: [lsi('by-x')] })).toBe(
      "test/orders: localSecondaryIndexes.indexName = 'by-x': index names must be unique across the global and local secondary indexes of a table",
    );
  });

  test('INCLUDE without non-key attributes', () => {
    expect(tableError({ globalSecondaryIndexes: [{ ...gsi('by-g'), projection: 'INCLUDE' }] })).toBe(
      "test/orders: globalSecondaryIndexes['by-g'].nonKeyAttributes = (not set): projection 'INCLUDE' needs at least one non-key attribute to include",
    );
  });

  test('non-key attributes with a projection other than INCLUDE', () => {
    expect(tableError({ globalSecondaryIndexes: [{ ...gsi('by-g'), projection: 'ALL', nonKeyAttributes: ['a'] }] })).toBe(
      "test/orders: globalSecondaryIndexes['by-g'].nonKeyAttributes = [\"a\"]: non-key attributes can only be listed with projection 'INCLUDE', not 'ALL'",
    );
  });

  test('more than 100 projected non-key attributes across all indexes', () => {
    const attrs = (prefix: string) => Array.from({ length: 51 }, (_, i) => `${prefix}${i}`);
    const indexes = [
      { ...gsi('by-a', 'a'), projection: 'INCLUDE' as const, nonKeyAttributes: attrs('a') },
      { ...gsi('by-b', 'b'), projection: 'INCLUDE' as const, nonKeyAttributes: attrs('b') },
    ];
    expect(tableError({ globalSecondaryIndexes: indexes })).toBe(
      'test/orders: nonKeyAttributes = 102: all indexes of a table together can project at most 100 distinct non-key attributes',
    );
  });

  test.each([0, 36, 2.5])('PITR period %p outside 1-35', (days) => {
    expect(tableError({ pointInTimeRecoveryDays: days })).toBe(`test/orders: pointInTimeRecoveryDays = ${days}: must be a whole number from 1 to 35`);
  });

  test('a TTL attribute that is a non-Number key attribute', () => {
    expect(tableError({ sortKey: { name: 'expires', type: 'S' }, timeToLiveAttribute: 'expires' })).toBe(
      "test/orders: timeToLiveAttribute = 'expires': TTL needs a Number attribute (epoch seconds), but 'expires' is a key attribute of type S",
    );
  });

  test('a TTL attribute that is a Number key attribute is accepted', () => {
    expect(synthTable({ sortKey: { name: 'expires', type: 'N' }, timeToLiveAttribute: 'expires' }).ttl).toEqual({ attribute_name: 'expires', enabled: true });
  });

  test('provisioned capacity on a GSI of an on-demand table', () => {
    expect(tableError({ globalSecondaryIndexes: [{ ...gsi('by-g'), readCapacity: Capacity.fixed(5) }] })).toBe(
      "test/orders: globalSecondaryIndexes['by-g'].readCapacity = {\"fixed\":5}: provisioned capacity cannot be set on an index of an on-demand (PAY_PER_REQUEST) table; use maxReadRequestUnits/maxWriteRequestUnits or Billing.provisioned()",
    );
  });

  test('max request units on a GSI of a provisioned table', () => {
    expect(tableError({ billing: Billing.provisioned({ readCapacity: Capacity.autoscaled({ min: 1, max: 5 }), writeCapacity: Capacity.autoscaled({ min: 1, max: 5 }) }), globalSecondaryIndexes: [{ ...gsi('by-g'), maxWriteRequestUnits: 10 }] })).toBe(
      "test/orders: globalSecondaryIndexes['by-g'].maxWriteRequestUnits = 10: max request units apply only to on-demand tables; this table uses Billing.provisioned()",
    );
  });

  test('capacity values below 1', () => {
    expect(tableError({ billing: Billing.onDemand({ maxReadRequestUnits: 0 }) })).toBe(
      'test/orders: billing.maxReadRequestUnits = 0: must be a whole number from 1 to 40,000 (DynamoDB\'s default per-table quota)',
    );
    expect(tableError({ billing: Billing.provisioned({ readCapacity: Capacity.fixed(1), writeCapacity: Capacity.fixed(-2), fixedCapacityWaiver: 'constant load of a batch job' }) })).toBe(
      'test/orders: billing.writeCapacity = -2: must be a whole number from 1 to 40,000 (DynamoDB\'s default per-table quota)',
    );
  });
});
