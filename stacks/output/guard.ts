import * as fs from 'fs';
import * as path from 'path';
import { GuardrailError } from '../../modules/validation';
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

const DEFAULT_OUTDIR: Record<OutputKind, string> = { synth: 'cdktf.out', 'terraform-modules': 'dist/terraform-modules' };

/** What is at the output path now, once it has been found safe to replace. */
export type OutputState =
  | { readonly type: 'absent' }
  | { readonly type: 'empty-directory' }
  /** A symlink to one of our generations (the normal case after the first run). */
  | { readonly type: 'generation-link'; readonly generation: string }
  /** A plain directory written by an earlier version (no generations yet): cdktf's layout, only our files in it. */
  | { readonly type: 'legacy-directory' };

/**
 * Refuses every output directory that could make synth or the module generator delete or overwrite something it did
 * not write: the project root or a folder containing it, a protected folder or anything inside one, a file, and an
 * existing non-empty directory that is not one of our outputs. Returns what is there now.
 */
export function checkOutputDirectory(setting: OutputSetting, cwd: string, kind: OutputKind): { readonly outdir: string; readonly state: OutputState } {
  const refuse = (problem: string): never => {
    throw new GuardrailError(setting.source, 'output directory', setting.value, problem);
  };
  const advice = `choose a directory of its own such as '${DEFAULT_OUTDIR[kind]}'`;
  if (setting.value.trim() === '') refuse(`is empty; ${advice}`);
  const outdir = path.resolve(cwd, setting.value);
  for (const root of projectRootsOf(cwd)) checkAgainstProject(outdir, root, (problem) => refuse(`${problem}; ${advice}`));
  return { outdir, state: classify(outdir, kind, refuse, advice) };
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
    const dotGit = segments.indexOf('.git');
    if (dotGit >= 0 || segments.includes('node_modules')) refuse(`is inside ${segments.includes('node_modules') ? 'node_modules' : '.git'}`);
    const protectedFolder = PROTECTED_FOLDERS.find((folder) => {
      const full = path.join(root, folder);
      return candidate === full || isInside(candidate, full) || isInside(full, candidate);
    });
    if (protectedFolder) refuse(`is or contains the project folder '${protectedFolder}', which holds sources`);
  }
}

function classify(outdir: string, kind: OutputKind, refuse: (problem: string) => never, advice: string): OutputState {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(outdir);
  } catch {
    return { type: 'absent' };
  }
  if (stat.isSymbolicLink()) {
    const target = fs.readlinkSync(outdir);
    const generation = path.resolve(path.dirname(outdir), target);
    const marker = path.dirname(generation) === path.dirname(outdir) && isGenerationName(outdir, path.basename(generation)) ? readMarker(generation) : undefined;
    if (!marker) refuse(`is a symbolic link to ${target}, which is not an output of dynamodb-guardrails; remove the link or choose another directory`);
    if (marker.kind !== kind) refuse(`holds ${describeKind(marker.kind)}; choose another directory for ${describeKind(kind)}`);
    return { type: 'generation-link', generation };
  }
  if (!stat.isDirectory()) refuse(`exists and is not a directory; ${advice}`);
  const entries = fs.readdirSync(outdir);
  if (entries.length === 0) return { type: 'empty-directory' };
  if (isLegacyOutput(outdir, entries, kind)) return { type: 'legacy-directory' };
  refuse(`is a non-empty directory that dynamodb-guardrails did not write (it holds ${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); choose an empty or new directory`);
}

/** Generations live beside the output path (same depth, so relative paths such as local state stay right). */
export function isGenerationName(outdir: string, name: string): boolean {
  return name.startsWith(`.${path.basename(outdir)}.gen-`);
}

/**
 * Output of versions before generations: a cdktf output directory (manifest.json + stacks/) or a module tree
 * (dynamodb-table/ + examples/), with nothing else at its top level.
 */
function isLegacyOutput(outdir: string, entries: string[], kind: OutputKind): boolean {
  // Marked by an adoption that was killed before it could move the directory aside.
  if (readMarker(outdir)?.kind === kind) return true;
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
function isInside(inner: string, outer: string): boolean {
  const relative = path.relative(outer, inner);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** The path with every existing ancestor resolved through symbolic links (the path itself need not exist). */
function physicalPath(target: string): string {
  let existing = target;
  const rest: string[] = [];
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
