import { GuardrailError } from '../modules/validation';
import { environmentVariable, settingNames } from './settings/load';
import { EnvironmentName } from './settings/types';

/** A stack's `cdk.tf.json`, parsed: its sections by block type and name. */
export type SynthesizedStack = Record<string, Record<string, Record<string, unknown>> | undefined>;

/** An ARN with an account id: `arn:<partition>:<service>:<region>:<account>:`. */
const ACCOUNT_ARN = /arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):[^"\\]*/g;

/**
 * The last line of defence behind the settings checks: an ARN of another account in a stack's resources, data sources
 * or provider (a principal a policy exempts, a key, an endpoint) names a principal that is not the one meant, or a key
 * nobody can use. Each stack works inside the one account its provider is pinned to; accounts listed in the
 * environment's `trustedAccountIds` (a CI or identity account that assumes roles, a central alarm topic) are accepted.
 * The state backend is not scanned: the state bucket and its key usually live in a tooling account.
 */
export function requireOwnAccountArns(json: SynthesizedStack, stack: string, environment: EnvironmentName, accountId: string, trustedAccountIds: readonly string[]): void {
  const blocks: Array<[string, unknown]> = [
    ...(['resource', 'data'] as const).flatMap((section) =>
      Object.entries(json[section] ?? {}).flatMap(([type, entries]) => Object.entries(entries as Record<string, unknown>).map(([name, body]): [string, unknown] => [`${section === 'data' ? 'data.' : ''}${type}.${name}`, body])),
    ),
    ...Object.entries(json.provider ?? {}).map(([name, body]): [string, unknown] => [`provider.${name}`, body]),
  ];
  for (const [address, body] of blocks) {
    for (const match of JSON.stringify(body).matchAll(ACCOUNT_ARN)) {
      if (match[1] === accountId || trustedAccountIds.includes(match[1])) continue;
      throw new GuardrailError(
        `stack ${stack}`,
        address,
        match[0],
        `is in account ${match[1]}, but the stack deploys to account ${accountId} (${settingNames(environment, 'accountId', environmentVariable(environment, 'ACCOUNT_ID'))}); build the ARN from the stack's account in the catalog, or list ${match[1]} in environments.${environment}.trustedAccountIds (or ${environmentVariable(environment, 'TRUSTED_ACCOUNT_IDS')}) if it belongs there`,
      );
    }
  }
}
