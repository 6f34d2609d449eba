import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
const { flavour } = require('../../../flavours/flavour.cjs') as { flavour: () => { appBundle: string } };

export const ROOT = path.resolve(__dirname, '../../..');

/** The project's tracked files, copied into `target` as a git repository of their own, with the real node_modules linked in. */
export function scratchCopyOfProject(target: string): string {
  fs.mkdirSync(target, { recursive: true });
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!fs.existsSync(path.join(ROOT, file))) continue;
    fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(target, file));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(target, 'node_modules'));
  // The CDK Terrain flavour's packages, where they are installed (GUARDRAILS_FLAVOUR=cdk-terrain npm test).
  const flavourPackages = path.join('flavours', 'cdk-terrain', 'node_modules');
  if (fs.existsSync(path.join(ROOT, flavourPackages))) fs.symlinkSync(path.join(ROOT, flavourPackages), path.join(target, flavourPackages));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: target, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'scratch');
  return target;
}

/**
 * Builds the project's synth bundle the way `npm run synth` does (stacks/bundle.mjs), so catalog folders are found.
 * Tests edit only catalogs in a scratch copy: there is one bundle per state of stacks/catalogs, built once (beside
 * the flavour's app bundle, dist/app/main.js by default, so that it finds the project and packages as that one does).
 */
export function bundleSynth(project: string): string {
  const main = path.join(project, path.relative(ROOT, flavour().appBundle));
  const bundle = path.join(path.dirname(main), `main-${catalogFilesDigest(path.join(project, 'stacks', 'catalogs')).slice(0, 16)}.js`);
  if (!fs.existsSync(bundle)) {
    execFileSync(process.execPath, [path.join(project, 'stacks', 'bundle.mjs')], { cwd: project });
    fs.copyFileSync(main, bundle);
  }
  return bundle;
}

/**
 * For a describe block: a scratch copy of the project with its synth bundle, made before its tests and removed after
 * them. Returns the bundle's path (read it inside a test).
 */
export function synthBundleOfScratchCopy(): () => string {
  let copy: string;
  let bundle: string;
  beforeAll(() => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-scratch-project-'));
    bundle = bundleSynth(scratchCopyOfProject(path.join(copy, 'project')));
  });
  afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));
  return () => bundle;
}

function catalogFilesDigest(dir: string): string {
  const hash = createHash('sha256');
  for (const file of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const full = path.join(dir, file);
    // Folders count too: an empty catalog folder is one the bundle refuses.
    if (fs.statSync(full).isFile()) hash.update(`${file}\0`).update(fs.readFileSync(full)).update('\0');
    else hash.update(`${file}/\0`);
  }
  return hash.digest('hex');
}

export const cleanEnv = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: process.env.HOME, CHECKPOINT_DISABLE: '1' });

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a node program in the project, with only the given variables (plus PATH and HOME). */
export function runNode(project: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Run {
  const result = spawnSync(process.execPath, args, { cwd: project, env: { ...cleanEnv(), ...env }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
