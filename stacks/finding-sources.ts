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
}

/** Requirements whose findings come from an environment setting rather than from the catalog. */
const SETTINGS_REQUIREMENTS: readonly RequirementId[] = ['dynamodb:005'];

/** What to change in this project for each requirement (`<catalog>` is the catalog file, `<env>` the environment). */
const PROJECT_FIXES: Record<RequirementId, (c: FixContext) => string> = {
  'dynamodb:001': (c) => `use the stack's own key (leave ${c.setting('kmsKeyArns')}.${c.catalog} out) or a customer-managed key there, and no encryption override on the table in ${c.file}`,
  'dynamodb:002': (c) => `remove pointInTimeRecovery: false from the table in ${c.file}, or set ${c.setting('pointInTimeRecovery')} to true`,
  'dynamodb:003': (c) => `remove deletionProtection: false from the table in ${c.file}, or set ${c.setting('deletionProtection')} to true`,
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
  return (stack: string, finding: EvaluatedFinding): { source?: SourceLocation; fix?: string } | undefined => {
    const catalog = catalogs.find((candidate) => stack.startsWith(`${candidate.name}-`));
    if (!catalog) return undefined;
    const environment = stack.slice(catalog.name.length + 1) as EnvironmentName;
    const file = sources.catalogFiles.get(catalog.name);
    const fix = PROJECT_FIXES[finding.requirement]({
      catalog: catalog.name,
      environment,
      file: file ?? `catalog '${catalog.name}'`,
      setting: (field) => `environments.${environment}.${field}`,
    });
    if (SETTINGS_REQUIREMENTS.includes(finding.requirement) && sources.settingsFile) {
      return { fix, source: { uri: sources.settingsFile, line: lineMatching(sources.settingsFile, new RegExp(`"${environment}"\\s*:`)) } };
    }
    if (!file) return { fix };
    const pattern = definitionPattern(catalog, finding.resource);
    return { fix, source: { uri: file, line: lineMatching(file, pattern) ?? lineMatching(file, new RegExp(`\\bname:\\s*['"]${escapeRegExp(catalog.name)}['"]`)) } };
  };
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
