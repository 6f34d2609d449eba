/**
 * Autoscaled capacities are read from the live table at plan time (modules/capacity/live-capacity.ts). The very
 * expressions synthesized for a table and its indexes are evaluated by the real `terraform console`, with stand-ins
 * shaped like `data.aws_dynamodb_tables` and `data.aws_dynamodb_table` (the provider fills them during a real plan):
 * a new table and an on-demand one get the autoscaling minimum (what it is created with or switched to PROVISIONED
 * with, in one apply), a provisioned one keeps what autoscaling set, and a new index gets its minimum.
 */
import { Billing, Capacity } from '../../modules/capacity';
import { existingKey } from '../../modules/encryption';
import { CREATE_TIME_ARGUMENTS, SecureTable } from '../../modules/table';
import { Testing } from 'cdktf';
import { buildDynamoDbTableModule } from '../../stacks/terraform-modules';
import { synthConstructs, withTestingApp } from '../support/synth';
import { evaluateInConsole, unwrapInterpolation } from '../support/terraform/console';

const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const LIVE = 'one(data.aws_dynamodb_table.orders_live[*])';
const TABLES = 'data.aws_dynamodb_tables.dynamodb_tables';

const json = synthConstructs(
  (stack) =>
    new SecureTable(stack, 'orders', {
      tableName: 'Orders',
      partitionKey: { name: 'pk', type: 'S' },
      encryptionKey: existingKey('test', KEY_ARN),
      billing: Billing.provisioned({ readCapacity: Capacity.autoscaled({ min: 5, max: 100 }), writeCapacity: Capacity.autoscaled({ min: 2, max: 50 }) }),
      globalSecondaryIndexes: [
        { indexName: 'by-status', partitionKey: { name: 'status', type: 'S' } },
        { indexName: 'by-owner', partitionKey: { name: 'owner', type: 'S' }, readCapacity: Capacity.autoscaled({ min: 1, max: 10 }) },
      ],
    }),
);
const table = json.resource!.aws_dynamodb_table.orders;
const [byStatus, byOwner] = table.global_secondary_index;
const capacities: string[] = [table.read_capacity, table.write_capacity, byStatus.read_capacity, byStatus.write_capacity, byOwner.read_capacity, byOwner.write_capacity];

/** Each capacity expression with the live table replaced by `local.<standIn>`. */
const on = (standIn: string) => capacities.map((expression) => unwrapInterpolation(expression).split(LIVE).join(`local.${standIn}`));

const index = (name: string, read: number, write: number) => ({ name, read_capacity: read, write_capacity: write });
const locals = {
  absent: null,
  on_demand: { billing_mode: 'PAY_PER_REQUEST', read_capacity: 0, write_capacity: 0, global_secondary_index: [index('by-status', 0, 0), index('by-owner', 0, 0)] },
  provisioned: { billing_mode: 'PROVISIONED', read_capacity: 321, write_capacity: 45, global_secondary_index: [index('by-status', 77, 12), index('by-owner', 9, 3)] },
  before_by_owner: { billing_mode: 'PROVISIONED', read_capacity: 321, write_capacity: 45, global_secondary_index: [index('by-status', 77, 12)] },
};

test('a table that does not exist yet is created at the autoscaling minimum (table, inherited and own index capacities)', () => {
  expect(evaluateInConsole(locals, on('absent'))).toEqual([5, 2, 5, 2, 1, 2]);
});

test('an on-demand table switches to PROVISIONED at the minimum in one apply: the plan sends table and index capacities', () => {
  expect(evaluateInConsole(locals, on('on_demand'))).toEqual([5, 2, 5, 2, 1, 2]);
});

test('a provisioned table keeps what autoscaling set, so the plan shows no capacity change (negative control for the minimum)', () => {
  expect(evaluateInConsole(locals, on('provisioned'))).toEqual([321, 45, 77, 12, 9, 3]);
});

test('an index added to a provisioned table gets its minimum; the existing ones keep their live capacity', () => {
  expect(evaluateInConsole(locals, on('before_by_owner'))).toEqual([321, 45, 77, 12, 1, 2]);
});

test('the table is read only when the Region lists it, so planning a new table does not fail on a missing one', () => {
  const count = unwrapInterpolation(json.data!.aws_dynamodb_table.orders_live.count).split(TABLES).join('local.tables');
  expect(evaluateInConsole({ tables: { names: ['Other'] } }, [count])).toEqual([0]);
  expect(evaluateInConsole({ tables: { names: ['Other', 'Orders'] } }, [count])).toEqual([1]);
});

describe('the generated dynamodb-table module reads the same live capacities', () => {
  const module = withTestingApp((app) => JSON.parse(Testing.synth(buildDynamoDbTableModule(app))));
  const moduleTable = module.resource.aws_dynamodb_table.this;
  const indexBlock = moduleTable.dynamic.global_secondary_index.content;
  const autoscaling = { read: { min_capacity: 5 }, write: { min_capacity: 2 } };
  /** Table read/write and the index read/write of index `by-status`, with the module's inputs and reads as locals. */
  const moduleOn = (standIn: string, autoscalingLocal = 'autoscaling', indexAutoscaling = 'null') =>
    [moduleTable.read_capacity, moduleTable.write_capacity, indexBlock.read_capacity, indexBlock.write_capacity].map((expression: string) =>
      unwrapInterpolation(expression)
        .split('one(data.aws_dynamodb_table.live[*])').join(`local.${standIn}`)
        .split('global_secondary_index.value.autoscaling').join(indexAutoscaling)
        .split('var.autoscaling').join(`local.${autoscalingLocal}`)
        .split('global_secondary_index.value.name').join('"by-status"'),
    );

  test('new and on-demand tables get the minimum, provisioned ones their live values; without autoscaling, none', () => {
    const all = { ...locals, autoscaling, no_autoscaling: null };
    expect(evaluateInConsole(all, moduleOn('absent'))).toEqual([5, 2, 5, 2]);
    expect(evaluateInConsole(all, moduleOn('on_demand'))).toEqual([5, 2, 5, 2]);
    expect(evaluateInConsole(all, moduleOn('provisioned'))).toEqual([321, 45, 77, 12]);
    expect(evaluateInConsole(all, moduleOn('provisioned', 'no_autoscaling'))).toEqual([null, null, null, null]);
    // An index with autoscaling of its own starts at its own minimum (a new table), and keeps its live value after.
    const own = { ...all, own: { read: { min_capacity: 3 }, write: { min_capacity: 4 } } };
    expect(evaluateInConsole(own, moduleOn('absent', 'autoscaling', 'local.own'))).toEqual([5, 2, 3, 4]);
    expect(evaluateInConsole(own, moduleOn('provisioned', 'autoscaling', 'local.own'))).toEqual([321, 45, 77, 12]);
  });

  test("an index's own autoscaling gives its scalable targets their own range; other indexes keep the table's (terraform console)", () => {
    const dimensions = unwrapInterpolation(module.locals.autoscaling_dimensions).split('aws_dynamodb_table.this.name').join('"Orders"').split('var.').join('local.');
    const locals = {
      autoscaling: { read: { min_capacity: 5, max_capacity: 100, target_utilization: 70 }, write: { min_capacity: 2, max_capacity: 50, target_utilization: 70 } },
      global_secondary_indexes: [
        { name: 'by-status', autoscaling: null },
        { name: 'by-owner', autoscaling: { read: { min_capacity: 1, max_capacity: 10, target_utilization: 60 }, write: { min_capacity: 1, max_capacity: 5, target_utilization: 60 } } },
      ],
      replicas: [],
    };
    const [ranges] = evaluateInConsole(locals, [`{ for key, dimension in ${dimensions} : key => [dimension.min_capacity, dimension.max_capacity, dimension.target_utilization] }`]) as [Record<string, number[]>];
    expect(ranges).toEqual({
      'home/table/read': [5, 100, 70],
      'home/table/write': [2, 50, 70],
      'home/index/by-status/read': [5, 100, 70],
      'home/index/by-status/write': [2, 50, 70],
      'home/index/by-owner/read': [1, 10, 60],
      'home/index/by-owner/write': [1, 5, 60],
    });
  });

  test('the module ignores no capacity and reads the table only when autoscaling is set and the table exists', () => {
    // Only the create-time arguments are ignored (a migrated table may carry them in its state).
    expect(moduleTable.lifecycle).toEqual({ ignore_changes: CREATE_TIME_ARGUMENTS });
    const count = (expression: string, autoscalingLocal: string, names: string[]) =>
      evaluateInConsole({ autoscaling, none: null, tables: { names } }, [unwrapInterpolation(expression).split('var.autoscaling').join(`local.${autoscalingLocal}`).split('one(data.aws_dynamodb_tables.existing[*])').join('local.tables').split('var.name').join('"Orders"')])[0];
    const live = module.data.aws_dynamodb_table.live.count;
    expect([count(live, 'autoscaling', ['Orders']), count(live, 'autoscaling', ['Other']), count(live, 'none', ['Orders'])]).toEqual([1, 0, 0]);
  });
});
