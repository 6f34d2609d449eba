import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { EvaluatedFinding, GateStatus, gateStatusOf, SourceLocation, StackComplianceReport } from './evaluate';
import { REQUIREMENTS, requirement as requirementDefinition, RequirementDefinition } from './registry';
import { STACK_RESOURCE } from './types';

/**
 * Report writers. Output is deterministic — no timestamps, no absolute paths, findings in the report's order (by
 * requirement, then resource) — so synthesizing twice produces byte-identical files.
 */

export const TOOL_NAME = 'dynamodb-guardrails';
export const TERRAFORM_FILE = 'cdk.tf.json';
export const REPORT_FILES = { markdown: 'compliance.md', json: 'compliance.json', sarif: 'compliance.sarif' } as const;
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The base of source locations: the root of the repository the project is checked out in. */
export const SOURCE_ROOT = '%SRCROOT%';

/** Status as reports show it: waived failures and AWS-limited passes are called out. */
export function displayStatus(finding: EvaluatedFinding): string {
  if (finding.status === 'NON_COMPLIANT' && finding.waiver) return 'NON_COMPLIANT (waived)';
  if (finding.status === 'COMPLIANT' && finding.metToAwsLimit) return 'COMPLIANT (met to the AWS limit)';
  return finding.status;
}

function waiverText(finding: EvaluatedFinding): string {
  if (finding.waiver) return `${finding.waiver.reason} (expires ${finding.waiver.expires})`;
  if (finding.expiredWaiver) return `expired on ${finding.expiredWaiver.expires}: ${finding.expiredWaiver.reason}`;
  return '';
}

// ---------------------------------------------------------------------------------------------------------------
// compliance.md

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

const GATE_TEXT: Record<GateStatus, string> = {
  pass: 'Gate: **passed**.',
  warn: 'Gate: **passed with warnings**: NON_COMPLIANT findings outside prod are reported, not enforced.',
  fail: 'Gate: **FAILED**: this prod stack is blocked. `compliance-gate.tf.json` beside its Terraform makes every `terraform plan` of it fail until the findings below are fixed or waived and synth runs again.',
};

/** A pull-request-friendly table: requirement, resource, status, reason, waiver. */
export function renderMarkdown(report: StackComplianceReport, evaluatedFrom?: string): string {
  const s = report.summary;
  const lines = [
    `# Compliance report: ${report.stack} (${report.environment})`,
    '',
    `Evaluated from ${evaluatedFrom ?? `the synthesized \`${TERRAFORM_FILE}\``} against requirements dynamodb:001–015 (see help/requirements.md and help/compliance.md).`,
    '',
    `**${s.nonCompliant} NON_COMPLIANT** · ${s.waived} waived · ${s.compliant} COMPLIANT (${s.metToAwsLimit} met to the AWS limit) · ${s.notApplicable} NOT_APPLICABLE`,
    '',
    GATE_TEXT[gateStatusOf(report)],
    '',
    '| Requirement | Resource | Status | Reason | Waiver |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const f of report.findings) {
    const title = requirementDefinition(f.requirement).title;
    const reason = f.status === 'NON_COMPLIANT' && f.fix ? `${f.reason}. Fix: ${f.fix}` : f.reason;
    lines.push(`| ${cell(`${f.requirement} ${title}`)} | \`${cell(f.resource)}\` | ${cell(displayStatus(f))} | ${cell(reason)} | ${cell(waiverText(f))} |`);
  }
  if (report.unusedWaivers.length > 0) {
    lines.push('', '## Waivers that accept no finding', '', 'These active waivers match nothing in this stack; remove them when no stack needs them.', '');
    for (const w of report.unusedWaivers) lines.push(`- ${w.requirement} \`${w.resource}\` (expires ${w.expires}): ${w.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// compliance.json

/** Machine-readable report (`schemaVersion` 1). */
export function renderJson(report: StackComplianceReport): string {
  const document = {
    schemaVersion: 1,
    tool: TOOL_NAME,
    stack: report.stack,
    environment: report.environment,
    gate: gateStatusOf(report),
    summary: report.summary,
    findings: report.findings.map((f) => ({
      requirement: f.requirement,
      title: requirementDefinition(f.requirement).title,
      resource: f.resource,
      status: f.status,
      waived: f.status === 'NON_COMPLIANT' && f.waiver !== undefined,
      metToAwsLimit: f.metToAwsLimit === true,
      reason: f.reason,
      ...(f.fix !== undefined ? { fix: f.fix } : {}),
      ...(f.source ? { source: { ...f.source } } : {}),
      ...(f.waiver ? { waiver: { ...f.waiver } } : {}),
      ...(f.expiredWaiver ? { expiredWaiver: { ...f.expiredWaiver } } : {}),
    })),
    unusedWaivers: report.unusedWaivers.map((w) => ({ ...w })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// compliance.sarif

/** 1-based line of each `resource`/`data` entry in a cdktf-written (2-space indented) `cdk.tf.json`. */
export function locateResources(terraformText: string): Map<string, number> {
  const lines = new Map<string, number>();
  let section: string | undefined;
  let type: string | undefined;
  terraformText.split('\n').forEach((line, index) => {
    let match = /^ {2}"([^"]+)": /.exec(line);
    if (match) {
      section = match[1] === 'resource' || match[1] === 'data' ? match[1] : undefined;
      type = undefined;
      return;
    }
    if (!section) return;
    match = /^ {4}"([^"]+)": \{/.exec(line);
    if (match) {
      type = match[1];
      return;
    }
    match = /^ {6}"([^"]+)": \{/.exec(line);
    if (match && type) lines.set(`${section === 'data' ? 'data.' : ''}${type}.${match[1]}`, index + 1);
  });
  return lines;
}

/** `aws_dynamodb_table.sessions.replica[eu-west-1]` → `aws_dynamodb_table.sessions`. */
export function baseAddress(resource: string): string {
  const parts = resource.split('.');
  return parts.slice(0, parts[0] === 'data' ? 3 : 2).join('.');
}

function ruleHelp(definition: RequirementDefinition): { text: string; markdown: string } {
  const mapping = (label: string, ids: readonly string[]) => `${label}: ${ids.length > 0 ? ids.join(', ') : 'none known'}`;
  const mappings = [mapping('AWS Security Hub', definition.securityHub), mapping('AWS Config', definition.awsConfig), mapping('Checkov', definition.checkov)];
  const text = [
    `${definition.statement}.`,
    `Satisfied by: ${definition.satisfiedBy}`,
    `Remediation: ${definition.remediation}`,
    `Waive with { "requirement": "${definition.id}", "resource": "<address>", "reason": "...", "expires": "YYYY-MM-DD" } in the environment settings.`,
    mappings.join('. ') + '.',
  ].join('\n');
  const markdown = [
    `**${definition.statement}.**`,
    '',
    `Satisfied by: ${definition.satisfiedBy}`,
    '',
    `Remediation: ${definition.remediation}`,
    '',
    `Waive with \`{ "requirement": "${definition.id}", "resource": "<address>", "reason": "...", "expires": "YYYY-MM-DD" }\` in the environment settings.`,
    '',
    mappings.map((m) => `- ${m}`).join('\n'),
  ].join('\n');
  return { text, markdown };
}

/**
 * SARIF 2.1.0: the fifteen requirements as rules; a result for every NON_COMPLIANT finding (level `error` in prod,
 * `warning` elsewhere), waived ones with an accepted external suppression. Locations point at `cdk.tf.json` (with
 * the resource's line when `terraformText` is given) and carry the Terraform address as a logical location. For
 * Terraform that was not synthesized (`synthesized` false: a plan, a team's directory), only the finding's source is
 * a physical location.
 */
export function renderSarif(report: StackComplianceReport, terraformText?: string, synthesized = true): string {
  const located = terraformText ? locateResources(terraformText) : new Map<string, number>();
  const ruleIndex = new Map(REQUIREMENTS.map((r, i) => [r.id, i]));
  const level = report.environment === 'prod' ? 'error' : 'warning';
  const results = report.findings
    .filter((f) => f.status === 'NON_COMPLIANT')
    .map((f) => {
      const line = f.resource === STACK_RESOURCE ? undefined : located.get(baseAddress(f.resource));
      const message = f.fix ? `${f.resource}: ${f.reason}. Fix: ${f.fix}` : `${f.resource}: ${f.reason}`;
      return {
        ruleId: f.requirement,
        ruleIndex: ruleIndex.get(f.requirement) as number,
        kind: 'fail',
        level,
        message: { text: message },
        // One location (code scanning uses only the first): the source that defines the resource, relative to the
        // repository root (%SRCROOT%), when known; else the synthesized Terraform. The Terraform address is the logical
        // location; with a source, the resource's line in cdk.tf.json is a related location.
        locations: [f.source ? sourceLocation(report, f, f.source) : synthesized ? terraformLocation(report, f, line) : { logicalLocations: [logical(report, f)] }],
        ...(f.source && synthesized ? { relatedLocations: [{ id: 0, ...terraformLocation(report, f, line) }] } : {}),
        partialFingerprints: { 'requirementResource/v1': fingerprint(report.stack, f.requirement, f.resource) },
        ...(f.waiver
          ? {
              suppressions: [
                {
                  kind: 'external',
                  status: 'accepted',
                  justification: `${f.waiver.reason} (waiver for ${f.waiver.resource}, expires ${f.waiver.expires})`,
                },
              ],
            }
          : {}),
        properties: { stack: report.stack, environment: report.environment, ...(f.expiredWaiver ? { expiredWaiver: { ...f.expiredWaiver } } : {}) },
      };
    });
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            rules: REQUIREMENTS.map((r) => ({
              id: r.id,
              name: r.title,
              shortDescription: { text: r.title },
              fullDescription: { text: `${r.statement}.` },
              help: ruleHelp(r),
              defaultConfiguration: { level: 'error' },
              properties: {
                tags: ['security', 'dynamodb', 'terraform'],
                securityHub: [...r.securityHub],
                awsConfig: [...r.awsConfig],
                checkov: [...r.checkov],
              },
            })),
          },
        },
        automationDetails: { id: `${TOOL_NAME}/${report.stack}/` },
        artifacts: [
          ...[...new Set(report.findings.flatMap((f) => (f.status === 'NON_COMPLIANT' && f.source ? [f.source.uri] : [])))].map((uri) => ({ location: { uri, uriBaseId: SOURCE_ROOT } })),
          { location: { uri: TERRAFORM_FILE } },
        ],
        results,
        properties: { stack: report.stack, environment: report.environment, gate: gateStatusOf(report), summary: report.summary },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function sourceLocation(report: StackComplianceReport, f: EvaluatedFinding, source: SourceLocation) {
  return {
    physicalLocation: { artifactLocation: { uri: source.uri, uriBaseId: SOURCE_ROOT }, ...(source.line !== undefined ? { region: { startLine: source.line } } : {}) },
    logicalLocations: [logical(report, f)],
  };
}

function terraformLocation(report: StackComplianceReport, f: EvaluatedFinding, line: number | undefined) {
  return {
    physicalLocation: { artifactLocation: { uri: TERRAFORM_FILE }, ...(line !== undefined ? { region: { startLine: line } } : {}) },
    logicalLocations: [logical(report, f)],
  };
}

function logical(report: StackComplianceReport, f: EvaluatedFinding) {
  return { name: f.resource, fullyQualifiedName: `${report.stack}/${f.resource}`, kind: 'resource' };
}

function fingerprint(stack: string, requirement: string, resource: string): string {
  return createHash('sha256').update(`${stack}\n${requirement}\n${resource}`).digest('hex').slice(0, 32);
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Writes compliance.md, compliance.json and compliance.sarif into the stack's synthesized directory (next to
 * cdk.tf.json, whose resource lines the SARIF locations use). Returns the written paths.
 */
export function writeComplianceReports(stackDir: string, report: StackComplianceReport, evaluatedFrom?: string): string[] {
  const terraformPath = path.join(stackDir, TERRAFORM_FILE);
  const terraformText = fs.existsSync(terraformPath) ? fs.readFileSync(terraformPath, 'utf8') : undefined;
  const outputs: Array<[string, string]> = [
    [REPORT_FILES.markdown, renderMarkdown(report, evaluatedFrom)],
    [REPORT_FILES.json, renderJson(report)],
    [REPORT_FILES.sarif, renderSarif(report, terraformText, evaluatedFrom === undefined)],
  ];
  fs.mkdirSync(stackDir, { recursive: true });
  return outputs.map(([name, content]) => {
    const file = path.join(stackDir, name);
    fs.writeFileSync(file, content);
    return file;
  });
}
