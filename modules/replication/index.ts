import { DynamodbTableReplica } from '@cdktf/provider-aws/lib/dynamodb-table';
import { requireKeyInRegion } from '../encryption';
import { REGION_PATTERN } from '../network/ids';
import { GuardrailError } from '../validation';

export type ConsistencyMode = 'EVENTUAL' | 'STRONG';

/**
 * Multi-Region strong consistency works only inside one of these Region sets (a replica or witness in each of
 * three Regions of the same set).
 */
export const MRSC_REGION_SETS: Readonly<Record<string, readonly string[]>> = {
  US: ['us-east-1', 'us-east-2', 'us-west-2'],
  EU: ['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1'],
  AP: ['ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3'],
};
/** An MRSC global table has exactly three members: three replicas, or two replicas and a witness. */
export const MRSC_MEMBER_COUNT = 3;


export interface ReplicaOptions {
  readonly region: string;
  /** Existing customer-managed key in the replica's region. @default the stack key's replica in that region */
  readonly kmsKeyArn?: string;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** Copy the table's tags to the replica. @default true */
  readonly propagateTags?: boolean;
}

export interface ReplicationProps {
  /** Region of the table itself (the stack's region). */
  readonly homeRegion: string;
  /** Replica Regions, as names or with options. */
  readonly replicas: ReadonlyArray<string | ReplicaOptions>;
  /** @default 'EVENTUAL' */
  readonly consistency?: ConsistencyMode;
  /** MRSC with two replicas (home + one) needs a witness Region. */
  readonly witnessRegion?: string;
  /** The table's stream view type; global tables replicate through NEW_AND_OLD_IMAGES streams. */
  readonly streamViewType: string | false;
}

/** The replicas of a table with every option resolved; `kmsKeyArn` is filled in by the table. */
export type ResolvedReplica = Required<Omit<ReplicaOptions, 'kmsKeyArn'>> & { readonly kmsKeyArn?: string };

/**
 * Validates a global table (current version 2019.11.21, `replica` blocks on `aws_dynamodb_table`) and returns its
 * replicas in declaration order. Throws a GuardrailError for duplicate Regions, a replica in the home Region, streams
 * that are not NEW_AND_OLD_IMAGES, and every MRSC rule.
 */
export function resolveReplicas(subject: string, props: ReplicationProps): ResolvedReplica[] {
  const replicas = props.replicas.map((replica): ResolvedReplica => {
    const options = typeof replica === 'string' ? { region: replica } : replica;
    return { deletionProtection: true, propagateTags: true, ...options };
  });
  const seen = new Set<string>();
  for (const [index, replica] of replicas.entries()) {
    const field = `replicas[${index}].region`;
    if (!REGION_PATTERN.test(replica.region)) throw new GuardrailError(subject, field, replica.region, "must be an AWS region such as 'eu-west-1'");
    if (replica.region === props.homeRegion) {
      throw new GuardrailError(subject, field, replica.region, 'is the table’s own Region; replicas must be in other Regions');
    }
    if (seen.has(replica.region)) throw new GuardrailError(subject, field, replica.region, 'is listed twice; a global table has one replica per Region');
    seen.add(replica.region);
  }
  if (replicas.length > 0 && props.streamViewType !== 'NEW_AND_OLD_IMAGES') {
    throw new GuardrailError(subject, 'stream', props.streamViewType, 'global tables replicate through streams: use NEW_AND_OLD_IMAGES (the default) when replicas are declared');
  }
  validateConsistency(subject, props, replicas);
  return replicas;
}

function validateConsistency(subject: string, props: ReplicationProps, replicas: ResolvedReplica[]): void {
  const consistency = props.consistency ?? 'EVENTUAL';
  if (consistency !== 'STRONG') {
    if (props.witnessRegion !== undefined) {
      throw new GuardrailError(subject, 'witnessRegion', props.witnessRegion, "a witness Region is only used with multiRegionConsistency 'STRONG'");
    }
    return;
  }
  const members = [props.homeRegion, ...replicas.map((r) => r.region), ...(props.witnessRegion ? [props.witnessRegion] : [])];
  if (members.length !== MRSC_MEMBER_COUNT || (props.witnessRegion && replicas.length !== 1)) {
    throw new GuardrailError(subject, 'replicas', replicas.map((r) => r.region), `multi-Region strong consistency needs exactly ${MRSC_MEMBER_COUNT} Regions: the table and two replicas, or the table, one replica and a witness; got ${members.length} (${members.join(', ')})`);
  }
  if (new Set(members).size !== members.length) {
    throw new GuardrailError(subject, 'witnessRegion', props.witnessRegion, 'the witness must be in a Region that holds no replica');
  }
  const set = Object.entries(MRSC_REGION_SETS).find(([, regions]) => members.every((region) => regions.includes(region)));
  if (!set) {
    const sets = Object.entries(MRSC_REGION_SETS).map(([name, regions]) => `${name} (${regions.join(', ')})`).join('; ');
    throw new GuardrailError(subject, 'replicas', members, `multi-Region strong consistency needs all Regions in one Region set: ${sets}`);
  }
}

/** The `replica` blocks of `aws_dynamodb_table`: PITR always on (dynamodb:011), a CMK per Region (dynamodb:010). */
export function renderReplicas(subject: string, replicas: ResolvedReplica[], consistency: ConsistencyMode | undefined): DynamodbTableReplica[] {
  return replicas.map((replica, index) => {
    if (!replica.kmsKeyArn) {
      throw new GuardrailError(subject, `replicas[${index}].kmsKeyArn`, undefined, `replica in ${replica.region} needs a customer-managed key in its own Region (dynamodb:010): give kmsKeyArn or use a stack key with replica Regions`);
    }
    requireKeyInRegion(subject, `replicas[${index}].kmsKeyArn`, replica.kmsKeyArn, replica.region);
    return {
      regionName: replica.region,
      kmsKeyArn: replica.kmsKeyArn,
      pointInTimeRecovery: true,
      deletionProtectionEnabled: replica.deletionProtection,
      propagateTags: replica.propagateTags,
      consistencyMode: consistency === 'STRONG' ? 'STRONG' : undefined,
    };
  });
}
