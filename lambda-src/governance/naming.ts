/**
 * The `project-<uuid>-<suffix>` naming convention of seed 000. The suffix is lower-case words joined by single
 * hyphens (`user-sessions`, `model-metadata`), like every table name in the seed.
 */
import { TABLE_NAME_PATTERN } from './event';

export const SUFFIX_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export type NameVerdict =
  /** Follows the convention: govern it. */
  | { readonly kind: 'compliant'; readonly suffix: string }
  /** Has this project's prefix but breaks the convention: quarantine or report it. */
  | { readonly kind: 'non-compliant'; readonly reason: string }
  /**
   * Not this project's table (another project, or no project at all). The function's IAM role only covers
   * `table/project-<uuid>-*`, so it could not act on it anyway; it is logged and left alone.
   */
  | { readonly kind: 'out-of-scope' };

export function classifyTableName(tableName: string, projectUuid: string): NameVerdict {
  const prefix = `project-${projectUuid}-`;
  if (!tableName.startsWith(prefix)) return { kind: 'out-of-scope' };
  if (!TABLE_NAME_PATTERN.test(tableName)) return { kind: 'non-compliant', reason: 'is not a valid DynamoDB table name' };
  const suffix = tableName.slice(prefix.length);
  if (suffix.length === 0) return { kind: 'non-compliant', reason: `has no suffix after '${prefix}'` };
  if (!SUFFIX_PATTERN.test(suffix)) {
    return { kind: 'non-compliant', reason: `suffix '${suffix}' must be lower-case letters and digits in words joined by single hyphens (e.g. 'user-sessions')` };
  }
  return { kind: 'compliant', suffix };
}
