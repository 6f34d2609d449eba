import { spawnSync } from 'child_process';

/** Meta-arguments whose list items are references, which cdktf 0.21's HCL writer quotes. */
const REFERENCE_LISTS = ['depends_on', 'ignore_changes', 'replace_triggered_by'];

/**
 * cdktf 0.21 writes `depends_on = ["aws_x.y"]`, `ignore_changes = ["attr"]` and `provider = "aws.alias"` with quotes:
 * Terraform then warns "Quoted references are deprecated" on every plan. The quotes are removed in the text; only
 * items that are plain references (letters, digits, `_`, `-`, `.`, `[n]`) are touched.
 */
export function unquoteReferences(hcl: string): string {
  const reference = /"([A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*|\[\d+\])*)"/g;
  const lists = new RegExp(`^(\\s*(?:${REFERENCE_LISTS.join('|')}) = \\[)((?:[^\\][]|\\[\\d+\\])*)(\\])`, 'gm');
  return hcl.replace(lists, (_match, open: string, items: string, close: string) => `${open}${items.replace(reference, '$1')}${close}`).replace(/^(\s*provider = )"([A-Za-z_][\w-]*\.[A-Za-z_][\w-]*)"$/gm, '$1$2');
}

/**
 * cdktf 0.21 writes `lifecycle.precondition` / `postcondition` as a list attribute (`postcondition = [{ … }]`), which
 * Terraform rejects ("An argument named "postcondition" is not expected here"): each item becomes a block.
 */
export function conditionBlocks(hcl: string): string {
  return hcl.replace(/^([ \t]*)(precondition|postcondition) = \[\n([\s\S]*?)^[ \t]*\]\n/gm, (_match, indent: string, kind: string, items: string) =>
    items.replace(/^[ \t]*\{\n([\s\S]*?)^[ \t]*\},?\n/gm, (_item, body: string) => `${indent}${kind} {\n${body}${indent}}\n`),
  );
}

/**
 * A `dynamic` block inside a dynamic block's content (written as an override) comes out of cdktf 0.21 as an object
 * attribute, `dynamic = { name = { for_each = …, content = { … } } }`, which Terraform rejects: each entry becomes
 * `dynamic "name" { for_each = …  content { … } }`.
 */
export function nestedDynamicBlocks(hcl: string): string {
  const lines = hcl.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    if (!/^\s*dynamic = \{$/.test(lines[i])) {
      out.push(lines[i]);
      continue;
    }
    // Inside the wrapper: `name = {` opens a block, `content = {` its content; the wrapper's own closing brace goes.
    let depth = 1;
    for (i += 1; i < lines.length && depth > 0; i += 1) {
      const line = lines[i];
      const opened = (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
      if (depth === 1 && /^\s*\}$/.test(line)) {
        depth = 0;
        break;
      }
      if (depth === 1) out.push(line.replace(/^(\s*)([A-Za-z_][\w-]*) = \{$/, '$1dynamic "$2" {'));
      else if (depth === 2) out.push(line.replace(/^(\s*)content = \{$/, '$1content {'));
      else out.push(line);
      depth += opened;
    }
  }
  return out.join('\n');
}

/** The HCL cdktf writes, as Terraform accepts it without errors or deprecation warnings. */
export function repairedCdktfHcl(hcl: string): string {
  return nestedDynamicBlocks(conditionBlocks(unquoteReferences(hcl)));
}

/** `terraform fmt -` (offline); undefined when terraform cannot be run. */
export function terraformFmt(hcl: string, terraformBin?: string): string | undefined {
  const bin = terraformBin ?? process.env.GUARDRAILS_TERRAFORM_BIN ?? 'terraform';
  const result = spawnSync(bin, ['fmt', '-no-color', '-'], {
    input: hcl,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' },
    timeout: 60_000,
  });
  if (result.error) return undefined;
  if (result.status !== 0) throw new Error(`terraform fmt rejected the generated HCL:\n${result.stderr}`);
  return result.stdout;
}
