import { App } from 'cdktf';
import { auditFlowCatalog } from './catalogs/auditflow';
import { mangaAssistCatalog } from './catalogs/manga-assist';
import { mlPlatformCatalog } from './catalogs/ml-platform';
import { Catalog } from './catalogs/types';
import { EnvironmentStack } from './environment-stack';
import { checkSettingsAgainstCatalogs } from './settings/catalog-check';
import { ENVIRONMENT_NAMES, EnvironmentName, EnvironmentSettings } from './settings/types';

/** Every catalog the product ships; each becomes one stack per environment. */
export const CATALOGS: readonly Catalog[] = [auditFlowCatalog, mangaAssistCatalog, mlPlatformCatalog];

export interface BuildAppOptions {
  readonly outdir: string;
  readonly settings: Record<EnvironmentName, EnvironmentSettings>;
  /** @default CATALOGS */
  readonly catalogs?: readonly Catalog[];
}

export function buildApp(options: BuildAppOptions): App {
  const catalogs = options.catalogs ?? CATALOGS;
  checkSettingsAgainstCatalogs(options.settings, [...CATALOGS, ...catalogs]);
  const app = new App({ outdir: options.outdir });
  for (const catalog of catalogs) {
    for (const environment of ENVIRONMENT_NAMES) new EnvironmentStack(app, catalog, options.settings[environment]);
  }
  return app;
}
