import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkSynthesizedStacks, ComplianceError, StackComplianceSettings, Waiver } from '../../modules/compliance';
import { buildApp } from '../../stacks/app';
import { auditFlowCatalog } from '../../stacks/catalogs/auditflow';
import { Catalog } from '../../stacks/catalogs/types';
import { EXAMPLE_ENVIRONMENTS } from '../../stacks/settings/defaults';
import { EnvironmentName } from '../../stacks/settings/types';

const TODAY = '2026-03-01';

/** AuditFlow with PITR removed from the documents table in every environment: one dynamodb:002 failure per stack. */
const pitrRemoved: Catalog = {
  ...auditFlowCatalog,
  tables: auditFlowCatalog.tables.map((table) => (table.id === 'documents' ? { ...table, pointInTimeRecovery: false } : table)),
};

const PENDING: Waiver[] = [
  { requirement: 'dynamodb:002', resource: 'aws_dynamodb_table.documents', reason: 'documents are re-derivable from S3 originals during the migration', expires: '2026-06-30' },
];

function synthAuditFlow(): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'compliance-gate-'));
  buildApp({ outdir, settings: EXAMPLE_ENVIRONMENTS, catalogs: [pitrRemoved] }).synth();
  return outdir;
}

function settingsFor(waivers: Partial<Record<EnvironmentName, Waiver[]>>) {
  return (stack: string): StackComplianceSettings | undefined => {
    const environment = stack.split('-').pop() as EnvironmentName;
    return { environment, waivers: waivers[environment] ?? [] };
  };
}

describe('checkSynthesizedStacks (the synth-time gate)', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = synthAuditFlow();
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('prod without waivers: hard stop after writing the reports', () => {
    expect(() => checkSynthesizedStacks(outdir, { today: TODAY, settingsFor: settingsFor({}) })).toThrow(ComplianceError);
    expect(() => checkSynthesizedStacks(outdir, { today: TODAY, settingsFor: settingsFor({}) })).toThrow(
      /^prod is not compliant: 1 NON_COMPLIANT finding without a valid waiver[^\n]*\n  auditflow-prod: aws_dynamodb_table\.documents: dynamodb:002 /,
    );
    for (const stack of ['auditflow-dev', 'auditflow-prod', 'auditflow-staging']) {
      for (const file of ['compliance.md', 'compliance.json', 'compliance.sarif']) {
        expect(fs.existsSync(path.join(outdir, 'stacks', stack, file))).toBe(true);
      }
    }
  });

  test('with waivers: passes; dev and staging failures are warnings; reports are byte-identical across runs', () => {
    const options = { today: TODAY, settingsFor: settingsFor({ prod: PENDING }) };
    const first = checkSynthesizedStacks(outdir, options);
    expect(first.reports.map((r) => `${r.stack} ${r.environment}`)).toEqual(['auditflow-dev dev', 'auditflow-prod prod', 'auditflow-staging staging']);
    // dev: PITR and backups (off in dev, unwaived here); staging: PITR. Prod only has the waived finding.
    expect(first.warnings.filter((w) => w.startsWith('warning: auditflow-prod'))).toEqual([]);
    expect(first.warnings.filter((w) => w.startsWith('warning: auditflow-staging: '))).toEqual([expect.stringContaining('aws_dynamodb_table.documents: dynamodb:002')]);
    expect(first.warnings.filter((w) => w.startsWith('warning: auditflow-dev: ')).map((w) => w.split(': ').slice(2, 4).join(' ')).sort()).toEqual([
      'aws_dynamodb_table.audit_records dynamodb:005 (Tables in an AWS Backup plan)',
      'aws_dynamodb_table.documents dynamodb:002 (Point-in-time recovery)',
      'aws_dynamodb_table.documents dynamodb:005 (Tables in an AWS Backup plan)',
    ]);
    const read = () => ['compliance.md', 'compliance.json', 'compliance.sarif'].map((f) => fs.readFileSync(path.join(outdir, 'stacks', 'auditflow-prod', f), 'utf8'));
    const before = read();
    checkSynthesizedStacks(outdir, options);
    expect(read()).toEqual(before);
    expect(JSON.parse(before[1]).summary).toEqual(expect.objectContaining({ nonCompliant: 0, waived: 1 }));
    expect(before[0]).toContain('| dynamodb:002 Point-in-time recovery | `aws_dynamodb_table.documents` | NON_COMPLIANT (waived) |');
    const terraformLines = fs.readFileSync(path.join(outdir, 'stacks', 'auditflow-prod', 'cdk.tf.json'), 'utf8').split('\n');
    const results = JSON.parse(before[2]).runs[0].results as Array<{ locations: Array<{ physicalLocation: { region: { startLine: number } }; logicalLocations: Array<{ name: string }> }> }>;
    expect(results).toHaveLength(1);
    for (const result of results) {
      const name = result.locations[0].logicalLocations[0].name.split('.')[1];
      expect(terraformLines[result.locations[0].physicalLocation.region.startLine - 1]).toBe(`      "${name}": {`);
    }
  });

  test('a second synth of the same app produces identical reports', () => {
    const other = synthAuditFlow();
    try {
      const options = { today: TODAY, settingsFor: settingsFor({ prod: PENDING }) };
      checkSynthesizedStacks(outdir, options);
      checkSynthesizedStacks(other, options);
      for (const file of ['compliance.md', 'compliance.json', 'compliance.sarif']) {
        expect(fs.readFileSync(path.join(other, 'stacks', 'auditflow-prod', file), 'utf8')).toBe(fs.readFileSync(path.join(outdir, 'stacks', 'auditflow-prod', file), 'utf8'));
      }
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  test('warns about waivers that accept nothing in any stack of their environment', () => {
    const stale: Waiver = { requirement: 'dynamodb:009', resource: '*', reason: 'DAX was removed last quarter', expires: '2026-06-30' };
    const { warnings } = checkSynthesizedStacks(outdir, { today: TODAY, settingsFor: settingsFor({ prod: [...PENDING, stale] }) });
    expect(warnings).toContain('warning: prod waiver dynamodb:009 for * accepts no finding in any prod stack; remove it');
  });

  test('stacks without settings are skipped', () => {
    const result = checkSynthesizedStacks(outdir, { today: TODAY, settingsFor: (stack) => (stack === 'auditflow-dev' ? { environment: 'dev', waivers: [] } : undefined) });
    expect(result.reports.map((r) => r.stack)).toEqual(['auditflow-dev']);
  });
});
