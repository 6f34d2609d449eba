import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { GuardrailError } from '../../../modules/validation';
import { parseWithSchema } from '../../../modules/validation/schema';
import type { Catalog } from '../../../stacks/catalogs/types';
import { ENVIRONMENT_NAMES, EnvironmentName } from '../../../stacks/settings/types';
import type { AccessRequest } from './simulate';

/**
 * Access scenarios: requests with the decision the catalog's design promises. A catalog keeps its own in
 * `stacks/catalogs/<name>/access-scenarios.json` (the seeds' role matrices, what each role is documented to do);
 * every catalog also gets the generic ones below (network, transport, root, unlisted administrator, another account,
 * the deployer and the service principals its stack needs) without writing them.
 */
export interface AccessScenario extends AccessRequest {
  readonly id: string;
  readonly description: string;
  readonly expect: 'allow' | 'deny';
  /** @default every environment */
  readonly environments?: readonly EnvironmentName[];
  /** Where it came from, for messages: the file, or `generic`. */
  readonly source: string;
}

export const SCENARIO_FILE = 'access-scenarios.json';

const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;
const resource = z.union([
  z.strictObject({ table: z.string().min(1), region: z.string().optional(), part: z.enum(['table', 'index', 'stream', 'backup']).optional() }),
  z.strictObject({ key: z.string().min(1), region: z.string().optional() }),
  z.strictObject({ arn: z.string().regex(/^arn:aws[a-z-]*:[a-z0-9-]+:/, 'must be an ARN') }),
]);
const scenario = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,80}$/, 'must be lowercase letters, digits and hyphens'),
  description: z.string().min(1),
  principal: z.string().min(1),
  action: z.string().regex(IAM_ACTION, "must be an IAM action such as 'dynamodb:GetItem'"),
  resource,
  network: z.enum(['vpc-endpoint', 'outside-vpc', 'aws-service']),
  tls: z.boolean().optional(),
  viaDynamoDb: z.boolean().optional(),
  context: z.record(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9]+$/, 'must be a condition key such as aws:SourceVpce'), z.union([z.string(), z.array(z.string())])).optional(),
  expect: z.enum(['allow', 'deny']),
  environments: z.array(z.enum(ENVIRONMENT_NAMES)).optional(),
});
const scenarioFile = z.strictObject({ scenarios: z.array(scenario) });

/** The catalog's own scenarios, checked: ids unique, principals and tables that exist in the catalog. */
export function loadCatalogScenarios(catalog: Catalog, catalogDir: string, stackRoleNames: readonly string[]): AccessScenario[] {
  const file = path.join(catalogDir, SCENARIO_FILE);
  if (!fs.existsSync(file)) return [];
  const subject = `access scenarios ${path.relative(process.cwd(), file)}`;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new GuardrailError(subject, '(whole file)', '<unparsable>', `is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = parseWithSchema(scenarioFile, json, subject);
  const tables = catalog.tables.map((table) => table.id);
  const roles = [...new Set([...(catalog.roles ?? []).map((role) => role.id), ...stackRoleNames])];
  parsed.scenarios.forEach((item, i) => {
    const at = `scenarios['${item.id}']`;
    if (parsed.scenarios.findIndex((other) => other.id === item.id) !== i) throw new GuardrailError(subject, `${at}.id`, item.id, 'is the id of another scenario');
    if ('table' in item.resource && !tables.includes(item.resource.table)) throw new GuardrailError(subject, `${at}.resource.table`, item.resource.table, `is not a table of catalog '${catalog.name}' (${tables.join(', ')})`);
    if (!roles.includes(item.principal) && !GENERIC_PRINCIPAL.test(item.principal)) {
      throw new GuardrailError(subject, `${at}.principal`, item.principal, `is not a role of catalog '${catalog.name}' (${roles.join(', ')}) nor one of deployer, break-glass, root, unlisted-admin, other-account, service-linked:<service>`);
    }
  });
  return parsed.scenarios.map((item) => ({ ...item, source: subject }));
}

const STREAM_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];

const GENERIC_PRINCIPAL = /^(deployer|break-glass|root|unlisted-admin|other-account|service-linked:[a-z0-9.-]+)$/;

/** The scenarios every catalog gets: who must be kept out, from where, and who must get in for the stack to work. */
export function genericScenarios(catalog: Catalog): AccessScenario[] {
  const scenarios: AccessScenario[] = [];
  const add = (item: Omit<AccessScenario, 'source'>) => scenarios.push({ ...item, source: 'generic' });
  for (const table of catalog.tables) {
    const policy = catalog.resourcePolicies?.find((candidate) => candidate.table === table.id);
    for (const principal of ['root', 'unlisted-admin', 'other-account'] as const) {
      add({ id: `${table.id}-${principal}-denied`, description: `${principal} cannot read ${table.baseName}, even from the VPC`, principal, action: 'dynamodb:GetItem', resource: { table: table.id }, network: 'vpc-endpoint', expect: 'deny' });
    }
    add({ id: `${table.id}-deployer-manages`, description: `the deployer manages ${table.baseName} from outside the VPC (Terraform)`, principal: 'deployer', action: 'dynamodb:UpdateTable', resource: { table: table.id }, network: 'outside-vpc', expect: 'allow' });
    add({ id: `${table.id}-config-describes`, description: `AWS Config's service-linked role can describe ${table.baseName} (Config rules, Security Hub)`, principal: 'service-linked:config', action: 'dynamodb:DescribeTable', resource: { table: table.id }, network: 'aws-service', expect: 'allow' });
    for (const role of catalog.roles ?? []) {
      const grant = role.grants.find((candidate) => candidate.table === table.id);
      const action = grant?.profile.actions.find((candidate) => candidate.startsWith('dynamodb:') && !candidate.endsWith('DescribeTable') && candidate !== 'dynamodb:ListStreams');
      if (!grant || !action || grant.leadingKeys) continue;
      // Stream reads address the stream, and come from the Lambda service polling it, not from the VPC.
      if (STREAM_ACTIONS.includes(action)) {
        add({ id: `${table.id}-${role.id}-reads-stream`, description: `${role.roleName} may ${action} on the stream of ${table.baseName}`, principal: role.id, action, resource: { table: table.id, part: 'stream' }, network: 'aws-service', expect: 'allow' });
        continue;
      }
      const network = role.vpcEndpointOnly || (policy?.requireVpcEndpoint ?? true) ? 'vpc-endpoint' : 'outside-vpc';
      const outsideAllowed = !role.vpcEndpointOnly && (policy?.outsideVpcRoles ?? []).includes(role.id);
      add({ id: `${table.id}-${role.id}-granted`, description: `${role.roleName} may ${action} on ${table.baseName} (its grant)`, principal: role.id, action, resource: { table: table.id }, network, expect: 'allow' });
      add({ id: `${table.id}-${role.id}-no-tls-denied`, description: `${role.roleName} is refused without TLS`, principal: role.id, action, resource: { table: table.id }, network, tls: false, expect: 'deny' });
      if (policy && (policy.requireVpcEndpoint ?? true) && !outsideAllowed) {
        add({ id: `${table.id}-${role.id}-outside-vpc-denied`, description: `${role.roleName} is refused from outside the VPC endpoint`, principal: role.id, action, resource: { table: table.id }, network: 'outside-vpc', expect: 'deny' });
      }
    }
  }
  return scenarios;
}

/** Scenarios that apply to one environment's stack. */
export function scenariosFor(environment: EnvironmentName, scenarios: readonly AccessScenario[]): AccessScenario[] {
  return scenarios.filter((item) => !item.environments || item.environments.includes(environment));
}
