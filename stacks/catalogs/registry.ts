import * as fs from 'fs';
import * as path from 'path';
import { GuardrailError, printable } from '../../modules/validation';
import { bundledCatalogSources } from './bundled-sources';
import { validateCatalog } from './schema';
import { withSecureDefaults } from './secure-defaults';
import type { Catalog } from './types';

/** A catalog module and how to load it; loading runs its code, so a failure is reported against its file. */
export interface CatalogSource {
  readonly file: string;
  readonly load: () => unknown;
}

/** The folder of catalogs: every sub-folder with an `index.ts` is one catalog, named like the folder. */
export const CATALOGS_FOLDER = 'stacks/catalogs';

/**
 * Every catalog folder, each loaded only when synth runs (not when this file is imported), so a catalog that throws
 * while loading becomes one line naming its file instead of a stack trace.
 */
export function catalogSources(): readonly CatalogSource[] {
  return bundledCatalogSources() ?? catalogFolderSources(__dirname);
}

function catalogFolderSources(folder: string): CatalogSource[] {
  return catalogFolderNames(folder).map((name) => ({ file: `${CATALOGS_FOLDER}/${name}/index.ts`, load: () => require(path.join(folder, name, 'index.ts')) }));
}

/**
 * The sub-folders of the catalog folder, each of which must hold an `index.ts` (a folder without one would silently
 * build nothing); folders whose names start with `.` or `_` are left alone. The bundler (stacks/bundle.mjs) applies
 * the same rule.
 */
export function catalogFolderNames(folder: string): string[] {
  const names = fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !/^[._]/.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  for (const name of names) {
    if (!fs.existsSync(path.join(folder, name, 'index.ts'))) {
      const found = fs.readdirSync(path.join(folder, name)).filter((file) => /\.(ts|js|mjs|cjs)$/.test(file));
      throw new GuardrailError(`${CATALOGS_FOLDER}/${name}`, 'index.ts', found.length > 0 ? found : undefined, 'a catalog folder must hold index.ts exporting its Catalog (rename the file, or start the folder name with _ to keep it out of synth)');
    }
  }
  return names;
}

let shipped: readonly Catalog[] | undefined;
let shippedFiles: ReadonlyMap<string, string> | undefined;

/** Catalog name → the file it was loaded from, for every catalog of the catalog folder. */
export function shippedCatalogFiles(): ReadonlyMap<string, string> {
  shippedCatalogs();
  return shippedFiles!;
}

/** Every catalog of the catalog folder, loaded and checked against the catalog schema (once per process). */
export function shippedCatalogs(): readonly Catalog[] {
  if (!shipped) {
    const sources = catalogSources();
    if (sources.length === 0) throw new GuardrailError(CATALOGS_FOLDER, '(folders)', [], 'holds no catalog: add stacks/catalogs/<name>/index.ts (npm run new-catalog -- <name>)');
    shipped = requireDistinctNames(sources.map(loadCatalog), (i) => sources[i].file);
    shippedFiles = new Map(shipped.map((catalog, i) => [catalog.name, sources[i].file]));
  }
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
  const catalog = withSecureDefaults(validateCatalog(catalogs[0], source.file));
  const folder = /\/([^/]+)\/index\.ts$/.exec(source.file)?.[1];
  if (source.file.startsWith(`${CATALOGS_FOLDER}/`) && folder !== catalog.name) {
    throw new GuardrailError(`catalog file ${source.file}`, 'name', catalog.name, `must be the name of its folder ('${folder}'): a catalog is found by its folder; rename the folder or the catalog`);
  }
  return catalog;
}

/** Checks catalogs given directly (tests, programmatic use) against the catalog schema. */
export function checkedCatalogs(catalogs: readonly unknown[]): Catalog[] {
  return requireDistinctNames(
    catalogs.map((catalog, i) => withSecureDefaults(validateCatalog(catalog, `catalogs[${i}]`))),
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
