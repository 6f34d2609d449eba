import type { AccessPattern, Catalog, CatalogTable } from '../../../stacks/catalogs/types';
import type { KeyAttribute } from '../../../modules/table';

type Item = Record<string, string | number | Uint8Array>;
type Value = string | number;

/** One item per access pattern, built from the key schema so that the pattern's query must find it. */
export interface GeneratedSample {
  readonly pattern: AccessPattern;
  readonly item: Item;
}

/** The attribute that marks which pattern an item was made for. */
export const SAMPLE_MARKER = 'generated_for_pattern';

/**
 * For a catalog that brings no sample items: per access pattern, an item whose key attributes take the values the
 * pattern's key condition asks for (`=`, `begins_with`, `BETWEEN`, `<`, `<=`, `>`, `>=`). A query that does not find
 * its item proves that the index does not serve the pattern (wrong key names or types, or a condition that cannot
 * match); a value of the wrong type is refused by DynamoDB.
 */
export function generatedSamples(catalog: Catalog): GeneratedSample[] {
  return catalog.accessPatterns.map((pattern) => {
    const table = catalog.tables.find((candidate) => candidate.id === pattern.table);
    if (!table) throw new Error(`access pattern ${pattern.id}: no table ${pattern.table}`);
    const wanted = valuesFromCondition(pattern);
    const item: Item = { [SAMPLE_MARKER]: pattern.id };
    for (const key of keyAttributesOf(table, pattern.indexName)) {
      item[key.name] = wanted.get(key.name) ?? filler(key, pattern.id);
    }
    // The table's own key makes each item distinct, also when the pattern fixes only an index key.
    for (const key of [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])]) {
      if (!(key.name in item)) item[key.name] = filler(key, pattern.id);
    }
    return { pattern, item };
  });
}

function keyAttributesOf(table: CatalogTable, indexName: string | undefined): KeyAttribute[] {
  const keys = (owner: { partitionKey?: KeyAttribute; sortKey?: KeyAttribute }) => [owner.partitionKey, owner.sortKey].filter((key): key is KeyAttribute => key !== undefined);
  if (!indexName) return keys(table);
  const gsi = table.globalSecondaryIndexes?.find((index) => index.indexName === indexName);
  if (gsi) return [...keys(table), ...keys(gsi)];
  const lsi = table.localSecondaryIndexes?.find((index) => index.indexName === indexName);
  if (lsi) return [...keys(table), { name: lsi.sortKey.name, type: lsi.sortKey.type }];
  throw new Error(`access pattern on ${table.id}: no index ${indexName}`);
}

function filler(key: KeyAttribute, patternId: string): string | number | Uint8Array {
  if (key.type === 'N') return [...patternId].reduce((sum, char) => sum + char.charCodeAt(0), 0);
  if (key.type === 'B') return new TextEncoder().encode(patternId);
  return `sample-${patternId}-${key.name}`;
}

/** Attribute name → a value that satisfies the pattern's key condition on that attribute. */
function valuesFromCondition(pattern: AccessPattern): Map<string, Value> {
  const names = pattern.expressionAttributeNames ?? {};
  const values = pattern.expressionAttributeValues;
  const attribute = (token: string) => names[token] ?? token;
  const value = (placeholder: string): Value => {
    if (!(placeholder in values)) throw new Error(`access pattern ${pattern.id}: ${placeholder} has no value`);
    return values[placeholder];
  };
  const result = new Map<string, Value>();
  // `x BETWEEN :low AND :high` holds for x = :low; dropping its AND leaves the clauses joined by AND alone.
  const condition = pattern.keyConditionExpression.replace(/\bBETWEEN\s+(:\w+)\s+AND\s+:\w+/gi, 'BETWEEN $1');
  for (const part of condition.split(/\s+AND\s+/i)) {
    const clause = part.trim().replace(/^\((.*)\)$/, '$1').trim();
    let match = /^begins_with\s*\(\s*([#\w]+)\s*,\s*(:\w+)\s*\)$/i.exec(clause);
    if (match) {
      result.set(attribute(match[1]), value(match[2]));
      continue;
    }
    match = /^([#\w]+)\s+BETWEEN\s+(:\w+)$/i.exec(clause);
    if (match) {
      result.set(attribute(match[1]), value(match[2]));
      continue;
    }
    match = /^([#\w]+)\s*(=|<=|>=|<|>)\s*(:\w+)$/.exec(clause);
    if (!match) continue;
    const given = value(match[3]);
    result.set(attribute(match[1]), match[2] === '>' ? above(given) : match[2] === '<' ? below(given) : given);
  }
  return result;
}

function above(value: Value): Value {
  return typeof value === 'number' ? value + 1 : `${value}~`;
}

function below(value: Value): Value {
  if (typeof value === 'number') return value - 1;
  return value.length > 1 ? value.slice(0, -1) : String.fromCharCode(value.charCodeAt(0) - 1);
}
