import { block, describe, isTrue, StackView } from '../terraform';
import { ComplianceRule, Finding, TerraformJson } from '../types';
import { compliant, forEachTable, nonCompliant } from './support';

/** dynamodb:002 — point-in-time recovery is on for every table. */
export function evaluateDynamodb002(json: TerraformJson): Finding[] {
  const view = new StackView(json);
  return forEachTable('dynamodb:002', view, (table) => {
    const pitr = block(table.config.point_in_time_recovery);
    if (pitr && isTrue(pitr.enabled)) {
      const days = typeof pitr.recovery_period_in_days === 'number' ? pitr.recovery_period_in_days : 35;
      return compliant('dynamodb:002', table.address, `point_in_time_recovery.enabled = true (recovery period ${days} days)`);
    }
    return nonCompliant(
      'dynamodb:002',
      table.address,
      `point_in_time_recovery.enabled = ${describe(pitr?.enabled)}: the table cannot be restored to a point in time`,
      'set point_in_time_recovery { enabled = true } (SecureTable pointInTimeRecovery: true, the default)',
    );
  });
}

export const dynamodb002: ComplianceRule = { requirement: 'dynamodb:002', evaluate: evaluateDynamodb002 };
