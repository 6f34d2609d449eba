import { validateConstructs } from '../support/terraform/validate-stack';
import { evaluateDynamodb013 } from '../../modules/compliance/rules/dynamodb-013';
import { existingKey } from '../../modules/encryption';
import { SecureTable, SecureTableProps } from '../../modules/table';
import { errorMessageOf } from '../support/errors';
import { evaluateInConsole, unwrapInterpolation } from '../support/terraform/console';
import { resourcesOfType, synthConstructs, TerraformJson } from '../support/synth';

const ACCOUNT = '111111111111';
const keyIn = (region: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab`;
const streamIn = (region: string, name = 'orders-events') => `arn:aws:kinesis:${region}:${ACCOUNT}:stream/${name}`;

function props(overrides: Partial<SecureTableProps> = {}): SecureTableProps {
  return {
    tableName: 'Orders',
    partitionKey: { name: 'pk', type: 'S' },
    encryptionKey: existingKey('test', keyIn('us-east-1')),
    region: 'us-east-1',
    accountId: ACCOUNT,
    replicas: [{ region: 'us-west-2', kmsKeyArn: keyIn('us-west-2') }],
    ...overrides,
  };
}

const synth = (overrides: Partial<SecureTableProps> = {}): TerraformJson => synthConstructs((stack) => new SecureTable(stack, 'orders', props(overrides)));
const error = (overrides: Partial<SecureTableProps>) => errorMessageOf(() => synth(overrides));

describe('Kinesis Data Streams destination (aws-cdk#14534), per Region, into CMK-encrypted streams', () => {
  const created = synth({ kinesisDestination: { approximateCreationDateTimePrecision: 'MICROSECOND', retentionHours: 168 } });

  test('created: one on-demand, KMS-encrypted stream with its own key in the table Region and each replica Region', () => {
    const streams = resourcesOfType(created, 'aws_kinesis_stream');
    expect(Object.keys(streams).sort()).toEqual(['orders_kinesis_stream', 'orders_kinesis_stream_us_west_2']);
    expect(streams.orders_kinesis_stream).toEqual(
      expect.objectContaining({ name: 'Orders-changes', encryption_type: 'KMS', kms_key_id: '${aws_kms_key.orders_kinesis_key.arn}', retention_period: 168, stream_mode_details: { stream_mode: 'ON_DEMAND' } }),
    );
    expect(streams.orders_kinesis_stream.region).toBeUndefined();
    expect(streams.orders_kinesis_stream_us_west_2).toEqual(expect.objectContaining({ region: 'us-west-2', kms_key_id: '${aws_kms_key.orders_kinesis_key_us_west_2.arn}' }));
    const keys = resourcesOfType(created, 'aws_kms_key');
    expect(keys.orders_kinesis_key_us_west_2).toEqual(expect.objectContaining({ region: 'us-west-2', enable_key_rotation: true }));
    const use = JSON.parse(keys.orders_kinesis_key_us_west_2.policy).Statement.find((statement: any) => statement.Sid === 'AccountPrincipalsUseOnlyThroughKinesis');
    expect(use.Condition.StringEquals).toEqual({ 'kms:ViaService': 'kinesis.us-west-2.amazonaws.com', 'kms:CallerAccount': ACCOUNT });
  });

  test('created: a destination per Region on the table (by reference, so it waits for the table and its replicas)', () => {
    const destinations = resourcesOfType(created, 'aws_dynamodb_kinesis_streaming_destination');
    expect(destinations.orders_kinesis).toEqual({
      table_name: '${aws_dynamodb_table.orders.name}',
      stream_arn: '${aws_kinesis_stream.orders_kinesis_stream.arn}',
      approximate_creation_date_time_precision: 'MICROSECOND',
    });
    expect(destinations.orders_kinesis_destination_us_west_2).toEqual(expect.objectContaining({ region: 'us-west-2', stream_arn: '${aws_kinesis_stream.orders_kinesis_stream_us_west_2.arn}' }));
  });

  test('existing streams: only the Regions given stream, to those ARNs; no stream or key is created', () => {
    const json = synth({ kinesisDestination: { streams: { 'us-east-1': { streamArn: streamIn('us-east-1'), keyArn: keyIn('us-east-1') } } } });
    expect(resourcesOfType(json, 'aws_kinesis_stream')).toEqual({});
    const destinations = Object.values(resourcesOfType(json, 'aws_dynamodb_kinesis_streaming_destination')) as any[];
    expect(destinations.map((d) => [d.region ?? 'home', d.stream_arn])).toEqual([['home', streamIn('us-east-1')]]);
  });

  test('dynamodb:013: a created stream is CMK-encrypted; an existing one cannot be shown to be (negative control: an unencrypted stream)', () => {
    const findings = (json: TerraformJson) => evaluateDynamodb013(json as never).filter((finding) => finding.resource.startsWith('aws_dynamodb_kinesis'));
    expect(findings(created).map((f) => [f.resource, f.status])).toEqual([
      ['aws_dynamodb_kinesis_streaming_destination.orders_kinesis', 'COMPLIANT'],
      ['aws_dynamodb_kinesis_streaming_destination.orders_kinesis_destination_us_west_2', 'COMPLIANT'],
    ]);
    const existing = synth({ kinesisDestination: { streams: { 'us-east-1': { streamArn: streamIn('us-east-1'), keyArn: keyIn('us-east-1') } } } });
    // An existing stream is checked at plan time (below); without that check it cannot be shown to be encrypted.
    expect(findings(existing).map((f) => f.status)).toEqual(['COMPLIANT']);
    const unchecked = JSON.parse(JSON.stringify(existing));
    delete unchecked.data.aws_kinesis_stream;
    expect(findings(unchecked).map((f) => f.status)).toEqual(['NON_COMPLIANT']);
    const unencrypted = JSON.parse(JSON.stringify(created));
    delete unencrypted.resource.aws_kinesis_stream.orders_kinesis_stream.encryption_type;
    expect(findings(unencrypted)[0]).toEqual(expect.objectContaining({ status: 'NON_COMPLIANT', reason: expect.stringContaining('encryption_type = (not set)') }));
    const awsManaged = JSON.parse(JSON.stringify(created));
    awsManaged.resource.aws_kinesis_stream.orders_kinesis_stream.kms_key_id = 'alias/aws/kinesis';
    expect(findings(awsManaged)[0].status).toBe('NON_COMPLIANT');
  });

  test("an existing stream's encryption is a postcondition the plan checks: KMS with the stated key, never the AWS managed key (terraform console)", () => {
    const json = synth({ kinesisDestination: { streams: { 'us-east-1': { streamArn: streamIn('us-east-1'), keyArn: keyIn('us-east-1') } } } });
    const [check] = json.data!.aws_kinesis_stream.orders_kinesis_existing_stream.lifecycle.postcondition;
    expect(json.data!.aws_kinesis_stream.orders_kinesis_existing_stream.name).toBe('orders-events');
    const stand = (encryption: string, key: string) => ({ encryption_type: encryption, kms_key_id: key });
    const locals = { by_arn: stand('KMS', keyIn('us-east-1')), by_id: stand('KMS', 'mrk-1234abcd12ab34cd56ef1234567890ab'), by_alias: stand('KMS', 'alias/orders-events'), aws_managed: stand('KMS', 'alias/aws/kinesis'), unencrypted: stand('NONE', ''), other_key: stand('KMS', 'arn:aws:kms:us-east-1:111111111111:key/0000aaaa-12ab-34cd-56ef-1234567890ab') };
    const condition = (standIn: string) => unwrapInterpolation(check.condition).split('self.').join(`local.${standIn}.`);
    expect(evaluateInConsole(locals, Object.keys(locals).map(condition))).toEqual([true, true, true, false, false, false]);
    expect(check.error_message).toContain('must be encrypted with the customer-managed key');
  });

  test.each([
    [{ streamName: 'orders changes' }, "kinesisDestination.streamName = 'orders changes': must be 1 to 128 letters, digits, '_', '-' or '.'"],
    [{ retentionHours: 12 }, 'kinesisDestination.retentionHours = 12: must be a whole number from 24 to 8760'],
    [{ approximateCreationDateTimePrecision: 'SECOND' as never }, "kinesisDestination.approximateCreationDateTimePrecision = 'SECOND': must be MILLISECOND or MICROSECOND"],
    [{ streams: {} }, "kinesisDestination.streams = {}: names no stream; give one per Region, or 'create'"],
    [{ streams: { 'eu-west-1': { streamArn: streamIn('eu-west-1'), keyArn: keyIn('eu-west-1') } } }, "kinesisDestination.streams = 'eu-west-1': is not a Region of the table (us-east-1, us-west-2)"],
    [{ streams: { 'us-east-1': { streamArn: streamIn('us-west-2'), keyArn: keyIn('us-east-1') } } }, `kinesisDestination.streams.us-east-1.streamArn = '${streamIn('us-west-2')}': is a stream in us-west-2; a table streams only to a stream of its own Region`],
    [{ streams: { 'us-east-1': { streamArn: 'orders-events', keyArn: keyIn('us-east-1') } } }, "kinesisDestination.streams.us-east-1.streamArn = 'orders-events': must be a Kinesis stream ARN (arn:aws:kinesis:<region>:<account>:stream/<name>)"],
    [{ streams: { 'us-east-1': { streamArn: streamIn('us-east-1'), keyArn: 'alias/aws/kinesis' } } }, 'kinesisDestination.streams.us-east-1.keyArn'],
    [{ streams: { 'us-east-1': { streamArn: streamIn('us-east-1'), keyArn: keyIn('us-east-1') } }, streamName: 'x-changes' }, 'kinesisDestination.streams'],
  ])('bad option %#: one message naming the field', (kinesisDestination, message) => {
    expect(error({ kinesisDestination })).toContain(`test/orders: ${message}`);
  });

  test('a created stream needs the account (its key policy), the destination needs the Region', () => {
    expect(error({ kinesisDestination: {}, accountId: undefined })).toBe("test/orders: accountId = (not set): created Kinesis streams need the table's account for their key policies; pass accountId, or give existing streams");
    expect(error({ kinesisDestination: {}, region: undefined, replicas: [] })).toBe("test/orders: region = (not set): a Kinesis destination needs the table's Region; pass the stack's region");
  });

  test('both forms pass the offline terraform validate', () => {
    const diagnostics = validateConstructs('kinesis', (stack) => {
      new SecureTable(stack, 'orders', props({ kinesisDestination: { retentionHours: 48 } }));
      new SecureTable(stack, 'events', props({ tableName: 'Events', replicas: [], kinesisDestination: { streams: { 'us-east-1': { streamArn: streamIn('us-east-1'), keyArn: keyIn('us-east-1') } } } }));
    });
    expect(diagnostics).toEqual([]);
  });
});
