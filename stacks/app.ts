import { App, TerraformDataSource, TerraformElement, TerraformProvider, TerraformResource, TerraformStack } from 'cdktf';
import { checkedCatalogs, shippedCatalogs } from './catalogs/registry';
import { Catalog } from './catalogs/types';
import { GuardrailError } from '../modules/validation';
import { EnvironmentStack, catalogRegion, createsGovernanceTrail, stackName, tablesOf } from './environment-stack';
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
  requireDistinctAcrossCatalogs(catalogs);
  // Settings may name any catalog of the folder (one not selected for this run is no typo); networks are needed only
  // by the catalogs built.
  const known = [...new Set([...shippedCatalogs(), ...catalogs].map((catalog) => catalog.name))];
  checkSettingsAgainstCatalogs(options.settings, catalogs, known);
  // cdktf's synth-time validations are the provider-presence check (every stack declares its AWS provider itself) and
  // runs of `terraform version` through a shell, for each import block and for a `cloud` backend. Those made synth
  // fail as an internal error where terraform is not on PATH (a synth-only pipeline job; GUARDRAILS_TERRAFORM_BIN),
  // and cost two processes per import. Terraform itself rejects an `import` or `cloud` block it is too old for, where
  // the stack is planned. terraform-binary.test.ts runs the skipped validations on our stacks.
  const app = new App({ outdir: options.outdir, skipValidation: true });
  const recorders = managementEventRecorders(catalogs, options.settings);
  for (const catalog of catalogs) {
    for (const environment of ENVIRONMENT_NAMES) {
      const settings = options.settings[environment];
      const stackOptions = { managementEventsRecordedBy: recorders.get(recorderKey(catalog, settings)) };
      withNameCollisionsExplained(catalog, () => requireDistinctAddresses(catalog, new EnvironmentStack(app, catalog, settings, stackOptions)));
    }
  }
  return app;
}

/** The account and Region whose management events a stack's trail records. */
function recorderKey(catalog: Catalog, settings: EnvironmentSettings): string {
  return `${settings.accountId}/${catalogRegion(catalog, settings)}`;
}

/** A global table's audit trail is multi-Region (AuditTrail), so it records the management events of every Region. */
function hasMultiRegionTrail(catalog: Catalog, environment: EnvironmentName): boolean {
  return tablesOf(catalog, environment).some((table) => table.replicas?.length);
}

/**
 * The catalogs of one environment share its account: the first stack with a multi-Region audit trail records every
 * management event of the account, else the first audited stack per Region does (prod first, should an environment
 * share its account), else the first stack whose trail exists for governance; the others only the write calls (see
 * EnvironmentStackOptions).
 */
export function managementEventRecorders(catalogs: readonly Catalog[], settings: Record<EnvironmentName, EnvironmentSettings>): Map<string, string> {
  const recorders = new Map<string, string>();
  const audited = [...ENVIRONMENT_NAMES].reverse().filter((name) => settings[name].monitoring.auditTrail);
  const stacks = audited.flatMap((environment) => catalogs.map((catalog) => ({ catalog, environment, settings: settings[environment] })));
  for (const { catalog, settings: environmentSettings } of stacks.filter((stack) => hasMultiRegionTrail(stack.catalog, stack.environment))) {
    const name = stackName(catalog, environmentSettings);
    for (const other of stacks.filter((stack) => stack.settings.accountId === environmentSettings.accountId)) {
      const key = recorderKey(other.catalog, other.settings);
      if (!recorders.has(key)) recorders.set(key, name);
    }
  }
  // Then, where no audit trail records an account and Region, the first trail created only for governance: its
  // copy of the read calls is the first there, which CloudTrail does not charge for.
  const governanceOnly = ENVIRONMENT_NAMES.flatMap((environment) => catalogs.filter((catalog) => createsGovernanceTrail(catalog, settings[environment])).map((catalog) => ({ catalog, settings: settings[environment] })));
  for (const { catalog, settings: environmentSettings } of [...stacks, ...governanceOnly]) {
    const key = recorderKey(catalog, environmentSettings);
    if (!recorders.has(key)) recorders.set(key, stackName(catalog, environmentSettings));
  }
  return recorders;
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

/**
 * cdktf writes two elements with one Terraform address into one JSON object, silently merging them (an alarm of the
 * index `status` of table `orders` and an alarm of table `orders_status` would become one corrupt resource).
 */
function requireDistinctAddresses(catalog: Catalog, stack: TerraformStack): void {
  const seen = new Map<string, string>();
  for (const element of stack.node.findAll()) {
    if (!(element instanceof TerraformElement) || element instanceof TerraformProvider) continue;
    const kind = element instanceof TerraformResource ? element.terraformResourceType : element instanceof TerraformDataSource ? `data.${element.terraformResourceType}` : element.constructor.name;
    const address = `${kind}.${element.friendlyUniqueId}`;
    const other = seen.get(address);
    if (other !== undefined) {
      throw new GuardrailError(`catalog '${catalog.name}'`, 'id', element.friendlyUniqueId, `makes two resources with the address ${address} in stack ${stack.node.id} (${other} and ${element.node.path}); rename a table, index or role so the names differ (or, if a setting made them, such as two alarm e-mail addresses that differ only in punctuation, change the setting)`);
    }
    seen.set(address, element.node.path);
  }
}

/** Catalogs deploy into the same accounts: IAM role names and table names must not clash between them. */
function requireDistinctAcrossCatalogs(catalogs: readonly Catalog[]): void {
  const owners = new Map<string, string>();
  for (const catalog of catalogs) {
    const names = [...(catalog.roles ?? []).map((role) => ['roles', 'roleName', role.roleName] as const), ...catalog.tables.map((table) => ['tables', 'baseName', table.baseName] as const)];
    for (const [list, field, name] of names) {
      const key = `${field}:${name}`;
      const owner = owners.get(key);
      if (owner !== undefined && owner !== catalog.name) {
        throw new GuardrailError(`catalog '${catalog.name}'`, `${list}.${field}`, name, `is also used by catalog '${owner}'; both deploy to the same account, so the names must differ`);
      }
      owners.set(key, catalog.name);
    }
  }
}
