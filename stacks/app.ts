import { App } from 'cdktf';
import { checkedCatalogs, shippedCatalogs } from './catalogs/registry';
import { Catalog } from './catalogs/types';
import { GuardrailError } from '../modules/validation';
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
    for (const environment of ENVIRONMENT_NAMES) withNameCollisionsExplained(catalog, () => new EnvironmentStack(app, catalog, options.settings[environment]));
  }
  return app;
}

/**
 * A table or role id can still collide with a name the stack derives from another one (an output
 * `<table>_table_name`, a policy `<table>_resource_policy`); constructs reports that as a bare JavaScript error.
 */
function withNameCollisionsExplained(catalog: Catalog, build: () => void): void {
  try {
    build();
  } catch (error) {
    const collision = /^There is already a Construct with name '([^']+)' in \w+ \[([^\]]+)\]/.exec((error as Error)?.message ?? '');
    if (!collision) throw error;
    throw new GuardrailError(`catalog '${catalog.name}'`, 'id', collision[1], `names two things in stack ${collision[2]} (a table or role id and a name the stack derives, such as <table>_table_name or <table>_resource_policy); rename the table or role`);
  }
}
