import type { EnvironmentSettings } from '../../../stacks/settings/types';
import { evaluateRequest, type AccessDecision, type Network } from './simulate';
import type { StackModel } from './stack-model';
import type { Catalog } from '../../../stacks/catalogs/types';

/** A leading key each role's grants allow (its first pattern, `*` filled in), so keyed roles are asked for their own items. */
export function catalogLeadingKeys(catalogs: readonly Catalog[]): Record<string, string> {
  return Object.fromEntries(
    catalogs.flatMap((catalog) => (catalog.roles ?? []).flatMap((role) => role.grants.filter((grant) => grant.leadingKeys?.length).map((grant) => [role.id, grant.leadingKeys![0].replace(/\*/g, 'example')]))),
  );
}

/**
 * The access matrix of a stack: for every table (and replica Region), who can read, write, delete items, change or
 * delete the table, from the catalog's VPC endpoint and from outside it. Every cell is the engine's decision over
 * the stack's own policies, with the statements that decided it.
 */
export const OPERATIONS = [
  ['read', 'dynamodb:GetItem'],
  ['write', 'dynamodb:PutItem'],
  ['delete items', 'dynamodb:DeleteItem'],
  ['change table', 'dynamodb:UpdateTable'],
  ['delete table', 'dynamodb:DeleteTable'],
] as const;

const NETWORKS: readonly Network[] = ['vpc-endpoint', 'outside-vpc'];
const OTHER_PRINCIPALS = ['deployer', 'break-glass', 'root', 'unlisted-admin', 'other-account'];

export interface MatrixCell {
  readonly network: Network;
  readonly decision: 'allow' | 'deny';
  readonly deciding: readonly string[];
}

export interface MatrixRow {
  readonly table: string;
  readonly tableName: string;
  readonly region: string;
  readonly principal: string;
  readonly principalArn: string;
  readonly operations: Readonly<Record<string, readonly MatrixCell[]>>;
}

export interface AccessMatrix {
  readonly stack: string;
  readonly rows: readonly MatrixRow[];
}

/**
 * `leadingKeys` gives, per role, a partition key value its grant accepts (item calls carry `dynamodb:LeadingKeys`);
 * roles without such a condition get none.
 */
export async function accessMatrix(model: StackModel, settings: Pick<EnvironmentSettings, 'deployerPrincipalArns' | 'exemptPrincipalArns'>, leadingKeys: Readonly<Record<string, string>> = {}): Promise<AccessMatrix> {
  const principals = [...model.roles.keys(), ...OTHER_PRINCIPALS];
  const rows: MatrixRow[] = [];
  for (const [tableId, table] of [...model.tables.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    for (const region of table.regions) {
      for (const principal of principals) {
        const operations: Record<string, MatrixCell[]> = {};
        let arn = '';
        for (const [label, action] of OPERATIONS) {
          operations[label] = [];
          for (const network of NETWORKS) {
            const decision: AccessDecision = await evaluateRequest(
              model,
              { principal, action, resource: { table: tableId, region }, network, context: leadingKeys[principal] ? { 'dynamodb:LeadingKeys': leadingKeys[principal] } : undefined },
              { deployers: settings.deployerPrincipalArns, breakGlass: settings.exemptPrincipalArns },
            );
            arn = decision.request.principal;
            operations[label].push({ network, decision: decision.decision, deciding: decision.deciding });
          }
        }
        rows.push({ table: tableId, tableName: table.name, region, principal, principalArn: arn, operations });
      }
    }
  }
  return { stack: model.stack, rows };
}

/** The matrix as an auditor reads it: one table per table and Region, ✔ = allowed, ✘ = denied, VPC / outside. */
export function accessMatrixMarkdown(matrix: AccessMatrix, daxClusters: readonly string[] = []): string {
  const lines = [
    `# Who can reach the data of ${matrix.stack}`,
    '',
    'Every cell is the decision of a real IAM engine (@cloud-copilot/iam-simulate) over this stack\'s identity, table,',
    'VPC endpoint and key policies: **VPC** = through the catalog\'s DynamoDB VPC endpoint, **outside** = from anywhere',
    'else, TLS in both. ✔ allowed, ✘ denied. access.json names the deciding statements of every cell. How to read it:',
    'help/access-model.md.',
    '',
  ];
  for (const cluster of daxClusters) {
    lines.push(
      `**Through DAX (cluster ${cluster})** the matrix does not apply: a client with \`dax:*\` on the cluster reaches the`,
      "cached tables with the cluster role's permissions; `dynamodb:LeadingKeys` and the client's own DynamoDB",
      'conditions are not evaluated (DynamoDB Developer Guide, DAX access control). The access proof shows it as the',
      "scenario `dax-bypasses-leading-keys`; help/dax.md says which clients hold `dax:*`.",
      '',
    );
  }
  const groups = new Map<string, MatrixRow[]>();
  for (const row of matrix.rows) groups.set(`${row.tableName} (${row.region})`, [...(groups.get(`${row.tableName} (${row.region})`) ?? []), row]);
  for (const [title, rows] of groups) {
    lines.push(`## ${title}`, '', `| principal | ${OPERATIONS.map(([label]) => label).join(' | ')} |`, `|---|${OPERATIONS.map(() => '---').join('|')}|`);
    for (const row of rows) {
      const cells = OPERATIONS.map(([label]) => row.operations[label].map((cell) => `${cell.network === 'vpc-endpoint' ? 'VPC' : 'outside'} ${cell.decision === 'allow' ? '✔' : '✘'}`).join(' · '));
      lines.push(`| ${row.principal} | ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
