// The CDK flavour this checkout builds with, chosen by GUARDRAILS_FLAVOUR (help/cdk-terrain.md):
// - `cdktf` (the default): cdktf 0.21 and @cdktf/provider-aws 21.22 from the project's own node_modules;
// - `cdk-terrain`: the CDK Terrain fork (cdktn, @cdktn/provider-aws) from flavours/cdk-terrain/node_modules,
//   installed with `npm ci --prefix flavours/cdk-terrain`.
// The sources always import `cdktf`, `@cdktf/provider-aws/lib/<resource>` and `constructs`; the seam is configuration
// only: the esbuild alias (stacks/bundle.mjs), Jest's moduleNameMapper (jest.config.js) and tsconfig paths
// (flavours/cdk-terrain/tsconfig.json) map those names to the flavour's packages.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.dirname(__dirname);
const FLAVOURS = ['cdktf', 'cdk-terrain'];

function flavourName(env = process.env) {
  const name = env.GUARDRAILS_FLAVOUR === undefined || env.GUARDRAILS_FLAVOUR === '' ? 'cdktf' : env.GUARDRAILS_FLAVOUR;
  if (!FLAVOURS.includes(name)) {
    throw new Error(`GUARDRAILS_FLAVOUR = '${name}': must be one of ${FLAVOURS.join(', ')} (help/cdk-terrain.md)`);
  }
  return name;
}

/** Where the flavour's packages are, what the sources' package names become, and where its app bundle goes. */
function flavour(env = process.env) {
  const name = flavourName(env);
  if (name === 'cdktf') return { name, packages: {}, nodeModules: path.join(ROOT, 'node_modules'), appBundle: path.join(ROOT, 'dist', 'app', 'main.js') };
  const dir = path.join(ROOT, 'flavours', 'cdk-terrain');
  const nodeModules = path.join(dir, 'node_modules');
  if (!fs.existsSync(path.join(nodeModules, 'cdktn'))) {
    throw new Error('GUARDRAILS_FLAVOUR = \'cdk-terrain\': its packages are not installed; run npm ci --prefix flavours/cdk-terrain first');
  }
  // The bundle sits in the flavour's folder, so Node resolves cdktn, @cdktn/provider-aws and constructs from there
  // (one copy of each) and every other package from the project's node_modules.
  return { name, packages: { cdktf: 'cdktn', '@cdktf/provider-aws': '@cdktn/provider-aws', constructs: 'constructs' }, nodeModules, appBundle: path.join(dir, 'dist', 'app', 'main.js') };
}

module.exports = { flavour, flavourName, FLAVOURS, ROOT };
