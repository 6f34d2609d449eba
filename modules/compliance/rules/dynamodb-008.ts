import { describe, StackView } from '../terraform';
import { ComplianceRule, Finding, TerraformJson } from '../types';
import { compliant, nonCompliant } from './support';
import { forEachDaxCluster } from './dax';

/** dynamodb:008 — DAX clusters encrypt client traffic in transit (`cluster_endpoint_encryption_type = "TLS"`). */
export function evaluateDynamodb008(json: TerraformJson): Finding[] {
  const view = new StackView(json);
  return forEachDaxCluster('dynamodb:008', view, (cluster) => {
    const value = cluster.config.cluster_endpoint_encryption_type;
    if (value === 'TLS') return compliant('dynamodb:008', cluster.address, 'cluster_endpoint_encryption_type = "TLS"');
    return nonCompliant(
      'dynamodb:008',
      cluster.address,
      `cluster_endpoint_encryption_type = ${describe(value)}: clients connect without TLS (the default is NONE)`,
      'set cluster_endpoint_encryption_type = "TLS" (modules/dax does); it cannot change in place, so this replaces the cluster',
    );
  });
}

export const dynamodb008: ComplianceRule = { requirement: 'dynamodb:008', evaluate: evaluateDynamodb008 };
