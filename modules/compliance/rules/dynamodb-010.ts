import { checkCustomerManagedKey } from '../kms';
import { StackView } from '../terraform';
import { ComplianceRule, Finding, TerraformJson } from '../types';
import { compliant, nonCompliant } from './support';
import { forEachReplica } from './replicas';

/**
 * dynamodb:010 — every global table replica is encrypted with a customer-managed key in its own region: a reference
 * to an `aws_kms_replica_key` / `aws_kms_key` whose region is the replica's `region_name`, or a literal key ARN of
 * that region.
 */
export function evaluateDynamodb010(json: TerraformJson): Finding[] {
  const view = new StackView(json);
  return forEachReplica('dynamodb:010', view, 'customer-managed keys', (replica) => {
    const value = replica.config.kms_key_arn;
    if (value === undefined || value === '') {
      return nonCompliant(
        'dynamodb:010',
        replica.address,
        'the replica has no kms_key_arn, so it is not encrypted with a customer-managed key of its region',
        `set kms_key_arn to a customer-managed key in ${replica.region ?? 'the replica region'} (an aws_kms_replica_key of the table's multi-Region key; modules/replication)`,
      );
    }
    const key = checkCustomerManagedKey(view, value, replica.region);
    if (!key.ok) {
      return nonCompliant('dynamodb:010', replica.address, `kms_key_arn: ${key.detail}`, key.fix ?? 'use a customer-managed key in the replica region');
    }
    return compliant('dynamodb:010', replica.address, `encrypted in ${replica.region ?? '(region not literal)'} with ${key.detail}`);
  });
}

export const dynamodb010: ComplianceRule = { requirement: 'dynamodb:010', evaluate: evaluateDynamodb010 };
