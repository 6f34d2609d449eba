import * as fs from 'fs';
import * as path from 'path';
import { locateResources, TERRAFORM_FILE } from '../modules/compliance/reports';
import { GuardrailError } from '../modules/validation';
import { environmentVariable, settingNames } from './settings/load';
import { EnvironmentName } from './settings/types';

/** An ARN with an account id: `arn:<partition>:<service>:<region>:<account>:`. */
const ACCOUNT_ARN = /arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):[^"\\]*/g;

/**
 * The last line of defence behind the settings checks: an ARN of another account anywhere in a stack (a principal a
 * policy exempts, a key, an endpoint) means a policy that names the wrong principal or a key nobody can use. Every
 * stack works inside the one account its provider is pinned to, so any other account id is an error.
 */
export function requireOwnAccountArns(stackDir: string, stack: string, environment: EnvironmentName, accountId: string): void {
  const text = fs.readFileSync(path.join(stackDir, TERRAFORM_FILE), 'utf8');
  for (const match of text.matchAll(ACCOUNT_ARN)) {
    if (match[1] === accountId) continue;
    const line = text.slice(0, match.index).split('\n').length;
    const address = [...locateResources(text)].filter(([, start]) => start <= line).pop()?.[0] ?? '(stack)';
    throw new GuardrailError(`stack ${stack}`, address, match[0], `is in account ${match[1]}, but the stack deploys to account ${accountId} (${settingNames(environment, 'accountId', environmentVariable(environment, 'ACCOUNT_ID'))}); change the catalog entry or setting that names this ARN`);
  }
}
