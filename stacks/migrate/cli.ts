import { GuardrailError, printable } from '../../modules/validation';
import { DEFAULT_MODULE_SOURCE, MIGRATION_DIR, migrate, REPORT_FILE } from './migrate';

const USAGE = `usage: npm run migrate -- <dir> [--out <dir>] [--module-source <source>] [--to module|catalog]   (default out: <dir>/${MIGRATION_DIR}, source: ${DEFAULT_MODULE_SOURCE}, to: module)`;

/**
 * `npm run migrate -- <dir>`: moves terraform-aws-modules/dynamodb-table calls to the generated dynamodb-table
 * module without replacing any table. Exit 0 done, 1 bad input (one line), 2 wrong usage.
 */
export async function runMigrate(args: readonly string[], print: (line: string) => void, fail: (line: string) => void): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    print(USAGE);
    return 0;
  }
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i];
    if (flag === '--out' || flag === '--module-source' || flag === '--to') {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('-')) return usageError(fail, `${flag} needs a value`);
      options[flag] = value;
      i += 1;
    } else if (flag.startsWith('-')) return usageError(fail, `'${printable(flag)}' is not an option`);
    else positional.push(flag);
  }
  if (positional.length !== 1) return usageError(fail, positional.length === 0 ? 'the directory to migrate is missing' : `one directory, got ${positional.length}`);
  const to = options['--to'] ?? 'module';
  if (to !== 'module' && to !== 'catalog') return usageError(fail, `--to = '${printable(to)}': must be module or catalog`);
  try {
    const result = await migrate({ dir: positional[0], outdir: options['--out'], moduleSource: options['--module-source'], to });
    const migrated = result.migrations.filter((m) => !m.skipped);
    for (const migration of result.migrations) {
      print(migration.skipped ? `  module "${migration.name}" (${migration.file}:${migration.line}): left alone: ${migration.skipped}` : `  module "${migration.name}" (${migration.file}:${migration.line}): ${migration.moves.length} moved block(s), ${migration.notes.length} note(s), ${migration.variables.length} value(s) to supply`);
    }
    print(`Migrated ${migrated.length} of ${result.migrations.length} terraform-aws-modules/dynamodb-table call(s); wrote ${result.writtenFiles.join(', ')} to ${result.outdir}. Read ${REPORT_FILE} before the first plan.`);
    return 0;
  } catch (error) {
    if (error instanceof GuardrailError) {
      fail(`Error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

function usageError(fail: (line: string) => void, problem: string): number {
  fail(`Error: migrate: ${problem}`);
  fail(USAGE);
  return 2;
}

if (require.main === module) {
  runMigrate(process.argv.slice(2), (line) => console.log(line), (line) => console.error(line)).then(
    (code) => (process.exitCode = code),
    (error) => {
      console.error(`Error: migrate: ${(error as Error).message}`);
      process.exitCode = 1;
    },
  );
}
