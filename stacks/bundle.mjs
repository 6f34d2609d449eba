// Builds dist/app/main.js, the program `npm run synth` and the cdktf CLI run. Every folder of stacks/catalogs with an
// index.ts is a catalog: the bundle gets a generated stacks/catalogs/bundled-sources.ts that requires each of them.
import { build } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const catalogsDir = path.join(root, 'stacks', 'catalogs');

const catalogFolders = () =>
  fs
    .readdirSync(catalogsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(catalogsDir, entry.name, 'index.ts')))
    .map((entry) => entry.name)
    .sort();

const discoveredCatalogs = {
  name: 'discovered-catalogs',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]stacks[\\/]catalogs[\\/]bundled-sources\.ts$/ }, () => {
      const entries = catalogFolders().map((name) => `  { file: ${JSON.stringify(`stacks/catalogs/${name}/index.ts`)}, load: () => require(${JSON.stringify(`./${name}/index.ts`)}) },`);
      return { contents: `const sources = [\n${entries.join('\n')}\n];\nexport function bundledCatalogSources() { return sources; }\n`, loader: 'ts', resolveDir: catalogsDir };
    });
  },
};

await build({
  entryPoints: [path.join(root, 'main.ts')],
  bundle: true,
  platform: 'node',
  packages: 'external',
  target: 'node20',
  logLevel: 'warning',
  outfile: path.join(root, 'dist', 'app', 'main.js'),
  plugins: [discoveredCatalogs],
});
