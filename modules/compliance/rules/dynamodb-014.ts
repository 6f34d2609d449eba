import { block, describe, isExpression, isTrue, StackView } from '../terraform';
import { ComplianceRule, Finding, TerraformJson } from '../types';
import { compliant, forEachTable, nonCompliant } from './support';

const FIX =
  'declare the expiry attribute (SecureTable timeToLiveAttribute: a Number attribute holding epoch seconds), or, when items must be kept, waive dynamodb:014 for this table with the retention reason';

/**
 * dynamodb:014 — every table has TTL enabled on a named attribute. A table without TTL is NON_COMPLIANT: keeping
 * items forever is a retention decision, and the waiver (reason + expiry) is where that decision is recorded and
 * periodically re-confirmed.
 */
export function evaluateDynamodb014(json: TerraformJson): Finding[] {
  const view = new StackView(json);
  return forEachTable('dynamodb:014', view, (table) => {
    const ttl = block(table.config.ttl);
    if (!ttl) return nonCompliant('dynamodb:014', table.address, 'no ttl block: items never expire', FIX);
    const attribute = ttl.attribute_name;
    if (!isTrue(ttl.enabled)) {
      return nonCompliant('dynamodb:014', table.address, `ttl.enabled = ${describe(ttl.enabled)}: items never expire`, FIX);
    }
    if (typeof attribute !== 'string' || attribute === '') {
      return nonCompliant('dynamodb:014', table.address, `ttl.attribute_name = ${describe(attribute)}: TTL needs the attribute that holds the expiry time`, FIX);
    }
    const shown = isExpression(attribute) ? `${attribute} (resolved at apply time)` : `"${attribute}"`;
    return compliant('dynamodb:014', table.address, `ttl enabled on attribute ${shown}`);
  });
}

export const dynamodb014: ComplianceRule = { requirement: 'dynamodb:014', evaluate: evaluateDynamodb014 };
