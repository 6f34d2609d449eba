import { block, describe, isTrue, StackView } from '../terraform';
import { ComplianceRule, Finding, TerraformJson } from '../types';
import { nonCompliant } from './support';
import { forEachDaxCluster } from './dax';

/** The reason every compliant 007 finding starts with. */
export const DAX_AWS_LIMIT_REASON = 'met to the AWS limit: AWS-owned key (DAX offers no customer-managed key option)';

/**
 * dynamodb:007 — DAX clusters are encrypted at rest. The requirement asks for a customer-managed key, but DAX only
 * encrypts with an AWS-owned key, so an encrypted cluster is COMPLIANT and flagged `metToAwsLimit`.
 */
export function evaluateDynamodb007(json: TerraformJson): Finding[] {
  const view = new StackView(json);
  return forEachDaxCluster('dynamodb:007', view, (cluster) => {
    const sse = block(cluster.config.server_side_encryption);
    if (sse && isTrue(sse.enabled)) {
      return {
        requirement: 'dynamodb:007',
        status: 'COMPLIANT',
        resource: cluster.address,
        reason: `${DAX_AWS_LIMIT_REASON}; server_side_encryption.enabled = true`,
        metToAwsLimit: true,
      };
    }
    return nonCompliant(
      'dynamodb:007',
      cluster.address,
      `server_side_encryption.enabled = ${describe(sse?.enabled)}: the cluster's node storage is not encrypted at rest`,
      'set server_side_encryption { enabled = true } (modules/dax does); encryption cannot be turned on in place, so this replaces the cluster',
    );
  });
}

export const dynamodb007: ComplianceRule = { requirement: 'dynamodb:007', evaluate: evaluateDynamodb007 };
