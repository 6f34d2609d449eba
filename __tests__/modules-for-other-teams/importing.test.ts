/**
 * Adopting tables that already exist (seed 003's AWS CLI script): `importExisting` on a catalog table emits a
 * Terraform `import` block for the table, per environment, and the result passes the offline `terraform validate`
 * (Terraform 1.11 validates import blocks: the `to` address must exist in the configuration).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { auditFlowCatalog } from '../../stacks/catalogs/auditflow';
import { Catalog, CatalogTable } from '../../stacks/catalogs/types';
import { EnvironmentStack } from '../../stacks/environment-stack';
import { EXAMPLE_ENVIRONMENTS } from '../../stacks/settings/defaults';
import { EnvironmentName } from '../../stacks/settings/types';
import { formatDiagnostic, terraformValidate } from '../support/terraform/validate';
import { synthEnvironment } from '../support/synth';
import { repairedCdktfHcl } from '../../stacks/hcl-text';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-import-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** The AuditFlow catalog with `importExisting` for the given tables in the given environments (or everywhere). */
function adopting(tables: string[], environments?: EnvironmentName[]): Catalog {
  const adopt = (table: CatalogTable): CatalogTable => {
    if (!tables.includes(table.id)) return table;
    if (!environments) return { ...table, importExisting: true };
    const overrides = { ...table.environmentOverrides };
    for (const env of environments) overrides[env] = { ...overrides[env], importExisting: true };
    return { ...table, environmentOverrides: overrides };
  };
  return { ...auditFlowCatalog, tables: auditFlowCatalog.tables.map(adopt) };
}

describe('import blocks', () => {
  test('prod adopts the tables the CLI script created: to = the stable address, id = the table name', () => {
    const json = synthEnvironment(adopting(['documents', 'audit_records'], ['prod']), 'prod');
    expect(json.import).toEqual([
      { to: 'aws_dynamodb_table.documents', id: 'AuditFlow-Documents' },
      { to: 'aws_dynamodb_table.audit_records', id: 'AuditFlow-AuditRecords' },
    ]);
    expect(json.resource!.aws_dynamodb_table.documents.name).toBe('AuditFlow-Documents');
  });

  test('an override for one environment leaves the others creating their tables', () => {
    const catalog = adopting(['documents'], ['prod']);
    expect(synthEnvironment(catalog, 'dev').import).toBeUndefined();
    expect(synthEnvironment(catalog, 'staging').import).toBeUndefined();
  });

  test('set on the table itself, every environment imports its own table name', () => {
    const catalog = adopting(['documents']);
    expect(synthEnvironment(catalog, 'dev').import).toEqual([{ to: 'aws_dynamodb_table.documents', id: 'AuditFlow-Documents-dev' }]);
    expect(synthEnvironment(catalog, 'staging').import).toEqual([{ to: 'aws_dynamodb_table.documents', id: 'AuditFlow-Documents-staging' }]);
  });

  test('without the setting there is no import block (the default): AuditFlow adopts its tables in prod only', () => {
    for (const env of ['dev', 'staging'] as const) expect(synthEnvironment(auditFlowCatalog, env).import).toBeUndefined();
    const withoutAdoption = { ...auditFlowCatalog, tables: auditFlowCatalog.tables.map((table) => ({ ...table, environmentOverrides: undefined })) };
    expect(synthEnvironment(withoutAdoption, 'prod').import).toBeUndefined();
  });

  test('only the table is imported: TTL, PITR, encryption and streams are arguments of aws_dynamodb_table in provider 6', () => {
    const json = synthEnvironment(adopting(['documents', 'audit_records'], ['prod']), 'prod');
    const table = json.resource!.aws_dynamodb_table.documents;
    expect(table.ttl).toEqual({ attribute_name: 'ttl', enabled: true });
    expect(table.point_in_time_recovery).toEqual({ enabled: true, recovery_period_in_days: 35 });
    expect(table.server_side_encryption.enabled).toBe(true);
    expect(json.resource!.aws_dynamodb_table_ttl ?? json.resource!.aws_dynamodb_continuous_backups).toBeUndefined();
    expect((json.import as Array<{ to: string }>).map((i) => i.to.split('.')[0])).toEqual(['aws_dynamodb_table', 'aws_dynamodb_table']);
  });
});

describe.each([
  ['JSON', false, 'cdk.tf.json'],
  ['HCL', true, 'cdk.tf'],
])('the adopting prod stack as %s passes terraform validate', (_form, hcl, file) => {
  test('valid, import blocks included', () => {
    const previous = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = hcl ? 'true' : 'false';
    const outdir = path.join(root, hcl ? 'hcl' : 'json');
    try {
      const app = new App({ outdir });
      new EnvironmentStack(app, adopting(['documents', 'audit_records'], ['prod']), EXAMPLE_ENVIRONMENTS.prod);
      app.synth();
    } finally {
      if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = previous;
    }
    const dir = path.join(outdir, 'stacks', 'auditflow-prod');
    // As synth writes it: cdktf's HCL repaired (stacks/hcl-text.ts).
    if (hcl) fs.writeFileSync(path.join(dir, file as string), repairedCdktfHcl(fs.readFileSync(path.join(dir, file as string), 'utf8')));
    const text = fs.readFileSync(path.join(dir, file as string), 'utf8');
    expect(text).toMatch(/"?import"?\s*[:{[]/);
    const result = terraformValidate(dir);
    expect(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
    expect(result.valid).toBe(true);
  });
});

describe('what terraform validate checks in import blocks (and what it leaves to plan)', () => {
  const table = 'resource "aws_dynamodb_table" "documents" {\n  name         = "AuditFlow-Documents"\n  hash_key     = "document_id"\n  billing_mode = "PAY_PER_REQUEST"\n  attribute {\n    name = "document_id"\n    type = "S"\n  }\n}\n';
  function check(name: string, body: string) {
    const dir = path.join(root, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'main.tf'), `provider "aws" {\n  region = "ap-south-1"\n}\n${body}`);
    return terraformValidate(dir);
  }

  test('two import blocks for one table are refused', () => {
    const importBlock = (id: string) => `import {\n  to = aws_dynamodb_table.documents\n  id = "${id}"\n}\n`;
    const result = check('duplicate', `${table}${importBlock('AuditFlow-Documents')}${importBlock('AuditFlow-Documents-dev')}`);
    expect(result.valid).toBe(false);
    expect(result.diagnostics.map((d) => d.summary)).toContain('Duplicate import configuration for "aws_dynamodb_table.documents"');
  });

  test('an import target without configuration passes validate: only plan reports it (or generates config)', () => {
    const result = check('no-target', 'import {\n  to = aws_dynamodb_table.documents\n  id = "AuditFlow-Documents"\n}\n');
    expect(result.valid).toBe(true);
  });
});
