/**
 * The IAM policy grammar we generate and check, as plain data. Pure: no cdktf imports, so the governance Lambda can
 * bundle the policy builders that use these types.
 */

/** `{ "StringEquals": { "aws:SourceVpce": "vpce-…" } }` */
export type PolicyCondition = Record<string, Record<string, string | string[]>>;

export type PolicyPrincipal = '*' | { AWS: string | string[] } | { Service: string | string[] };

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: PolicyPrincipal;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: PolicyCondition;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export function policyDocument(statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/** A single value stays a string (as the seeds write it); several become a list. */
export function oneOrMany(values: readonly string[]): string | string[] {
  return values.length === 1 ? values[0] : [...values];
}

export function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Unique values in first-seen order. */
export function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/** What a cdktf token (`${TfToken[TOKEN.12]}`) is counted as: longer than the ARNs and ids we reference. */
export const TOKEN_LENGTH_ESTIMATE = 128;

/**
 * Length of a policy's JSON once Terraform has filled in the references: each cdktf token counts as
 * TOKEN_LENGTH_ESTIMATE characters, so size limits are checked at synth time even for policies with references.
 */
export function estimatedPolicyLength(json: string): number {
  return json.replace(/\$\{TfToken\[[^\]]*\]\}/g, 'x'.repeat(TOKEN_LENGTH_ESTIMATE)).length;
}
