import { describe, isTrue, StackView } from '../terraform';
import { ComplianceRule, Finding, TerraformJson } from '../types';
import { compliant, forEachTable, nonCompliant } from './support';

/** dynamodb:003 — deletion protection is on for every table. */
export function evaluateDynamodb003(json: TerraformJson): Finding[] {
  const view = new StackView(json);
  return forEachTable('dynamodb:003', view, (table) => {
    const value = table.config.deletion_protection_enabled;
    if (isTrue(value)) return compliant('dynamodb:003', table.address, 'deletion_protection_enabled = true');
    return nonCompliant(
      'dynamodb:003',
      table.address,
      `deletion_protection_enabled = ${describe(value)}: DeleteTable succeeds without a prior update`,
      'set deletion_protection_enabled = true (SecureTable deletionProtection: true, the default)',
    );
  });
}

export const dynamodb003: ComplianceRule = { requirement: 'dynamodb:003', evaluate: evaluateDynamodb003 };
