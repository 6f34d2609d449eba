/** Where IAM reads a single value and a one-element list alike. */
const LIST_VALUED = new Set(['Action', 'NotAction', 'Resource', 'NotResource', 'AWS', 'Service', 'Federated']);

/**
 * A policy document in list form: every value IAM accepts as "one value or a list" becomes a list, condition values
 * included, so a document written with oneOrMany (TypeScript) and one written with Terraform lists compare equal.
 */
export function inListForm(document: unknown, inCondition = false): unknown {
  if (Array.isArray(document)) return document.map((item) => inListForm(item));
  if (!document || typeof document !== 'object') return document;
  return Object.fromEntries(
    Object.entries(document).map(([key, value]) => {
      if (key === 'Condition') {
        return [key, Object.fromEntries(Object.entries(value as Record<string, Record<string, unknown>>).map(([operator, pairs]) => [operator, Object.fromEntries(Object.entries(pairs).map(([name, v]) => [name, [v].flat()]))]))];
      }
      if (LIST_VALUED.has(key) && typeof value === 'string' && !(key === 'Principal')) return [key, [value]];
      return [key, inListForm(value, inCondition)];
    }),
  );
}
