import { describe, isExpression, StackView } from '../terraform';
import { ComplianceRule, Finding, TerraformJson } from '../types';
import { compliant, nonCompliant } from './support';
import { forEachDaxCluster } from './dax';

/** Three nodes is the smallest DAX cluster AWS recommends for production (one node per AZ across three AZs). */
export const MIN_DAX_REPLICATION_FACTOR = 3;
export const MIN_DAX_AVAILABILITY_ZONES = 2;

/**
 * dynamodb:009 — DAX clusters span Availability Zones: `replication_factor >= 3` and `availability_zones` listing at
 * least 2 distinct AZs, both as literals (an expression cannot be verified from the artifact).
 */
export function evaluateDynamodb009(json: TerraformJson): Finding[] {
  const view = new StackView(json);
  return forEachDaxCluster('dynamodb:009', view, (cluster) => {
    const factor = cluster.config.replication_factor;
    const zones = cluster.config.availability_zones;
    const problems: string[] = [];
    if (typeof factor !== 'number' || factor < MIN_DAX_REPLICATION_FACTOR) {
      const why = isExpression(factor) ? 'is an expression, not verifiable from the artifact' : `is below ${MIN_DAX_REPLICATION_FACTOR} nodes`;
      problems.push(`replication_factor = ${describe(factor)} ${why}`);
    }
    const distinct = Array.isArray(zones) ? [...new Set(zones.filter((z): z is string => typeof z === 'string' && !isExpression(z)))].sort() : [];
    if (!Array.isArray(zones) || zones.some((z) => typeof z !== 'string' || isExpression(z))) {
      problems.push(
        zones === undefined
          ? 'availability_zones is not set, so the node placement is not in the artifact'
          : `availability_zones = ${describe(zones)} is not a literal list, not verifiable from the artifact`,
      );
    } else if (distinct.length < MIN_DAX_AVAILABILITY_ZONES) {
      problems.push(`availability_zones = ${describe(zones)} names ${distinct.length} distinct AZ${distinct.length === 1 ? '' : 's'}, fewer than ${MIN_DAX_AVAILABILITY_ZONES}`);
    }
    if (problems.length > 0) {
      return nonCompliant(
        'dynamodb:009',
        cluster.address,
        problems.join('; '),
        `set replication_factor >= ${MIN_DAX_REPLICATION_FACTOR} and list at least ${MIN_DAX_AVAILABILITY_ZONES} distinct availability_zones (SecureDaxCluster in modules/dax places one node per listed zone, so 3 nodes means 3 zones)`,
      );
    }
    return compliant('dynamodb:009', cluster.address, `replication_factor = ${factor} across ${distinct.length} AZs (${distinct.join(', ')})`);
  });
}

export const dynamodb009: ComplianceRule = { requirement: 'dynamodb:009', evaluate: evaluateDynamodb009 };
