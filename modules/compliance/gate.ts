import * as fs from 'fs';
import * as path from 'path';
import { enforceCompliance, evaluateStack, StackComplianceReport } from './evaluate';
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
}

export interface SynthesizedComplianceResult {
  readonly reports: readonly StackComplianceReport[];
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
    const report = evaluateStack(name, json, { environment: settings.environment, waivers: settings.waivers, today: options.today });
    writeComplianceReports(path.join(stacksDir, name), report);
    reports.push(report);
  }
  const warnings: string[] = [];
  const environments = [...new Set(reports.map((r) => r.environment))].sort(compareStrings);
  for (const environment of environments) warnings.push(...enforceCompliance(reports, environment));
  warnings.push(...unusedWaiverWarnings(reports, options));
  return { reports, warnings };
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
