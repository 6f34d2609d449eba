/**
 * `npm run check -- <path> [--out <dir>] [--waivers <file>] [--environment dev|staging|prod] [--var-file <file>]…`
 * (also `npx dynamodb-guardrails check …` where this package is installed): dynamodb:001–015 on a plan JSON, a
 * directory of Terraform, or a synthesized cdktf.out. Exit 0 compliant, 1 NON_COMPLIANT findings without a valid
 * waiver, 2 bad input or usage (one line).
 */
import { printable } from '../../modules/validation';
import { gateStatusOf, unwaivedFailures } from '../../modules/compliance/evaluate';
import { ENVIRONMENT_NAMES, EnvironmentName } from '../settings/types';
import { CheckInputError, DEFAULT_CHECK_OUTDIR, runCheck, WAIVERS_FILE } from './check';

export const CHECK_USAGE = `usage: npm run check -- <plan.json | terraform dir | cdktf.out> [--out <dir>] [--waivers <file>] [--environment dev|staging|prod] [--var-file <file>]...   (default out: ${DEFAULT_CHECK_OUTDIR}, waivers: ${WAIVERS_FILE} beside the code)`;

const VALUE_FLAGS = ['--out', '--waivers', '--environment', '--var-file'];

/**
 * Paths are relative to `cwd`: under `npm run check` where npm was started (INIT_CWD), so that
 * `npm run --prefix <repo> check -- infra` reads ./infra; else the process's own directory.
 */
export async function runCheckCli(args: readonly string[], print: (line: string) => void, fail: (line: string) => void, cwd = invocationDirectory()): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    print(CHECK_USAGE);
    return 0;
  }
  const positional: string[] = [];
  const values: Record<string, string[]> = {};
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i];
    if (VALUE_FLAGS.includes(flag)) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('-')) return usageError(fail, `${flag} needs a value`);
      (values[flag] ??= []).push(value);
      i += 1;
    } else if (flag.startsWith('-')) return usageError(fail, `'${printable(flag)}' is not an option`);
    else positional.push(flag);
  }
  if (positional.length !== 1) return usageError(fail, positional.length === 0 ? 'the plan JSON, Terraform directory or cdktf.out to check is missing' : `one path, got ${positional.length}`);
  const environment = values['--environment']?.[0];
  if (environment !== undefined && !ENVIRONMENT_NAMES.includes(environment as EnvironmentName)) return usageError(fail, `--environment = '${printable(environment)}': must be one of ${ENVIRONMENT_NAMES.join(', ')}`);
  try {
    const result = await runCheck({ path: positional[0], outdir: values['--out']?.[0], waiversFile: values['--waivers']?.[0], environment: environment as EnvironmentName | undefined, varFiles: values['--var-file'], cwd });
    result.warnings.forEach((line) => fail(`Warning: ${line}`));
    for (const report of result.reports) {
      const s = report.summary;
      print(`${report.stack} (${report.environment}): ${gateStatusOf(report) === 'pass' ? 'compliant' : 'NOT compliant'}: ${s.compliant} compliant, ${s.nonCompliant} non-compliant, ${s.waived} waived, ${s.notApplicable} not applicable`);
      for (const finding of unwaivedFailures(report)) {
        const where = finding.source ? ` (${finding.source.uri}${finding.source.line !== undefined ? `:${finding.source.line}` : ''})` : '';
        print(`  ${finding.requirement} ${finding.resource}${where}: ${finding.reason}`);
      }
    }
    print(`Reports (compliance.md, compliance.json, compliance.sarif) in ${result.outdir}`);
    if (result.accessProof === 'written') print('Beside them, access.md and access.json: who can reach each table, from where, evaluated by a real IAM engine');
    if (result.accessProof === 'unavailable') print('No access proof: it needs the devDependency @cloud-copilot/iam-simulate (npm ci installs it)');
    return result.exitCode;
  } catch (error) {
    if (error instanceof CheckInputError) {
      fail(`Error: check: ${error.message}`);
      return 2;
    }
    fail(`Error: check failed with an internal error: ${(error as Error).message} (please report it)`);
    return 2;
  }
}

function invocationDirectory(): string {
  return process.env.npm_lifecycle_event === 'check' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
}

function usageError(fail: (line: string) => void, problem: string): number {
  fail(`Error: check: ${problem}`);
  fail(CHECK_USAGE);
  return 2;
}

if (require.main === module) {
  runCheckCli(process.argv.slice(2), (line) => console.log(line), (line) => console.error(line)).then((code) => (process.exitCode = code));
}
