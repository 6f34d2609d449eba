/**
 * `cdktf synth --hcl` output of every stack passes the real `terraform validate` too, with no warning (references
 * unquoted), and is `terraform fmt`-clean: policies that contain Terraform references are rendered as heredocs
 * (modules/rendering), which cdktf's HCL writer would otherwise break.
 */
import * as fs from 'fs';
import * as path from 'path';
import { conditionBlocks, unquoteReferences } from '../../stacks/hcl-text';
import { terraformFmtCheck } from '../support/terraform/fmt';
import { expectTerraformValid, synthesizeEveryStack } from '../support/terraform/synthesized-stacks';

const { root, stackDirs } = synthesizeEveryStack(true);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('every synthesized stack as HCL passes terraform validate without warnings', () => {
  test.each(stackDirs)('%s', (_stack, dir) => expectTerraformValid(dir, 'cdk.tf', { noWarnings: true }));
});

test('every cdk.tf is terraform fmt-clean', () => {
  expect(terraformFmtCheck(path.join(root, 'out'))).toEqual({ status: 0, unformatted: [] });
});

test('conditionBlocks turns the list cdktf writes into blocks', () => {
  const written = 'data "x" "y" {\n  lifecycle {\n  postcondition = [\n{\ncondition = "${a}"\nerror_message = "m [1]"\n},\n{\ncondition = "${b}"\nerror_message = "n"\n},\n]\n  }\n}\n';
  expect(conditionBlocks(written)).toBe('data "x" "y" {\n  lifecycle {\n  postcondition {\ncondition = "${a}"\nerror_message = "m [1]"\n  }\n  postcondition {\ncondition = "${b}"\nerror_message = "n"\n  }\n  }\n}\n');
});

test('unquoteReferences removes the quotes of references only (negative control: the quoted form warns)', () => {
  const quoted = 'resource "x" "y" {\n  depends_on = [\n"aws_iam_role.a",\n"aws_iam_role.b[0]",\n]\n  provider = "aws.us_west_2"\n  name = "aws_iam_role.a"\n  lifecycle {\n    ignore_changes = ["global_secondary_index"]\n  }\n}\n';
  expect(unquoteReferences(quoted)).toBe('resource "x" "y" {\n  depends_on = [\naws_iam_role.a,\naws_iam_role.b[0],\n]\n  provider = aws.us_west_2\n  name = "aws_iam_role.a"\n  lifecycle {\n    ignore_changes = [global_secondary_index]\n  }\n}\n');
  const [, dir] = stackDirs.find(([, candidate]) => fs.readFileSync(path.join(candidate, 'cdk.tf'), 'utf8').includes('depends_on'))!;
  const file = path.join(dir, 'cdk.tf');
  const tidy = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, tidy.replace(/depends_on = \[\n(\s*)([a-z_.]+),/, 'depends_on = [\n$1"$2",'));
  try {
    expect(() => expectTerraformValid(dir, 'cdk.tf', { noWarnings: true })).toThrow(/Quoted references are deprecated/);
  } finally {
    fs.writeFileSync(file, tidy);
  }
});
