import { describe, isTrue, StackView } from '../terraform';
import { ComplianceRule, Finding, TerraformJson } from '../types';
import { compliant, forEachTable, nonCompliant } from './support';

/** dynamodb:013 — every table has a DynamoDB stream (change data capture); the view type is reported. */
export function evaluateDynamodb013(json: TerraformJson): Finding[] {
  const view = new StackView(json);
  return forEachTable('dynamodb:013', view, (table) => {
    const enabled = table.config.stream_enabled;
    const viewType = table.config.stream_view_type;
    if (isTrue(enabled)) {
      const shown = typeof viewType === 'string' ? viewType : '(not set)';
      return compliant('dynamodb:013', table.address, `stream_enabled = true, stream_view_type = ${shown}`);
    }
    return nonCompliant(
      'dynamodb:013',
      table.address,
      `stream_enabled = ${describe(enabled)}: changes to the table are not captured`,
      'set stream_enabled = true and stream_view_type = "NEW_AND_OLD_IMAGES" (SecureTable stream, the default)',
    );
  });
}

export const dynamodb013: ComplianceRule = { requirement: 'dynamodb:013', evaluate: evaluateDynamodb013 };
