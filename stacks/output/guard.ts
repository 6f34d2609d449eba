import * as fs from 'fs';
import * as path from 'path';
import { GuardrailError } from '../../modules/validation';
import { isInternalName } from './names';
import { readMarker } from './marker';

/**
 * Folders of the project that no output may go into, replace or contain: the sources, the tests, the guides, the
 * repository itself and the installed packages.
 */
export const PROTECTED_FOLDERS = ['.git', 'node_modules', 'modules', 'stacks', 'lambda-src', '__tests__', 'help', '.ci', 'dist/app'];

/** Where an output directory setting came from, so a refusal names what the user wrote. */
export interface OutputSetting {
  /** e.g. `environment variable CDKTF_OUTDIR`, `option --outdir` */
  readonly source: string;
  readonly value: string;
}

export type OutputKind = 'synth' | 'terraform-modules';

export const DEFAULT_OUTDIR: Record<OutputKind, string> = { synth: 'cdktf.out', 'terraform-modules': path.join('dist', 'terraform-modules') };

/** What is at the output path now, once it has been found safe to replace. */
export type OutputState =
  | { readonly type: 'absent' }
  | { readonly type: 'empty-directory' }
  /** A symbolic link to one of our generations (synth output after its first run). */
  | { readonly type: 'generation-link'; readonly generation: string }
  /** A real directory with our marker (module trees; for synth output, an adoption a kill interrupted). */
  | { readonly type: 'marked-directory' }
  /** This project's default output directory as an earlier version wrote it: no marker, only our layout. */
  | { readonly type: 'legacy-directory' };

/**
 * Refuses every output directory that could make synth or the module generator delete or overwrite something it did
 * not write: the project root or a folder containing it, a protected folder or anything inside one, a path inside our
 * own bookkeeping (generations, locks), a file, and an existing non-empty directory that is not one of our outputs.
 * Returns what is there now.
 */
export function checkOutputDirectory(setting: OutputSetting, cwd: string, kind: OutputKind): { readonly outdir: string; readonly state: OutputState } {
  const refuse = (problem: string): never => {
    throw new GuardrailError(setting.source, 'output directory', setting.value, problem);
  };
  const advice = `choose a directory of its own such as '${DEFAULT_OUTDIR[kind]}'`;
  if (setting.value.trim() === '') refuse(`is empty; ${advice}`);
  const outdir = path.resolve(cwd, setting.value);
  for (const root of projectRootsOf(cwd)) checkAgainstProject(outdir, root, (problem) => refuse(`${problem}; ${advice}`));
  // An unmarked directory is adopted only as this project's own default output (see isLegacyLayout).
  const isDefault = outdir === path.resolve(cwd, DEFAULT_OUTDIR[kind]) && isThisProject(cwd);
  return { outdir, state: classify(outdir, kind, isDefault, refuse, advice) };
}

/** Whether `dir` is a checkout of this project (its package.json names it). */
function isThisProject(dir: string): boolean {
  return readJson(path.join(dir, 'package.json'))?.name === 'dynamodb-guardrails';
}

/** The directory the command runs in and the project the running code belongs to (they differ in tests). */
function projectRootsOf(cwd: string): string[] {
  const roots = new Set([fs.realpathSync(cwd)]);
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (readJson(path.join(dir, 'package.json'))?.name === 'dynamodb-guardrails') {
      roots.add(fs.realpathSync(dir));
      break;
    }
  }
  return [...roots];
}

function checkAgainstProject(outdir: string, root: string, refuse: (problem: string) => never): void {
  for (const candidate of new Set([outdir, physicalPath(outdir)])) {
    if (candidate === root || isInside(root, candidate)) refuse(`is the project directory or contains it (${root})`);
    const segments = candidate.split(path.sep);
    if (segments.includes('.git') || segments.includes('node_modules')) refuse(`is inside ${segments.includes('node_modules') ? 'node_modules' : '.git'}`);
    const internal = segments.find(isInternalName);
    if (internal) refuse(`is inside '${internal}', which synth and the module generator keep for themselves (generations, locks)`);
    const protectedFolder = PROTECTED_FOLDERS.find((folder) => {
      const full = path.join(root, folder);
      return candidate === full || isInside(candidate, full) || isInside(full, candidate);
    });
    if (protectedFolder) refuse(`is or contains the project folder '${protectedFolder}', which holds sources`);
  }
}

function classify(outdir: string, kind: OutputKind, isDefault: boolean, refuse: (problem: string) => never, advice: string): OutputState {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(outdir);
  } catch {
    return { type: 'absent' };
  }
  if (stat.isSymbolicLink()) {
    const target = fs.readlinkSync(outdir);
    const generation = path.resolve(path.dirname(outdir), target);
    const ours = path.dirname(generation) === path.dirname(outdir) && path.basename(generation).startsWith(`.${path.basename(outdir)}.gen-`);
    const marker = ours ? readMarker(generation) : undefined;
    if (!marker) refuse(`is a symbolic link to ${target}, which is not an output of dynamodb-guardrails; remove the link or ${advice}`);
    if (marker.kind !== kind) refuse(`holds ${describeKind(marker.kind)}; ${advice}`);
    return { type: 'generation-link', generation };
  }
  if (!stat.isDirectory()) refuse(`exists and is not a directory; ${advice}`);
  const entries = fs.readdirSync(outdir);
  if (entries.length === 0) return { type: 'empty-directory' };
  const marker = readMarker(outdir);
  if (marker) {
    if (marker.kind !== kind) refuse(`holds ${describeKind(marker.kind)}; ${advice}`);
    return { type: 'marked-directory' };
  }
  if (isDefault && isLegacyLayout(outdir, entries, kind)) return { type: 'legacy-directory' };
  refuse(`is a non-empty directory that dynamodb-guardrails did not write (it holds ${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); choose an empty or new directory`);
}

/**
 * The layout versions before the marker wrote: a cdktf output directory (manifest.json + stacks/) or a module tree
 * (dynamodb-table/ + examples/), nothing else at the top. Accepted only at this project's default output path.
 */
function isLegacyLayout(outdir: string, entries: string[], kind: OutputKind): boolean {
  if (kind === 'synth') {
    const manifest = readJson(path.join(outdir, 'manifest.json'));
    return typeof manifest?.stacks === 'object' && entries.every((entry) => ['manifest.json', 'stacks'].includes(entry));
  }
  return entries.includes('dynamodb-table') && entries.includes('examples') && entries.every((entry) => /^(dynamodb-[a-z-]+|examples|README\.md)$/.test(entry));
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function describeKind(kind: OutputKind): string {
  return kind === 'synth' ? 'synthesized stacks' : 'generated Terraform modules';
}

/** True when `inner` is strictly inside `outer`. */
export function isInside(inner: string, outer: string): boolean {
  const relative = path.relative(outer, inner);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * The path with every existing ancestor resolved through symbolic links (the path itself need not exist, and a link
 * at the path itself is not followed: classify() checks where it points).
 */
function physicalPath(target: string): string {
  let existing = path.dirname(target);
  const rest: string[] = [path.basename(target)];
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) {
    rest.unshift(path.basename(existing));
    existing = path.dirname(existing);
  }
  try {
    return path.join(fs.realpathSync(existing), ...rest);
  } catch {
    return target;
  }
}
