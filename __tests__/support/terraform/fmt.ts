import { spawnSync } from 'child_process';
import * as path from 'path';
import { hermeticTerraformEnv, terraformBinary } from '../../../stacks/offline-terraform/terraform-cli';

/** `terraform fmt -check -recursive <dir>`: its exit code and the files it lists as not formatted (absolute). */
export function terraformFmtCheck(dir: string): { status: number | null; unformatted: string[] } {
  const check = spawnSync(terraformBinary(), ['fmt', '-check', '-recursive', '-no-color', dir], { encoding: 'utf8', env: hermeticTerraformEnv({}) });
  return { status: check.status, unformatted: check.stdout.split('\n').filter(Boolean).map((file) => path.resolve(file)) };
}

/** What `terraform fmt -` prints for `text`. */
export function terraformFmtStdin(text: string): string {
  return spawnSync(terraformBinary(), ['fmt', '-no-color', '-'], { input: text, encoding: 'utf8', env: hermeticTerraformEnv({}) }).stdout;
}
