import { describe, isExpression, isTrue, parseReference, Reference, StackView } from './terraform';

/** What the artifact proves about a `kms_key_arn` value. */
export interface KeyEvidence {
  /** A customer-managed key (created here with rotation on, or an existing key given by ARN). */
  readonly ok: boolean;
  /** One clause for the finding's reason, e.g. `customer-managed key aws_kms_key.dynamodb_key (rotation on)`. */
  readonly detail: string;
  readonly fix?: string;
}

const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/((mrk-)?[0-9a-f-]{32,36})$/;
const ALIAS_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(alias\/.+)$/;
const KEY_ATTRIBUTES = ['arn', 'key_id', 'id'];

/**
 * Checks a `kms_key_arn`: a reference to an `aws_kms_key` / `aws_kms_replica_key` / `aws_kms_alias` /
 * `data.aws_kms_key` in the stack, or a literal key ARN. `expectedRegion` (when known) is the region the encrypted
 * data lives in; a key elsewhere cannot be used by DynamoDB.
 */
export function checkCustomerManagedKey(view: StackView, value: unknown, expectedRegion: string | undefined): KeyEvidence {
  const reference = parseReference(value);
  if (reference) return fromReference(view, reference, expectedRegion, 0);
  if (typeof value !== 'string' || value === '') return { ok: false, detail: 'no kms_key_arn is set', fix: 'set kms_key_arn to a customer-managed KMS key' };
  if (isExpression(value)) {
    return { ok: false, detail: `kms_key_arn ${describe(value)} is an expression whose value is not in the artifact`, fix: 'reference an aws_kms_key of the stack or give the key ARN literally' };
  }
  const key = KEY_ARN.exec(value);
  if (key) {
    const wrongRegion = regionProblem(key[1], expectedRegion, value);
    if (wrongRegion) return wrongRegion;
    return { ok: true, detail: `existing customer-managed key ${value} (rotation not verifiable from the artifact)` };
  }
  const alias = ALIAS_ARN.exec(value);
  if (alias) {
    if (alias[3].startsWith('alias/aws/')) return awsManaged(value);
    const wrongRegion = regionProblem(alias[1], expectedRegion, value);
    if (wrongRegion) return wrongRegion;
    return { ok: true, detail: `existing key behind alias ARN ${value} (key and rotation not verifiable from the artifact)` };
  }
  if (value.startsWith('alias/aws/')) return awsManaged(value);
  return { ok: false, detail: `kms_key_arn ${describe(value)} is not a KMS key ARN`, fix: 'use the key ARN (arn:aws:kms:<region>:<account>:key/<id>)' };
}

function awsManaged(value: string): KeyEvidence {
  return {
    ok: false,
    detail: `${value} is an AWS-managed key, not a customer-managed key`,
    fix: 'use a customer-managed key (modules/encryption DynamoDbKey, or an existing key ARN)',
  };
}

function regionProblem(keyRegion: string | undefined, expectedRegion: string | undefined, what: string): KeyEvidence | undefined {
  if (keyRegion === undefined || expectedRegion === undefined || keyRegion === expectedRegion) return undefined;
  return {
    ok: false,
    detail: `${what} is in ${keyRegion}, but the data is in ${expectedRegion}`,
    fix: `use a key in ${expectedRegion} (an aws_kms_replica_key of a multi-Region key, or a key with region = "${expectedRegion}")`,
  };
}

function fromReference(view: StackView, reference: Reference, expectedRegion: string | undefined, depth: number): KeyEvidence {
  const target = view.resolve(reference);
  const shown = `${reference.address}.${reference.attribute}`;
  if (!target) return { ok: false, detail: `${shown} refers to something that is not in this stack`, fix: 'reference a KMS key defined in the stack, or give the key ARN literally' };
  const config = target.config;
  const region = reference.mode === 'data' ? (typeof config.region === 'string' ? config.region : view.regionOf(config)) : view.regionOf(config);

  if (reference.mode === 'resource' && reference.type === 'aws_kms_key' && KEY_ATTRIBUTES.includes(reference.attribute)) {
    const wrongRegion = regionProblem(region, expectedRegion, target.address);
    if (wrongRegion) return wrongRegion;
    if (config.is_enabled === false) return { ok: false, detail: `${target.address} is disabled (is_enabled = false)`, fix: `enable ${target.address}` };
    if (!isTrue(config.enable_key_rotation)) {
      return {
        ok: false,
        detail: `customer-managed key ${target.address} has enable_key_rotation = ${describe(config.enable_key_rotation)}`,
        fix: `set enable_key_rotation = true on ${target.address} (modules/encryption DynamoDbKey does)`,
      };
    }
    return { ok: true, detail: `customer-managed key ${target.address} with automatic rotation (enable_key_rotation = true)` };
  }

  if (reference.mode === 'resource' && reference.type === 'aws_kms_replica_key' && KEY_ATTRIBUTES.includes(reference.attribute)) {
    const wrongRegion = regionProblem(region, expectedRegion, target.address);
    if (wrongRegion) return wrongRegion;
    if (config.enabled === false) return { ok: false, detail: `${target.address} is disabled (enabled = false)`, fix: `enable ${target.address}` };
    const primary = parseReference(config.primary_key_arn);
    if (primary && primary.type === 'aws_kms_key' && depth < 3) {
      const primaryEvidence = fromReference(view, primary, undefined, depth + 1);
      if (!primaryEvidence.ok) return { ok: false, detail: `${target.address} replicates ${primaryEvidence.detail}`, fix: primaryEvidence.fix };
      return { ok: true, detail: `customer-managed replica key ${target.address} of ${primary.address} (rotation on, shared with the primary key)` };
    }
    return { ok: true, detail: `customer-managed replica key ${target.address} (rotation follows its primary key ${describe(config.primary_key_arn)}, not verifiable from the artifact)` };
  }

  if (reference.mode === 'resource' && reference.type === 'aws_kms_alias' && depth < 3) {
    if (typeof config.name === 'string' && config.name.startsWith('alias/aws/')) return awsManaged(config.name);
    const keyReference = parseReference(config.target_key_id);
    if (keyReference) return fromReference(view, keyReference, expectedRegion, depth + 1);
    return checkCustomerManagedKey(view, config.target_key_id, expectedRegion);
  }

  if (reference.mode === 'data' && reference.type === 'aws_kms_key') {
    const keyId = config.key_id;
    if (typeof keyId === 'string' && (keyId.startsWith('alias/aws/') || /:alias\/aws\//.test(keyId))) return awsManaged(keyId);
    // A plan knows what the data source read: an AWS managed key, whatever alias or id named it.
    if (config.key_manager === 'AWS') return awsManaged(typeof keyId === 'string' ? keyId : target.address);
    const wrongRegion = regionProblem(region, expectedRegion, target.address);
    if (wrongRegion) return wrongRegion;
    return { ok: true, detail: `existing customer-managed key ${target.address} (key_id ${describe(keyId)}; rotation not verifiable from the artifact)` };
  }

  return { ok: false, detail: `${shown} is not a KMS key`, fix: 'reference an aws_kms_key (its arn) or give the key ARN literally' };
}
