import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hermeticTerraformEnv, terraformBinary } from '../../../stacks/offline-terraform/terraform-cli';


/**
 * Evaluates each expression with the real `terraform console`, in a configuration that defines only `locals`, and
 * returns the results in order (through `jsonencode`, so numbers, strings, lists and null come back as JSON).
 */
export function evaluateInConsole(locals: Record<string, unknown>, expressions: readonly string[]): unknown[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-console-'));
  try {
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ locals }));
    const result = spawnSync(terraformBinary(), ['console'], { cwd: dir, input: `jsonencode([${expressions.join(', ')}])\n`, encoding: 'utf8', env: hermeticTerraformEnv({}) });
    if (result.status !== 0) throw new Error(`terraform console failed: ${result.stderr}`);
    return JSON.parse(JSON.parse(result.stdout.trim())) as unknown[];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `${expression}` → `expression`, for embedding a synthesized attribute in a console expression. */
export function unwrapInterpolation(value: string): string {
  return value.replace(/^\$\{(.*)\}$/s, '$1');
}
