import * as fs from 'fs';
import * as path from 'path';
import type { OutputKind } from './guard';
import { ownIdentity } from './process-identity';

/**
 * Written last into every complete output generation: it says the directory is ours, which kind of output it is and
 * exactly which files we wrote. Everything else found in a generation (Terraform's `.terraform`, a saved plan) belongs
 * to the user and is carried over, never deleted. Its content depends only on the output, so two synths of the same
 * sources stay byte-identical.
 */
export const OUTPUT_MARKER = '.dynamodb-guardrails-output.json';

export interface OutputMarker {
  readonly tool: 'dynamodb-guardrails';
  readonly kind: OutputKind;
  /** Every file we wrote, relative to the generation, sorted. */
  readonly files: readonly string[];
}

export function writeMarker(generation: string, kind: OutputKind, files: readonly string[]): void {
  const marker: OutputMarker = { tool: 'dynamodb-guardrails', kind, files: [...files].sort() };
  // Whole or not at all (a rename): a marker cut short by a kill would make a finished tree look like no one's.
  const partial = path.join(generation, `${OUTPUT_MARKER}.partial`);
  fs.writeFileSync(partial, `${JSON.stringify(marker, null, 2)}\n`);
  fs.renameSync(partial, path.join(generation, OUTPUT_MARKER));
}

export function readMarker(generation: string): OutputMarker | undefined {
  try {
    const marker = JSON.parse(fs.readFileSync(path.join(generation, OUTPUT_MARKER), 'utf8'));
    if (marker?.tool !== 'dynamodb-guardrails' || !Array.isArray(marker.files) || !['synth', 'terraform-modules'].includes(marker.kind)) return undefined;
    return marker as OutputMarker;
  } catch {
    return undefined;
  }
}

/** Every file under `dir`, relative to it, sorted (directories themselves are not listed). */
export function listFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = relative ? path.join(relative, entry.name) : entry.name;
      if (entry.isDirectory()) walk(child);
      else files.push(child);
    }
  };
  walk('');
  return files.sort();
}

/**
 * Written first into every directory a run creates beside the output (a generation being written, scratch space):
 * the pid of the run. The next run removes such a directory only when that process is gone, and never a directory
 * without one of our two markers.
 */
export const STAGING_MARKER = '.dynamodb-guardrails-staging';

export function writeStagingMarker(dir: string): void {
  fs.writeFileSync(path.join(dir, STAGING_MARKER), `${ownIdentity()}\n`);
}

/** The identity (pid and start time) of the run that is (or was) writing `dir`, if it is one of ours. */
export function stagingOwnerOf(dir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dir, STAGING_MARKER), 'utf8').trim();
  } catch {
    return undefined;
  }
}
