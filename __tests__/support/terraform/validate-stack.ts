import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { formatDiagnostic, terraformValidate } from './validate';
import { withoutTokenStackTraces } from '../../../stacks/token-stack-traces';

/**
 * Synthesizes one stack (an AWS provider in `region` plus what `build` adds) and runs the offline
 * `terraform validate` on it; returns the formatted diagnostics (empty when valid).
 */
export function validateConstructs(name: string, build: (stack: TerraformStack) => void, region = 'us-east-1'): string[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-validate-`));
  try {
    withoutTokenStackTraces(() => {
      const app = Testing.app({ outdir });
      const stack = new TerraformStack(app, name);
      new AwsProvider(stack, 'aws', { region });
      build(stack);
      app.synth();
    });
    return terraformValidate(path.join(outdir, 'stacks', name)).diagnostics.map(formatDiagnostic);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
