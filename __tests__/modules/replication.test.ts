import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Billing, Capacity } from '../../modules/capacity';
import { DynamoDbKey, existingKey } from '../../modules/encryption';
import { SecureTable, SecureTableProps } from '../../modules/table';
import { formatDiagnostic, terraformValidate } from '../support/terraform/validate';
import { resourcesOfType, onlyResource, synthConstructs, TerraformJson } from '../support/synth';
import { errorMessageOf } from '../support/errors';

const HOME = 'us-east-1';

function build(stack: TerraformStack, overrides: Partial<SecureTableProps>, replicaRegions: string[]): void {
  const key = new DynamoDbKey(stack, 'dynamodb_key', { accountId: '111111111111', region: HOME, aliasName: 'alias/sessions-dynamodb', replicaRegions });
  new SecureTable(stack, 'sessions', {
    tableName: 'sessions',
    partitionKey: { name: 'PK', type: 'S' },
    sortKey: { name: 'SK', type: 'S' },
    encryptionKey: key,
    region: HOME,
    ...overrides,
  });
}

function synth(overrides: Partial<SecureTableProps>, replicaRegions = ['eu-west-1', 'us-west-2']): TerraformJson {
  return synthConstructs((stack) => build(stack, overrides, replicaRegions));
}

function error(overrides: Partial<SecureTableProps>, replicaRegions?: string[]): string {
  return errorMessageOf(() => synth(overrides, replicaRegions));
}

describe('global table replicas (dynamodb:010, 011)', () => {
  const json = synth({ replicas: ['eu-west-1', { region: 'us-west-2', propagateTags: false }] });
  const table = json.resource!.aws_dynamodb_table.sessions;

  test('current-version replica blocks, never the legacy aws_dynamodb_global_table', () => {
    expect(resourcesOfType(json, 'aws_dynamodb_global_table')).toEqual({});
    expect(table.replica).toHaveLength(2);
  });

  test('every replica: CMK in its own Region, PITR, deletion protection, tag propagation', () => {
    expect(table.replica).toEqual([
      { region_name: 'eu-west-1', kms_key_arn: '${aws_kms_replica_key.dynamodb_key_replica_eu_west_1.arn}', point_in_time_recovery: true, deletion_protection_enabled: true, propagate_tags: true },
      { region_name: 'us-west-2', kms_key_arn: '${aws_kms_replica_key.dynamodb_key_replica_us_west_2.arn}', point_in_time_recovery: true, deletion_protection_enabled: true, propagate_tags: false },
    ]);
  });

  test('the stack key becomes a multi-Region primary with a replica key living in each replica Region', () => {
    expect(json.resource!.aws_kms_key.dynamodb_key.multi_region).toBe(true);
    const replicaKeys = resourcesOfType(json, 'aws_kms_replica_key');
    expect(Object.values(replicaKeys).map((k: any) => [k.region, k.primary_key_arn])).toEqual([
      ['eu-west-1', '${aws_kms_key.dynamodb_key.arn}'],
      ['us-west-2', '${aws_kms_key.dynamodb_key.arn}'],
    ]);
    const policy = JSON.parse(replicaKeys.dynamodb_key_replica_eu_west_1.policy);
    // Global tables: DynamoDB calls the key from every Region of the table (kms:ViaService dynamodb.*), and only the
    // primary's own policy can allow kms:ReplicateKey.
    expect(policy.Statement[1].Condition.StringLike['kms:ViaService']).toBe('dynamodb.*.amazonaws.com');
    expect(policy.Statement[0].Action).not.toContain('kms:ReplicateKey');
    const primary = JSON.parse(onlyResource(json, 'aws_kms_key').policy);
    expect(primary.Statement[0].Action).toContain('kms:ReplicateKey');
    expect(primary.Statement[1].Condition.StringLike['kms:ViaService']).toBe('dynamodb.*.amazonaws.com');
  });

  test('a single-Region key stays single-Region', () => {
    const single = synthConstructs((stack) => build(stack, {}, []));
    expect(single.resource!.aws_kms_key.dynamodb_key.multi_region).toBeUndefined();
    expect(single.resource!.aws_dynamodb_table.sessions.replica).toBeUndefined();
  });

  test('an explicit replica key ARN is used as given', () => {
    const arn = 'arn:aws:kms:eu-west-1:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab';
    const json2 = synthConstructs((stack) => {
      new SecureTable(stack, 'sessions', {
        tableName: 'sessions',
        partitionKey: { name: 'PK', type: 'S' },
        encryptionKey: existingKey('test', 'arn:aws:kms:us-east-1:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab'),
        region: HOME,
        replicas: [{ region: 'eu-west-1', kmsKeyArn: arn }],
      });
    });
    expect(json2.resource!.aws_dynamodb_table.sessions.replica[0].kms_key_arn).toBe(arn);
  });
});

describe('replicas of provisioned tables are autoscaled in their own Region', () => {
  const json = synth({
    replicas: ['eu-west-1'],
    billing: Billing.provisioned({ readCapacity: Capacity.autoscaled({ min: 5, max: 50 }), writeCapacity: Capacity.autoscaled({ min: 5, max: 50 }) }),
    globalSecondaryIndexes: [{ indexName: 'by-customer', partitionKey: { name: 'customer_id', type: 'S' } }],
  }, ['eu-west-1']);

  test('targets and policies for the table and the GSI in the home Region and in eu-west-1', () => {
    const targets = Object.values(resourcesOfType(json, 'aws_appautoscaling_target')) as any[];
    const byRegion = (region: string | undefined) => targets.filter((t) => t.region === region).map((t) => `${t.resource_id} ${t.scalable_dimension}`).sort();
    const expected = [
      'table/sessions dynamodb:table:ReadCapacityUnits',
      'table/sessions dynamodb:table:WriteCapacityUnits',
      'table/sessions/index/by-customer dynamodb:index:ReadCapacityUnits',
      'table/sessions/index/by-customer dynamodb:index:WriteCapacityUnits',
    ];
    expect(byRegion(undefined)).toEqual(expected);
    expect(byRegion('eu-west-1')).toEqual(expected);
    const policies = Object.values(resourcesOfType(json, 'aws_appautoscaling_policy')) as any[];
    expect(policies.filter((p) => p.region === 'eu-west-1')).toHaveLength(4);
  });
});

describe('multi-Region strong consistency', () => {
  test('three Regions of one set: every replica STRONG', () => {
    const json = synth({ replicas: ['us-east-2', 'us-west-2'], multiRegionConsistency: 'STRONG' }, ['us-east-2', 'us-west-2']);
    expect(json.resource!.aws_dynamodb_table.sessions.replica.map((r: any) => r.consistency_mode)).toEqual(['STRONG', 'STRONG']);
  });

  test('two Regions plus a witness', () => {
    const json = synth({ replicas: ['us-east-2'], multiRegionConsistency: 'STRONG', witnessRegion: 'us-west-2' }, ['us-east-2']);
    expect(json.resource!.aws_dynamodb_table.sessions.global_table_witness).toEqual({ region_name: 'us-west-2' });
  });

  test.each([
    [{ replicas: ['us-east-2'], multiRegionConsistency: 'STRONG' }, ['us-east-2'], 'test/sessions: replicas = ["us-east-2"]: multi-Region strong consistency needs exactly 3 Regions: the table and two replicas, or the table, one replica and a witness; got 2 (us-east-1, us-east-2)'],
    [{ replicas: ['us-east-2', 'us-west-2'], multiRegionConsistency: 'STRONG', witnessRegion: 'us-west-1' }, ['us-east-2', 'us-west-2'], 'test/sessions: replicas = ["us-east-2","us-west-2"]: multi-Region strong consistency needs exactly 3 Regions: the table and two replicas, or the table, one replica and a witness; got 4 (us-east-1, us-east-2, us-west-2, us-west-1)'],
    [{ replicas: ['us-east-2', 'eu-west-1'], multiRegionConsistency: 'STRONG' }, ['us-east-2', 'eu-west-1'], 'test/sessions: replicas = ["us-east-1","us-east-2","eu-west-1"]: multi-Region strong consistency needs all Regions in one Region set: US (us-east-1, us-east-2, us-west-2); EU (eu-west-1, eu-west-2, eu-west-3, eu-central-1); AP (ap-northeast-1, ap-northeast-2, ap-northeast-3)'],
    [{ replicas: ['us-east-2'], multiRegionConsistency: 'STRONG', witnessRegion: 'us-east-2' }, ['us-east-2'], "test/sessions: witnessRegion = 'us-east-2': the witness must be in a Region that holds no replica"],
    [{ replicas: ['us-east-2'], witnessRegion: 'us-west-2' }, ['us-east-2'], "test/sessions: witnessRegion = 'us-west-2': a witness Region is only used with multiRegionConsistency 'STRONG'"],
  ] as const)('%#: %s', (overrides, regions, message) => {
    expect(error(overrides as Partial<SecureTableProps>, [...regions])).toBe(message);
  });
});

describe('replica validation', () => {
  test.each([
    [{ replicas: ['eu-west-1', 'eu-west-1'] }, "test/sessions: replicas[1].region = 'eu-west-1': is listed twice; a global table has one replica per Region"],
    [{ replicas: ['us-east-1'] }, "test/sessions: replicas[0].region = 'us-east-1': is the table’s own Region; replicas must be in other Regions"],
    [{ replicas: ['Ireland'] }, "test/sessions: replicas[0].region = 'Ireland': must be an AWS region such as 'eu-west-1'"],
    [{ replicas: ['eu-west-1'], stream: 'KEYS_ONLY' }, "test/sessions: stream = 'KEYS_ONLY': global tables replicate through streams: use NEW_AND_OLD_IMAGES (the default) when replicas are declared"],
    [{ replicas: ['eu-west-1'], stream: false }, 'test/sessions: stream = false: global tables replicate through streams: use NEW_AND_OLD_IMAGES (the default) when replicas are declared'],
    [{ replicas: ['ap-south-1'] }, "test/sessions: replicas[0].kmsKeyArn = (not set): replica in ap-south-1 needs a customer-managed key in its own Region (dynamodb:010): give kmsKeyArn or use a stack key with replica Regions"],
    [{ replicas: ['eu-west-1'], region: undefined }, "test/sessions: region = (not set): the table's Region is needed to validate replicas; pass the stack's region"],
  ] as const)('%#: %s', (overrides, message) => {
    expect(error(overrides as unknown as Partial<SecureTableProps>)).toBe(message);
  });
});

test('a global table with autoscaling and MRSC passes the offline terraform validate', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'replication-validate-'));
  try {
    const app = Testing.app({ outdir });
    const stack = new TerraformStack(app, 'replication');
    new AwsProvider(stack, 'aws', { region: HOME });
    build(stack, {
      replicas: ['us-east-2', 'us-west-2'],
      billing: Billing.provisioned({ readCapacity: Capacity.autoscaled({ min: 5, max: 50 }), writeCapacity: Capacity.autoscaled({ min: 5, max: 50 }) }),
    }, ['us-east-2', 'us-west-2']);
    app.synth();
    const result = terraformValidate(path.join(outdir, 'stacks', 'replication'));
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(result.valid).toBe(true);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

test('a replica key ARN of another Region is refused', () => {
  const homeKey = 'arn:aws:kms:us-east-1:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab';
  const message = errorMessageOf(() =>
    synthConstructs((stack) => {
      new SecureTable(stack, 'sessions', {
        tableName: 'sessions',
        partitionKey: { name: 'PK', type: 'S' },
        encryptionKey: existingKey('test', homeKey),
        region: HOME,
        replicas: [{ region: 'eu-west-1', kmsKeyArn: homeKey }],
      });
    }),
  );
  expect(message).toBe(`test/sessions: replicas[0].kmsKeyArn = '${homeKey}': the key is in us-east-1, but the data it encrypts is in eu-west-1; DynamoDB needs a key of the same Region`);
});
