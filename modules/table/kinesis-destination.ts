import { Construct } from 'constructs';
import { DynamodbKinesisStreamingDestination } from '@cdktf/provider-aws/lib/dynamodb-kinesis-streaming-destination';
import { KinesisStream } from '@cdktf/provider-aws/lib/kinesis-stream';
import { DataAwsKinesisStream } from '@cdktf/provider-aws/lib/data-aws-kinesis-stream';
import { ManagedKey, keyAdministrationStatement, useOnlyThroughServiceStatement } from '../backup/managed-key';
import { validateKeyArn } from '../backup/aws-identifiers';
import { useStableAddress } from '../naming';
import { GuardrailError, isResolved, requireIntegerInRange } from '../validation';

export type CreationDateTimePrecision = 'MILLISECOND' | 'MICROSECOND';
export const CREATION_DATE_TIME_PRECISIONS: readonly CreationDateTimePrecision[] = ['MILLISECOND', 'MICROSECOND'];
/** Kinesis retention: 24 hours to 365 days (Kinesis Data Streams Developer Guide, "Changing the data retention period"). */
export const MIN_RETENTION_HOURS = 24;
export const MAX_RETENTION_HOURS = 8760;
export const KINESIS_STREAM_ARN = /^arn:aws[a-z-]*:kinesis:([a-z0-9-]+):\d{12}:stream\/[A-Za-z0-9_.-]{1,128}$/;
export const KINESIS_STREAM_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** An existing Kinesis data stream: the caller states the customer-managed key it is encrypted with. */
export interface ExistingKinesisStream {
  readonly streamArn: string;
  /** The stream's customer-managed key (dynamodb:013 accepts only a CMK-encrypted stream). */
  readonly keyArn: string;
}

export interface KinesisDestinationOptions {
  /**
   * Streams created here (the default): `<table>-changes`, on-demand capacity, SSE-KMS with a dedicated
   * customer-managed key, one per Region the table lives in. Or existing streams by Region (the table's Region and
   * each replica Region that should stream).
   * @default created
   */
  readonly streams?: 'create' | Readonly<Record<string, ExistingKinesisStream>>;
  /** @default `<table name>-changes` */
  readonly streamName?: string;
  /** @default 24 */
  readonly retentionHours?: number;
  /** Precision of the records' ApproximateCreationDateTime. @default 'MILLISECOND' */
  readonly approximateCreationDateTimePrecision?: CreationDateTimePrecision;
}

export interface KinesisDestinationProps extends KinesisDestinationOptions {
  /** The table's literal name (stream and key names). */
  readonly tableName: string;
  /** `${aws_dynamodb_table.x.name}`: the destinations wait for the table and its replicas. */
  readonly tableReference: string;
  /** The table's Region (first) and its replica Regions. */
  readonly regions: readonly string[];
  /** Account of the created streams' keys. */
  readonly accountId: string;
  readonly tags?: Record<string, string>;
  readonly preventDestroy?: boolean;
}

/**
 * Kinesis Data Streams for DynamoDB (`aws_dynamodb_kinesis_streaming_destination`), in the table's Region and each
 * replica Region (each replica streams its own Region's writes; DynamoDB Developer Guide, "Kinesis Data Streams for
 * DynamoDB"). DynamoDB writes the records through its service-linked role, so a created stream's key lets principals
 * of the account use it only through Kinesis in that Region (Kinesis Data Streams Developer Guide, "Permissions to
 * use user-generated KMS keys").
 */
export class KinesisDestination extends Construct {
  readonly destinations: readonly DynamodbKinesisStreamingDestination[];
  readonly streamArns: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: KinesisDestinationProps) {
    super(scope, id);
    const subject = scope.node.path;
    const [home] = props.regions;
    const streamName = props.streamName ?? `${props.tableName}-changes`;
    this.validate(subject, props, streamName);
    const existing = props.streams !== undefined && props.streams !== 'create' ? props.streams : undefined;
    const regions = existing ? props.regions.filter((region) => existing[region]) : props.regions;

    const streamArns: Record<string, string> = {};
    const destinations: DynamodbKinesisStreamingDestination[] = [];
    for (const region of regions) {
      const suffix = region === home ? '' : `_${region}`;
      const pinned = region === home ? undefined : region;
      const streamArn = existing ? this.checkExistingStream(existing[region], suffix, pinned) : this.createStream(props, streamName, region, suffix, pinned);
      streamArns[region] = streamArn;
      destinations.push(
        useStableAddress(
          new DynamodbKinesisStreamingDestination(this, `destination${suffix}`, {
            tableName: props.tableReference,
            streamArn,
            approximateCreationDateTimePrecision: props.approximateCreationDateTimePrecision,
            region: pinned,
          }),
          { primary: region === home },
        ),
      );
    }
    this.destinations = destinations;
    this.streamArns = streamArns;
  }

  /**
   * An existing stream's encryption is checked when Terraform plans (a postcondition on `data.aws_kinesis_stream`):
   * KMS with the stated customer-managed key, never the AWS managed alias/aws/kinesis. The plan stops otherwise.
   */
  private checkExistingStream(stream: ExistingKinesisStream, suffix: string, region: string | undefined): string {
    const name = stream.streamArn.split('/').pop()!;
    const key = JSON.stringify(stream.keyArn);
    useStableAddress(
      new DataAwsKinesisStream(this, `existing_stream${suffix}`, {
        name,
        region,
        lifecycle: {
          postcondition: [
            {
              condition: `\${self.encryption_type == "KMS" && self.kms_key_id != "alias/aws/kinesis" && (self.kms_key_id == ${key} || endswith(${key}, "/\${self.kms_key_id}") || startswith(self.kms_key_id, "alias/"))}`,
              errorMessage: `Kinesis stream ${stream.streamArn} must be encrypted with the customer-managed key ${stream.keyArn} (dynamodb:013): turn on server-side encryption with that key (aws kinesis start-stream-encryption --encryption-type KMS --key-id ${stream.keyArn} --stream-name ${name}) and plan again. Nothing was changed.`,
            },
          ],
        },
      }),
    );
    return stream.streamArn;
  }

  private createStream(props: KinesisDestinationProps, streamName: string, region: string, suffix: string, pinned: string | undefined): string {
    const key = new ManagedKey(this, `key${suffix}`, {
      aliasName: `alias/${streamName}`,
      description: `Kinesis stream ${streamName} of DynamoDB table ${props.tableName} in ${region}`,
      policy: kinesisStreamKeyPolicy(props.accountId, region),
      region: pinned,
      tags: props.tags,
      preventDestroy: props.preventDestroy,
    });
    const stream = useStableAddress(
      new KinesisStream(this, `stream${suffix}`, {
        name: streamName,
        streamModeDetails: { streamMode: 'ON_DEMAND' },
        retentionPeriod: props.retentionHours ?? MIN_RETENTION_HOURS,
        encryptionType: 'KMS',
        kmsKeyId: key.keyArn,
        region: pinned,
        tags: props.tags,
        lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
      }),
    );
    return stream.arn;
  }

  private validate(subject: string, props: KinesisDestinationProps, streamName: string): void {
    const field = 'kinesisDestination';
    if (isResolved(streamName) && !KINESIS_STREAM_NAME.test(streamName)) {
      throw new GuardrailError(subject, `${field}.streamName`, streamName, "must be 1 to 128 letters, digits, '_', '-' or '.'");
    }
    if (props.retentionHours !== undefined) requireIntegerInRange(subject, `${field}.retentionHours`, props.retentionHours, MIN_RETENTION_HOURS, MAX_RETENTION_HOURS);
    const precision = props.approximateCreationDateTimePrecision;
    if (precision !== undefined && !CREATION_DATE_TIME_PRECISIONS.includes(precision)) {
      throw new GuardrailError(subject, `${field}.approximateCreationDateTimePrecision`, precision, `must be ${CREATION_DATE_TIME_PRECISIONS.join(' or ')}`);
    }
    if (props.streams === undefined || props.streams === 'create') return;
    if (props.streamName !== undefined || props.retentionHours !== undefined) {
      throw new GuardrailError(subject, `${field}.streams`, Object.keys(props.streams), 'streamName and retentionHours apply to created streams only; existing streams keep their own');
    }
    const entries = Object.entries(props.streams);
    if (entries.length === 0) throw new GuardrailError(subject, `${field}.streams`, {}, "names no stream; give one per Region, or 'create'");
    for (const [region, stream] of entries) {
      if (!props.regions.includes(region)) {
        throw new GuardrailError(subject, `${field}.streams`, region, `is not a Region of the table (${props.regions.join(', ')})`);
      }
      if (isResolved(stream.streamArn)) {
        const match = KINESIS_STREAM_ARN.exec(stream.streamArn);
        if (!match) throw new GuardrailError(subject, `${field}.streams.${region}.streamArn`, stream.streamArn, 'must be a Kinesis stream ARN (arn:aws:kinesis:<region>:<account>:stream/<name>)');
        if (match[1] !== region) throw new GuardrailError(subject, `${field}.streams.${region}.streamArn`, stream.streamArn, `is a stream in ${match[1]}; a table streams only to a stream of its own Region`);
      }
      validateKeyArn(subject, `${field}.streams.${region}.keyArn`, stream.keyArn, region);
    }
  }
}

/** Key of a created stream: root administers it; account principals use it only through Kinesis in its Region. */
export function kinesisStreamKeyPolicy(accountId: string, region: string) {
  return {
    Version: '2012-10-17' as const,
    Statement: [
      keyAdministrationStatement(accountId, region),
      useOnlyThroughServiceStatement('AccountPrincipalsUseOnlyThroughKinesis', 'kinesis', accountId, region),
    ],
  };
}
