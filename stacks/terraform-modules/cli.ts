/**
 * Generates the plain Terraform modules other teams call (dynamodb-table, dynamodb-access-policy), their READMEs and
 * the example root modules, all or nothing.
 *
 *   npm run modules -- [--hcl] [--outdir <dir>] [--validate]
 *
 *   --hcl       main.tf (HCL, cdktf's SYNTH_HCL_OUTPUT path, formatted with terraform fmt) instead of main.tf.json
 *   --outdir    default dist/terraform-modules
 *   --validate  afterwards run the offline terraform validate on every module and example (invalid examples must fail
 *               with their documented message), and the offline terraform plan of the examples only a plan rejects
 *
 * Exit codes: 0 ok, 1 generation or validation failed (nothing is written when generation fails).
 */
import * as path from 'node:path';
import { allExamples, DEFAULT_MODULES_OUTDIR, generateModules } from './index';
import { nothingWrittenTo, printable, printFailure } from '../../modules/validation';
import { formatDiagnostic, terraformValidate, withSchemaProvider } from '../../__tests__/support/terraform/validate';
import { offlinePlan } from '../offline-terraform/plan';
import { ExampleFile } from './examples';

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

async function validateAll(outdir: string, modules: string[]): Promise<boolean> {
  let ok = true;
  await withSchemaProvider(async () => {
    for (const dir of [...modules, ...allExamples().map((e) => path.join('examples', e.dir))]) {
      const example = allExamples().find((e) => path.join('examples', e.dir) === dir);
      if (example?.failsAt === 'plan') {
        ok = (await planRejects(path.join(outdir, dir), dir, example)) && ok;
        continue;
      }
      const result = terraformValidate(path.join(outdir, dir));
      const expected = example?.expectedError;
      const passed = expected ? !result.valid && result.diagnostics.some((d) => d.summary === expected) : result.valid;
      console.log(`${passed ? 'ok  ' : 'FAIL'}  ${dir}${expected ? `  (must fail: ${expected})` : ''}`);
      if (!passed) result.diagnostics.forEach((d) => console.log(formatDiagnostic(d).replace(/^/gm, '    ')));
      ok &&= passed;
    }
  });
  return ok;
}

/** An example only `terraform plan` rejects: validate must accept it, the offline plan must fail with its message. */
async function planRejects(dir: string, name: string, example: ExampleFile): Promise<boolean> {
  const validation = terraformValidate(dir);
  const plan = await offlinePlan(dir);
  const rejected = plan.diagnostics.some((d) => d.severity === 'error' && d.summary === example.expectedError && d.detail.includes(example.expectedDetail ?? ''));
  const passed = validation.valid && rejected;
  console.log(`${passed ? 'ok  ' : 'FAIL'}  ${name}  (validate must pass, plan must fail: ${example.expectedError})`);
  if (!validation.valid) validation.diagnostics.forEach((d) => console.log(formatDiagnostic(d).replace(/^/gm, '    ')));
  if (!rejected) console.log(`    terraform plan ${plan.plan ? 'succeeded' : `said: ${plan.diagnostics.map((d) => d.summary).join('; ')}`}`);
  return passed;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log('usage: npm run modules -- [--hcl] [--outdir <dir>] [--validate]');
    return 0;
  }
  const known = ['--hcl', '--validate', '--outdir'];
  // Anything that is not a known flag or the value right after --outdir (a value never starts with '-').
  const unknown = args.filter((arg, i) => !known.includes(arg) && !(args[i - 1] === '--outdir' && !arg.startsWith('-')));
  const outdirValue = option(args, '--outdir');
  if (unknown.length > 0 || (args.includes('--outdir') && (!outdirValue || outdirValue.startsWith('-')))) {
    console.error(`Error: unknown or incomplete option '${printable(unknown[0] ?? '--outdir')}'; usage: npm run modules -- [--hcl] [--outdir <dir>] [--validate]`);
    return 2;
  }
  const outdir = option(args, '--outdir') ?? DEFAULT_MODULES_OUTDIR;
  const progress = { published: false };
  try {
    const result = generateModules({ outdir, hcl: args.includes('--hcl') || undefined, progress });
    console.log(`Generated ${result.modules.length} modules (${result.form}) and ${result.examples.length} examples into ${outdir}: ${result.modules.join(', ')}`);
    result.warnings.forEach((w) => console.warn(`Warning: ${w}`));
    if (args.includes('--validate')) return (await validateAll(result.outdir, result.modules)) ? 0 : 1;
    return 0;
  } catch (error) {
    printFailure(error, 'module generation', Boolean(process.env.GUARDRAILS_DEBUG));
    if (!progress.published) console.error(nothingWrittenTo(outdir));
    return 1;
  }
}

main().then((code) => (process.exitCode = code));
