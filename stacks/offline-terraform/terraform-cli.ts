/**
 * Running the terraform binary the same way everywhere offline (the offline plan, `terraform fmt` of HCL output, and
 * the tests' validate and console harnesses): which binary, and an environment no user setting leaks into.
 */

/** GUARDRAILS_TERRAFORM_BIN, else `terraform` on PATH. */
export const terraformBinary = (): string => process.env.GUARDRAILS_TERRAFORM_BIN ?? 'terraform';

/**
 * The process environment plus `extra`, without the CLI configuration file (a missing one makes Terraform warn on
 * every call; its credentials must not apply), prompts, HashiCorp's checkpoint calls, TF_CLI_ARGS* and TF_WORKSPACE.
 */
export function hermeticTerraformEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra, TF_CLI_CONFIG_FILE: '/dev/null', TF_INPUT: '0', TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
  for (const name of Object.keys(env)) if (name === 'TF_WORKSPACE' || name.startsWith('TF_CLI_ARGS')) delete env[name];
  return env;
}

/** The JSON objects of a `-json` run's output, one per line (other lines are skipped). */
export function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}
