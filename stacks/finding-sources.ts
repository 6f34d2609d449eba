import * as fs from 'fs';
import * as path from 'path';
import type { EvaluatedFinding, SourceLocation } from '../modules/compliance/evaluate';
import type { RequirementId } from '../modules/compliance/types';
import { escapeRegExp } from '../modules/validation';
import type { Catalog } from './catalogs/types';
import { catalogVariable } from './settings/load';
import type { EnvironmentName } from './settings/types';

/** Where a catalog and the settings live, as paths relative to the project root. */
export interface ProjectSources {
  readonly root: string;
  /** Catalog name → its file (`stacks/catalogs/<name>/index.ts`); catalogs given in code have none. */
  readonly catalogFiles: ReadonlyMap<string, string>;
  /** The settings file in use, when there is one. */
  readonly settingsFile?: string;
  /** The project's folder within its git repository (`''` at the root), which SARIF paths start with. */
  readonly repositoryPrefix?: string;
}

/** The project's folder relative to the root of the git repository it is in ('' when it is the root or in none). */
export function repositoryPrefixOf(root: string): string {
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return path.relative(dir, path.resolve(root)).split(path.sep).join('/');
    if (path.dirname(dir) === dir) return '';
  }
}

/**
 * The environment-wide setting behind a finding, when the catalog does not decide it: backups always; PITR and
 * deletion protection when the table leaves them to the environment's default.
 */
const ENVIRONMENT_DEFAULTS: Partial<Record<RequirementId, { readonly setting: 'backup' | 'pointInTimeRecovery' | 'deletionProtection'; readonly tableField?: 'pointInTimeRecovery' | 'deletionProtection' }>> = {
  'dynamodb:005': { setting: 'backup' },
  'dynamodb:002': { setting: 'pointInTimeRecovery', tableField: 'pointInTimeRecovery' },
  'dynamodb:003': { setting: 'deletionProtection', tableField: 'deletionProtection' },
};

/** What to change in this project for each requirement (`<catalog>` is the catalog file, `<env>` the environment). */
const PROJECT_FIXES: Record<RequirementId, (c: FixContext) => string> = {
  'dynamodb:001': (c) => `use the stack's own key (leave ${c.setting('kmsKeyArns')}.${c.catalog} out) or a customer-managed key there, and no encryption override on the table in ${c.file}`,
  'dynamodb:002': (c) => (c.fromSettings ? `set ${c.setting('pointInTimeRecovery')} to true (or GUARDRAILS_${c.environment.toUpperCase()}_POINT_IN_TIME_RECOVERY=true)` : `remove pointInTimeRecovery: false from the table in ${c.file}`),
  'dynamodb:003': (c) => (c.fromSettings ? `set ${c.setting('deletionProtection')} to true (or GUARDRAILS_${c.environment.toUpperCase()}_DELETION_PROTECTION=true)` : `remove deletionProtection: false from the table in ${c.file}`),
  'dynamodb:004': (c) => `give the table billing Billing.onDemand({...}) or Billing.provisioned with Capacity.autoscaled({ min, max }) in ${c.file}`,
  'dynamodb:005': (c) => `set ${c.setting('backup')}.enabled to true`,
  'dynamodb:006': (c) => `list the table in resourcePolicies in ${c.file} with the roles that use it (a table left out gets the restrictive default)`,
  'dynamodb:007': (c) => `keep the dax entry of ${c.file} at its defaults (encryption at rest cannot be turned off there)`,
  'dynamodb:008': (c) => `keep the dax entry of ${c.file} at its defaults (TLS)`,
  'dynamodb:009': (c) => `give ${c.setting('networks')}.${c.catalog} privateSubnetIds and availabilityZones in at least two zones (for the dax entry of ${c.file})`,
  'dynamodb:010': (c) => `remove the key override of the table's replicas in ${c.file}`,
  'dynamodb:011': (c) => `remove pointInTimeRecovery: false from the table's replicas in ${c.file}`,
  'dynamodb:012': (c) => `narrow the grants of the roles in ${c.file} (AccessProfile, no dynamodb:* or Resource "*")`,
  'dynamodb:013': (c) => `remove stream: false from the table in ${c.file}`,
  'dynamodb:014': (c) => `set timeToLiveAttribute on the table in ${c.file}`,
  'dynamodb:015': (c) => `keep endpoint in ${c.file} (or leave it out for the default) and set ${c.setting('networks')}.${c.catalog} (or ${catalogVariable(c.environment, c.catalog, 'VPC_ID')})`,
};

interface FixContext {
  /** The environment's setting decides it (the table leaves it to the default). */
  readonly fromSettings: boolean;
  readonly catalog: string;
  readonly environment: EnvironmentName;
  readonly file: string;
  readonly setting: (field: string) => string;
}

/**
 * For a finding of a stack this project synthesized: the line of the catalog file that defines the resource (or of the
 * settings file, for settings-caused findings) and the fix in terms of the catalog field or setting to change.
 */
export function explainFindings(catalogs: readonly Catalog[], sources: ProjectSources) {
  const texts = new Map<string, string[]>();
  const linesOf = (file: string) => {
    if (!texts.has(file)) texts.set(file, fs.existsSync(path.join(sources.root, file)) ? fs.readFileSync(path.join(sources.root, file), 'utf8').split('\n') : []);
    return texts.get(file)!;
  };
  const lineMatching = (file: string, pattern: RegExp) => {
    const index = linesOf(file).findIndex((line) => pattern.test(line));
    return index >= 0 ? index + 1 : undefined;
  };
  const inRepository = (file: string) => (sources.repositoryPrefix ? `${sources.repositoryPrefix}/${file}` : file);
  const settingLine = (file: string, environment: EnvironmentName, setting: string) => {
    const section = lineMatching(file, new RegExp(`"${environment}"\\s*:`)) ?? 1;
    const index = linesOf(file).findIndex((line, i) => i >= section - 1 && new RegExp(`"${setting}"\\s*:`).test(line));
    return index >= 0 ? index + 1 : section;
  };
  return (stack: string, finding: EvaluatedFinding): { source?: SourceLocation; fix?: string } | undefined => {
    const catalog = catalogs.find((candidate) => stack.startsWith(`${candidate.name}-`));
    if (!catalog) return undefined;
    const environment = stack.slice(catalog.name.length + 1) as EnvironmentName;
    const file = sources.catalogFiles.get(catalog.name);
    const fromSettings = decidedBySettings(catalog, environment, finding);
    const fix = PROJECT_FIXES[finding.requirement]({
      fromSettings,
      catalog: catalog.name,
      environment,
      file: file ?? `catalog '${catalog.name}'`,
      setting: (field) => `environments.${environment}.${field}`,
    });
    if (fromSettings) {
      // Set by a variable when the file does not hold it: the synthesized Terraform is then the only location.
      const setting = ENVIRONMENT_DEFAULTS[finding.requirement]!.setting;
      const inFile = sources.settingsFile !== undefined && linesOf(sources.settingsFile).some((line) => line.includes(`"${setting}"`));
      return { fix, ...(inFile ? { source: { uri: inRepository(sources.settingsFile!), line: settingLine(sources.settingsFile!, environment, setting) } } : {}) };
    }
    if (!file) return { fix };
    const pattern = definitionPattern(catalog, finding.resource);
    return { fix, source: { uri: inRepository(file), line: lineMatching(file, pattern) ?? lineMatching(file, new RegExp(`\\bname:\\s*['"]${escapeRegExp(catalog.name)}['"]`)) } };
  };
}

/** Whether the environment's setting, not the catalog, decides the finding. */
function decidedBySettings(catalog: Catalog, environment: EnvironmentName, finding: EvaluatedFinding): boolean {
  const rule = ENVIRONMENT_DEFAULTS[finding.requirement];
  if (!rule) return false;
  if (!rule.tableField) return true;
  const table = catalog.tables.find((candidate) => finding.resource === `aws_dynamodb_table.${candidate.id}` || finding.resource.startsWith(`aws_dynamodb_table.${candidate.id}.`));
  if (!table) return false;
  const own = table.environmentOverrides?.[environment]?.[rule.tableField] ?? table[rule.tableField];
  return own === undefined;
}

/** The catalog line that defines the resource: the table or role whose id the address starts with, the endpoint, DAX. */
function definitionPattern(catalog: Catalog, resource: string): RegExp {
  const [type, name = ''] = resource.split('.');
  const ids = [...catalog.tables.map((table) => table.id), ...(catalog.roles ?? []).map((role) => role.id)].sort((a, b) => b.length - a.length);
  const owner = ids.find((id) => name === id || name.startsWith(`${id}_`));
  if (owner) return new RegExp(`\\bid:\\s*['"]${escapeRegExp(owner)}['"]`);
  if (type.startsWith('aws_dax')) return /\bdax\b\s*[:=]/;
  if (type === 'aws_vpc_endpoint') return /\bendpoint\b\s*[:=]/;
  return /$^/;
}
