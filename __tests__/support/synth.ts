import * as fs from 'fs';
import { App, TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Catalog } from '../../stacks/catalogs/types';
import { EnvironmentStack } from '../../stacks/environment-stack';
import { withoutTokenStackTraces } from '../../stacks/token-stack-traces';
import { EXAMPLE_ENVIRONMENTS } from '../../stacks/settings/defaults';
import { EnvironmentName, EnvironmentSettings } from '../../stacks/settings/types';

/** Synthesized Terraform JSON of one stack. */
export type TerraformJson = {
  resource?: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  output?: Record<string, any>;
  provider?: Record<string, any[]>;
  terraform?: Record<string, any>;
  [key: string]: unknown;
};

/** Runs `fn` with a Testing app and always removes the app's temporary outdir afterwards. */
export function withTestingApp<T>(fn: (app: App) => T): T {
  const app = Testing.app();
  try {
    // As synth does: under Jest every token's stack trace would be mapped through source maps.
    return withoutTokenStackTraces(() => fn(app));
  } finally {
    fs.rmSync(app.outdir, { recursive: true, force: true });
  }
}

/** Synthesizes a bare stack (with an AWS provider) populated by `build`; returns the parsed JSON. */
export function synthConstructs(build: (stack: TerraformStack) => void): TerraformJson {
  return withTestingApp((app) => {
    const stack = new TerraformStack(app, 'test');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    build(stack);
    return JSON.parse(Testing.synth(stack)) as TerraformJson;
  });
}

/** Synthesizes one catalog in one environment (example settings unless overridden). */
export function synthEnvironment(
  catalog: Catalog,
  environment: EnvironmentName,
  overrides: Partial<EnvironmentSettings> = {},
): TerraformJson {
  return withTestingApp((app) => {
    const stack = new EnvironmentStack(app, catalog, { ...EXAMPLE_ENVIRONMENTS[environment], ...overrides });
    return JSON.parse(Testing.synth(stack)) as TerraformJson;
  });
}

export function resourcesOfType(json: TerraformJson, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

export function onlyResource(json: TerraformJson, type: string): any {
  const all = Object.values(resourcesOfType(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}
