import * as fs from 'fs';
import * as path from 'path';
import { renderRequirementsMatrix, REQUIREMENTS_MATRIX_FILE } from './matrix';

/**
 * Writes help/requirements.md from the compliance registry. With `--check`, writes nothing and exits 1 when the
 * committed file differs from what the registry generates.
 */
function main(argv: string[]): number {
  const file = path.resolve(__dirname, '..', '..', REQUIREMENTS_MATRIX_FILE);
  const expected = renderRequirementsMatrix();
  if (argv.includes('--check')) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (current === expected) return 0;
    console.error(`${REQUIREMENTS_MATRIX_FILE} is stale: run \`npm run docs:requirements\` and commit the result.`);
    return 1;
  }
  fs.writeFileSync(file, expected);
  console.log(`Wrote ${REQUIREMENTS_MATRIX_FILE}`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
