/**
 * DynamoDB limits and the secure defaults of a table, in one place: SecureTable (TypeScript API) and the generated
 * plain Terraform modules (stacks/terraform-modules) both read them, so an HCL caller who omits an argument gets exactly what a
 * TypeScript caller who omits the prop gets.
 */

/** DynamoDB service limits, named so error messages and tests agree with AWS. */
export const MAX_GSI_COUNT = 20;
export const MAX_LSI_COUNT = 5;
export const MAX_PROJECTED_NON_KEY_ATTRIBUTES = 100;
export const MIN_NAME_LENGTH = 3;
export const MAX_NAME_LENGTH = 255;
export const MAX_PITR_DAYS = 35;
/** Key attribute names (and the TTL attribute) are 1 to 255 characters. */
export const MAX_KEY_NAME_LENGTH = 255;

/** Table and index names: letters, digits, `_`, `-` and `.` (RE2-compatible, so Terraform's `regex()` accepts it). */
export const NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;

export type ProjectionType = 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
export type StreamViewType = 'NEW_AND_OLD_IMAGES' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'KEYS_ONLY';
export type TableClass = 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';

export const PROJECTION_TYPES: readonly ProjectionType[] = ['ALL', 'KEYS_ONLY', 'INCLUDE'];
export const STREAM_VIEW_TYPES: readonly StreamViewType[] = ['NEW_AND_OLD_IMAGES', 'NEW_IMAGE', 'OLD_IMAGE', 'KEYS_ONLY'];
export const TABLE_CLASSES: readonly TableClass[] = ['STANDARD', 'STANDARD_INFREQUENT_ACCESS'];

/** What a table gets for every prop left out (dynamodb:002, 003, 013; dynamodb:001 has no default: a key is required). */
export const TABLE_DEFAULTS = {
  billingMode: 'PAY_PER_REQUEST',
  tableClass: 'STANDARD' as TableClass,
  streamViewType: 'NEW_AND_OLD_IMAGES' as StreamViewType,
  pointInTimeRecovery: true,
  pointInTimeRecoveryDays: MAX_PITR_DAYS,
  deletionProtection: true,
  projection: 'ALL' as ProjectionType,
  multiRegionConsistency: 'EVENTUAL',
} as const;
