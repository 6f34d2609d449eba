/**
 * The access proof (who can read, write, delete, change each table, from where) for the stacks of a cdktf.out, as
 * `npm run access` computes it with a real IAM engine (@cloud-copilot/iam-simulate, __tests__/support/access). The
 * engine is AGPL-3.0 and a devDependency: it is loaded only when installed (`npm ci` installs it), never on the synth
 * path. The proof needs the principals our stacks define; Terraform written elsewhere gets the rules' policy checks
 * (dynamodb:006, 012, 015) only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { shippedCatalogs } from '../catalogs/registry';
import { EnvironmentSettings } from '../settings/types';

/** Writes access.md and access.json for one synthesized stack into `outdir`; false when the IAM engine is not installed. */
export async function writeAccessProof(stack: string, settings: EnvironmentSettings, json: object, outdir: string): Promise<boolean> {
  let matrixModule: typeof import('../../__tests__/support/access/matrix');
  let modelModule: typeof import('../../__tests__/support/access/stack-model');
  try {
    require.resolve('@cloud-copilot/iam-simulate');
    matrixModule = await import('../../__tests__/support/access/matrix');
    modelModule = await import('../../__tests__/support/access/stack-model');
  } catch {
    return false;
  }
  const matrix = await matrixModule.accessMatrix(modelModule.loadStackModel(stack, json as never), settings, matrixModule.catalogLeadingKeys(shippedCatalogs()));
  const daxClusters = Object.values(((json as { resource?: { aws_dax_cluster?: Record<string, { cluster_name: string }> } }).resource?.aws_dax_cluster ?? {})).map((cluster) => cluster.cluster_name);
  fs.mkdirSync(outdir, { recursive: true });
  fs.writeFileSync(path.join(outdir, 'access.md'), matrixModule.accessMatrixMarkdown(matrix, daxClusters));
  fs.writeFileSync(path.join(outdir, 'access.json'), `${JSON.stringify(matrix, null, 2)}\n`);
  return true;
}
