/**
 * Where a resource is written: the file (relative to the project root) and line of its `resource`/`data` block, or,
 * for a resource inside a module, of the root module's `module` block that calls it. SARIF locations point there.
 */
import { findNodeAtLocation, Node, parseTree } from 'jsonc-parser';
import { escapeRegExp } from '../../modules/validation';
import { SourceLocation } from '../../modules/compliance/evaluate';
import { withoutKeys } from './plan-view';

export type Locator = (address: string) => SourceLocation | undefined;

/** The block an address is written as in the root module: `module "orders"`, `resource "t" "n"` or `data "t" "n"`. */
function rootBlockOf(address: string): { readonly kind: 'module' | 'resource' | 'data'; readonly labels: readonly string[] } | undefined {
  // Instance keys (`["dev.orders"]`, `[0]`) and block keys (`.replica[eu-west-1]`) go; what is left is labels.
  const parts = withoutKeys(address).split('.');
  if (parts[0] === 'module' && parts.length > 1) return { kind: 'module', labels: [parts[1]] };
  if (parts[0] === 'data' && parts.length > 2) return { kind: 'data', labels: [parts[1], parts[2]] };
  return parts.length > 1 ? { kind: 'resource', labels: [parts[0], parts[1]] } : undefined;
}

/** A configuration file of the root module: its path relative to the project root, and its text. */
export interface ConfigurationFile {
  readonly uri: string;
  readonly text: string;
}

/** Locates the blocks of the root module's `*.tf` and `*.tf.json` files (each JSON file is parsed once, when first needed). */
export function locatorOf(files: readonly ConfigurationFile[]): Locator {
  const trees = new Map<string, Node | undefined>();
  const treeOf = (file: ConfigurationFile) => {
    if (!trees.has(file.uri)) trees.set(file.uri, parseTree(file.text));
    return trees.get(file.uri);
  };
  return (address) => {
    const block = rootBlockOf(address);
    if (!block) return undefined;
    for (const file of files) {
      const line = file.uri.endsWith('.json') ? jsonLine(file.text, treeOf(file), block) : hclLine(file.text, block);
      if (line !== undefined) return { uri: file.uri, line };
    }
    return undefined;
  };
}

function hclLine(text: string, block: { kind: string; labels: readonly string[] }): number | undefined {
  const labels = block.labels.map((label) => `\\s+"${escapeRegExp(label)}"`).join('');
  const pattern = new RegExp(`^\\s*${block.kind}${labels}\\s*\\{`);
  const index = text.split('\n').findIndex((line) => pattern.test(line));
  return index >= 0 ? index + 1 : undefined;
}

function jsonLine(text: string, tree: Node | undefined, block: { kind: string; labels: readonly string[] }): number | undefined {
  const node = tree && findNodeAtLocation(tree, [block.kind, ...block.labels]);
  const offset = node?.parent?.offset ?? node?.offset;
  return offset === undefined ? undefined : text.slice(0, offset).split('\n').length;
}
