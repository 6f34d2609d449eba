import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import {
  evaluateStack,
  locateResources,
  renderJson,
  renderMarkdown,
  renderSarif,
  REQUIREMENTS,
  StackComplianceReport,
  Waiver,
  writeComplianceReports,
} from '../../modules/compliance';
import { stackJson, tableResource } from './fixtures';
import { daxStack } from './rules/dax';

const TODAY = '2026-03-01';
const WAIVER: Waiver = { requirement: 'dynamodb:014', resource: 'aws_dynamodb_table.orders', reason: 'orders are kept | forever by policy', expires: '2026-12-31' };

function sampleJson() {
  const tables = stackJson({ aws_dynamodb_table: { orders: tableResource(), scratch: tableResource({ name: 'Scratch', deletion_protection_enabled: false }) } });
  const dax = daxStack() as { resource: Record<string, unknown> };
  return { ...tables, resource: { ...(tables.resource as Record<string, unknown>), ...dax.resource } };
}

function sampleReport(environment: 'prod' | 'dev' = 'prod'): StackComplianceReport {
  return evaluateStack('orders-prod', sampleJson(), { environment, waivers: [WAIVER], today: TODAY });
}

function sarifValidator() {
  const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
  // The file is a draft-04 schema: Ajv 8 reads it as draft-07 once `id` is spelled `$id` (no draft-04-only keywords are used).
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  // unicodeRegExp: false because the schema's `language` pattern is not valid in Unicode mode.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('compliance.sarif', () => {
  const validate = sarifValidator();

  test.each(['prod', 'dev'] as const)('is valid SARIF 2.1.0 (%s)', (environment) => {
    const sarif = JSON.parse(renderSarif(sampleReport(environment), JSON.stringify(sampleJson(), null, 2)));
    const valid = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  test('the validator is effective: it rejects a result with an unknown level', () => {
    const sarif = JSON.parse(renderSarif(sampleReport()));
    sarif.runs[0].results[0].level = 'fatal';
    expect(validate(sarif)).toBe(false);
  });

  test('declares the fifteen requirements as rules with help text', () => {
    const sarif = JSON.parse(renderSarif(sampleReport()));
    const rules = sarif.runs[0].tool.driver.rules;
    expect(rules.map((r: { id: string }) => r.id)).toEqual(REQUIREMENTS.map((r) => r.id));
    expect(rules[1].help.text).toContain('Satisfied by: Every aws_dynamodb_table has point_in_time_recovery');
    expect(rules[1].help.text).toContain('AWS Security Hub: DynamoDB.2. AWS Config: dynamodb-pitr-enabled. Checkov: CKV_AWS_28.');
    expect(rules[2].properties.checkov).toEqual([]);
  });

  test('results: NON_COMPLIANT only; error in prod, warning elsewhere; waived ones suppressed', () => {
    const prod = JSON.parse(renderSarif(sampleReport('prod'))).runs[0].results;
    const dev = JSON.parse(renderSarif(sampleReport('dev'))).runs[0].results;
    const failures = sampleReport().findings.filter((f) => f.status === 'NON_COMPLIANT');
    expect(prod).toHaveLength(failures.length);
    expect(prod.every((r: { level: string }) => r.level === 'error')).toBe(true);
    expect(dev.every((r: { level: string }) => r.level === 'warning')).toBe(true);
    const waived = prod.filter((r: { suppressions?: unknown[] }) => r.suppressions);
    expect(waived).toHaveLength(1);
    expect(waived[0]).toMatchObject({
      ruleId: 'dynamodb:014',
      ruleIndex: 13,
      kind: 'fail',
      suppressions: [{ kind: 'external', status: 'accepted', justification: 'orders are kept | forever by policy (waiver for aws_dynamodb_table.orders, expires 2026-12-31)' }],
    });
    const scratch = prod.find((r: { ruleId: string; message: { text: string } }) => r.ruleId === 'dynamodb:003');
    expect(scratch.locations[0].logicalLocations[0]).toEqual({ name: 'aws_dynamodb_table.scratch', fullyQualifiedName: 'orders-prod/aws_dynamodb_table.scratch', kind: 'resource' });
    expect(scratch.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'cdk.tf.json' });
  });

  test('locations carry the line of the resource in cdk.tf.json', () => {
    const text = JSON.stringify(sampleJson(), null, 2);
    const lines = text.split('\n');
    const located = locateResources(text);
    const line = located.get('aws_dynamodb_table.scratch') as number;
    expect(lines[line - 1]).toBe('      "scratch": {');
    expect(lines[(located.get('aws_dax_cluster.cache') as number) - 1]).toBe('      "cache": {');
    const result = JSON.parse(renderSarif(sampleReport(), text)).runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'dynamodb:003');
    expect(result.locations[0].physicalLocation.region).toEqual({ startLine: line });
  });
});

describe('compliance.md', () => {
  test('a table row per finding with requirement, resource, status, reason and waiver', () => {
    const report = sampleReport();
    const markdown = renderMarkdown(report);
    const lines = markdown.split('\n');
    expect(lines[0]).toBe('# Compliance report: orders-prod (prod)');
    expect(markdown).toContain('| Requirement | Resource | Status | Reason | Waiver |\n| --- | --- | --- | --- | --- |\n');
    const rows = lines.filter((l) => l.startsWith('| dynamodb:'));
    expect(rows).toHaveLength(report.findings.length);
    expect(rows).toContain('| dynamodb:003 Deletion protection | `aws_dynamodb_table.orders` | COMPLIANT | deletion_protection_enabled = true |  |');
    expect(rows).toContain(
      '| dynamodb:014 Time to Live | `aws_dynamodb_table.orders` | NON_COMPLIANT (waived) | no ttl block: items never expire. Fix: declare the expiry attribute (SecureTable timeToLiveAttribute: a Number attribute holding epoch seconds), or, when items must be kept, waive dynamodb:014 for this table with the retention reason | orders are kept \\| forever by policy (expires 2026-12-31) |',
    );
    expect(rows.some((r) => r.startsWith('| dynamodb:007 DAX encryption at rest | `aws_dax_cluster.cache` | COMPLIANT (met to the AWS limit) | met to the AWS limit: AWS-owned key'))).toBe(true);
    expect(markdown).toMatch(/\*\*\d+ NON_COMPLIANT\*\* · 1 waived · \d+ COMPLIANT \(1 met to the AWS limit\) · \d+ NOT_APPLICABLE/);
  });
});

describe('compliance.json', () => {
  test('machine-readable shape', () => {
    const json = JSON.parse(renderJson(sampleReport()));
    expect(Object.keys(json)).toEqual(['schemaVersion', 'tool', 'stack', 'environment', 'gate', 'summary', 'findings', 'unusedWaivers']);
    expect(json).toMatchObject({ schemaVersion: 1, tool: 'dynamodb-guardrails', stack: 'orders-prod', environment: 'prod' });
    expect(Object.keys(json.summary)).toEqual(['compliant', 'metToAwsLimit', 'nonCompliant', 'waived', 'notApplicable']);
    const ttl = json.findings.find((f: { requirement: string; resource: string }) => f.requirement === 'dynamodb:014' && f.resource === 'aws_dynamodb_table.orders');
    expect(ttl).toEqual({
      requirement: 'dynamodb:014',
      title: 'Time to Live',
      resource: 'aws_dynamodb_table.orders',
      status: 'NON_COMPLIANT',
      waived: true,
      metToAwsLimit: false,
      reason: 'no ttl block: items never expire',
      fix: expect.stringContaining('timeToLiveAttribute'),
      waiver: WAIVER,
    });
    const dax = json.findings.find((f: { requirement: string }) => f.requirement === 'dynamodb:007');
    expect(dax).toMatchObject({ status: 'COMPLIANT', metToAwsLimit: true, waived: false });
    expect(dax.fix).toBeUndefined();
  });
});

describe('writeComplianceReports', () => {
  test('writes the three files beside cdk.tf.json, byte-identical on a second run', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compliance-'));
    try {
      fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(sampleJson(), null, 2));
      const files = writeComplianceReports(dir, sampleReport());
      expect(files.map((f) => path.basename(f))).toEqual(['compliance.md', 'compliance.json', 'compliance.sarif']);
      const first = files.map((f) => fs.readFileSync(f));
      writeComplianceReports(dir, sampleReport());
      files.forEach((f, i) => expect(fs.readFileSync(f).equals(first[i])).toBe(true));
      expect(JSON.parse(first[2].toString()).runs[0].results.every((r: { locations: Array<{ physicalLocation: { region?: unknown } }> }) =>
        r.locations[0].physicalLocation.region !== undefined,
      )).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
