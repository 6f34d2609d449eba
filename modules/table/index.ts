import { Construct } from 'constructs';
import {
  DynamodbTable,
  DynamodbTableAttribute,
  DynamodbTableGlobalSecondaryIndex,
  DynamodbTableLocalSecondaryIndex,
} from '@cdktf/provider-aws/lib/dynamodb-table';
import { Billing, Capacity, IndexCapacityOptions, LiveTableCapacity, ScalableCapacity, TableAutoscaling, WarmThroughputOptions } from '../capacity';
import { ConsistencyMode, renderReplicas, ReplicaOptions, resolveReplicas } from '../replication';
import { TableKey } from '../encryption';
import { useStableAddress } from '../naming';
import { GuardrailError, isResolved, requireIntegerInRange } from '../validation';
import { deriveAttributeDefinitions } from './attributes';
import { KinesisDestination, KinesisDestinationOptions } from './kinesis-destination';
import { CREATE_TIME_ARGUMENTS, SOURCE_CREATE_TIMEOUT, sourceArguments, TableSource } from './source';

export { CREATE_TIME_ARGUMENTS } from './source';
export type { ImportFromS3, RestoreFromPointInTime, TableSource, ImportInputFormat, ImportCompression } from './source';

export { KinesisDestination, kinesisStreamKeyPolicy } from './kinesis-destination';
export type { KinesisDestinationOptions, ExistingKinesisStream, CreationDateTimePrecision } from './kinesis-destination';
import type { AttributeType, KeyAttribute, KeyUse } from './attributes';

export type { AttributeType, KeyAttribute } from './attributes';

import {
  MAX_GSI_COUNT,
  MAX_LSI_COUNT,
  MAX_NAME_LENGTH,
  MAX_PITR_DAYS,
  MAX_PROJECTED_NON_KEY_ATTRIBUTES,
  MIN_NAME_LENGTH,
  NAME_PATTERN,
  TABLE_DEFAULTS,
} from './defaults';
import type { ProjectionType, StreamViewType, TableClass } from './defaults';

export {
  MAX_GSI_COUNT,
  MAX_LSI_COUNT,
  MAX_KEY_NAME_LENGTH,
  MAX_NAME_LENGTH,
  MAX_PITR_DAYS,
  MAX_PROJECTED_NON_KEY_ATTRIBUTES,
  MIN_NAME_LENGTH,
  NAME_PATTERN,
  PROJECTION_TYPES,
  STREAM_VIEW_TYPES,
  TABLE_CLASSES,
  TABLE_DEFAULTS,
} from './defaults';
export type { ProjectionType, StreamViewType, TableClass } from './defaults';

interface IndexProjectionProps {
  /** @default 'ALL' */
  readonly projection?: ProjectionType;
  /** Attributes copied into the index; required with (and only allowed with) `projection: 'INCLUDE'`. */
  readonly nonKeyAttributes?: string[];
}

export interface GlobalSecondaryIndexProps extends IndexProjectionProps, IndexCapacityOptions {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
}

export interface LocalSecondaryIndexProps extends IndexProjectionProps {
  readonly indexName: string;
  /** LSIs share the table's partition key and add their own sort key. */
  readonly sortKey: KeyAttribute;
}

export interface SecureTableProps {
  readonly tableName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /** @default [] */
  readonly globalSecondaryIndexes?: GlobalSecondaryIndexProps[];
  /** @default [] */
  readonly localSecondaryIndexes?: LocalSecondaryIndexProps[];
  /** The customer-managed key for server-side encryption (dynamodb:001). */
  readonly encryptionKey: TableKey;
  /** @default Billing.onDemand() */
  readonly billing?: Billing;
  /** @default 'STANDARD' */
  readonly tableClass?: TableClass;
  /**
   * Number attribute holding the expiry time in epoch seconds (dynamodb:014).
   * @default no TTL
   */
  readonly timeToLiveAttribute?: string;
  /**
   * Change data capture (dynamodb:013); `false` turns streams off.
   * @default 'NEW_AND_OLD_IMAGES'
   */
  readonly stream?: StreamViewType | false;
  /** dynamodb:002. @default true */
  readonly pointInTimeRecovery?: boolean;
  /** @default 35 */
  readonly pointInTimeRecoveryDays?: number;
  /** dynamodb:003. @default true */
  readonly deletionProtection?: boolean;
  /**
   * Adds Terraform's `lifecycle.prevent_destroy`, so even a plan that would replace the table fails. Prod stacks
   * turn it on.
   * @default false
   */
  readonly preventDestroy?: boolean;
  /** @default {} */
  readonly tags?: Record<string, string>;
  /** Region of the table (the stack's provider region); required with replicas and with a Kinesis destination. */
  readonly region?: string;
  /** The account of the table; required when a Kinesis destination creates its streams (their key policies). */
  readonly accountId?: string;
  /**
   * Kinesis Data Streams for DynamoDB, in the table's Region and each replica Region: item-level changes to a
   * CMK-encrypted Kinesis stream (created, or existing ones with their keys). @default none
   */
  readonly kinesisDestination?: KinesisDestinationOptions;
  /**
   * How the table is created: imported from S3 (CSV, DynamoDB JSON or ION) or restored from another table's point in
   * time. The guardrails apply to the new table as to any other (customer-managed key, PITR, deletion protection,
   * streams, tags). Create-time only: later changes to it are ignored, so removing it never replaces the table.
   * @default an empty table
   */
  readonly source?: TableSource;
  /**
   * Global-table replicas (current version: `replica` blocks, never the legacy `aws_dynamodb_global_table`). Each
   * gets PITR, deletion protection, tag propagation and a customer-managed key in its own Region.
   * @default [] (single-Region table)
   */
  readonly replicas?: ReadonlyArray<string | ReplicaOptions>;
  /** @default 'EVENTUAL' */
  readonly multiRegionConsistency?: ConsistencyMode;
  /** Witness Region for multi-Region strong consistency with one replica. */
  readonly witnessRegion?: string;
}

/**
 * An `aws_dynamodb_table` that is secure by default: customer-managed KMS encryption, PITR for 35 days,
 * deletion protection and NEW_AND_OLD_IMAGES streams. Attribute definitions are derived from the keys of the table
 * and its indexes; every input is validated before anything is synthesized.
 */
export class SecureTable extends Construct {
  readonly resource: DynamodbTable;
  readonly tableName: string;
  readonly tableArn: string;
  readonly streamArn: string;
  readonly billing: Billing;
  readonly props: SecureTableProps;
  /** Regions of the global table's replicas (empty for a single-Region table). */
  readonly replicaRegions: readonly string[];
  private readonly live?: LiveTableCapacity;
  /** The Kinesis Data Streams destinations, when asked for. */
  readonly kinesis?: KinesisDestination;

  constructor(scope: Construct, id: string, props: SecureTableProps) {
    super(scope, id);
    this.props = props;
    this.billing = props.billing ?? Billing.onDemand();
    const subject = this.node.path;
    const gsis = props.globalSecondaryIndexes ?? [];
    const lsis = props.localSecondaryIndexes ?? [];

    validateName(subject, 'tableName', props.tableName);
    this.validateIndexes(subject, gsis, lsis);
    const attributes = deriveAttributeDefinitions(subject, this.keyUses(gsis, lsis));
    this.validateTimeToLive(subject, attributes);
    this.billing.validate(subject, gsis.map((gsi) => ({ field: `globalSecondaryIndexes['${gsi.indexName}']`, options: gsi })));
    const pitrDays = props.pointInTimeRecoveryDays ?? TABLE_DEFAULTS.pointInTimeRecoveryDays;
    requireIntegerInRange(subject, 'pointInTimeRecoveryDays', pitrDays, 1, MAX_PITR_DAYS);

    const streamViewType = props.stream === undefined ? TABLE_DEFAULTS.streamViewType : props.stream;
    const replicas = this.resolveReplicaKeys(subject, streamViewType);
    if (props.source && replicas.length > 0) {
      // The provider's import and restore calls create the table without its stream, and replicas need one.
      throw new GuardrailError(subject, 'replicas', replicas.map((replica) => replica.region), 'a table imported or restored (source) is created without its stream, which replicas need: create it first, then add the replicas in a later apply');
    }
    this.replicaRegions = replicas.map((replica) => replica.region);
    const capacity = this.billing.capacityOf();
    const onDemand = this.billing.onDemand;
    const pitrEnabled = props.pointInTimeRecovery ?? TABLE_DEFAULTS.pointInTimeRecovery;
    const dimensions = this.scalableDimensions(gsis);
    // Autoscaled capacities are read from the live table at plan time, so Terraform never resets what autoscaling set.
    this.live = dimensions.some((dimension) => dimension.capacity.autoscaling) ? new LiveTableCapacity(this, 'live', { tableName: props.tableName }) : undefined;

    this.resource = useStableAddress(
      new DynamodbTable(this, 'table', {
        name: props.tableName,
        billingMode: this.billing.mode,
        hashKey: props.partitionKey.name,
        rangeKey: props.sortKey?.name,
        attribute: attributes.map((a): DynamodbTableAttribute => ({ name: a.name, type: a.type })),
        globalSecondaryIndex: gsis.length > 0 ? gsis.map((gsi) => this.renderGsi(gsi)) : undefined,
        localSecondaryIndex: lsis.length > 0 ? lsis.map(renderLsi) : undefined,
        readCapacity: capacity && this.units(capacity.read, 'read'),
        writeCapacity: capacity && this.units(capacity.write, 'write'),
        onDemandThroughput: hasOnDemandLimit(onDemand)
          ? { maxReadRequestUnits: onDemand.maxReadRequestUnits, maxWriteRequestUnits: onDemand.maxWriteRequestUnits }
          : undefined,
        warmThroughput: renderWarmThroughput((this.billing.provisioned ?? onDemand).warmThroughput),
        tableClass: props.tableClass ?? TABLE_DEFAULTS.tableClass,
        streamEnabled: streamViewType !== false,
        streamViewType: streamViewType === false ? undefined : streamViewType,
        ttl: props.timeToLiveAttribute ? { attributeName: props.timeToLiveAttribute, enabled: true } : undefined,
        pointInTimeRecovery: pitrEnabled ? { enabled: true, recoveryPeriodInDays: pitrDays } : { enabled: false },
        deletionProtectionEnabled: props.deletionProtection ?? TABLE_DEFAULTS.deletionProtection,
        serverSideEncryption: { enabled: true, kmsKeyArn: props.encryptionKey.keyArn },
        replica: replicas.length > 0 ? renderReplicas(subject, replicas, props.multiRegionConsistency) : undefined,
        globalTableWitness: props.witnessRegion ? { regionName: props.witnessRegion } : undefined,
        tags: props.tags,
        ...sourceArguments(subject, props.source, lsis.length > 0),
        // An import or a large restore can take hours; a timed-out create leaves a tainted table that the next apply
        // would replace. The provider's default create timeout is 30 minutes.
        timeouts: props.source ? { create: SOURCE_CREATE_TIMEOUT } : undefined,
        lifecycle: { preventDestroy: props.preventDestroy ? true : undefined, ignoreChanges: CREATE_TIME_ARGUMENTS },
      }),
      { primary: true },
    );
    if (dimensions.some((dimension) => dimension.capacity.autoscaling)) {
      new TableAutoscaling(this, 'autoscaling', { tableName: props.tableName, dimensions, dependsOn: [this.resource] });
      for (const replica of replicas) {
        const id = `autoscaling_${replica.region.replace(/-/g, '_')}`;
        new TableAutoscaling(this, id, { tableName: props.tableName, dimensions, region: replica.region, dependsOn: [this.resource] });
      }
    }
    if (props.kinesisDestination) this.kinesis = this.createKinesisDestination(subject, props.kinesisDestination);
    // The literal name (when known) rather than a `${aws_dynamodb_table.x.name}` reference: names are fixed at synth,
    // and literal names keep alarm expressions, metric filter patterns and policies readable in both JSON and HCL.
    this.tableName = isResolved(props.tableName) ? props.tableName : this.resource.name;
    this.tableArn = this.resource.arn;
    this.streamArn = this.resource.streamArn;
  }

  private createKinesisDestination(subject: string, options: KinesisDestinationOptions): KinesisDestination {
    if (!this.props.region) {
      throw new GuardrailError(subject, 'region', undefined, "a Kinesis destination needs the table's Region; pass the stack's region");
    }
    const creates = options.streams === undefined || options.streams === 'create';
    if (creates && !this.props.accountId) {
      throw new GuardrailError(subject, 'accountId', undefined, "created Kinesis streams need the table's account for their key policies; pass accountId, or give existing streams");
    }
    return new KinesisDestination(this, 'kinesis', {
      ...options,
      tableName: this.props.tableName,
      tableReference: this.resource.name,
      regions: [this.props.region, ...this.replicaRegions],
      accountId: this.props.accountId ?? '',
      tags: this.props.tags,
      preventDestroy: this.props.preventDestroy,
    });
  }

  /** Map of replica Region to replica ARN, as a Terraform expression (for outputs). */
  get replicaArns(): string {
    return this.replicaExpression('arn');
  }

  /** Map of replica Region to replica stream ARN, as a Terraform expression (for outputs). */
  get replicaStreamArns(): string {
    return this.replicaExpression('stream_arn');
  }

  private replicaExpression(attribute: 'arn' | 'stream_arn'): string {
    const address = `${this.resource.terraformResourceType}.${this.resource.friendlyUniqueId}`;
    return `\${{ for replica in ${address}.replica : replica.region_name => replica.${attribute} }}`;
  }

  private keyUses(gsis: GlobalSecondaryIndexProps[], lsis: LocalSecondaryIndexProps[]): KeyUse[] {
    const uses: KeyUse[] = [{ attribute: this.props.partitionKey, role: 'the table partition key' }];
    if (this.props.sortKey) uses.push({ attribute: this.props.sortKey, role: 'the table sort key' });
    for (const gsi of gsis) {
      uses.push({ attribute: gsi.partitionKey, role: `the partition key of GSI '${gsi.indexName}'` });
      if (gsi.sortKey) uses.push({ attribute: gsi.sortKey, role: `the sort key of GSI '${gsi.indexName}'` });
    }
    for (const lsi of lsis) uses.push({ attribute: lsi.sortKey, role: `the sort key of LSI '${lsi.indexName}'` });
    return uses;
  }

  private validateIndexes(subject: string, gsis: GlobalSecondaryIndexProps[], lsis: LocalSecondaryIndexProps[]): void {
    if (gsis.length > MAX_GSI_COUNT) {
      throw new GuardrailError(subject, 'globalSecondaryIndexes', gsis.map((g) => g.indexName), `a table can have at most ${MAX_GSI_COUNT} global secondary indexes, got ${gsis.length}`);
    }
    if (lsis.length > MAX_LSI_COUNT) {
      throw new GuardrailError(subject, 'localSecondaryIndexes', lsis.map((l) => l.indexName), `a table can have at most ${MAX_LSI_COUNT} local secondary indexes, got ${lsis.length}`);
    }
    if (lsis.length > 0 && !this.props.sortKey) {
      throw new GuardrailError(subject, 'localSecondaryIndexes', lsis.map((l) => l.indexName), 'local secondary indexes need a table sort key; add sortKey to the table or use a global secondary index');
    }
    const seen = new Set<string>();
    const projected = new Set<string>();
    for (const [kind, index] of [...gsis.map((g) => ['globalSecondaryIndexes', g] as const), ...lsis.map((l) => ['localSecondaryIndexes', l] as const)]) {
      const field = `${kind}['${index.indexName}']`;
      validateName(subject, `${field}.indexName`, index.indexName);
      if (seen.has(index.indexName)) {
        throw new GuardrailError(subject, `${kind}.indexName`, index.indexName, 'index names must be unique across the global and local secondary indexes of a table');
      }
      seen.add(index.indexName);
      const projection = index.projection ?? TABLE_DEFAULTS.projection;
      const nonKey = index.nonKeyAttributes ?? [];
      if (projection === 'INCLUDE' && nonKey.length === 0) {
        throw new GuardrailError(subject, `${field}.nonKeyAttributes`, index.nonKeyAttributes, "projection 'INCLUDE' needs at least one non-key attribute to include");
      }
      if (projection !== 'INCLUDE' && nonKey.length > 0) {
        throw new GuardrailError(subject, `${field}.nonKeyAttributes`, nonKey, `non-key attributes can only be listed with projection 'INCLUDE', not '${projection}'`);
      }
      nonKey.forEach((attribute) => projected.add(attribute));
    }
    if (projected.size > MAX_PROJECTED_NON_KEY_ATTRIBUTES) {
      throw new GuardrailError(subject, 'nonKeyAttributes', projected.size, `all indexes of a table together can project at most ${MAX_PROJECTED_NON_KEY_ATTRIBUTES} distinct non-key attributes`);
    }
  }

  private validateTimeToLive(subject: string, attributes: Array<{ name: string; type: AttributeType }>): void {
    const ttlAttribute = this.props.timeToLiveAttribute;
    if (ttlAttribute === undefined || !isResolved(ttlAttribute)) return;
    if (ttlAttribute.length === 0 || ttlAttribute.length > MAX_NAME_LENGTH) {
      throw new GuardrailError(subject, 'timeToLiveAttribute', ttlAttribute, `must be 1 to ${MAX_NAME_LENGTH} characters`);
    }
    const asKey = attributes.find((a) => a.name === ttlAttribute);
    if (asKey && asKey.type !== 'N') {
      throw new GuardrailError(subject, 'timeToLiveAttribute', ttlAttribute, `TTL needs a Number attribute (epoch seconds), but '${ttlAttribute}' is a key attribute of type ${asKey.type}`);
    }
  }

  /** Every provisioned dimension of the table and its GSIs, after inheritance from the table. */
  private scalableDimensions(gsis: GlobalSecondaryIndexProps[]): ScalableCapacity[] {
    const table = this.billing.capacityOf();
    if (!table) return [];
    const dimensions: ScalableCapacity[] = [
      { kind: 'read', capacity: table.read },
      { kind: 'write', capacity: table.write },
    ];
    for (const gsi of gsis) {
      const capacity = this.billing.capacityOf(gsi)!;
      dimensions.push({ indexName: gsi.indexName, kind: 'read', capacity: capacity.read }, { indexName: gsi.indexName, kind: 'write', capacity: capacity.write });
    }
    return dimensions;
  }

  /** What Terraform writes as a capacity: the fixed value, or (autoscaled) the live value, the minimum for a new table. */
  private units(capacity: Capacity, kind: 'read' | 'write', indexName?: string): number {
    if (!capacity.autoscaling || !this.live) return capacity.initialUnits;
    const min = capacity.autoscaling.min;
    return indexName === undefined ? this.live.tableUnits(kind, min) : this.live.indexUnits(indexName, kind, min);
  }

  private resolveReplicaKeys(subject: string, streamViewType: StreamViewType | false) {
    const declared = this.props.replicas ?? [];
    if (declared.length === 0 && this.props.multiRegionConsistency === undefined && this.props.witnessRegion === undefined) return [];
    if (!this.props.region) {
      throw new GuardrailError(subject, 'region', undefined, "the table's Region is needed to validate replicas; pass the stack's region");
    }
    return resolveReplicas(subject, {
      homeRegion: this.props.region,
      replicas: declared,
      consistency: this.props.multiRegionConsistency,
      witnessRegion: this.props.witnessRegion,
      streamViewType,
    }).map((replica) => ({ ...replica, kmsKeyArn: replica.kmsKeyArn ?? this.props.encryptionKey.replicaKeyArn?.(replica.region) }));
  }

  private renderGsi(gsi: GlobalSecondaryIndexProps): DynamodbTableGlobalSecondaryIndex {
    const capacity = this.billing.capacityOf(gsi);
    return {
      name: gsi.indexName,
      hashKey: gsi.partitionKey.name,
      rangeKey: gsi.sortKey?.name,
      projectionType: gsi.projection ?? TABLE_DEFAULTS.projection,
      nonKeyAttributes: gsi.nonKeyAttributes,
      readCapacity: capacity && this.units(capacity.read, 'read', gsi.indexName),
      writeCapacity: capacity && this.units(capacity.write, 'write', gsi.indexName),
      onDemandThroughput: hasOnDemandLimit(gsi)
        ? { maxReadRequestUnits: gsi.maxReadRequestUnits, maxWriteRequestUnits: gsi.maxWriteRequestUnits }
        : undefined,
      warmThroughput: renderWarmThroughput(gsi.warmThroughput),
    };
  }
}

function renderLsi(lsi: LocalSecondaryIndexProps): DynamodbTableLocalSecondaryIndex {
  return {
    name: lsi.indexName,
    rangeKey: lsi.sortKey.name,
    projectionType: lsi.projection ?? TABLE_DEFAULTS.projection,
    nonKeyAttributes: lsi.nonKeyAttributes,
  };
}

function renderWarmThroughput(warm: WarmThroughputOptions | undefined) {
  if (!warm || (warm.readUnitsPerSecond === undefined && warm.writeUnitsPerSecond === undefined)) return undefined;
  return { readUnitsPerSecond: warm.readUnitsPerSecond, writeUnitsPerSecond: warm.writeUnitsPerSecond };
}

function hasOnDemandLimit(options: { maxReadRequestUnits?: number; maxWriteRequestUnits?: number }): boolean {
  return options.maxReadRequestUnits !== undefined || options.maxWriteRequestUnits !== undefined;
}

function validateName(subject: string, field: string, name: string): void {
  if (!isResolved(name)) return;
  if (name.length < MIN_NAME_LENGTH || name.length > MAX_NAME_LENGTH) {
    throw new GuardrailError(subject, field, name, `must be ${MIN_NAME_LENGTH} to ${MAX_NAME_LENGTH} characters long, got ${name.length}`);
  }
  if (!NAME_PATTERN.test(name)) {
    throw new GuardrailError(subject, field, name, "may contain only letters, digits, '_', '-' and '.'");
  }
}
