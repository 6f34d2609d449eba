import * as path from 'path';

/**
 * The names synth and the module generator give their bookkeeping beside an output path `<dir>/<base>`:
 * `.<base>.gen-<id>` (a generation), `.<base>.evidence-<id>` and `.<base>.synth-<id>` (scratch), `.<base>.link-<id>`
 * (a link about to replace the output link), `.<base>.lock` and `.<base>.lock.break`. No output may be put there.
 */
export type ScratchPurpose = 'gen' | 'evidence' | 'synth' | 'link' | 'trash';

const INTERNAL = /^\..+\.((gen|evidence|synth|link|trash)-.+|lock(\.break)?|lock\.\d+\..+)$/;

export function isInternalName(name: string): boolean {
  return INTERNAL.test(name);
}

export function uniqueId(): string {
  return `${Date.now().toString(36)}-${process.pid}`;
}

/** The path beside the output for `purpose` (nothing is created). */
export function besideOutputPath(outdir: string, purpose: ScratchPurpose, id = uniqueId()): string {
  return path.join(path.dirname(outdir), `.${path.basename(outdir)}.${purpose}-${id}`);
}

/**
 * Which bookkeeping entry `name` is, for the output `outdir`, if any. Only names exactly as uniqueId() makes them
 * count: `.cdktf.out.synth-staging.gen-…` belongs to the neighbouring output `cdktf.out.synth-staging`, not to us.
 */
export function purposeOf(outdir: string, name: string): ScratchPurpose | undefined {
  const prefix = `.${path.basename(outdir)}.`;
  if (!name.startsWith(prefix)) return undefined;
  const match = /^(gen|evidence|synth|link|trash)-((previous|legacy)-)?[a-z0-9]+-\d+$/.exec(name.slice(prefix.length));
  return match ? (match[1] as ScratchPurpose) : undefined;
}
