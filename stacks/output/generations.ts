import * as fs from 'fs';
import * as path from 'path';
import type { OutputKind, OutputState } from './guard';
import { isGenerationName } from './guard';
import { isRunning } from './lock';
import { listFiles, OUTPUT_MARKER, readMarker, writeMarker } from './marker';

/**
 * Output is published in generations: each run writes a complete new tree beside the output path
 * (`.cdktf.out.gen-<id>`), then switches the output path, a symbolic link, to it with one rename. A kill at any instant
 * leaves the link on either the old or the new tree, each complete with its manifest. Generations sit in the same
 * folder as the output path, so paths relative to a stack directory (local state `../../../terraform.<stack>.tfstate`)
 * resolve exactly as they would in a plain directory.
 */

/** Files a version before generations wrote (it left no marker); anything else in such a directory is the user's. */
const LEGACY_OWNED: Record<OutputKind, RegExp> = {
  synth: /^(manifest\.json|stacks\/[^/]+\/(cdk\.tf(\.json)?|compliance\.(md|json|sarif)|metadata\.json|assets\/.+))$/,
  'terraform-modules': /^(README\.md|dynamodb-[a-z-]+\/(main\.tf(\.json)?|README\.md)|examples\/(README\.md|[^/]+\/main\.tf))$/,
};

/** Where foreign files of a stack that is no longer part of the app are kept (never deleted). */
export const REMOVED_STACKS_FOLDER = 'removed-stacks';

export function uniqueId(): string {
  return `${Date.now().toString(36)}-${process.pid}`;
}

/** A fresh, empty directory beside the output path for `purpose` (a new generation, or scratch space). */
export function besideOutput(outdir: string, purpose: 'gen' | 'evidence' | 'synth' | 'link', id = uniqueId()): string {
  return path.join(path.dirname(outdir), `.${path.basename(outdir)}.${purpose}-${id}`);
}

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

/**
 * Marks `generation` complete and switches `outdir` to it with one rename. Returns the stack directories of the
 * generation it replaced. Carrying user files over and removing the old generation is `afterPublish`'s job.
 */
export function publishGeneration(outdir: string, state: OutputState, generation: string, kind: OutputKind): string[] {
  writeMarker(generation, kind, listFiles(generation));
  const previous = state.type === 'generation-link' ? state.generation : state.type === 'legacy-directory' ? adoptLegacyDirectory(outdir, kind) : undefined;
  const previousStacks = previous ? stackNames(previous) : [];
  if (state.type === 'empty-directory') fs.rmdirSync(outdir);
  const link = besideOutput(outdir, 'link');
  fs.symlinkSync(path.basename(generation), link);
  fs.renameSync(link, outdir);
  return previousStacks;
}

/** Once published: user files move into the new generation, old ones go, and (for the cdktf CLI) placeholders appear. */
export function afterPublish(outdir: string, generation: string, previousStacks: readonly string[], options: PublishOptions): void {
  tidyOutput(outdir, options);
  if (!options.leaveRemovedStackDirectories) return;
  const current = stackNames(generation);
  for (const stack of previousStacks.filter((name) => !current.includes(name))) fs.mkdirSync(path.join(generation, 'stacks', stack), { recursive: true });
}

/**
 * Removes what earlier runs left beside the output path: incomplete generations and scratch directories of killed
 * runs, and superseded generations, whose user files (Terraform's `.terraform`, saved plans) are first moved into the
 * current generation. Runs under the output lock, so nothing it finds is in use by another run of ours.
 */
export function tidyOutput(outdir: string, options: Pick<PublishOptions, 'warn'>): void {
  const parent = path.dirname(outdir);
  const base = path.basename(outdir);
  const current = currentGeneration(outdir);
  let entries: string[];
  try {
    entries = fs.readdirSync(parent);
  } catch {
    return;
  }
  for (const name of entries) {
    const full = path.join(parent, name);
    if (isGenerationName(outdir, name)) {
      if (full === current) continue;
      const marker = readMarker(full);
      // A complete generation with no current one to carry its user files into is kept for the next publish.
      if (marker && !current) continue;
      if (marker && current && !carryUserFiles(full, new Set(marker.files), current, options.warn)) continue;
      removeQuietly(full, options.warn);
    } else if (name.startsWith(`.${base}.evidence-`) || name.startsWith(`.${base}.synth-`) || name.startsWith(`.${base}.link-`)) {
      removeQuietly(full, options.warn);
    } else {
      // Scratch directories of versions before generations: `<outdir>.staging-<pid>` and the like.
      const legacy = new RegExp(`^${escapeRegExp(base)}\\.(staging|evidence|synth|previous)-(\\d+)$`).exec(name);
      if (legacy && !isRunning(Number(legacy[2]))) removeQuietly(full, options.warn);
    }
  }
}

/** The generation `outdir` links to, if it is such a link. */
export function currentGeneration(outdir: string): string | undefined {
  try {
    return path.resolve(path.dirname(outdir), fs.readlinkSync(outdir));
  } catch {
    return undefined;
  }
}

/**
 * A plain output directory of an earlier version becomes a generation: the marker (listing only the files that
 * version wrote) goes in first, so a kill before the rename leaves a directory that is still recognised as ours.
 */
function adoptLegacyDirectory(outdir: string, kind: OutputKind): string {
  if (!readMarker(outdir)) writeMarker(outdir, kind, listFiles(outdir).filter((file) => LEGACY_OWNED[kind].test(file.split(path.sep).join('/'))));
  const generation = besideOutput(outdir, 'gen', `legacy-${uniqueId()}`);
  fs.renameSync(outdir, generation);
  return generation;
}

/** Moves every file or folder of `from` that we did not write into `into`; false when something could not be moved. */
function carryUserFiles(from: string, ours: ReadonlySet<string>, into: string, warn: (line: string) => void): boolean {
  const oursOrBelow = (relative: string) => ours.has(relative) || [...ours].some((file) => file.startsWith(`${relative}${path.sep}`));
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
      if (child === OUTPUT_MARKER) continue;
      if (entry.isDirectory() && oursOrBelow(child)) {
        walk(child);
        continue;
      }
      if (ours.has(child)) continue;
      const destination = destinationOf(child, into);
      const removedStack = destination.startsWith(REMOVED_STACKS_FOLDER) ? destination.split(path.sep)[1] : undefined;
      try {
        const target = freePath(path.join(into, destination));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.renameSync(path.join(from, child), target);
        if (removedStack) kept.set(removedStack, (kept.get(removedStack) ?? 0) + 1);
      } catch (error) {
        complete = false;
        warn(`Warning: could not carry ${path.join(from, child)} into the new output (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); it stays where it is`);
      }
    }
  };
  walk('');
  for (const [stack, count] of kept) warn(`Warning: stack ${stack} is no longer synthesized; ${count} file(s) in its directory that synth did not write were kept in ${path.join(path.basename(into), REMOVED_STACKS_FOLDER, stack)}`);
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

function stackNames(generation: string): string[] {
  try {
    return fs.readdirSync(path.join(generation, 'stacks'));
  } catch {
    return [];
  }
}

function removeQuietly(dir: string, warn: (line: string) => void): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch (error) {
    warn(`Warning: could not remove ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); the next run tries again`);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
