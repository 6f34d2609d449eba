// Builds the app bundle, the program `npm run synth` and the cdktf CLI run (through flavours/app.cjs):
// dist/app/main.js, or for GUARDRAILS_FLAVOUR=cdk-terrain flavours/cdk-terrain/dist/app/main.js, whose imports of
// cdktf and @cdktf/provider-aws the esbuild alias turns into cdktn and @cdktn/provider-aws (flavours/flavour.cjs).
// Every folder of stacks/catalogs with an index.ts is a catalog: the bundle gets a generated
// stacks/catalogs/bundled-sources.ts that requires each of them.
import { build } from 'esbuild';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const { flavour } = createRequire(import.meta.url)('../flavours/flavour.cjs');
let selected;
try {
  selected = flavour();
} catch (error) {
  console.error(`Error: ${error.message}`);
  console.error('Nothing was written.');
  process.exit(1);
}

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const catalogsDir = path.join(root, 'stacks', 'catalogs');

// The same rule as catalogFolderNames in stacks/catalogs/registry.ts, checked here too because the bundle is built
// from this list: a folder without index.ts would otherwise silently build nothing.
const catalogFolders = () => {
  const names = fs
    .readdirSync(catalogsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !/^[._]/.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  const incomplete = names.find((name) => !fs.existsSync(path.join(catalogsDir, name, 'index.ts')));
  if (incomplete) {
    console.error(`Error: stacks/catalogs/${incomplete}: index.ts = (not set): a catalog folder must hold index.ts exporting its Catalog (rename the file, or start the folder name with _ to keep it out of synth)`);
    console.error('Nothing was written.');
    process.exit(1);
  }
  return names;
};

const discoveredCatalogs = {
  name: 'discovered-catalogs',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]stacks[\\/]catalogs[\\/]bundled-sources\.ts$/ }, () => {
      const entries = catalogFolders().map((name) => `  { file: ${JSON.stringify(`stacks/catalogs/${name}/index.ts`)}, load: () => require(${JSON.stringify(`./${name}/index.ts`)}) },`);
      return { contents: `const sources = [\n${entries.join('\n')}\n];\nexport function bundledCatalogSources() { return sources; }\n`, loader: 'ts', resolveDir: catalogsDir };
    });
  },
};

try {
  await build({
    entryPoints: [path.join(root, 'main.ts')],
    bundle: true,
    platform: 'node',
    packages: 'external',
    target: 'node20',
    logLevel: 'warning',
    outfile: selected.appBundle,
    alias: selected.packages,
    plugins: [discoveredCatalogs],
  });
} catch {
  // esbuild has printed each error with its file and line already.
  console.error('Error: synth: the sources do not compile (see the errors above).');
  console.error('Nothing was written.');
  process.exit(1);
}
