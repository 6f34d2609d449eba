import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hermeticTerraformEnv, terraformBinary } from './offline-terraform/terraform-cli';

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

/** `terraform fmt` of one text (offline); undefined when terraform cannot be run. */
export function terraformFmt(hcl: string, terraformBin?: string): string | undefined {
  return terraformFmtAll([hcl], terraformBin)?.[0];
}

/** Formatted texts by terraform binary and input: `terraform fmt` is a pure function of both. */
const remembered = new Map<string, string>();
const MAX_REMEMBERED = 1000;

/**
 * `terraform fmt` of many texts with one terraform process (offline), in the order given; undefined when terraform
 * cannot be run. A module tree has some forty files and a synth one per stack: one process each cost a fork and
 * about 25 ms of CPU apiece. Texts formatted before in this process are not formatted again.
 */
export function terraformFmtAll(texts: readonly string[], terraformBin?: string): string[] | undefined {
  const bin = terraformBin ?? terraformBinary();
  const keyOf = (text: string) => `${bin}\0${text}`;
  const known = new Map(texts.flatMap((text) => (remembered.has(keyOf(text)) ? [[text, remembered.get(keyOf(text))!] as const] : [])));
  const pending = [...new Set(texts.filter((text) => !known.has(text)))];
  if (pending.length > 0) {
    // terraform runs in a scratch directory: a binary given by a relative path is found from here.
    const results = formatFiles(bin.includes(path.sep) ? path.resolve(bin) : bin, pending);
    if (results === undefined) return undefined;
    if (remembered.size + pending.length > MAX_REMEMBERED) remembered.clear();
    pending.forEach((text, i) => {
      known.set(text, results[i]);
      remembered.set(keyOf(text), results[i]);
    });
  }
  return texts.map((text) => known.get(text)!);
}

/** Each text as a file of a scratch directory, formatted in place by one `terraform fmt <dir>`. */
function formatFiles(bin: string, texts: readonly string[]): string[] | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-fmt-'));
  try {
    const files = texts.map((text, i) => {
      const file = path.join(dir, `${i}.tf`);
      // As `terraform fmt -` gives it: ending with a newline (fmt of a file keeps a missing one missing).
      fs.writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
      return file;
    });
    // Run in the directory, so that an error names the text by its number alone ("on 0.tf line 1").
    const result = spawnSync(bin, ['fmt', '-no-color', '-list=false', '.'], { cwd: dir, encoding: 'utf8', env: hermeticTerraformEnv({}), timeout: 60_000 });
    if (result.error) return undefined;
    if (result.status !== 0) throw new Error(`terraform fmt rejected the generated HCL:\n${result.stderr}`);
    return files.map((file) => fs.readFileSync(file, 'utf8'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
