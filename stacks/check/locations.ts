/**
 * Where a resource is written: the file (relative to the project root) and line of its `resource`/`data` block, or,
 * for a resource inside a module, of the root module's `module` block that calls it. SARIF locations point there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { SourceLocation } from '../../modules/compliance/evaluate';

export type Locator = (address: string) => SourceLocation | undefined;

/** The block an address is written as in the root module: `module "orders"`, `resource "t" "n"` or `data "t" "n"`. */
function rootBlockOf(address: string): { readonly kind: 'module' | 'resource' | 'data'; readonly labels: readonly string[] } | undefined {
  // Instance keys (`["dev.orders"]`, `[0]`) and block keys (`.replica[eu-west-1]`) go; what is left is labels.
  const parts = address.replace(/\[("(\\.|[^"\\])*"|[^\]]*)\]/g, '').split('.');
  if (parts[0] === 'module' && parts.length > 1) return { kind: 'module', labels: [parts[1]] };
  if (parts[0] === 'data' && parts.length > 2) return { kind: 'data', labels: [parts[1], parts[2]] };
  return parts.length > 1 ? { kind: 'resource', labels: [parts[0], parts[1]] } : undefined;
}

/** Locates the blocks of the `*.tf` and `*.tf.json` files directly in `dir` (as Terraform reads them). */
export function locatorOf(dir: string, root: string): Locator {
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.tf') || name.endsWith('.tf.json'))
    .sort()
    .map((name) => ({ uri: path.relative(root, path.join(dir, name)).split(path.sep).join('/'), name, text: fs.readFileSync(path.join(dir, name), 'utf8') }));
  return (address) => {
    const block = rootBlockOf(address);
    if (!block) return undefined;
    for (const file of files) {
      const line = file.name.endsWith('.json') ? jsonLine(file.text, block) : hclLine(file.text, block);
      if (line !== undefined) return { uri: file.uri, line };
    }
    return undefined;
  };
}

function hclLine(text: string, block: { kind: string; labels: readonly string[] }): number | undefined {
  const labels = block.labels.map((label) => `\\s+"${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`).join('');
  const pattern = new RegExp(`^\\s*${block.kind}${labels}\\s*\\{`);
  const index = text.split('\n').findIndex((line) => pattern.test(line));
  return index >= 0 ? index + 1 : undefined;
}

function jsonLine(text: string, block: { kind: string; labels: readonly string[] }): number | undefined {
  const tree = parseTree(text);
  const node = tree && findNodeAtLocation(tree, [block.kind, ...block.labels]);
  const offset = node?.parent?.offset ?? node?.offset;
  return offset === undefined ? undefined : text.slice(0, offset).split('\n').length;
}
