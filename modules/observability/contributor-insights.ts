import { Construct } from 'constructs';
import { DynamodbContributorInsights } from '@cdktf/provider-aws/lib/dynamodb-contributor-insights';
import { SecureTable } from '../table';
import { useStableAddress } from '../naming';
import { GuardrailError } from '../validation';
import { MonitoredTable } from './metrics';
import { toMonitoredTable } from './monitored-table';

export type ContributorInsightsMode = 'ACCESSED_AND_THROTTLED_KEYS' | 'THROTTLED_KEYS';
export const CONTRIBUTOR_INSIGHTS_MODES: readonly ContributorInsightsMode[] = ['ACCESSED_AND_THROTTLED_KEYS', 'THROTTLED_KEYS'];

export interface TableContributorInsightsProps {
  readonly tables: readonly (SecureTable | MonitoredTable)[];
  /**
   * `ACCESSED_AND_THROTTLED_KEYS` graphs the most accessed and most throttled keys (hot-key detection, seed 001 §8);
   * `THROTTLED_KEYS` only the throttled ones (cheaper).
   * @default 'ACCESSED_AND_THROTTLED_KEYS'
   */
  readonly mode?: ContributorInsightsMode;
}

/**
 * CloudWatch Contributor Insights on every table and every GSI (seed 001 §8).
 *
 * Note: Contributor Insights graphs show partition and sort key values in plain text in CloudWatch. Keys holding
 * personal data (e-mail addresses, customer ids) then leave the KMS-encrypted table; turn it off for such tables.
 */
export class TableContributorInsights extends Construct {
  readonly rules: readonly DynamodbContributorInsights[];

  constructor(scope: Construct, id: string, props: TableContributorInsightsProps) {
    super(scope, id);
    const mode = props.mode ?? 'ACCESSED_AND_THROTTLED_KEYS';
    if (!CONTRIBUTOR_INSIGHTS_MODES.includes(mode)) {
      throw new GuardrailError(this.node.path, 'mode', mode, `must be one of ${CONTRIBUTOR_INSIGHTS_MODES.join(', ')}`);
    }
    const rules: DynamodbContributorInsights[] = [];
    for (const table of props.tables.map(toMonitoredTable)) {
      const tableScope = new Construct(this, table.key);
      rules.push(useStableAddress(new DynamodbContributorInsights(tableScope, 'table', { tableName: table.tableName, mode }), { primary: true }));
      for (const indexName of table.indexNames) {
        rules.push(useStableAddress(new DynamodbContributorInsights(tableScope, `index_${indexName}`, { tableName: table.tableName, indexName, mode })));
      }
    }
    this.rules = rules;
  }
}
