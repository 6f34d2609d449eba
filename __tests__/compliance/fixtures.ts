import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { DynamoDbKey, existingKey, TableKey } from '../../modules/encryption';
import { SecureTable, SecureTableProps } from '../../modules/table';
import { Finding, TerraformJson } from '../../modules/compliance';
import { synthConstructs } from '../support/synth';

/** Hand-written synthesized-JSON fixtures, shaped like cdktf output (blocks as objects or arrays, `${...}` refs). */

export const ACCOUNT = '333333333333';
export const REGION = 'us-east-1';
export const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

type Resources = Record<string, Record<string, Record<string, unknown>>>;

export function stackJson(resource: Resources, extra: { data?: Resources; region?: string; defaultTags?: Record<string, string>; providers?: Record<string, unknown>[] } = {}): TerraformJson {
  const provider = {
    region: extra.region ?? REGION,
    allowed_account_ids: [ACCOUNT],
    ...(extra.defaultTags ? { default_tags: [{ tags: extra.defaultTags }] } : {}),
  };
  return {
    '//': { metadata: { stackName: 'fixture', version: '0.21.0' } },
    provider: { aws: [provider, ...(extra.providers ?? [])] },
    resource,
    ...(extra.data ? { data: extra.data } : {}),
    terraform: { required_providers: { aws: { source: 'aws', version: '6.25.0' } } },
  };
}

/** A minimal compliant-looking table resource (as SecureTable would write it). */
export function tableResource(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '//': { metadata: { path: 'fixture/orders/table', uniqueId: 'orders' } },
    name: 'Orders',
    billing_mode: 'PAY_PER_REQUEST',
    hash_key: 'pk',
    attribute: [{ name: 'pk', type: 'S' }],
    server_side_encryption: { enabled: true, kms_key_arn: KEY_ARN },
    point_in_time_recovery: { enabled: true, recovery_period_in_days: 35 },
    deletion_protection_enabled: true,
    stream_enabled: true,
    stream_view_type: 'NEW_AND_OLD_IMAGES',
    ...overrides,
  };
}

export function policy(...statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

export function statusOf(findings: Finding[], resource: string): Finding['status'] | undefined {
  return findings.find((f) => f.resource === resource)?.status;
}

export function only(findings: Finding[]): Finding {
  if (findings.length !== 1) throw new Error(`expected one finding, got ${findings.length}: ${JSON.stringify(findings, null, 2)}`);
  return findings[0];
}

/** A real stack: a rotating DynamoDbKey and one SecureTable with the given options. */
export function synthSecureTable(props: Partial<SecureTableProps> = {}, key?: (scope: Construct) => TableKey): TerraformJson {
  return synthConstructs((stack: TerraformStack) => {
    const encryptionKey =
      key?.(stack) ??
      new DynamoDbKey(stack, 'dynamodb_key', { accountId: ACCOUNT, region: 'us-east-1', aliasName: 'alias/test-dynamodb' });
    new SecureTable(stack, 'orders', {
      tableName: 'Orders',
      partitionKey: { name: 'pk', type: 'S' },
      timeToLiveAttribute: 'expires_at',
      encryptionKey,
      ...props,
    });
  });
}

export { existingKey };
