import { gateStatusOf, StackComplianceReport } from '../modules/compliance/evaluate';
import { compareStrings } from '../modules/compliance/terraform';

/** Waivers that run out within this many days are named in the summary, so nobody is surprised by a red prod synth. */
export const EXPIRING_WITHIN_DAYS = 30;

const GATE_WORDS = { pass: 'compliant', warn: 'NON_COMPLIANT (warning outside prod)', fail: 'NON_COMPLIANT: blocked' } as const;

/**
 * Two lines per stack: the compliance result (with waivers that expire soon) and the resources it creates by type,
 * the figure a reviewer of a plan looks for first (one small table brings dozens of resources in prod).
 */
export function stackSummaryLines(report: StackComplianceReport | undefined, stack: string, counts: ReadonlyMap<string, number>, today: string): string[] {
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  const byType = [...counts.entries()].sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0])).map(([type, n]) => `${n} ${type}`);
  const compliance = report ? complianceText(report, today) : 'not evaluated';
  return [`  ${stack}: ${compliance}; ${total} resources`, `    ${byType.join(', ')}`];
}

function complianceText(report: StackComplianceReport, today: string): string {
  const s = report.summary;
  const counts = [`${s.compliant} passed`, ...(s.nonCompliant > 0 ? [`${s.nonCompliant} failed`] : []), ...(s.waived > 0 ? [`${s.waived} waived`] : [])];
  const limit = addDays(today, EXPIRING_WITHIN_DAYS);
  const expiring = [...new Set(report.findings.flatMap((f) => (f.waiver && f.waiver.expires <= limit ? [`${f.waiver.requirement} ${f.waiver.resource} on ${f.waiver.expires}`] : [])))];
  const waivers = expiring.length > 0 ? `; waivers expiring within ${EXPIRING_WITHIN_DAYS} days: ${expiring.join(', ')}` : '';
  return `${GATE_WORDS[gateStatusOf(report)]} (${counts.join(', ')})${waivers}`;
}

function addDays(date: string, days: number): string {
  const time = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(time).toISOString().slice(0, 10);
}
