import { checkCustomerManagedKey } from '../kms';
import { block, describe, isTrue, StackView } from '../terraform';
import { ComplianceRule, Finding, TerraformJson } from '../types';
import { compliant, forEachTable, nonCompliant } from './support';

const FIX_OWNED_KEY =
  'encrypt with a customer-managed key: server_side_encryption { enabled = true, kms_key_arn = <key ARN> } (SecureTable encryptionKey: a modules/encryption DynamoDbKey, or existingKey(<ARN>))';

/**
 * dynamodb:001 — every table is encrypted at rest with a customer-managed KMS key. A key created in the stack must
 * rotate; an existing key given by ARN is accepted, but its rotation cannot be seen in the artifact.
 */
export function evaluateDynamodb001(json: TerraformJson): Finding[] {
  const view = new StackView(json);
  return forEachTable('dynamodb:001', view, (table) => {
    const sse = block(table.config.server_side_encryption);
    if (!sse || !isTrue(sse.enabled)) {
      return nonCompliant(
        'dynamodb:001',
        table.address,
        `server_side_encryption.enabled = ${describe(sse?.enabled)}: the table is encrypted with an AWS-owned key`,
        FIX_OWNED_KEY,
      );
    }
    if (sse.kms_key_arn === undefined || sse.kms_key_arn === '') {
      return nonCompliant(
        'dynamodb:001',
        table.address,
        'server_side_encryption has no kms_key_arn: the table is encrypted with the AWS-managed key aws/dynamodb',
        FIX_OWNED_KEY,
      );
    }
    const key = checkCustomerManagedKey(view, sse.kms_key_arn, view.regionOf(table.config));
    if (!key.ok) return nonCompliant('dynamodb:001', table.address, `server_side_encryption.kms_key_arn: ${key.detail}`, key.fix ?? FIX_OWNED_KEY);
    return compliant('dynamodb:001', table.address, `encrypted at rest with ${key.detail}`);
  });
}

export const dynamodb001: ComplianceRule = { requirement: 'dynamodb:001', evaluate: evaluateDynamodb001 };
