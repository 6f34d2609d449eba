import { validateConstructs } from '../support/terraform/validate-stack';
import { Billing, Capacity, creationUnitsOf } from '../../modules/capacity';
import { existingKey } from '../../modules/encryption';
import { CREATE_TIME_ARGUMENTS, GlobalSecondaryIndexProps, SecureTable, SecureTableProps } from '../../modules/table';
import { resourcesOfType, synthConstructs, TerraformJson } from '../support/synth';
import { errorMessageOf } from '../support/errors';

const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const autoscaled = (min = 5, max = 100, targetUtilization?: number) => Capacity.autoscaled({ min, max, targetUtilization });
const byStatus: GlobalSecondaryIndexProps = { indexName: 'by-status', partitionKey: { name: 'status', type: 'S' } };

function props(overrides: Partial<SecureTableProps> = {}): SecureTableProps {
  return { tableName: 'Orders', partitionKey: { name: 'pk', type: 'S' }, encryptionKey: existingKey('test', KEY_ARN), ...overrides };
}

function synth(overrides: Partial<SecureTableProps> = {}): TerraformJson {
  return synthConstructs((stack) => new SecureTable(stack, 'orders', props(overrides)));
}

function error(overrides: Partial<SecureTableProps>): string {
  return errorMessageOf(() => synth(overrides));
}

const autoscaledBilling = () => Billing.provisioned({ readCapacity: autoscaled(5, 100), writeCapacity: autoscaled(2, 50, 60) });

describe('on-demand (dynamodb:004 met by PAY_PER_REQUEST)', () => {
  test('no autoscaling resources, optional cost guard and warm throughput on the table and each GSI', () => {
    const json = synth({
      billing: Billing.onDemand({ maxReadRequestUnits: 4000, maxWriteRequestUnits: 1000, warmThroughput: { readUnitsPerSecond: 15000, writeUnitsPerSecond: 5000 } }),
      globalSecondaryIndexes: [{ ...byStatus, maxReadRequestUnits: 800, warmThroughput: { readUnitsPerSecond: 13000 } }],
    });
    const table = json.resource!.aws_dynamodb_table.orders;
    expect(table.on_demand_throughput).toEqual({ max_read_request_units: 4000, max_write_request_units: 1000 });
    expect(table.warm_throughput).toEqual({ read_units_per_second: 15000, write_units_per_second: 5000 });
    expect(table.global_secondary_index[0]).toEqual(
      expect.objectContaining({ on_demand_throughput: { max_read_request_units: 800 }, warm_throughput: { read_units_per_second: 13000 } }),
    );
    expect(resourcesOfType(json, 'aws_appautoscaling_target')).toEqual({});
    expect(table.lifecycle).toEqual({ ignore_changes: CREATE_TIME_ARGUMENTS });
  });
});

describe('provisioned with autoscaling', () => {
  const json = synth({ billing: autoscaledBilling(), globalSecondaryIndexes: [byStatus, { ...byStatus, indexName: 'by-owner', partitionKey: { name: 'owner', type: 'S' }, readCapacity: autoscaled(1, 10) }] });
  const table = json.resource!.aws_dynamodb_table.orders;
  const targets = resourcesOfType(json, 'aws_appautoscaling_target');
  const policies = resourcesOfType(json, 'aws_appautoscaling_policy');

  test('the table is created at the autoscaling minimum; GSIs inherit the table capacity unless overridden', () => {
    // Autoscaled capacities are live-capacity expressions; their last argument is the value a new table gets.
    const units = (value: unknown) => creationUnitsOf(String(value));
    expect([table.billing_mode, units(table.read_capacity), units(table.write_capacity)]).toEqual(['PROVISIONED', 5, 2]);
    expect(table.global_secondary_index.map((g: any) => [g.name, units(g.read_capacity), units(g.write_capacity)])).toEqual([
      ['by-status', 5, 2],
      ['by-owner', 1, 2],
    ]);
  });

  test('a target for read and write of the table and of every GSI', () => {
    const summary = Object.values(targets).map((t: any) => [t.resource_id, t.scalable_dimension, t.min_capacity, t.max_capacity, t.service_namespace]);
    expect(summary).toHaveLength(6);
    expect(summary).toEqual(expect.arrayContaining([
      ['table/Orders', 'dynamodb:table:ReadCapacityUnits', 5, 100, 'dynamodb'],
      ['table/Orders', 'dynamodb:table:WriteCapacityUnits', 2, 50, 'dynamodb'],
      ['table/Orders/index/by-status', 'dynamodb:index:ReadCapacityUnits', 5, 100, 'dynamodb'],
      ['table/Orders/index/by-status', 'dynamodb:index:WriteCapacityUnits', 2, 50, 'dynamodb'],
      ['table/Orders/index/by-owner', 'dynamodb:index:ReadCapacityUnits', 1, 10, 'dynamodb'],
      ['table/Orders/index/by-owner', 'dynamodb:index:WriteCapacityUnits', 2, 50, 'dynamodb'],
    ]));
    for (const target of Object.values(targets)) expect(target.depends_on).toEqual(['aws_dynamodb_table.orders']);
  });

  test('a target-tracking policy per target, on the predefined DynamoDB utilization metric', () => {
    expect(Object.keys(policies)).toHaveLength(6);
    const readPolicy = policies.orders_autoscaling_read_policy;
    expect(readPolicy).toEqual(
      expect.objectContaining({
        policy_type: 'TargetTrackingScaling',
        resource_id: '${aws_appautoscaling_target.orders_autoscaling_read_target.resource_id}',
        scalable_dimension: '${aws_appautoscaling_target.orders_autoscaling_read_target.scalable_dimension}',
        service_namespace: '${aws_appautoscaling_target.orders_autoscaling_read_target.service_namespace}',
        target_tracking_scaling_policy_configuration: { predefined_metric_specification: { predefined_metric_type: 'DynamoDBReadCapacityUtilization' }, target_value: 70 },
      }),
    );
    expect(policies.orders_autoscaling_write_policy.target_tracking_scaling_policy_configuration).toEqual({
      predefined_metric_specification: { predefined_metric_type: 'DynamoDBWriteCapacityUtilization' },
      target_value: 60,
    });
  });

  test('Terraform ignores nothing: each autoscaled capacity is read from the live table at plan time', () => {
    // Only the create-time arguments are ignored (help/table-features.md); no capacity.
    expect(table.lifecycle).toEqual({ ignore_changes: CREATE_TIME_ARGUMENTS });
    expect(table.read_capacity).toBe('${try(one(data.aws_dynamodb_table.orders_live[*]).billing_mode == "PROVISIONED" ? one(data.aws_dynamodb_table.orders_live[*]).read_capacity : 5, 5)}');
    expect(table.global_secondary_index[1].read_capacity).toBe(
      '${try([for index in one(data.aws_dynamodb_table.orders_live[*]).global_secondary_index : index.read_capacity if index.name == "by-owner" && index.read_capacity > 0][0], 1)}',
    );
    // The table is read only when it exists: the stack lists its tables once.
    expect(json.data!.aws_dynamodb_table.orders_live).toEqual(expect.objectContaining({ name: 'Orders', count: '${contains(data.aws_dynamodb_tables.dynamodb_tables.names, "Orders") ? 1 : 0}' }));
    expect(Object.keys(json.data!.aws_dynamodb_tables)).toEqual(['dynamodb_tables']);
  });

  test('prevent_destroy is added beside the create-time arguments, no capacity ignored', () => {
    expect(synth({ billing: autoscaledBilling(), globalSecondaryIndexes: [byStatus], preventDestroy: true }).resource!.aws_dynamodb_table.orders.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: CREATE_TIME_ARGUMENTS });
  });
});

describe('fixed capacity needs an explicit waiver of dynamodb:004', () => {
  test('fixed capacity with a waiver: no autoscaling for the fixed dimensions, and nothing ignored for them', () => {
    const json = synth({ billing: Billing.provisioned({ readCapacity: autoscaled(), writeCapacity: Capacity.fixed(10), fixedCapacityWaiver: 'nightly import writes at a constant rate' }) });
    expect(Object.values(resourcesOfType(json, 'aws_appautoscaling_target')).map((t: any) => t.scalable_dimension)).toEqual(['dynamodb:table:ReadCapacityUnits']);
    // The fixed dimension is Terraform's literal; the autoscaled one is read live.
    expect(json.resource!.aws_dynamodb_table.orders.lifecycle).toEqual({ ignore_changes: CREATE_TIME_ARGUMENTS });
    expect(json.resource!.aws_dynamodb_table.orders.write_capacity).toBe(10);
    expect(creationUnitsOf(json.resource!.aws_dynamodb_table.orders.read_capacity)).toBe(5);
  });

  test('fixed capacity without a waiver', () => {
    expect(error({ billing: Billing.provisioned({ readCapacity: Capacity.fixed(5), writeCapacity: Capacity.fixed(5) }) })).toBe(
      'test/orders: billing.fixedCapacityWaiver = (not set): fixed capacity does not scale with demand (dynamodb:004); use Capacity.autoscaled(...) or give a waiver reason of at least 10 characters',
    );
  });

  test('a fixed GSI under an autoscaled table is not covered either', () => {
    expect(error({ billing: autoscaledBilling(), globalSecondaryIndexes: [{ ...byStatus, writeCapacity: Capacity.fixed(3) }] })).toMatch(/billing\.fixedCapacityWaiver = \(not set\): fixed capacity does not scale/);
  });

  test('a waiver reason that says nothing', () => {
    expect(error({ billing: Billing.provisioned({ readCapacity: Capacity.fixed(5), writeCapacity: autoscaled(), fixedCapacityWaiver: 'ok' }) })).toMatch(/^test\/orders: billing\.fixedCapacityWaiver = 'ok': /);
  });

  test('a waiver with nothing to waive', () => {
    expect(error({ billing: Billing.provisioned({ readCapacity: autoscaled(), writeCapacity: autoscaled(), fixedCapacityWaiver: 'left over from before' }) })).toBe(
      "test/orders: billing.fixedCapacityWaiver = 'left over from before': every capacity is autoscaled, so there is nothing to waive; remove the waiver",
    );
  });
});

describe('autoscaling validation', () => {
  const provisioned = (read: Capacity) => ({ billing: Billing.provisioned({ readCapacity: read, writeCapacity: autoscaled() }) });

  test.each([
    [Capacity.autoscaled({ min: 10, max: 5 }), 'test/orders: billing.readCapacity.min = 10: must not exceed max (5)'],
    [Capacity.autoscaled({ min: 0, max: 5 }), 'test/orders: billing.readCapacity.min = 0: must be a whole number from 1 to 40,000 (DynamoDB\'s default per-table quota)'],
    [Capacity.autoscaled({ min: 1, max: 5.5 }), 'test/orders: billing.readCapacity.max = 5.5: must be a whole number from 1 to 40,000 (DynamoDB\'s default per-table quota)'],
    [Capacity.autoscaled({ min: 1, max: 5, targetUtilization: 19 }), 'test/orders: billing.readCapacity.targetUtilization = 19: must be from 20 to 90 percent'],
    [Capacity.autoscaled({ min: 1, max: 5, targetUtilization: 95 }), 'test/orders: billing.readCapacity.targetUtilization = 95: must be from 20 to 90 percent'],
  ])('%#: %s', (capacity, message) => {
    expect(error(provisioned(capacity))).toBe(message);
  });

  test('index capacity is validated with the index named', () => {
    expect(error({ ...provisioned(autoscaled()), globalSecondaryIndexes: [{ ...byStatus, readCapacity: Capacity.autoscaled({ min: 3, max: 2 }) }] })).toBe(
      "test/orders: globalSecondaryIndexes['by-status'].readCapacity.min = 3: must not exceed max (2)",
    );
  });

  test('no provisioned settings under on-demand', () => {
    expect(error({ globalSecondaryIndexes: [{ ...byStatus, writeCapacity: autoscaled() }] })).toMatch(
      /^test\/orders: globalSecondaryIndexes\['by-status'\]\.writeCapacity = \{"autoscaled":\{.*\}\}: provisioned capacity cannot be set on an index of an on-demand/,
    );
  });

  test('warm throughput values', () => {
    expect(error({ billing: Billing.onDemand({ warmThroughput: { readUnitsPerSecond: 0 } }) })).toBe(
      'test/orders: billing.warmThroughput.readUnitsPerSecond = 0: must be a whole number from 1 to 40,000 (DynamoDB\'s default per-table quota)',
    );
  });
});

describe('autoscaling tuning: cooldowns and scheduled scaling (table and each index)', () => {
  const peak = { name: 'weekday-peak', schedule: 'cron(0 7 ? * MON-FRI *)', timezone: 'Europe/Berlin', min: 200, max: 2000 };
  const calm = { name: 'evening', schedule: 'cron(0 20 ? * MON-FRI *)', timezone: 'Europe/Berlin', min: 5, max: 100 };
  const tuned = () =>
    Billing.provisioned({
      readCapacity: Capacity.autoscaled({ min: 5, max: 100, scaleInCooldown: 600, scaleOutCooldown: 30, schedules: [peak, calm] }),
      writeCapacity: autoscaled(2, 50),
    });
  const json = synth({ billing: tuned(), globalSecondaryIndexes: [{ ...byStatus, readCapacity: Capacity.autoscaled({ min: 1, max: 10, schedules: [{ name: 'launch', schedule: 'at(2026-12-24T06:00:00)', min: 50, startTime: '2026-12-01T00:00:00Z', endTime: '2026-12-25T00:00:00Z' }] }) }] });
  const targets = resourcesOfType(json, 'aws_appautoscaling_target');
  const actions = resourcesOfType(json, 'aws_appautoscaling_scheduled_action');

  test('cooldowns are set on the target-tracking policy of that dimension only', () => {
    const policies = resourcesOfType(json, 'aws_appautoscaling_policy');
    expect(policies.orders_autoscaling_read_policy.target_tracking_scaling_policy_configuration).toEqual(expect.objectContaining({ scale_in_cooldown: 600, scale_out_cooldown: 30 }));
    expect(policies.orders_autoscaling_write_policy.target_tracking_scaling_policy_configuration.scale_in_cooldown).toBeUndefined();
  });

  test('one aws_appautoscaling_scheduled_action per schedule, on its dimension, with the range it sets', () => {
    expect(Object.keys(actions).sort()).toEqual(['orders_autoscaling_index_by-status_read_schedule_launch', 'orders_autoscaling_read_schedule_evening', 'orders_autoscaling_read_schedule_weekday-peak'].map((id) => id.replace(/-/g, '_')).sort());
    expect(actions.orders_autoscaling_read_schedule_weekday_peak).toEqual(
      expect.objectContaining({
        name: 'table-Orders-read-weekday-peak',
        service_namespace: '${aws_appautoscaling_target.orders_autoscaling_read_target.service_namespace}',
        resource_id: '${aws_appautoscaling_target.orders_autoscaling_read_target.resource_id}',
        scalable_dimension: '${aws_appautoscaling_target.orders_autoscaling_read_target.scalable_dimension}',
        schedule: 'cron(0 7 ? * MON-FRI *)',
        timezone: 'Europe/Berlin',
        scalable_target_action: { min_capacity: '200', max_capacity: '2000' },
      }),
    );
    expect(actions.orders_autoscaling_index_by_status_read_schedule_launch).toEqual(
      expect.objectContaining({ name: 'table-Orders-index-by-status-read-launch', start_time: '2026-12-01T00:00:00Z', end_time: '2026-12-25T00:00:00Z', scalable_target_action: { min_capacity: '50' } }),
    );
  });

  test('a target with schedules ignores min/max drift (the schedules own them); one without keeps Terraform in charge', () => {
    expect(targets.orders_autoscaling_read_target.lifecycle).toEqual({ ignore_changes: ['min_capacity', 'max_capacity'] });
    expect(targets.orders_autoscaling_index_by_status_read_target.lifecycle).toEqual({ ignore_changes: ['min_capacity', 'max_capacity'] });
    // Negative control: no schedule, nothing ignored.
    expect(targets.orders_autoscaling_write_target.lifecycle).toBeUndefined();
  });

  test('each replica Region gets the same schedules for its own targets', () => {
    const global = synth({ billing: tuned(), region: 'us-east-1', replicas: [{ region: 'us-west-2', kmsKeyArn: 'arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' }] });
    const scheduled = Object.values(resourcesOfType(global, 'aws_appautoscaling_scheduled_action')) as any[];
    expect(scheduled.map((action) => `${action.region ?? 'home'} ${action.name}`).sort()).toEqual(['home table-Orders-read-evening', 'home table-Orders-read-weekday-peak', 'us-west-2 table-Orders-read-evening', 'us-west-2 table-Orders-read-weekday-peak']);
  });

  test.each([
    [{ scaleInCooldown: 90_000 }, 'billing.readCapacity.scaleInCooldown = 90000: must be a whole number of seconds from 0 to 86,400 (one day)'],
    [{ scaleOutCooldown: 1.5 }, 'billing.readCapacity.scaleOutCooldown = 1.5: must be a whole number of seconds from 0 to 86,400 (one day)'],
    [{ schedules: [{ ...peak, schedule: 'cron(0 7 * * *)' }] }, "billing.readCapacity.schedules[0].schedule = 'cron(0 7 * * *)': must be at(yyyy-mm-ddThh:mm:ss), rate(<n> minutes|hours|days) or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>), e.g. 'cron(0 8 * * ? *)'"],
    [{ schedules: [{ ...peak, timezone: 'Europe/Berlinn' }] }, "billing.readCapacity.schedules[0].timezone = 'Europe/Berlinn': must be an IANA time zone such as 'UTC' or 'Europe/Berlin'"],
    [{ schedules: [{ name: 'x', schedule: 'rate(1 day)' }] }, "billing.readCapacity.schedules[0] = 'x': sets neither min nor max; give at least one"],
    [{ schedules: [{ ...peak, min: 3000 }] }, 'billing.readCapacity.schedules[0].min = 3000: must not exceed max (2000)'],
    [{ schedules: [{ ...peak, max: 0 }] }, "billing.readCapacity.schedules[0].max = 0: must be a whole number from 1 to 40,000 (DynamoDB's default per-table quota)"],
    [{ schedules: [peak, { ...calm, name: 'weekday-peak' }] }, "billing.readCapacity.schedules[1].name = 'weekday-peak': is used by another schedule of the same capacity"],
    [{ schedules: [{ ...peak, name: 'peak/morning' }] }, "billing.readCapacity.schedules[0].name = 'peak/morning': must be 1 to 256 characters without ':', '/' or '|'"],
    [{ schedules: [{ ...peak, startTime: '2026-12-01' }] }, "billing.readCapacity.schedules[0].startTime = '2026-12-01': must be a UTC time such as '2026-12-01T00:00:00Z'"],
    [{ schedules: [{ ...peak, startTime: '2026-12-02T00:00:00Z', endTime: '2026-12-01T00:00:00Z' }] }, "billing.readCapacity.schedules[0].endTime = '2026-12-01T00:00:00Z': must be after startTime (2026-12-02T00:00:00Z)"],
  ])('bad tuning %#: one message naming the field and value', (options, message) => {
    expect(error({ billing: Billing.provisioned({ readCapacity: Capacity.autoscaled({ min: 5, max: 100, ...options }), writeCapacity: autoscaled(2, 50) }) })).toBe(`test/orders: ${message}`);
  });

  test('tuned autoscaling passes the offline terraform validate', () => {
    expect(validateConstructs('tuned', (stack) => new SecureTable(stack, 'orders', props({ billing: tuned(), globalSecondaryIndexes: [byStatus] })))).toEqual([]);
  });
});

describe('stable addresses', () => {
  const addresses = (json: TerraformJson) => Object.keys(json.resource!.aws_dynamodb_table).map((name) => `aws_dynamodb_table.${name}`);

  test('switching on-demand ⇄ provisioned+autoscaling and adding GSIs never changes the table address', () => {
    const variants = [
      synth(),
      synth({ billing: autoscaledBilling() }),
      synth({ billing: autoscaledBilling(), globalSecondaryIndexes: [byStatus] }),
      synth({ globalSecondaryIndexes: [byStatus, { ...byStatus, indexName: 'by-owner', partitionKey: { name: 'owner', type: 'S' } }] }),
    ];
    for (const variant of variants) expect(addresses(variant)).toEqual(['aws_dynamodb_table.orders']);
  });
});

describe('switching on-demand ⇄ provisioned is one apply: same address, a diff limited to billing and capacity', () => {
  const gsis: GlobalSecondaryIndexProps[] = [byStatus, { ...byStatus, indexName: 'by-owner', partitionKey: { name: 'owner', type: 'S' } }];
  const onDemand = synth({ globalSecondaryIndexes: gsis });
  const provisioned = synth({ billing: autoscaledBilling(), globalSecondaryIndexes: gsis });
  const CAPACITY_FIELDS = ['billing_mode', 'read_capacity', 'write_capacity', 'on_demand_throughput'];
  const without = (block: Record<string, unknown>) => Object.fromEntries(Object.entries(block).filter(([key]) => !CAPACITY_FIELDS.includes(key)));
  const addressesOf = (json: TerraformJson) =>
    [...Object.entries(json.resource ?? {}), ...Object.entries(json.data ?? {}).map(([type, blocks]) => [`data.${type}`, blocks] as const)].flatMap(([type, blocks]) => Object.keys(blocks as object).map((name) => `${type}.${name}`));

  test.each([
    ['on-demand → provisioned', onDemand, provisioned],
    ['provisioned → on-demand', provisioned, onDemand],
  ])('%s', (_direction, before, after) => {
    const tableBefore = before.resource!.aws_dynamodb_table.orders;
    const tableAfter = after.resource!.aws_dynamodb_table.orders;
    // The table keeps its address and differs only in billing and capacity, on the table and on every index.
    expect(without({ ...tableAfter, global_secondary_index: undefined })).toEqual(without({ ...tableBefore, global_secondary_index: undefined }));
    expect(tableAfter.global_secondary_index.map(without)).toEqual(tableBefore.global_secondary_index.map(without));
    // Everything added or removed is autoscaling or the plan-time reads of the live capacity.
    const changed = [...addressesOf(after).filter((a) => !addressesOf(before).includes(a)), ...addressesOf(before).filter((a) => !addressesOf(after).includes(a))];
    expect(changed.length).toBeGreaterThan(0);
    for (const address of changed) expect(address).toMatch(/^(aws_appautoscaling_(target|policy)|data\.aws_dynamodb_tables?)\./);
    expect(addressesOf(after)).toContain('aws_dynamodb_table.orders');
  });

  test('nothing in the provisioned table is ignored, so the plan of the switch carries the minimum capacities (verification/live-capacity.test.ts evaluates them)', () => {
    expect(provisioned.resource!.aws_dynamodb_table.orders.lifecycle).toEqual({ ignore_changes: CREATE_TIME_ARGUMENTS });
    expect(provisioned.resource!.aws_dynamodb_table.orders.global_secondary_index.map((index: any) => creationUnitsOf(index.read_capacity))).toEqual([5, 5]);
  });
});

test('an autoscaled table with GSIs passes the offline terraform validate', () => {
  const diagnostics = validateConstructs('capacity', (stack) => {
    new SecureTable(stack, 'orders', props({ billing: autoscaledBilling(), globalSecondaryIndexes: [byStatus] }));
    new SecureTable(stack, 'events', props({ tableName: 'Events', billing: Billing.onDemand({ maxReadRequestUnits: 100, warmThroughput: { readUnitsPerSecond: 12000 } }) }));
  });
  expect(diagnostics).toEqual([]);
});
