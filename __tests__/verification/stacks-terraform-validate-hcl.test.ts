/**
 * `cdktf synth --hcl` output of every stack passes the real `terraform validate` too: policies that contain Terraform
 * references are rendered as heredocs (modules/rendering), which cdktf's HCL writer would otherwise break.
 */
import * as fs from 'fs';
import { expectTerraformValid, synthesizeEveryStack } from '../support/terraform/synthesized-stacks';

const { root, stackDirs } = synthesizeEveryStack(true);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('every synthesized stack as HCL passes terraform validate', () => {
  test.each(stackDirs)('%s', (_stack, dir) => expectTerraformValid(dir, 'cdk.tf'));
});
