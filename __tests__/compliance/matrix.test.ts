import * as fs from 'fs';
import * as path from 'path';
import { renderRequirementsMatrix, REQUIREMENTS } from '../../modules/compliance';

describe('help/requirements.md', () => {
  const file = path.resolve(__dirname, '..', '..', 'help', 'requirements.md');

  test('equals the generator output (run `npm run docs:requirements` after changing the registry)', () => {
    expect(fs.readFileSync(file, 'utf8')).toBe(renderRequirementsMatrix());
  });

  test('has one matrix row per requirement with construct, rule, tests and mappings', () => {
    const rows = renderRequirementsMatrix()
      .split('\n')
      .filter((l) => l.startsWith('| **dynamodb:'));
    expect(rows).toHaveLength(REQUIREMENTS.length);
    expect(rows[1]).toBe(
      '| **dynamodb:002** Point-in-time recovery | `SecureTable` (`modules/table`) | `modules/compliance/rules/dynamodb-002.ts` | `__tests__/modules/table.test.ts`<br>`__tests__/compliance/rules/dynamodb-002.test.ts`<br>`__tests__/compliance/rules-on-synthesized-stacks.test.ts` | `DynamoDB.2` | `dynamodb-pitr-enabled` | `CKV_AWS_28` |',
    );
    expect(rows[2]).toContain('| `DynamoDB.6` | `dynamodb-table-deletion-protection-enabled` | none known |');
  });
});
