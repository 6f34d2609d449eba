import { describe, isTrue, StackView } from '../terraform';
import { ComplianceRule, Finding, TerraformJson } from '../types';
import { compliant, nonCompliant } from './support';
import { forEachReplica } from './replicas';

/**
 * dynamodb:011 — PITR is on for every global table replica. Replicas do not inherit PITR from the source table
 * (seed 004's note says they do; they do not): each replica sets `point_in_time_recovery = true`.
 */
export function evaluateDynamodb011(json: TerraformJson): Finding[] {
  const view = new StackView(json);
  return forEachReplica('dynamodb:011', view, 'point-in-time recovery', (replica) => {
    const value = replica.config.point_in_time_recovery;
    if (isTrue(value)) return compliant('dynamodb:011', replica.address, 'point_in_time_recovery = true on the replica');
    return nonCompliant(
      'dynamodb:011',
      replica.address,
      `point_in_time_recovery = ${describe(value)} on the replica (replicas do not inherit PITR from the source table)`,
      'set point_in_time_recovery = true on the replica (modules/replication)',
    );
  });
}

export const dynamodb011: ComplianceRule = { requirement: 'dynamodb:011', evaluate: evaluateDynamodb011 };
