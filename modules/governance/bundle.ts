/**
 * Builds the governance function's deployment package at synth time: esbuild bundles lambda-src/governance into one
 * CommonJS file, and `deterministicZip` stores it as `index.js`. The result is byte-identical across runs and
 * machines for the same sources and esbuild version: esbuild's output is deterministic, every path it embeds is
 * relative to the project root, and the ZIP has fixed timestamps, permissions and order and no compression.
 *
 * `@aws-sdk/*` stays external: the nodejs22.x runtime ships the AWS SDK for JavaScript v3. Bundling
 * `@aws-sdk/client-dynamodb` (with its credential providers) would add ~500 KB, ~155 KB compressed, above the
 * 150 KB budget, for no gain in a function that makes a handful of control-plane calls.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { deterministicZip } from './zip';

/** The directory of this project's package.json, found from here (this file may run from source or from dist/). */
export const PROJECT_ROOT = findProjectRoot(__dirname);

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'dynamodb-guardrails') return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the dynamodb-guardrails project above ${start}`);
  }
}
/** Project-relative, as it appears in esbuild's metafile. */
export const GOVERNANCE_ENTRY = 'lambda-src/governance/index.ts';
export const BUNDLE_FILE_NAME = 'index.js';
/** `handler` setting of the function. */
export const GOVERNANCE_HANDLER = 'index.handler';
export const MAX_BUNDLE_ZIP_BYTES = 150 * 1024;
/** Packages that must never reach the bundle: the Lambda imports only pure modules of this project. */
export const FORBIDDEN_BUNDLE_INPUTS = [/node_modules\/cdktf\//, /node_modules\/constructs\//, /node_modules\/@cdktf\//, /node_modules\/esbuild\//];

export interface GovernanceBundle {
  /** The deployment package (one stored entry, `index.js`). */
  readonly zip: Buffer;
  /** The bundled JavaScript. */
  readonly code: string;
  /** Base64 SHA-256 of the package: the function's `source_code_hash`. */
  readonly sha256Base64: string;
  /** Hex SHA-256 of the package: the asset's folder name. */
  readonly sha256Hex: string;
  /** Source files bundled, project-relative and sorted. */
  readonly inputs: readonly string[];
}

/** Builds the package from scratch (no cache). */
export function buildGovernanceBundle(): GovernanceBundle {
  const result = buildSync({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [GOVERNANCE_ENTRY],
    outfile: BUNDLE_FILE_NAME,
    bundle: true,
    write: false,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    minify: false,
    sourcemap: false,
    legalComments: 'none',
    charset: 'utf8',
    metafile: true,
    logLevel: 'silent',
    banner: { js: '// dynamodb-guardrails governance function, bundled from lambda-src/governance by modules/governance/bundle.ts.' },
  });
  const output = result.outputFiles?.[0];
  if (output === undefined) throw new Error('esbuild produced no output for the governance function');
  const inputs = Object.keys(result.metafile?.inputs ?? {}).sort();
  const forbidden = inputs.filter((input) => FORBIDDEN_BUNDLE_INPUTS.some((pattern) => pattern.test(input)));
  if (forbidden.length > 0) {
    throw new Error(`the governance bundle must not include ${forbidden.join(', ')}: lambda-src may import only dependency-free modules`);
  }
  const code = Buffer.from(output.contents);
  if (code.includes(PROJECT_ROOT)) throw new Error(`the governance bundle embeds the absolute path ${PROJECT_ROOT}; it would not be reproducible`);
  const zip = deterministicZip([{ name: BUNDLE_FILE_NAME, data: code }]);
  return {
    zip,
    code: code.toString('utf8'),
    sha256Base64: createHash('sha256').update(zip).digest('base64'),
    sha256Hex: createHash('sha256').update(zip).digest('hex'),
    inputs,
  };
}

let cached: GovernanceBundle | undefined;

/** The package, built once per process (every stack with the construct shares it). */
export function governanceBundle(): GovernanceBundle {
  cached ??= buildGovernanceBundle();
  return cached;
}

/** Size of the zipped package in bytes, built fresh (for npm run bench). */
export function governanceBundleZipSize(): number {
  return buildGovernanceBundle().zip.length;
}

/**
 * Writes the package to a content-addressed file outside the project (`<tmp>/dynamodb-guardrails-governance/<sha>/`)
 * and returns its absolute path, for `TerraformAsset`, which copies it into the stack's `assets/` folder. The
 * absolute path never reaches the synthesized JSON.
 */
export function writeGovernanceBundle(bundle: GovernanceBundle, baseDir: string = path.join(os.tmpdir(), 'dynamodb-guardrails-governance')): string {
  const dir = path.join(baseDir, bundle.sha256Hex);
  const file = path.join(dir, 'governance.zip');
  if (fs.existsSync(file) && fs.readFileSync(file).equals(bundle.zip)) return file;
  fs.mkdirSync(dir, { recursive: true });
  const staging = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(staging, bundle.zip);
  fs.renameSync(staging, file);
  return file;
}
