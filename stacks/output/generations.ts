import * as fs from 'fs';
import * as path from 'path';
import type { OutputKind, OutputState } from './guard';
import { isInside } from './guard';
import { escapeRegExp } from '../../modules/validation';
import { removeStaleLockAttempts } from './lock';
import { identityRunning, isRunning, MAX_PID } from './process-identity';
import { listFiles, OUTPUT_MARKER, readMarker, STAGING_MARKER, stagingOwnerOf, writeMarker, writeStagingMarker } from './marker';
import { besideOutputPath, purposeOf, ScratchPurpose, uniqueId } from './names';

/**
 * Output is published in generations. Each run writes a complete new tree beside the output path
 * (`.cdktf.out.gen-<id>`) and publishes it in one step:
 * - synth output (`link` mode): the output path is a symbolic link, switched to the new tree with one rename, so a
 *   kill at any instant leaves the link on the old or the new tree, each complete with its manifest. Generations sit
 *   in the same folder as the output path, so paths relative to a stack directory (local state
 *   `../../../terraform.<stack>.tfstate`) resolve exactly as in a plain directory;
 * - module trees (`directory` mode), which other teams commit and git does not follow links: a real directory,
 *   replaced by two renames (old tree aside, new tree in). A kill between them leaves no tree at the path until the
 *   next run; both trees are complete and the next run publishes again.
 * Files found in an old generation that we did not write (Terraform's `.terraform`, a saved plan) are moved into the
 * new one, never deleted.
 */
export type PublishMode = 'link' | 'directory';

export const PUBLISH_MODE: Record<OutputKind, PublishMode> = { synth: 'link', 'terraform-modules': 'directory' };

/** Files a version before the marker wrote; anything else in such a directory is the user's. */
const LEGACY_OWNED: Record<OutputKind, RegExp> = {
  synth: /^(manifest\.json|stacks\/[^/]+\/(cdk\.tf(\.json)?|compliance\.(md|json|sarif)|metadata\.json|assets\/.+))$/,
  'terraform-modules': /^(README\.md|(dynamodb-table|dynamodb-access-policy)\/(main\.tf(\.json)?|README\.md)|examples\/(README\.md|(dynamodb-table|dynamodb-access-policy|invalid\/[a-z0-9-]+)\/main\.tf))$/,
};

/** Where foreign files of a stack that is no longer part of the app are kept (never deleted). */
export const REMOVED_STACKS_FOLDER = 'removed-stacks';

export interface PublishOptions {
  readonly kind: OutputKind;
  /** Receives one line per thing the user should know (files kept from removed stacks, cleanup that failed). */
  readonly warn: (line: string) => void;
  /**
   * The cdktf CLI lists the stack directories before running the app and deletes the ones the app no longer
   * synthesizes; an empty directory is left for each so that its deletion finds them.
   */
  readonly leaveRemovedStackDirectories?: boolean;
}

/** A new directory beside the output for `purpose`, marked as ours and as being written by this process. */
export function createBesideOutput(outdir: string, purpose: Exclude<ScratchPurpose, 'link'>): string {
  const dir = besideOutputPath(outdir, purpose);
  fs.mkdirSync(dir);
  writeStagingMarker(dir);
  return dir;
}

/**
 * Marks `generation` complete and puts it at `outdir` in one step (see PublishMode). Returns the stack directories of
 * the tree it replaced. Carrying user files over and removing the old tree is `afterPublish`'s job.
 */
export function publishGeneration(outdir: string, state: OutputState, generation: string, kind: OutputKind): string[] {
  // Marked complete before the staging marker goes, so that a kill in between never leaves a tree with neither
  // marker, which the next run could not tell from someone else's directory.
  writeMarker(generation, kind, listFiles(generation).filter((file) => file !== STAGING_MARKER));
  fs.rmSync(path.join(generation, STAGING_MARKER), { force: true });
  const previous = state.type === 'generation-link' ? state.generation : state.type === 'legacy-directory' || state.type === 'marked-directory' ? setAside(outdir, kind) : undefined;
  const previousStacks = previous ? stackNames(previous) : [];
  if (state.type === 'empty-directory') fs.rmdirSync(outdir);
  if (PUBLISH_MODE[kind] === 'directory') {
    // A link left by a run that published this output as a link: the tree it points to is an old generation now.
    if (state.type === 'generation-link') fs.unlinkSync(outdir);
    fs.renameSync(generation, outdir);
  } else {
    const link = besideOutputPath(outdir, 'link');
    fs.symlinkSync(path.basename(generation), link);
    fs.renameSync(link, outdir);
  }
  return previousStacks;
}

/** Once published: user files move into the new tree, old trees go, and (for the cdktf CLI) placeholders appear. */
export function afterPublish(outdir: string, previousStacks: readonly string[], options: PublishOptions): void {
  tidyOutput(outdir, options);
  const current = currentTree(outdir);
  if (!options.leaveRemovedStackDirectories || !current) return;
  const stacks = stackNames(current);
  for (const stack of previousStacks.filter((name) => !stacks.includes(name))) fs.mkdirSync(path.join(current, 'stacks', stack), { recursive: true });
}

/**
 * Removes what earlier runs left beside the output path, and only what they left: directories with our staging
 * marker whose process is gone, stray links, superseded generations (whose user files first move into the current
 * tree), and scratch directories of versions before the marker that hold only files those versions wrote. Runs
 * under the output lock. A generation a process is working in (a `terraform plan` started in its stack directory) is
 * left for a later run.
 */
export function tidyOutput(outdir: string, options: Pick<PublishOptions, 'warn' | 'kind'>): void {
  const parent = path.dirname(outdir);
  const current = currentTree(outdir);
  let entries: string[];
  try {
    entries = fs.readdirSync(parent);
  } catch {
    return;
  }
  removeStaleLockAttempts(outdir);
  for (const name of entries) {
    const full = path.join(parent, name);
    if (full === current) continue;
    const purpose = purposeOf(outdir, name);
    if (purpose === 'link') {
      if (fs.lstatSync(full).isSymbolicLink()) removeQuietly(full, outdir, options.warn);
    } else if (purpose === 'trash') {
      fs.rmSync(full, { recursive: true, force: true });
    } else if (purpose) {
      tidyTree(full, current, outdir, options.warn);
    } else {
      removeLegacyScratch(outdir, name, options);
    }
  }
}

function tidyTree(tree: string, current: string | undefined, outdir: string, warn: (line: string) => void): void {
  const marker = readMarker(tree);
  if (!marker) {
    // Incomplete: ours only if it carries our staging marker, and removable only once its process is gone. An empty
    // directory with our name is one a run was killed in before it could write that marker (no one else's files are
    // lost by removing it; runs that write beside this output hold its lock, as this one does).
    const owner = stagingOwnerOf(tree);
    if (owner !== undefined && !identityRunning(owner)) removeQuietly(tree, outdir, warn);
    else if (owner === undefined && fs.readdirSync(tree).length === 0) fs.rmdirSync(tree);
    return;
  }
  // A complete tree with no current one to carry its user files into is kept for the next publish.
  if (!current) return;
  const users = processesWorkingIn(tree);
  if (users.length > 0) {
    warn(`Warning: kept ${tree}: process ${users.join(', ')} is working in it; the next synth moves its files on and removes it`);
    return;
  }
  if (carryUserFiles(tree, new Set(marker.files), current, outdir, warn)) removeQuietly(tree, outdir, warn);
}

/** Scratch directories of versions before generations (`<outdir>.staging-<pid>` …), if they hold only their files. */
function removeLegacyScratch(outdir: string, name: string, options: Pick<PublishOptions, 'warn' | 'kind'>): void {
  const legacy = new RegExp(`^${escapeRegExp(path.basename(outdir))}\\.(staging|evidence|synth|previous)-(\\d+)$`).exec(name);
  if (!legacy || Number(legacy[2]) > MAX_PID || isRunning(Number(legacy[2]))) return;
  const full = path.join(path.dirname(outdir), name);
  try {
    if (listFiles(full).every((file) => LEGACY_OWNED[options.kind].test(file.split(path.sep).join('/')))) removeQuietly(full, outdir, options.warn);
  } catch {
    // not a readable directory of ours: leave it
  }
}

/** The tree the output path shows: the generation a link points to, or the output directory itself if it is ours. */
export function currentTree(outdir: string): string | undefined {
  try {
    if (fs.lstatSync(outdir).isSymbolicLink()) return path.resolve(path.dirname(outdir), fs.readlinkSync(outdir));
    return readMarker(outdir) ? outdir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The tree at the output path moves aside to become an old generation. An unmarked tree of an earlier version gets its
 * marker (listing only the files that version wrote) first, so a kill before the rename leaves it recognised as ours.
 */
function setAside(outdir: string, kind: OutputKind): string {
  if (!readMarker(outdir)) writeMarker(outdir, kind, listFiles(outdir).filter((file) => LEGACY_OWNED[kind].test(file.split(path.sep).join('/'))));
  const aside = besideOutputPath(outdir, 'gen', `previous-${uniqueId()}`);
  fs.renameSync(outdir, aside);
  return aside;
}

/** Moves every file or folder of `from` that we did not write into `into`; false when something could not be moved. */
function carryUserFiles(from: string, ours: ReadonlySet<string>, into: string, outdir: string, warn: (line: string) => void): boolean {
  // Every folder that holds a file we wrote, computed once (not a scan of all files per folder).
  const ourFolders = new Set([...ours].flatMap((file) => file.split(path.sep).slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join(path.sep))));
  const oursOrBelow = (relative: string) => ours.has(relative) || ourFolders.has(relative);
  const kept = new Map<string, number>();
  let complete = true;
  const walk = (relative: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(from, relative), { withFileTypes: true });
    } catch (error) {
      complete = false;
      warn(`Warning: could not read ${path.join(from, relative)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); it stays where it is`);
      return;
    }
    for (const entry of entries) {
      const child = relative ? path.join(relative, entry.name) : entry.name;
      if (child === OUTPUT_MARKER || child === STAGING_MARKER) continue;
      if (entry.isDirectory() && oursOrBelow(child)) {
        walk(child);
        continue;
      }
      if (ours.has(child) || (entry.isDirectory() && listFiles(path.join(from, child)).length === 0)) continue;
      const destination = destinationOf(child, into);
      const removedStack = destination.startsWith(REMOVED_STACKS_FOLDER) ? destination.split(path.sep)[1] : undefined;
      try {
        const target = freePath(path.join(into, destination));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.renameSync(path.join(from, child), target);
        if (removedStack) kept.set(removedStack, (kept.get(removedStack) ?? 0) + (entry.isDirectory() ? listFiles(target).length : 1));
      } catch (error) {
        complete = false;
        warn(`Warning: could not carry ${path.join(from, child)} into the new output (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); it stays where it is`);
      }
    }
  };
  walk('');
  for (const [stack, count] of kept) warn(`Warning: stack ${stack} is no longer synthesized; ${count} file(s) in its directory that synth did not write were kept in ${path.join(path.basename(outdir), REMOVED_STACKS_FOLDER, stack)}`);
  return complete;
}

/** User files of a stack that is no longer synthesized go to removed-stacks/<stack>/, the rest keep their path. */
function destinationOf(relative: string, into: string): string {
  const [first, stack, ...rest] = relative.split(path.sep);
  if (first === 'stacks' && stack && !fs.existsSync(path.join(into, 'stacks', stack))) return path.join(REMOVED_STACKS_FOLDER, stack, ...rest);
  return relative;
}

/** The path unchanged if free, else with `.previous`, `.previous-2`, … appended: nothing is overwritten. */
function freePath(full: string): string {
  let candidate = full;
  for (let n = 1; fs.existsSync(candidate); n += 1) candidate = `${full}.previous${n > 1 ? `-${n}` : ''}`;
  return candidate;
}

/** Pids of processes whose working directory is inside `dir` (Linux /proc; elsewhere none are found). */
function processesWorkingIn(dir: string): number[] {
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const real = fs.realpathSync(dir);
  return pids.flatMap((pid) => {
    try {
      const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
      return cwd === real || isInside(cwd, real) ? [Number(pid)] : [];
    } catch {
      return [];
    }
  });
}

function stackNames(tree: string): string[] {
  try {
    return fs.readdirSync(path.join(tree, 'stacks'));
  } catch {
    return [];
  }
}

/**
 * Removes a tree of ours. It is renamed to a `.<base>.trash-<id>` name first (one atomic step), so a kill during the
 * deletion leaves a name the next run removes, never a half-deleted tree that has lost the marker saying it is ours.
 */
export function discardTree(dir: string, outdir: string): void {
  const trash = besideOutputPath(outdir, 'trash');
  try {
    fs.renameSync(dir, trash);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  fs.rmSync(trash, { recursive: true, force: true });
}

function removeQuietly(dir: string, outdir: string, warn: (line: string) => void): void {
  try {
    discardTree(dir, outdir);
  } catch (error) {
    warn(`Warning: could not remove ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); the next run tries again`);
  }
}
