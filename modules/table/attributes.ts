import { GuardrailError, isResolved } from '../validation';
import { MAX_KEY_NAME_LENGTH } from './defaults';

/** DynamoDB key attribute types: String, Number, Binary. */
export type AttributeType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  readonly name: string;
  readonly type: AttributeType;
}

/** A key attribute together with the place it is used, so conflicts can be explained. */
export interface KeyUse {
  readonly attribute: KeyAttribute;
  readonly role: string;
}

export const ATTRIBUTE_TYPES: readonly AttributeType[] = ['S', 'N', 'B'];

/**
 * Attribute definitions are exactly the key attributes of the table and its indexes, each once. Listing any other
 * attribute (or the same attribute with two types) is the most common DynamoDB apply-time error, so users never
 * write them: we derive them here and reject conflicting types up front.
 */
export function deriveAttributeDefinitions(subject: string, uses: KeyUse[]): KeyAttribute[] {
  const byName = new Map<string, KeyUse>();
  for (const use of uses) {
    const { name, type } = use.attribute;
    if (isResolved(name) && (name.length === 0 || name.length > MAX_KEY_NAME_LENGTH)) {
      throw new GuardrailError(subject, 'key attribute name', name, `${use.role} needs a name of 1 to ${MAX_KEY_NAME_LENGTH} characters`);
    }
    if (!ATTRIBUTE_TYPES.includes(type)) {
      throw new GuardrailError(subject, `type of key attribute '${name}'`, type, `${use.role} must have type S (string), N (number) or B (binary)`);
    }
    const earlier = byName.get(name);
    if (earlier && earlier.attribute.type !== type) {
      throw new GuardrailError(
        subject,
        `type of key attribute '${name}'`,
        type,
        `${use.role} uses '${name}' with type ${type}, but ${earlier.role} defines it as ${earlier.attribute.type}; an attribute has one type per table`,
      );
    }
    if (!earlier) byName.set(name, use);
  }
  return [...byName.values()].map((use) => ({ name: use.attribute.name, type: use.attribute.type }));
}
