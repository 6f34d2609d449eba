import { terraformFmt } from '../hcl-text';
import { hclString, hclValue } from '../terraform-modules/hcl';
import { Migration, MigrationNote } from './translate';

/** The replacement for one terraform-aws-modules call: the generated module's call and its `moved` blocks. */
export function renderCall(migration: Migration, moduleSource: string): string {
  const width = Math.max(...migration.arguments.map(([name]) => name.length), 'source'.length);
  const lines = [
    `# Migrated from terraform-aws-modules/dynamodb-table by npm run migrate: see MIGRATION.md before the first plan.`,
    `module "${migration.name}" {`,
    `  ${'source'.padEnd(width)} = ${hclString(moduleSource)}`,
    '',
    ...migration.arguments.map(([name, value]) => `  ${name.padEnd(width)} = ${hclValue(value, '  ')}`),
    '}',
  ];
  for (const move of migration.moves) lines.push('', 'moved {', `  from = ${move.from}`, `  to   = ${move.to}`, '}');
  const text = lines.join('\n');
  // terraform fmt when Terraform is installed (anyone migrating Terraform has it); the text is valid HCL either way.
  return terraformFmt(`${text}\n`)?.trimEnd() ?? text;
}

/** `variable` blocks for the values the migration cannot know (keys, principals). */
export function renderVariables(migrations: readonly Migration[]): string {
  const blocks = migrations.flatMap((migration) =>
    migration.variables.map((variable) => [`variable "${variable.name}" {`, `  description = ${hclString(variable.description)}`, `  type        = ${variable.type}`, '}'].join('\n')),
  );
  return blocks.length === 0 ? '' : `# Values the migration needs from you (npm run migrate); see MIGRATION.md.\n\n${blocks.join('\n\n')}\n`;
}

const NOTE_TITLES: Record<MigrationNote['kind'], string> = {
  guardrail: 'Changed by the guardrails',
  replaced: 'Replaced',
  supply: 'To supply',
  unmapped: 'Not mapped',
  dropped: 'Dropped',
};

export interface ReportInput {
  readonly migrations: ReadonlyArray<Migration & { readonly file: string; readonly line: number }>;
  readonly moduleSource: string;
  readonly to: 'module' | 'catalog';
}

/** MIGRATION.md: per call, what the plan will change and why, and what keeps the old behaviour. */
export function renderReport(input: ReportInput): string {
  const lines = ['# Migration from terraform-aws-modules/dynamodb-table', ''];
  const migrated = input.migrations.filter((m) => !m.skipped);
  if (input.to === 'catalog') {
    lines.push(
      `${migrated.length} call(s) migrated to catalog entries (migrated-tables.ts, each with importExisting: true), ${input.migrations.length - migrated.length} left alone.`,
      'Put migrated-tables.ts in stacks/catalogs/<catalog>/ and list its tables in the catalog; synth and plan the stack: it',
      'must show each table **imported**, never created. Then copy the rewritten files over yours: their `removed` blocks',
      '(destroy = false) make your next apply forget the tables without deleting them. The moves below are what the',
      'module path would move; here the stacks import instead. Remove importExisting after the first apply.',
      '',
    );
  } else {
    lines.push(
      `${migrated.length} call(s) migrated to the generated dynamodb-table module (\`${input.moduleSource}\`), ${input.migrations.length - migrated.length} left alone.`,
      'Copy the rewritten files over yours, give the variables in guardrails-migration-variables.tf, and run `terraform plan`:',
      'it must show **no replacement of any aws_dynamodb_table** (the moved blocks carry each table\'s state); read every',
      'in-place change against this report.',
      '',
    );
  }
  for (const migration of input.migrations) {
    lines.push(`## module "${migration.name}" (${migration.file}:${migration.line})`, '');
    if (migration.skipped) {
      lines.push(`Left alone: ${migration.skipped}.`, '');
      continue;
    }
    if (input.to === 'catalog') {
      const key = migration.arguments.find(([name]) => name === 'kms_key_arn')?.[1];
      lines.push(
        'The stack imports the table; your configuration forgets it (removed block, destroy = false).',
        `The stack encrypts it with the catalog's key${typeof key === 'string' ? `: to keep ${key}, set environments.<env>.kmsKeyArns.<catalog> (or GUARDRAILS_<ENV>_<CATALOG>_KMS_KEY_ARN)` : ' (the table used an AWS owned or managed key before)'}; its tags become the stack's tags.`,
        '',
      );
    } else {
      lines.push('Moved (state kept, no replacement):', ...migration.moves.map((move) => `- \`${move.from}\` → \`${move.to}\``), '');
    }
    for (const kind of Object.keys(NOTE_TITLES) as Array<MigrationNote['kind']>) {
      const notes = migration.notes.filter((note) => note.kind === kind);
      if (notes.length === 0) continue;
      lines.push(`${NOTE_TITLES[kind]}:`);
      for (const note of notes) lines.push(`- \`${note.input}\`: ${sentence(note.text)}${note.keepOldBehaviour ? ` To keep the old behaviour: ${sentence(note.keepOldBehaviour)}` : ''}`);
      lines.push('');
    }
    if (migration.variables.length > 0) lines.push('To supply:', ...migration.variables.map((variable) => `- \`var.${variable.name}\`: ${variable.description}`), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function sentence(text: string): string {
  return text.endsWith(".") ? text : `${text}.`;
}
