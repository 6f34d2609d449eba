/**
 * Offline `terraform validate` of synthesized stacks against the real hashicorp/aws 6.25.0 schema.
 *
 *   npm run validate:terraform -- [dir...]     (default: every cdktf.out/stacks/* dir)
 *
 * Starts the schema-only AWS provider, validates each directory, prints one line per
 * directory plus Terraform's diagnostics. Exit codes: 0 all valid, 1 some invalid,
 * 2 the check could not run (missing directory, no terraform, provider failed to start…).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatDiagnostic, terraformValidate, withSchemaProvider, type TerraformValidation } from './validate';

const DEFAULT_STACKS_DIR = path.join('cdktf.out', 'stacks');

function defaultDirs(): string[] {
  if (!fs.existsSync(DEFAULT_STACKS_DIR)) {
    throw new Error(`No ${DEFAULT_STACKS_DIR} directory: synthesize first (npm run synth) or pass directories.`);
  }
  const dirs = fs
    .readdirSync(DEFAULT_STACKS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(DEFAULT_STACKS_DIR, entry.name))
    .sort();
  if (dirs.length === 0) throw new Error(`No stacks in ${DEFAULT_STACKS_DIR}: synthesize first (npm run synth).`);
  return dirs;
}

function checkDirs(dirs: string[]): void {
  for (const dir of dirs) {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`Not a directory: ${dir}`);
  }
}

function report(dir: string, result: TerraformValidation): void {
  const seconds = (result.durationMs / 1000).toFixed(1);
  const counts = `${result.errorCount} error(s), ${result.warningCount} warning(s)`;
  console.log(`${result.valid ? 'ok  ' : 'FAIL'}  ${dir}  (${result.valid && result.warningCount === 0 ? 'valid' : counts}, ${seconds} s)`);
  for (const diagnostic of result.diagnostics) {
    console.log(`\n${formatDiagnostic(diagnostic).replace(/^(?=.)/gm, '    ')}\n`);
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log('usage: npm run validate:terraform -- [dir...]   (default: cdktf.out/stacks/*)');
    return 0;
  }
  const dirs = args.length > 0 ? args : defaultDirs();
  checkDirs(dirs);

  return withSchemaProvider(async () => {
    let invalid = 0;
    for (const dir of dirs) {
      const result = terraformValidate(dir);
      report(dir, result);
      if (!result.valid) invalid += 1;
    }
    console.log(`\n${dirs.length - invalid}/${dirs.length} valid against hashicorp/aws 6.25.0 (schema only)`);
    return invalid > 0 ? 1 : 0;
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Expected failures (usage, missing terraform, no config files) get a message, not a stack trace.
    console.error(`validate-terraform: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
