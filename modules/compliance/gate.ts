import * as fs from 'fs';
import * as path from 'path';
import { ComplianceError, enforceCompliance, EvaluatedFinding, evaluateStack, gateStatusOf, SourceLocation, StackComplianceReport, unwaivedFailures } from './evaluate';
import { TERRAFORM_FILE, writeComplianceReports } from './reports';
import { compareStrings } from './terraform';
import { ComplianceEnvironment, TerraformJson } from './types';
import { isWaiverActive, Waiver, waiverCovers } from './waivers';

export interface StackComplianceSettings {
  readonly environment: ComplianceEnvironment;
  readonly waivers: readonly Waiver[];
}

export interface SynthesizedComplianceOptions {
  /** `YYYY-MM-DD` (UTC), e.g. `utcDate()`. */
  readonly today: string;
  /** Environment and waivers of a synthesized stack; `undefined` skips the stack. */
  readonly settingsFor: (stackName: string) => StackComplianceSettings | undefined;
  /**
   * What a failing prod stack does: `throw` a ComplianceError (nothing is published), or `block` it: the stack is
   * written with a `compliance-gate.tf.json` whose precondition makes every `terraform plan` of it fail, and the
   * error is returned instead. @default 'throw'
   */
  readonly onProdFailure?: 'throw' | 'block';
  /**
   * What the project that produced the stack knows about a finding: the source that defines the resource, and a fix
   * in terms of that source (a catalog field, a setting), put before the rule's Terraform-level fix. @default nothing
   */
  readonly explain?: (stack: string, finding: EvaluatedFinding) => { readonly source?: SourceLocation; readonly fix?: string } | undefined;
}

/** The file beside a blocked stack's Terraform that stops its plans; see gateConfiguration. */
export const GATE_FILE = 'compliance-gate.tf.json';

/** At most this many failures are listed in the plan-time message; compliance.md beside it has them all. */
const GATE_MESSAGE_FAILURES = 10;

/**
 * Terraform that cannot be planned: a `terraform_data` resource whose precondition fails (Terraform evaluates
 * preconditions during plan, before any change: Terraform language docs, "Custom Conditions"). The condition reads a
 * local because Terraform refuses a condition that refers to nothing. Any pipeline that plans the directory, the cdktf
 * CLI, Terraform Cloud or plain terraform, stops here, with the findings in the message.
 */
export function gateConfiguration(report: StackComplianceReport): string {
  const failures = unwaivedFailures(report);
  const listed = failures.slice(0, GATE_MESSAGE_FAILURES).map((f) => `${f.requirement} ${f.resource}`);
  const more = failures.length > listed.length ? `, and ${failures.length - listed.length} more` : '';
  const message = `dynamodb-guardrails: ${report.stack} is not compliant (${listed.join('; ')}${more}); nothing was planned. See compliance.md beside this file, fix the catalog or settings (or add a waiver to environments.${report.environment}.waivers) and synthesize again.`;
  const document = {
    '//': 'Written by dynamodb-guardrails because this stack failed the compliance gate; the next compliant synth removes it.',
    locals: { dynamodb_guardrails_compliance_gate: 'failed' },
    resource: {
      terraform_data: {
        dynamodb_guardrails_compliance_gate: {
          input: '${local.dynamodb_guardrails_compliance_gate}',
          lifecycle: { precondition: [{ condition: '${local.dynamodb_guardrails_compliance_gate == "passed"}', error_message: message }] },
        },
      },
    },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

export interface SynthesizedComplianceResult {
  readonly reports: readonly StackComplianceReport[];
  /** With onProdFailure 'block': the prod failures, whose stacks were blocked. */
  readonly blocked?: ComplianceError;
  /** Lines for stderr: non-prod failures, and waivers no stack of their environment uses. */
  readonly warnings: readonly string[];
}

/**
 * The synth-time gate: for every `<outdir>/stacks/<stack>/cdk.tf.json`, evaluate, write the three reports beside it,
 * then enforce: throws ComplianceError when a prod stack has a NON_COMPLIANT finding without a valid waiver.
 * Reports are written before enforcing, so an all-or-nothing caller that discards the staging directory on error
 * leaves nothing behind.
 */
export function checkSynthesizedStacks(outdir: string, options: SynthesizedComplianceOptions): SynthesizedComplianceResult {
  const stacksDir = path.join(outdir, 'stacks');
  const names = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).sort(compareStrings) : [];
  const reports: StackComplianceReport[] = [];
  for (const name of names) {
    const settings = options.settingsFor(name);
    const file = path.join(stacksDir, name, TERRAFORM_FILE);
    if (!settings || !fs.existsSync(file)) continue;
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as TerraformJson;
    const report = explained(evaluateStack(name, json, { environment: settings.environment, waivers: settings.waivers, today: options.today }), options.explain);
    writeComplianceReports(path.join(stacksDir, name), report);
    if (options.onProdFailure === 'block' && gateStatusOf(report) === 'fail') fs.writeFileSync(path.join(stacksDir, name, GATE_FILE), gateConfiguration(report));
    reports.push(report);
  }
  const warnings: string[] = [];
  let blocked: ComplianceError | undefined;
  const environments = [...new Set(reports.map((r) => r.environment))].sort(compareStrings);
  for (const environment of environments) {
    try {
      warnings.push(...enforceCompliance(reports, environment));
    } catch (error) {
      if (!(error instanceof ComplianceError) || options.onProdFailure !== 'block') throw error;
      blocked = error;
    }
  }
  warnings.push(...unusedWaiverWarnings(reports, options));
  return { reports, warnings, blocked };
}

function explained(report: StackComplianceReport, explain: SynthesizedComplianceOptions['explain']): StackComplianceReport {
  if (!explain) return report;
  const findings = report.findings.map((finding) => {
    const known = explain(report.stack, finding);
    if (!known) return finding;
    const fix = finding.status === 'NON_COMPLIANT' && known.fix ? `${known.fix}${finding.fix ? ` (in Terraform: ${finding.fix})` : ''}` : finding.fix;
    return { ...finding, ...(fix !== undefined ? { fix } : {}), ...(known.source ? { source: known.source } : {}) };
  });
  return { ...report, findings };
}

/** Waivers, active or expired, that match no finding in any stack of their environment. */
function unusedWaiverWarnings(reports: readonly StackComplianceReport[], options: SynthesizedComplianceOptions): string[] {
  const lines: string[] = [];
  const byEnvironment = new Map<ComplianceEnvironment, StackComplianceReport[]>();
  for (const report of reports) byEnvironment.set(report.environment, [...(byEnvironment.get(report.environment) ?? []), report]);
  for (const [environment, envReports] of [...byEnvironment.entries()].sort((a, b) => compareStrings(a[0], b[0]))) {
    const waivers = options.settingsFor(envReports[0].stack)?.waivers ?? [];
    for (const waiver of waivers) {
      const used = envReports.some((r) => r.findings.some((f) => f.status === 'NON_COMPLIANT' && waiverCovers(waiver, f.requirement, f.resource)));
      if (used) continue;
      if (isWaiverActive(waiver, options.today)) lines.push(`warning: ${environment} waiver ${waiver.requirement} for ${waiver.resource} accepts no finding in any ${environment} stack; remove it`);
      else lines.push(`warning: ${environment} waiver ${waiver.requirement} for ${waiver.resource} expired on ${waiver.expires} and matches no finding in any ${environment} stack; remove it`);
    }
  }
  return lines;
}
