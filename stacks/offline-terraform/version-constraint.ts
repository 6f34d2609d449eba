/**
 * Whether a Terraform version constraint (`~> 5.0`, `>= 6.0, < 7.0`, `6.25.0`) admits a version: Terraform's
 * constraint syntax (Terraform docs, "Version Constraints"), for the offline plan to say when the configuration asks
 * for a provider version other than the schema it plans with. Pre-release suffixes are ignored.
 */
export function admits(constraint: string, version: string): boolean {
  const wanted = parts(version);
  return constraint
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .every((item) => {
      const match = /^(=|!=|>=|<=|>|<|~>)?\s*v?(\d+(?:\.\d+){0,2})/.exec(item);
      if (!match) return true;
      const [, operator = '=', text] = match;
      const bound = parts(text);
      const order = compare(wanted, bound);
      switch (operator) {
        case '=':
          return order === 0;
        case '!=':
          return order !== 0;
        case '>':
          return order > 0;
        case '>=':
          return order >= 0;
        case '<':
          return order < 0;
        case '<=':
          return order <= 0;
        default: {
          // `~> 5.1` allows 5.1 up to (not including) 6.0; `~> 5.1.2` allows 5.1.2 up to 5.2.0.
          const given = text.split('.').length;
          const upper = given === 1 ? [bound[0] + 1, 0, 0] : given === 2 ? [bound[0] + 1, 0, 0] : [bound[0], bound[1] + 1, 0];
          return order >= 0 && compare(wanted, upper) < 0;
        }
      }
    });
}

function parts(text: string): number[] {
  const numbers = text.split('.').map(Number);
  return [numbers[0] ?? 0, numbers[1] ?? 0, numbers[2] ?? 0];
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i += 1) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
