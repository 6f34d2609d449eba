// node flavours/compare-outputs.mjs <cdktf output> <cdk-terrain output>
//
// The two flavours must synthesize the same Terraform. Allowed differences, and nothing else:
// - in each stack's cdk.tf.json, the CDK version in "//".metadata.version and the aws provider's required
//   source and version (the provider bindings pin their own hashicorp/aws: 6.25.0 for cdktf, 6.66.0 for CDK Terrain);
// - manifest.json's formatting and its CDK version (compared as JSON).
// Every other file (compliance reports included) must be byte-identical. Exit 0 when so, 1 with the differences.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const [left, right] = process.argv.slice(2).map((dir) => fs.realpathSync(dir));
if (!left || !right) {
  console.error('usage: node flavours/compare-outputs.mjs <cdktf output> <cdk-terrain output>');
  process.exit(2);
}

const filesOf = (dir) =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .filter((file) => !file.startsWith('.dynamodb-guardrails'))
    .sort();

const differences = [];

// What each flavour must write where they differ: the CDK version its package.json pins, and its binding's provider pin.
const require = createRequire(import.meta.url);
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const EXPECTED = [
  { cdk: require(path.join(root, 'package.json')).dependencies.cdktf, aws: { source: 'aws', version: '6.25.0' } },
  { cdk: require(path.join(root, 'flavours/cdk-terrain/package.json')).dependencies.cdktn, aws: { source: 'hashicorp/aws', version: '6.66.0' } },
];

/** The document without the parts allowed to differ, each checked to be exactly what its flavour writes. */
function withoutAllowedDifferences(file, json, side) {
  const expected = EXPECTED[side];
  const copy = structuredClone(json);
  const expect = (what, actual, wanted) => {
    if (JSON.stringify(actual) !== JSON.stringify(wanted)) differences.push(`${file}: ${what} is ${JSON.stringify(actual)}, expected ${JSON.stringify(wanted)}`);
  };
  if (file === 'manifest.json') {
    expect('the CDK version', copy.version, expected.cdk);
    delete copy.version;
    return copy;
  }
  expect('the CDK version', copy['//']?.metadata?.version, expected.cdk);
  if (copy['//']?.metadata) delete copy['//'].metadata.version;
  const aws = copy.terraform?.required_providers?.aws;
  expect('the aws provider requirement', aws && { source: aws.source, version: aws.version }, expected.aws);
  if (aws) {
    delete aws.source;
    delete aws.version;
  }
  return copy;
}

const leftFiles = filesOf(left);
const rightFiles = filesOf(right);
for (const file of new Set([...leftFiles, ...rightFiles])) {
  if (!leftFiles.includes(file) || !rightFiles.includes(file)) {
    differences.push(`${file}: only in the ${leftFiles.includes(file) ? 'cdktf' : 'cdk-terrain'} output`);
    continue;
  }
  const a = fs.readFileSync(path.join(left, file), 'utf8');
  const b = fs.readFileSync(path.join(right, file), 'utf8');
  if (a === b) continue;
  if (file.endsWith('.json') && (path.basename(file) === 'cdk.tf.json' || file === 'manifest.json')) {
    if (isDeepStrictEqual(withoutAllowedDifferences(file, JSON.parse(a), 0), withoutAllowedDifferences(file, JSON.parse(b), 1))) continue;
  }
  differences.push(`${file}: differs`);
}
if (differences.length > 0) {
  console.error(`The cdk-terrain output differs from the cdktf output beyond the CDK version and the provider pin:\n  ${differences.join('\n  ')}`);
  process.exit(1);
}
console.log(`Same Terraform from both flavours: ${leftFiles.length} files (the CDK version and the aws provider pin differ, as expected).`);
