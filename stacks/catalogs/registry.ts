import { GuardrailError, printable } from '../../modules/validation';
import { validateCatalog } from './schema';
import type { Catalog } from './types';

/** A catalog module and how to load it; loading runs its code, so a failure is reported against its file. */
export interface CatalogSource {
  readonly file: string;
  readonly load: () => unknown;
}

/**
 * The catalogs the product ships, each loaded only when synth runs (not when this file is imported), so a catalog
 * that throws while loading becomes one line naming its file instead of a stack trace.
 */
const SHIPPED: readonly CatalogSource[] = [
  { file: 'stacks/catalogs/auditflow/index.ts', load: () => require('./auditflow') },
  { file: 'stacks/catalogs/manga-assist/index.ts', load: () => require('./manga-assist') },
  { file: 'stacks/catalogs/ml-platform/index.ts', load: () => require('./ml-platform') },
];

let shipped: readonly Catalog[] | undefined;

/** Every shipped catalog, loaded and checked against the catalog schema (once per process). */
export function shippedCatalogs(): readonly Catalog[] {
  shipped ??= requireDistinctNames(SHIPPED.map(loadCatalog), (i) => SHIPPED[i].file);
  return shipped;
}

/** Loads one catalog module and checks the Catalog it exports. */
export function loadCatalog(source: CatalogSource): Catalog {
  let exported: unknown;
  try {
    exported = source.load();
  } catch (error) {
    throw new GuardrailError(`catalog file ${source.file}`, '(module)', undefined, `failed to load: ${printable((error as Error)?.message ?? String(error))}`);
  }
  const catalogs = Object.values(exported as Record<string, unknown>).filter((value) => typeof value === 'object' && value !== null && 'tables' in value);
  if (catalogs.length !== 1) {
    throw new GuardrailError(`catalog file ${source.file}`, '(exports)', Object.keys(exported as object), `must export exactly one Catalog (an object with name, project, tables, accessPatterns), found ${catalogs.length}`);
  }
  return validateCatalog(catalogs[0], source.file);
}

/** Checks catalogs given directly (tests, programmatic use) against the catalog schema. */
export function checkedCatalogs(catalogs: readonly unknown[]): Catalog[] {
  return requireDistinctNames(
    catalogs.map((catalog, i) => validateCatalog(catalog, `catalogs[${i}]`)),
    (i) => `catalogs[${i}]`,
  );
}

function requireDistinctNames(catalogs: Catalog[], sourceOf: (index: number) => string): Catalog[] {
  catalogs.forEach((catalog, i) => {
    if (catalogs.findIndex((other) => other.name === catalog.name) !== i) {
      throw new GuardrailError(`catalog '${catalog.name}' (${sourceOf(i)})`, 'name', catalog.name, 'is the name of another catalog; stack names (<catalog>-<env>) must be unique');
    }
  });
  return catalogs;
}
