import * as fs from 'fs';
import * as path from 'path';
import { afterPublish, createBesideOutput, discardTree, publishGeneration, tidyOutput } from './generations';
import { checkOutputDirectory, OutputKind, OutputSetting } from './guard';
import { withOutputLock } from './lock';

export { checkOutputDirectory, DEFAULT_OUTDIR, PROTECTED_FOLDERS } from './guard';
export type { OutputKind, OutputSetting } from './guard';
export { lockPathOf, DEFAULT_LOCK_WAIT_MS } from './lock';
export { OUTPUT_MARKER, STAGING_MARKER } from './marker';
export { REMOVED_STACKS_FOLDER, currentTree } from './generations';

export interface WriteOutputOptions {
  readonly setting: OutputSetting;
  /** Directory relative output paths start from; it and the project of the running code are protected. */
  readonly cwd: string;
  readonly kind: OutputKind;
  readonly warn: (line: string) => void;
  /** @default DEFAULT_LOCK_WAIT_MS */
  readonly lockWaitMs?: number;
  /** See PublishOptions.leaveRemovedStackDirectories. */
  readonly leaveRemovedStackDirectories?: boolean;
}

/** Gives the writer a new generation to fill and scratch directories beside it that are removed afterwards. */
export type OutputWriter<T> = (generation: string, scratch: (purpose: 'evidence' | 'synth') => string) => T;

/**
 * All or nothing, under the output directory's lock: refuses an unsafe output path, tidies what killed runs left,
 * lets `write` fill a new generation and publishes it in one step. When `write` throws, nothing is published and its
 * directories (and any parent folders this run created) are removed; `published` then stays false, which callers use
 * to say "nothing was written".
 */
export function writeOutput<T>(options: WriteOutputOptions, write: OutputWriter<T>, progress: { published: boolean } = { published: false }): { outdir: string; result: T } {
  const { outdir } = checkOutputDirectory(options.setting, options.cwd, options.kind);
  const createdParent = fs.mkdirSync(path.dirname(outdir), { recursive: true });
  try {
    return withOutputLock(outdir, () => writeLocked(outdir, options, write, progress), options.lockWaitMs);
  } finally {
    if (!progress.published && createdParent) removeEmptyParents(path.dirname(outdir), createdParent);
  }
}

function writeLocked<T>(outdir: string, options: WriteOutputOptions, write: OutputWriter<T>, progress: { published: boolean }): { outdir: string; result: T } {
  // Checked again under the lock: another run may have changed the path while this one waited.
  const { state } = checkOutputDirectory(options.setting, options.cwd, options.kind);
  tidyOutput(outdir, options);
  const generation = createBesideOutput(outdir, 'gen');
  const scratchDirs: string[] = [];
  try {
    const result = write(generation, (purpose) => {
      const dir = createBesideOutput(outdir, purpose);
      scratchDirs.push(dir);
      return dir;
    });
    const previousStacks = publishGeneration(outdir, state, generation, options.kind);
    progress.published = true;
    try {
      afterPublish(outdir, previousStacks, options);
    } catch (error) {
      options.warn(`Warning: the new output is complete, but tidying up after it failed: ${(error as Error).message}`);
    }
    return { outdir, result };
  } finally {
    if (!progress.published) discardTree(generation, outdir);
    for (const dir of scratchDirs) discardTree(dir, outdir);
  }
}

/** Removes `dir` and its parents up to and including `top` while they are empty (folders a failed run created). */
function removeEmptyParents(dir: string, top: string): void {
  for (let current = dir; current.startsWith(top); current = path.dirname(current)) {
    try {
      fs.rmdirSync(current);
    } catch {
      return;
    }
    if (current === top) return;
  }
}
