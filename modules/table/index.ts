import { Construct } from 'constructs';
import {
  DynamodbTable,
  DynamodbTableAttribute,
  DynamodbTableGlobalSecondaryIndex,
  DynamodbTableLocalSecondaryIndex,
} from '@cdktf/provider-aws/lib/dynamodb-table';
import { Billing, IndexCapacityOptions } from '../capacity';
import { TableKey } from '../encryption';
import { useStableAddress } from '../naming';
import { GuardrailError, isResolved, requireIntegerInRange } from '../validation';
import { deriveAttributeDefinitions } from './attributes';
import type { AttributeType, KeyAttribute, KeyUse } from './attributes';

export type { AttributeType, KeyAttribute } from './attributes';

/** DynamoDB service limits, named so error messages and tests agree with AWS. */
export const MAX_GSI_COUNT = 20;
export const MAX_LSI_COUNT = 5;
export const MAX_PROJECTED_NON_KEY_ATTRIBUTES = 100;
export const MIN_NAME_LENGTH = 3;
export const MAX_NAME_LENGTH = 255;
export const MAX_PITR_DAYS = 35;

const NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;

export type ProjectionType = 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
export type StreamViewType = 'NEW_AND_OLD_IMAGES' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'KEYS_ONLY';
export type TableClass = 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';

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
    this.validateCapacity(subject, gsis);
    const pitrDays = props.pointInTimeRecoveryDays ?? MAX_PITR_DAYS;
    requireIntegerInRange(subject, 'pointInTimeRecoveryDays', pitrDays, 1, MAX_PITR_DAYS);

    const streamViewType = props.stream === undefined ? 'NEW_AND_OLD_IMAGES' : props.stream;
    const provisioned = this.billing.provisioned;
    const onDemand = this.billing.onDemand;
    const pitrEnabled = props.pointInTimeRecovery ?? true;

    this.resource = useStableAddress(
      new DynamodbTable(this, 'table', {
        name: props.tableName,
        billingMode: this.billing.mode,
        hashKey: props.partitionKey.name,
        rangeKey: props.sortKey?.name,
        attribute: attributes.map((a): DynamodbTableAttribute => ({ name: a.name, type: a.type })),
        globalSecondaryIndex: gsis.length > 0 ? gsis.map((gsi) => this.renderGsi(gsi)) : undefined,
        localSecondaryIndex: lsis.length > 0 ? lsis.map(renderLsi) : undefined,
        readCapacity: provisioned?.readCapacity,
        writeCapacity: provisioned?.writeCapacity,
        onDemandThroughput: hasOnDemandLimit(onDemand)
          ? { maxReadRequestUnits: onDemand.maxReadRequestUnits, maxWriteRequestUnits: onDemand.maxWriteRequestUnits }
          : undefined,
        tableClass: props.tableClass ?? 'STANDARD',
        streamEnabled: streamViewType !== false,
        streamViewType: streamViewType === false ? undefined : streamViewType,
        ttl: props.timeToLiveAttribute ? { attributeName: props.timeToLiveAttribute, enabled: true } : undefined,
        pointInTimeRecovery: pitrEnabled ? { enabled: true, recoveryPeriodInDays: pitrDays } : { enabled: false },
        deletionProtectionEnabled: props.deletionProtection ?? true,
        serverSideEncryption: { enabled: true, kmsKeyArn: props.encryptionKey.keyArn },
        tags: props.tags,
        lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
      }),
      { primary: true },
    );
    this.tableName = this.resource.name;
    this.tableArn = this.resource.arn;
    this.streamArn = this.resource.streamArn;
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
      const projection = index.projection ?? 'ALL';
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

  private validateCapacity(subject: string, gsis: GlobalSecondaryIndexProps[]): void {
    const provisioned = this.billing.provisioned;
    this.billing.validate(subject, 'billing.', { ...this.billing.onDemand, ...provisioned });
    for (const gsi of gsis) this.billing.validate(subject, `globalSecondaryIndexes['${gsi.indexName}'].`, gsi);
  }

  private renderGsi(gsi: GlobalSecondaryIndexProps): DynamodbTableGlobalSecondaryIndex {
    const provisioned = this.billing.provisioned;
    return {
      name: gsi.indexName,
      hashKey: gsi.partitionKey.name,
      rangeKey: gsi.sortKey?.name,
      projectionType: gsi.projection ?? 'ALL',
      nonKeyAttributes: gsi.nonKeyAttributes,
      readCapacity: provisioned ? (gsi.readCapacity ?? provisioned.readCapacity) : undefined,
      writeCapacity: provisioned ? (gsi.writeCapacity ?? provisioned.writeCapacity) : undefined,
      onDemandThroughput: hasOnDemandLimit(gsi)
        ? { maxReadRequestUnits: gsi.maxReadRequestUnits, maxWriteRequestUnits: gsi.maxWriteRequestUnits }
        : undefined,
    };
  }
}

function renderLsi(lsi: LocalSecondaryIndexProps): DynamodbTableLocalSecondaryIndex {
  return {
    name: lsi.indexName,
    rangeKey: lsi.sortKey.name,
    projectionType: lsi.projection ?? 'ALL',
    nonKeyAttributes: lsi.nonKeyAttributes,
  };
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
