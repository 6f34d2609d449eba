import { blocks, ResourceEntry, StackView } from '../terraform';
import { Finding, RequirementId, STACK_RESOURCE } from '../types';
import { nonCompliant, notApplicable } from './support';

/** One replica of a global table: a `replica` block of an `aws_dynamodb_table`, or an `aws_dynamodb_table_replica`. */
export interface Replica {
  /** `aws_dynamodb_table.sessions.replica[eu-west-1]` or `aws_dynamodb_table_replica.sessions_eu`. */
  readonly address: string;
  readonly region?: string;
  readonly config: Record<string, unknown>;
}

export function replicasOf(view: StackView): Replica[] {
  const result: Replica[] = [];
  for (const table of view.tables()) {
    for (const replica of blocks(table.config.replica)) {
      const region = typeof replica.region_name === 'string' ? replica.region_name : undefined;
      result.push({ address: `${table.address}.replica[${region ?? String(replica.region_name)}]`, region, config: replica });
    }
  }
  for (const replica of view.resources('aws_dynamodb_table_replica')) {
    result.push({ address: replica.address, region: view.regionOf(replica.config), config: replica.config });
  }
  return result;
}

/**
 * Runs `check` for every replica. Legacy `aws_dynamodb_global_table` resources (global tables version 2017.11.29)
 * are NON_COMPLIANT: they cannot set per-replica keys or PITR. No replicas at all → one NOT_APPLICABLE finding.
 */
export function forEachReplica(requirement: RequirementId, view: StackView, what: string, check: (replica: Replica) => Finding): Finding[] {
  const replicas = replicasOf(view);
  const legacy: ResourceEntry[] = view.resources('aws_dynamodb_global_table');
  if (replicas.length === 0 && legacy.length === 0) {
    return [notApplicable(requirement, STACK_RESOURCE, 'the stack has no global table replicas (no replica blocks, aws_dynamodb_table_replica or aws_dynamodb_global_table)')];
  }
  const findings = legacy.map((entry) =>
    nonCompliant(
      requirement,
      entry.address,
      `aws_dynamodb_global_table is the legacy global tables version 2017.11.29, which cannot set ${what} per replica`,
      'replace it with replica blocks on the aws_dynamodb_table (global tables version 2019.11.21; modules/replication)',
    ),
  );
  return [...findings, ...replicas.map(check)];
}
