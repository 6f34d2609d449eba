/**
 * Obtains AWS DynamoDB Local (the real Java emulator) for the test harness.
 *
 * The npm package `amplify-dynamodb-simulator@2.9.30` ships DynamoDB Local 1.25.1 in `package/emulator/`
 * (DynamoDBLocal.jar + DynamoDBLocal_lib/). We never install that package (its dependency tree is huge and
 * its wrapper is not used); we `npm pack` its tarball, verify it against a pinned integrity, extract only
 * `package/emulator/` with the system `tar`, verify the jar's checksum and move the directory into the
 * repository's git-ignored cache (`.cache/dynamodb-local/`). Later runs find the jar and do nothing.
 *
 * Concurrency: every fetch works in its own staging directory inside the cache and publishes it with a single
 * `rename`, so concurrent first runs cannot observe a half-extracted emulator; a loser of the race just discards
 * its copy.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const EMULATOR_NPM_PACKAGE = 'amplify-dynamodb-simulator';
export const EMULATOR_NPM_VERSION = '2.9.30';
/** The DynamoDB Local release inside that npm package. */
export const DYNAMODB_LOCAL_VERSION = '1.25.1';

/** `integrity` of amplify-dynamodb-simulator-2.9.30.tgz as published on the npm registry. */
const TARBALL_INTEGRITY =
  'sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ==';
/** sha256 of package/emulator/DynamoDBLocal.jar inside that tarball. */
const JAR_SHA256 = '454305e9bc3e6ebcca5b62569869e31563b8d7e346474e94557b2600702146c7';

const JAR_NAME = 'DynamoDBLocal.jar';
const LIB_DIR_NAME = 'DynamoDBLocal_lib';
const STAGING_PREFIX = '.staging-';
const STALE_STAGING_MS = 60 * 60 * 1000;

export interface DynamoDbLocalInstallation {
  /** Directory holding DynamoDBLocal.jar and DynamoDBLocal_lib/. */
  readonly emulatorDir: string;
  /** Absolute path of DynamoDBLocal.jar. */
  readonly jarPath: string;
  /** Absolute path of DynamoDBLocal_lib/ (jars and the sqlite4java native libraries). */
  readonly libDir: string;
}

/** Repository root (the directory holding package.json), derived from this file's location. */
export function repoRoot(): string {
  const root = path.resolve(__dirname, '..', '..', '..');
  if (!existsSync(path.join(root, 'package.json'))) {
    throw new Error(`dynamodb-local: expected the repository root at ${root}, but it has no package.json`);
  }
  return root;
}

/** `<repo>/.cache/dynamodb-local` — git-ignored; the only place in the repository this harness writes to. */
export function dynamoDbLocalCacheDir(): string {
  return path.join(repoRoot(), '.cache', 'dynamodb-local');
}

function installationAt(emulatorDir: string): DynamoDbLocalInstallation {
  return { emulatorDir, jarPath: path.join(emulatorDir, JAR_NAME), libDir: path.join(emulatorDir, LIB_DIR_NAME) };
}

/** Where the emulator lives once fetched (keyed by the npm package version so a bump fetches afresh). */
export function cachedInstallation(): DynamoDbLocalInstallation {
  return installationAt(path.join(dynamoDbLocalCacheDir(), `${EMULATOR_NPM_PACKAGE}-${EMULATOR_NPM_VERSION}`));
}

function isComplete(install: DynamoDbLocalInstallation): boolean {
  return existsSync(install.jarPath) && existsSync(install.libDir);
}

/** Returns the cached DynamoDB Local, fetching it first if it is not cached yet. */
export async function ensureDynamoDbLocal(log: (message: string) => void = () => {}): Promise<DynamoDbLocalInstallation> {
  const install = cachedInstallation();
  if (isComplete(install)) return install;

  const cacheDir = dynamoDbLocalCacheDir();
  await fsp.mkdir(cacheDir, { recursive: true });
  await removeStaleStagingDirs(cacheDir);

  const started = Date.now();
  log(`dynamodb-local: fetching ${EMULATOR_NPM_PACKAGE}@${EMULATOR_NPM_VERSION} (DynamoDB Local ${DYNAMODB_LOCAL_VERSION}) via npm pack…`);

  const downloadDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'guardrails-ddb-local-pack-'));
  const stagingDir = path.join(cacheDir, `${STAGING_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const tarball = await npmPack(downloadDir);
    await verifyIntegrity(tarball, TARBALL_INTEGRITY);

    await fsp.mkdir(stagingDir);
    await run('tar', ['-xzf', tarball, '-C', stagingDir, '--no-same-owner', 'package/emulator'], repoRoot());
    const extracted = installationAt(path.join(stagingDir, 'package', 'emulator'));
    if (!isComplete(extracted)) {
      throw new Error(`dynamodb-local: ${path.basename(tarball)} has no package/emulator/${JAR_NAME} + ${LIB_DIR_NAME}/`);
    }
    const jarSha = await hashFile(extracted.jarPath, 'sha256', 'hex');
    if (jarSha !== JAR_SHA256) {
      throw new Error(`dynamodb-local: ${JAR_NAME} sha256 mismatch (expected ${JAR_SHA256}, got ${jarSha})`);
    }

    try {
      await fsp.rename(extracted.emulatorDir, install.emulatorDir);
    } catch (error) {
      // Another process published first (EEXIST/ENOTEMPTY/EPERM depending on platform): use its copy.
      if (!isComplete(install)) throw error;
    }
  } finally {
    await Promise.all([
      fsp.rm(downloadDir, { recursive: true, force: true }),
      fsp.rm(stagingDir, { recursive: true, force: true }),
    ]);
  }

  if (!isComplete(install)) throw new Error(`dynamodb-local: fetch finished but ${install.jarPath} is missing`);
  log(`dynamodb-local: cached in ${path.relative(repoRoot(), install.emulatorDir)} (${Date.now() - started} ms)`);
  return install;
}

async function npmPack(destination: string): Promise<string> {
  const spec = `${EMULATOR_NPM_PACKAGE}@${EMULATOR_NPM_VERSION}`;
  const stdout = await run(
    'npm',
    ['pack', spec, '--pack-destination', destination, '--json', '--ignore-scripts', '--no-audit', '--no-fund'],
    // Run from the repository so its (and the user's) .npmrc registry settings apply.
    repoRoot(),
  );
  const files = (await fsp.readdir(destination)).filter((name) => name.endsWith('.tgz'));
  if (files.length !== 1) {
    throw new Error(`dynamodb-local: npm pack ${spec} produced ${files.length} tarballs in ${destination}. Output:\n${stdout}`);
  }
  return path.join(destination, files[0]!);
}

async function verifyIntegrity(file: string, integrity: string): Promise<void> {
  const dash = integrity.indexOf('-');
  const algorithm = integrity.slice(0, dash);
  const expected = integrity.slice(dash + 1);
  const actual = await hashFile(file, algorithm, 'base64');
  if (actual !== expected) {
    throw new Error(`dynamodb-local: ${path.basename(file)} integrity mismatch (expected ${integrity}, got ${algorithm}-${actual})`);
  }
}

function hashFile(file: string, algorithm: string, encoding: 'hex' | 'base64'): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash(algorithm);
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest(encoding)));
  });
}

/** Runs a command to completion; resolves with stdout, rejects with stderr/stdout on a non-zero exit. */
function run(command: string, args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => reject(new Error(`dynamodb-local: cannot run ${command}: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`dynamodb-local: ${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${stderr || stdout}`));
    });
  });
}

/** Staging directories left behind by killed runs (never ones a concurrent run may still be using). */
async function removeStaleStagingDirs(cacheDir: string): Promise<void> {
  const entries = await fsp.readdir(cacheDir).catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((name) => name.startsWith(STAGING_PREFIX))
      .map(async (name) => {
        const full = path.join(cacheDir, name);
        const stat = await fsp.stat(full).catch(() => undefined);
        if (stat && Date.now() - stat.mtimeMs > STALE_STAGING_MS) await fsp.rm(full, { recursive: true, force: true });
      }),
  );
}
