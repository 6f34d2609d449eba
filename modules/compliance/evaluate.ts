import { GuardrailError } from '../validation';
import { requirement as requirementDefinition } from './registry';
import { RULES } from './rules';
import { compareStrings } from './terraform';
import { ComplianceEnvironment, ComplianceRule, Finding, TerraformJson } from './types';
import { findWaiver, Waiver, waiverCovers, waiversOfStack } from './waivers';

/** A finding as reported: a NON_COMPLIANT finding may carry the active waiver that accepts it. */
export interface EvaluatedFinding extends Finding {
  /** The active waiver that accepts this NON_COMPLIANT finding (its status stays NON_COMPLIANT). */
  readonly waiver?: Waiver;
  /** A matching waiver that has expired: it counts as no waiver, and is reported so it gets renewed or removed. */
  readonly expiredWaiver?: Waiver;
  /** Where the resource comes from in the user's sources (a catalog file, the settings file), for code scanning. */
  readonly source?: SourceLocation;
}

/** A file of the user's project (path relative to its root) and the 1-based line, when known. */
export interface SourceLocation {
  readonly uri: string;
  readonly line?: number;
}

export interface ComplianceSummary {
  /** COMPLIANT findings, including those met to the AWS limit. */
  readonly compliant: number;
  /** COMPLIANT findings that are compliant only as far as AWS allows (DAX encryption at rest). */
  readonly metToAwsLimit: number;
  /** NON_COMPLIANT findings without a valid waiver: these fail prod. */
  readonly nonCompliant: number;
  /** NON_COMPLIANT findings accepted by an active waiver. */
  readonly waived: number;
  readonly notApplicable: number;
}

export interface StackComplianceReport {
  readonly stack: string;
  readonly environment: ComplianceEnvironment;
  /** Sorted by requirement, then resource. */
  readonly findings: readonly EvaluatedFinding[];
  readonly summary: ComplianceSummary;
  /** Active waivers of the environment that accept no finding of this stack. */
  readonly unusedWaivers: readonly Waiver[];
}

export interface EvaluateOptions {
  readonly environment: ComplianceEnvironment;
  readonly waivers: readonly Waiver[];
  /** `YYYY-MM-DD` (UTC); waivers count through their expiry date. Inject it so results are reproducible. */
  readonly today: string;
  /** @default RULES (all fifteen) */
  readonly rules?: readonly ComplianceRule[];
}

/** Runs every rule over one stack's synthesized Terraform JSON and applies the environment's waivers. */
export function evaluateStack(stackName: string, terraformJson: TerraformJson, evaluateOptions: EvaluateOptions): StackComplianceReport {
  const options = { ...evaluateOptions, waivers: waiversOfStack(evaluateOptions.waivers, stackName) };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.today)) throw new Error(`evaluateStack: today must be 'YYYY-MM-DD', got '${options.today}'`);
  const findings: EvaluatedFinding[] = [];
  for (const rule of options.rules ?? RULES) {
    for (const finding of rule.evaluate(terraformJson)) {
      if (finding.status !== 'NON_COMPLIANT') {
        findings.push(finding);
        continue;
      }
      const { active, expired } = findWaiver(options.waivers, finding.requirement, finding.resource, options.today);
      findings.push({ ...finding, ...(active ? { waiver: active } : expired ? { expiredWaiver: expired } : {}) });
    }
  }
  findings.sort(
    (a, b) => compareStrings(a.requirement, b.requirement) || compareStrings(a.resource, b.resource) || compareStrings(a.status, b.status),
  );
  const used = findings.map((f) => f.waiver).filter((w): w is Waiver => w !== undefined);
  const unusedWaivers = options.waivers.filter(
    (w) => w.expires >= options.today && !used.includes(w) && !findings.some((f) => f.status === 'NON_COMPLIANT' && waiverCovers(w, f.requirement, f.resource)),
  );
  return { stack: stackName, environment: options.environment, findings, summary: summarize(findings), unusedWaivers };
}

function summarize(findings: readonly EvaluatedFinding[]): ComplianceSummary {
  const count = (predicate: (f: EvaluatedFinding) => boolean) => findings.filter(predicate).length;
  return {
    compliant: count((f) => f.status === 'COMPLIANT'),
    metToAwsLimit: count((f) => f.status === 'COMPLIANT' && f.metToAwsLimit === true),
    nonCompliant: count((f) => f.status === 'NON_COMPLIANT' && !f.waiver),
    waived: count((f) => f.status === 'NON_COMPLIANT' && f.waiver !== undefined),
    notApplicable: count((f) => f.status === 'NOT_APPLICABLE'),
  };
}

/**
 * The gate's verdict on one stack: `fail` is a prod stack with a NON_COMPLIANT finding and no valid waiver (the hard
 * stop), `warn` the same outside prod, `pass` none.
 */
export type GateStatus = 'pass' | 'warn' | 'fail';

export function gateStatusOf(report: StackComplianceReport): GateStatus {
  if (unwaivedFailures(report).length === 0) return 'pass';
  return report.environment === 'prod' ? 'fail' : 'warn';
}

/** NON_COMPLIANT findings without an active waiver. */
export function unwaivedFailures(report: StackComplianceReport): EvaluatedFinding[] {
  return report.findings.filter((f) => f.status === 'NON_COMPLIANT' && !f.waiver);
}

export interface ComplianceFailure {
  readonly stack: string;
  readonly finding: EvaluatedFinding;
}

/**
 * The prod hard stop. Its message has a heading line and then one line per failure: stack, resource address,
 * requirement, why, how to fix, and the waiver to add instead.
 */
export class ComplianceError extends GuardrailError {
  readonly failures: readonly ComplianceFailure[];

  constructor(readonly environment: ComplianceEnvironment, failures: readonly ComplianceFailure[]) {
    super(`${environment} stacks`, 'compliance', failures.length, 'NON_COMPLIANT findings without a valid waiver');
    this.failures = failures;
    this.name = 'ComplianceError';
    const heading = `${environment} is not compliant: ${failures.length} NON_COMPLIANT finding${failures.length === 1 ? '' : 's'} without a valid waiver (fix each, or add a waiver to environments.${environment}.waivers):`;
    this.message = [heading, ...failures.map((f) => `  ${describeFailure(f.stack, f.finding, environment)}`)].join('\n');
  }
}

/** One line: `<stack>: <address>: dynamodb:NNN (<title>): <why>. Fix: <how>. Or waive: {...}`. */
export function describeFailure(stack: string, finding: EvaluatedFinding, environment: ComplianceEnvironment): string {
  const definition = requirementDefinition(finding.requirement);
  const expired = finding.expiredWaiver ? ` (its waiver expired on ${finding.expiredWaiver.expires} and no longer counts)` : '';
  const waiver = JSON.stringify({ requirement: finding.requirement, resource: finding.resource, stack, reason: '<why this is acceptable>', expires: 'YYYY-MM-DD' });
  return `${stack}: ${finding.resource}: ${finding.requirement} (${definition.title}): ${finding.reason}${expired}. Fix: ${finding.fix ?? definition.remediation}. Or waive: add ${waiver} to environments.${environment}.waivers`;
}

/**
 * Applies the environment's policy to evaluated stacks. In prod, any NON_COMPLIANT finding without an active waiver
 * throws a ComplianceError listing every failure (one per line). Elsewhere, returns one warning line per failure for
 * the caller to print to stderr.
 */
export function enforceCompliance(reports: readonly StackComplianceReport[], environment: ComplianceEnvironment): string[] {
  const failures: ComplianceFailure[] = reports
    .filter((r) => r.environment === environment)
    .flatMap((r) => unwaivedFailures(r).map((finding) => ({ stack: r.stack, finding })));
  if (failures.length === 0) return [];
  if (environment === 'prod') throw new ComplianceError(environment, failures);
  return failures.map((f) => `warning: ${describeFailure(f.stack, f.finding, environment)}`);
}
