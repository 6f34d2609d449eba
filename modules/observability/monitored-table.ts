import { SecureTable } from '../table';
import { MonitoredTable } from './metrics';

/** What the alarms, dashboard and Contributor Insights need to know about a SecureTable. */
export function describeTable(table: SecureTable): MonitoredTable {
  return {
    key: table.node.id,
    tableName: table.tableName,
    tableArn: table.tableArn,
    indexNames: (table.props.globalSecondaryIndexes ?? []).map((gsi) => gsi.indexName),
    provisioned: table.billing.mode === 'PROVISIONED',
    streamEnabled: table.props.stream !== false,
    replicaRegions: [...table.replicaRegions],
  };
}

/** Accepts SecureTables or already described tables. */
export function toMonitoredTable(table: SecureTable | MonitoredTable): MonitoredTable {
  return table instanceof SecureTable ? describeTable(table) : table;
}
