import type { CatalogSource } from './registry';

/**
 * The catalog folders as the bundle saw them. From the sources (tsx, Jest) this is `undefined` and the registry reads
 * the folder; `npm run synth` runs a bundle, whose builder (stacks/bundle.mjs) replaces this module with the list of
 * catalog folders found at build time, so their code is in the bundle.
 */
export function bundledCatalogSources(): readonly CatalogSource[] | undefined {
  return undefined;
}
