import * as fs from 'fs';
import * as path from 'path';
import { printable } from '../../modules/validation';
import { REGION_PATTERN } from '../../modules/network/ids';
import { CATALOGS_FOLDER } from '../catalogs/registry';
import { CATALOG_NAME, CATALOG_NAME_RULE } from '../catalogs/types';
import { catalogVariable } from '../settings/load';
import { ENVIRONMENT_NAMES } from '../settings/types';
import { catalogSkeleton } from './skeleton';

const USAGE = 'usage: npm run new-catalog -- <name> [--region <region>]';

/** `npm run new-catalog -- <name> [--region …]`: writes stacks/catalogs/<name>/index.ts and prints the settings to add. */
export function runNewCatalog(args: readonly string[], root: string, print: (line: string) => void, fail: (line: string) => void): number {
  const positional: string[] = [];
  let region: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '--region') {
      region = args[i + 1];
      i += 1;
      if (region === undefined || !REGION_PATTERN.test(region)) return usageError(fail, `--region = '${printable(region ?? '')}': must be an AWS Region such as 'eu-west-1'`);
    } else if (args[i].startsWith('-')) return usageError(fail, `'${printable(args[i])}' is not an option`);
    else positional.push(args[i]);
  }
  if (positional.length !== 1) return usageError(fail, positional.length === 0 ? 'the catalog name is missing' : `one catalog name, got ${positional.length}`);
  const [name] = positional;
  if (!CATALOG_NAME.test(name)) return usageError(fail, `name = '${printable(name)}': ${CATALOG_NAME_RULE}`);
  const folder = path.join(root, CATALOGS_FOLDER, name);
  if (fs.existsSync(folder)) {
    fail(`Error: new-catalog: name = '${name}': ${CATALOGS_FOLDER}/${name} exists already; choose another name or edit that catalog`);
    return 1;
  }
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'index.ts'), catalogSkeleton({ name, region }));
  print(`Wrote ${CATALOGS_FOLDER}/${name}/index.ts (stacks ${ENVIRONMENT_NAMES.map((env) => `${name}-${env}`).join(', ')}).`);
  print('');
  print('With your own accounts, each environment needs the network of this catalog: in guardrails.config.json');
  print(`  "environments": { "<env>": { "networks": { "${name}": { "vpcId": "vpc-…", "routeTableIds": ["rtb-…"] } } } }`);
  print('or as variables:');
  for (const env of ENVIRONMENT_NAMES) print(`  ${catalogVariable(env, name, 'VPC_ID')}=vpc-…  ${catalogVariable(env, name, 'ROUTE_TABLE_IDS')}=rtb-…,rtb-…`);
  print('With the embedded example accounts it synthesizes as it is: npm run synth');
  return 0;
}

function usageError(fail: (line: string) => void, problem: string): number {
  fail(`Error: new-catalog: ${problem}`);
  fail(USAGE);
  return 2;
}

if (require.main === module) {
  process.exitCode = runNewCatalog(process.argv.slice(2), path.resolve(__dirname, '../..'), (line) => console.log(line), (line) => console.error(line));
}
