import * as fs from 'fs';
import * as path from 'path';
import { currentTree } from '../../../stacks/output';

/**
 * What lies beside a published output besides the output itself (the link and the generation it points to):
 * leftover staging, scratch or lock files. A clean run leaves nothing.
 */
export function leftoversBeside(outdir: string): string[] {
  const generation = currentTree(outdir);
  return fs
    .readdirSync(path.dirname(outdir))
    .filter((name) => name.startsWith(path.basename(outdir)) || name.startsWith(`.${path.basename(outdir)}`))
    .filter((name) => name !== path.basename(outdir) && name !== (generation && path.basename(generation)));
}
