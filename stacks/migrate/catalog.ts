import { Migration } from './translate';

/**
 * `--to catalog`: the migrated tables as catalog entries (stacks/catalogs/<catalog>/), adopted by the stacks with
 * `importExisting` (Terraform `import` blocks: the stacks keep their own state, so a `moved` block cannot reach them),
 * and for the team's configuration a `removed` block per call with `destroy = false`, so their next apply forgets
 * the tables without deleting them (Terraform 1.7+).
 */
export interface CatalogEntry {
  readonly id: string;
  readonly baseName: string;
  readonly partitionKey: { name: string; type: string };
  readonly sortKey?: { name: string; type: string };
  readonly globalSecondaryIndexes?: ReadonlyArray<Record<string, unknown>>;
  readonly billing: string;
  readonly timeToLiveAttribute?: string;
  readonly stream?: string;
  readonly tableClass?: string;
  readonly replicas?: ReadonlyArray<{ region: string; kmsKeyArn?: string }>;
  readonly importExisting: true;
}

/** Why a migrated call cannot be a catalog entry (a table name decided by an expression), or undefined. */
export function catalogBlocker(migration: Migration): string | undefined {
  const name = argument(migration, 'name');
  return typeof name === 'string' ? undefined : 'the table name is an expression; a catalog entry needs the literal name of the existing table to import it';
}

export function catalogEntry(migration: Migration): CatalogEntry {
  const gsis = (argument(migration, 'global_secondary_indexes') as Array<Record<string, any>> | undefined)?.map((index) =>
    compact({
      indexName: index.name,
      partitionKey: index.partition_key,
      sortKey: index.sort_key,
      projection: index.projection_type,
      nonKeyAttributes: index.non_key_attributes,
      maxReadRequestUnits: index.on_demand_throughput?.max_read_request_units,
      maxWriteRequestUnits: index.on_demand_throughput?.max_write_request_units,
    }),
  );
  const replicas = (argument(migration, 'replicas') as Array<Record<string, unknown>> | undefined)?.map((replica) =>
    compact({ region: String(replica.region_name), kmsKeyArn: typeof replica.kms_key_arn === 'string' ? replica.kms_key_arn : undefined }),
  );
  return compact({
    id: migration.name,
    baseName: String(argument(migration, 'name')),
    partitionKey: argument(migration, 'partition_key') as CatalogEntry['partitionKey'],
    sortKey: argument(migration, 'sort_key') as CatalogEntry['sortKey'],
    globalSecondaryIndexes: gsis,
    billing: billingExpression(migration),
    timeToLiveAttribute: literal(argument(migration, 'ttl_attribute_name')),
    stream: literal(argument(migration, 'stream_view_type')),
    tableClass: literal(argument(migration, 'table_class')),
    replicas,
    importExisting: true,
  }) as CatalogEntry;
}

/** The TypeScript module of the entries, for stacks/catalogs/<catalog>/migrated-tables.ts. */
export function renderCatalogModule(entries: readonly CatalogEntry[]): string {
  const body = entries.map((entry) => `  ${renderObject({ ...entry }, '  ')},`).join('\n');
  const used = ['Billing', 'Capacity'].filter((name) => entries.some((entry) => entry.billing.includes(`${name}.`)));
  return [
    '// Catalog tables migrated from terraform-aws-modules/dynamodb-table by npm run migrate -- --to catalog.',
    '// Put this file in stacks/catalogs/<catalog>/ and list the tables in the catalog; see MIGRATION.md.',
    `import { ${used.join(', ')} } from '../../../modules/capacity';`,
    "import type { CatalogTable } from '../types';",
    '',
    'export const migratedTables: CatalogTable[] = [',
    body,
    '];',
    '',
  ].join('\n');
}

/** `removed` blocks that make the team's configuration forget each migrated call without destroying anything. */
export function renderRemovedBlocks(migration: Migration): string {
  return [
    `# Migrated to a dynamodb-guardrails catalog (npm run migrate -- --to catalog): the stacks import the tables; this`,
    '# forgets them here without deleting them (Terraform 1.7+). Remove the block after the next apply.',
    'removed {',
    `  from = module.${migration.name}`,
    '  lifecycle {',
    '    destroy = false',
    '  }',
    '}',
  ].join('\n');
}

function billingExpression(migration: Migration): string {
  const autoscaling = argument(migration, 'autoscaling') as Record<string, Record<string, unknown>> | undefined;
  if (argument(migration, 'billing_mode') === 'PROVISIONED' && autoscaling) {
    const capacity = (kind: string) => {
      const dimension = autoscaling[kind];
      return `Capacity.autoscaled({ min: ${Number(dimension.min_capacity)}, max: ${Number(dimension.max_capacity)}, targetUtilization: ${Number(dimension.target_utilization)} })`;
    };
    return `Billing.provisioned({ readCapacity: ${capacity('read')}, writeCapacity: ${capacity('write')} })`;
  }
  const cap = argument(migration, 'on_demand_throughput') as Record<string, unknown> | undefined;
  return cap ? `Billing.onDemand(${JSON.stringify(compact({ maxReadRequestUnits: cap.max_read_request_units, maxWriteRequestUnits: cap.max_write_request_units }))})` : 'Billing.onDemand()';
}

function argument(migration: Migration, name: string): unknown {
  return migration.arguments.find(([key]) => key === name)?.[1];
}

function literal(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** A JavaScript object literal; the billing entry is code, everything else data. */
function renderObject(value: Record<string, unknown>, indent: string): string {
  const inner = `${indent}  `;
  const lines = Object.entries(value).map(([key, v]) => `${inner}${key}: ${key === 'billing' ? String(v) : JSON.stringify(v)},`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}
