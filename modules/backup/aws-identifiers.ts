import { KMS_KEY_ARN } from '../encryption';
import { GuardrailError, isResolved } from '../validation';

/**
 * Checks of the identifiers every backup and observability construct takes (account, region, name prefix, key ARNs).
 * They are shared by modules/backup and modules/observability.
 */

export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
export const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
/** Lower-case letters, digits and single hyphens; it prefixes bucket, log group, alarm, vault and role names. */
export const NAME_PREFIX_PATTERN = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,31}$/;
export const MAX_NAME_PREFIX_LENGTH = 32;

export function validateAccountId(subject: string, field: string, accountId: string): void {
  if (!isResolved(accountId)) return;
  if (!ACCOUNT_ID_PATTERN.test(accountId)) {
    throw new GuardrailError(subject, field, accountId, 'must be a 12-digit AWS account id');
  }
}

export function validateRegion(subject: string, field: string, region: string): void {
  if (!isResolved(region)) return;
  if (!REGION_PATTERN.test(region)) {
    throw new GuardrailError(subject, field, region, "must be an AWS region code such as 'us-east-1' or 'ap-south-1'");
  }
}

export function validateNamePrefix(subject: string, field: string, prefix: string): void {
  if (!isResolved(prefix)) return;
  if (!NAME_PREFIX_PATTERN.test(prefix)) {
    throw new GuardrailError(subject, field, prefix, `must be 1 to ${MAX_NAME_PREFIX_LENGTH} lower-case letters, digits or single hyphens, starting and ending with a letter or digit (it prefixes bucket, vault, alarm and role names)`);
  }
}

/** A customer-managed key ARN; with `expectedRegion`, the key must also live in that region. */
export function validateKeyArn(subject: string, field: string, keyArn: string, expectedRegion?: string): void {
  if (!isResolved(keyArn)) return;
  if (!KMS_KEY_ARN.test(keyArn)) {
    throw new GuardrailError(subject, field, keyArn, 'must be a customer-managed KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); aliases and AWS-managed keys are not accepted');
  }
  const keyRegion = keyArn.split(':')[3];
  if (expectedRegion !== undefined && isResolved(expectedRegion) && keyRegion !== expectedRegion) {
    throw new GuardrailError(subject, field, keyArn, `the key must be in region '${expectedRegion}', not '${keyRegion}' (KMS keys cannot be used across regions)`);
  }
}

/** Tag keys and values as AWS accepts them (1–128 / 0–256 characters). */
export function validateTag(subject: string, field: string, key: string, value: string | undefined): void {
  if (isResolved(key) && (key.length < 1 || key.length > 128 || key.startsWith('aws:'))) {
    throw new GuardrailError(subject, field, key, "tag keys must be 1 to 128 characters and must not start with 'aws:'");
  }
  if (value !== undefined && isResolved(value) && value.length > 256) {
    throw new GuardrailError(subject, `${field}.value`, value, 'tag values must be at most 256 characters');
  }
}
