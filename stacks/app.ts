import { App } from 'cdktf';
import { checkedCatalogs, shippedCatalogs } from './catalogs/registry';
import { Catalog } from './catalogs/types';
import { EnvironmentStack } from './environment-stack';
import { checkSettingsAgainstCatalogs } from './settings/catalog-check';
import { ENVIRONMENT_NAMES, EnvironmentName, EnvironmentSettings } from './settings/types';

export { shippedCatalogs } from './catalogs/registry';

export interface BuildAppOptions {
  readonly outdir: string;
  readonly settings: Record<EnvironmentName, EnvironmentSettings>;
  /** @default shippedCatalogs() */
  readonly catalogs?: readonly Catalog[];
}

export function buildApp(options: BuildAppOptions): App {
  const catalogs = options.catalogs ? checkedCatalogs(options.catalogs) : shippedCatalogs();
  checkSettingsAgainstCatalogs(options.settings, [...shippedCatalogs(), ...catalogs]);
  const app = new App({ outdir: options.outdir });
  for (const catalog of catalogs) {
    for (const environment of ENVIRONMENT_NAMES) new EnvironmentStack(app, catalog, options.settings[environment]);
  }
  return app;
}
