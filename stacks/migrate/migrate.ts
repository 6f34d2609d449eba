import * as fs from 'fs';
import * as path from 'path';
import { parse } from '@cdktf/hcl2json';
import { GuardrailError } from '../../modules/validation';
import { RawHcl } from '../terraform-modules/hcl';
import { moduleBlockSpan } from './hcl-source';
import { renderCall, renderReport, renderVariables } from './render';
import { catalogBlocker, catalogEntry, renderCatalogModule, renderRemovedBlocks } from './catalog';
import { Migration, TERRAFORM_AWS_MODULES_SOURCE, translateCall } from './translate';

export const MIGRATION_DIR = 'guardrails-migration';
export const VARIABLES_FILE = 'guardrails-migration-variables.tf';
export const REPORT_FILE = 'MIGRATION.md';
export const JSON_REPORT_FILE = 'migration-report.json';
export const CATALOG_FILE = 'migrated-tables.ts';
/** Marks an output directory as written by the migration (it may be replaced on the next run). */
const MARKER = '.guardrails-migration';
/** Where the generated module sits relative to the caller, unless told (`npm run modules` writes it). */
export const DEFAULT_MODULE_SOURCE = './modules/dynamodb-table';

export interface MigrateOptions {
  /** The directory of Terraform files to read (not its subdirectories, as Terraform). */
  readonly dir: string;
  /** @default `<dir>/guardrails-migration` */
  readonly outdir?: string;
  /** `source` of the generated module in the rewritten calls. @default './modules/dynamodb-table' */
  readonly moduleSource?: string;
  /**
   * `module`: calls of the generated module with moved blocks. `catalog`: catalog entries the stacks import
   * (stacks/migrate/catalog.ts) and `removed` blocks for the team's configuration. @default 'module'
   */
  readonly to?: 'module' | 'catalog';
}

export interface MigrationResult {
  readonly outdir: string;
  readonly migrations: ReadonlyArray<Migration & { readonly file: string; readonly line: number }>;
  readonly writtenFiles: readonly string[];
}

/**
 * Reads every `*.tf` of `dir`, translates each terraform-aws-modules/dynamodb-table call, and writes into `outdir`
 * rewritten copies of the files that had one (each call replaced by the generated module's call and its moved
 * blocks, everything else byte for byte), the variables to supply and the report. The team's own files are never
 * changed.
 */
export async function migrate(options: MigrateOptions): Promise<MigrationResult> {
  const dir = path.resolve(options.dir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new GuardrailError('npm run migrate', 'dir', options.dir, 'is not a directory of Terraform files');
  const outdir = path.resolve(options.outdir ?? path.join(dir, MIGRATION_DIR));
  const moduleSource = options.moduleSource ?? DEFAULT_MODULE_SOURCE;
  const files = fs.readdirSync(dir).filter((file) => file.endsWith('.tf')).sort();
  if (files.length === 0) throw new GuardrailError('npm run migrate', 'dir', options.dir, 'has no .tf files');

  const migrations: Array<Migration & { file: string; line: number }> = [];
  const rewritten = new Map<string, string>();
  for (const file of files) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const calls = await tamCalls(file, text);
    let output = text;
    for (const [name, inputs] of calls) {
      const span = moduleBlockSpan(output, name);
      if (!span) throw new GuardrailError(`${file}`, `module "${name}"`, name, 'was parsed but its block could not be found in the text; migrate it by hand');
      const translated = translateCall(name, inputs);
      const blocker = options.to === 'catalog' && !translated.skipped ? catalogBlocker(translated) : undefined;
      const migration = { ...(blocker ? { ...translated, skipped: blocker } : translated), file, line: span.line };
      migrations.push(migration);
      if (migration.skipped) continue;
      const replacement = options.to === 'catalog' ? renderRemovedBlocks(migration) : renderCall(migration, moduleSource);
      output = output.slice(0, span.start) + replacement + output.slice(span.end);
    }
    if (output !== text) rewritten.set(file, output);
  }

  migrations.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  prepareOutdir(outdir, dir);
  const written: string[] = [];
  const write = (file: string, content: string) => {
    fs.writeFileSync(path.join(outdir, file), content);
    written.push(file);
  };
  for (const [file, content] of rewritten) write(file, content);
  if (options.to === 'catalog') {
    const entries = migrations.filter((m) => !m.skipped).map(catalogEntry);
    if (entries.length > 0) write(CATALOG_FILE, renderCatalogModule(entries));
  } else {
    const variables = renderVariables(migrations);
    if (variables) write(VARIABLES_FILE, variables);
  }
  write(REPORT_FILE, renderReport({ migrations, moduleSource, to: options.to ?? 'module' }));
  write(JSON_REPORT_FILE, `${JSON.stringify({ moduleSource, migrations }, (_key, value) => (value instanceof RawHcl ? `\${${value.expression}}` : value), 2)}\n`);
  return { outdir, migrations, writtenFiles: written };
}

/** The module calls of one file whose source is terraform-aws-modules/dynamodb-table. */
async function tamCalls(file: string, text: string): Promise<Array<[string, Record<string, unknown>]>> {
  let json: Record<string, unknown>;
  try {
    json = (await parse(file, text)) as Record<string, unknown>;
  } catch (error) {
    throw new GuardrailError(file, 'HCL', file, `does not parse: ${String((error as Error).message ?? error).split('\n')[0]}`);
  }
  const modules = (json.module ?? {}) as Record<string, Array<Record<string, unknown>>>;
  return Object.entries(modules)
    .map(([name, blocks]) => [name, blocks[0]] as [string, Record<string, unknown>])
    .filter(([, inputs]) => typeof inputs.source === 'string' && TERRAFORM_AWS_MODULES_SOURCE.test(inputs.source));
}

/** The output directory is new, empty, or one this migration wrote before (then it is emptied). */
function prepareOutdir(outdir: string, dir: string): void {
  if (outdir === dir) throw new GuardrailError('npm run migrate', '--out', outdir, 'is the directory being migrated; the team\'s files are never overwritten');
  if (fs.existsSync(outdir)) {
    const entries = fs.readdirSync(outdir);
    if (entries.length > 0 && !entries.includes(MARKER)) throw new GuardrailError('npm run migrate', '--out', outdir, `exists and was not written by npm run migrate (no ${MARKER}); choose another directory`);
    for (const entry of entries) fs.rmSync(path.join(outdir, entry), { recursive: true, force: true });
  }
  fs.mkdirSync(outdir, { recursive: true });
  fs.writeFileSync(path.join(outdir, MARKER), 'written by npm run migrate; replaced on the next run\n');
}
