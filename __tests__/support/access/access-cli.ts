/**
 * `npm run access [stack…]`: the access matrix of synthesized stacks (default: every stack in cdktf.out), printed
 * and written as access.md + access.json next to each stack's compliance reports. Uses your settings
 * (guardrails.config.json, GUARDRAILS_* variables) for the deployer and break-glass principals.
 * Exit codes: 0 written, 1 bad settings or a stack that cannot be read, 2 unknown stack.
 */
import * as fs from 'fs';
import * as path from 'path';
import { GuardrailError, printFailure } from '../../../modules/validation';
import { shippedCatalogs } from '../../../stacks/app';
import { loadEnvironmentSettings } from '../../../stacks/settings/load';
import { environmentOfStack } from '../../../stacks/settings/types';
import { listFiles, readMarker, writeMarker } from '../../../stacks/output/marker';
import { accessMatrix, accessMatrixMarkdown, catalogLeadingKeys } from './matrix';
import { loadStackModel } from './stack-model';

async function main(): Promise<number> {
  const outdir = path.resolve(process.env.CDKTF_OUTDIR ?? 'cdktf.out');
  const stacksDir = path.join(outdir, 'stacks');
  const available = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).filter((name) => fs.existsSync(path.join(stacksDir, name, 'cdk.tf.json'))).sort() : [];
  const wanted = process.argv.slice(2);
  const unknown = wanted.find((stack) => !available.includes(stack));
  if (unknown) {
    console.error(`Error: no synthesized stack '${unknown}' in ${outdir} (run npm run synth first; stacks: ${available.join(', ') || 'none'})`);
    return 2;
  }
  const settings = loadEnvironmentSettings();
  const leadingKeys = catalogLeadingKeys(shippedCatalogs());
  for (const stack of wanted.length > 0 ? wanted : available) {
    const environment = environmentOfStack(stack);
    if (!environment) throw new GuardrailError('access', 'stack', stack, 'is not named <catalog>-<environment>');
    const stackDir = path.join(stacksDir, stack);
    const json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    const model = loadStackModel(stack, json);
    const matrix = await accessMatrix(model, settings[environment], leadingKeys);
    const daxClusters = Object.values((json.resource?.aws_dax_cluster ?? {}) as Record<string, { cluster_name: string }>).map((cluster) => cluster.cluster_name);
    const markdown = accessMatrixMarkdown(matrix, daxClusters);
    fs.writeFileSync(path.join(stackDir, 'access.md'), markdown);
    fs.writeFileSync(path.join(stackDir, 'access.json'), `${JSON.stringify(matrix, null, 2)}\n`);
    console.log(markdown);
  }
  // The reports belong to this output generation: listed in its marker, the next synth replaces or drops them.
  const generation = fs.realpathSync(outdir);
  const marker = readMarker(generation);
  if (marker) writeMarker(generation, marker.kind, listFiles(generation).filter((file) => !file.startsWith('.dynamodb-guardrails')));
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    printFailure(error, 'access', Boolean(process.env.GUARDRAILS_DEBUG));
    process.exitCode = 1;
  },
);
