import { Construct } from 'constructs';
import { TerraformElement, TerraformStack } from 'cdktf';

/**
 * Terraform addresses are what reviewers read in plans and what state is keyed by, so we derive them from the
 * construct path (without cdktf's hash suffix): `aws_dynamodb_table.documents`, `aws_kms_key.dynamodb_key`.
 * They never depend on options such as billing mode or index count, which keeps addresses stable.
 */
export function stableLogicalId(element: Construct, options: AddressOptions = {}): string {
  const stack = TerraformStack.of(element);
  const scopes = element.node.scopes.slice(stack.node.scopes.length);
  const segments = (options.primary ? scopes.slice(0, -1) : scopes).map((scope) => scope.node.id);
  return stableIdOf(segments.join('_'));
}

/** The Terraform name a construct id becomes: `audit-records` and `audit_records` both become `audit_records`. */
export function stableIdOf(id: string): string {
  return id
    .replace(/[^A-Za-z0-9_]/g, '_')
    .replace(/_+/g, '_')
    .replace(/^(\d)/, '_$1')
    .toLowerCase();
}

export interface AddressOptions {
  /** The construct's main resource takes its parent's name: `aws_kms_key.dynamodb_key`, not `dynamodb_key_key`. */
  readonly primary?: boolean;
}

/** Gives a Terraform element the address derived from its construct path. */
export function useStableAddress<T extends TerraformElement>(element: T, options: AddressOptions = {}): T {
  element.overrideLogicalId(stableLogicalId(element, options));
  return element;
}
