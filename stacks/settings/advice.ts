import { DEFAULT_BREAK_GLASS_ROLES, DEFAULT_DEPLOYER_ROLES, EXAMPLE_ACCOUNT_IDS } from './defaults';
import { environmentVariable } from './load';
import { ENVIRONMENT_NAMES, EnvironmentName, EnvironmentSettings } from './types';

/**
 * Settings that are valid but probably not meant, once real accounts are set: each becomes one warning line (synth
 * carries on). With the example accounts nothing is said.
 */
export function settingsWarnings(settings: Record<EnvironmentName, EnvironmentSettings>): string[] {
  if (ENVIRONMENT_NAMES.every((name) => settings[name].accountId === EXAMPLE_ACCOUNT_IDS[name])) return [];
  const lines: string[] = [];
  for (const other of ['dev', 'staging'] as const) {
    if (settings[other].accountId === settings.prod.accountId) {
      lines.push(`Warning: ${other} and prod share account ${settings.prod.accountId}: allowed_account_ids can then no longer keep a ${other} plan out of prod (environments.${other}.accountId, ${environmentVariable(other, 'ACCOUNT_ID')})`);
    }
  }
  const local = ENVIRONMENT_NAMES.filter((name) => settings[name].backend.type === 'local');
  if (local.length > 0) lines.push(`Warning: ${local.join(', ')} keep${local.length === 1 ? 's' : ''} Terraform state in local files; set backend.type to 's3' or 'cloud' (or GUARDRAILS_BACKEND) to share and lock it`);
  const silent = (['staging', 'prod'] as const).filter((name) => settings[name].monitoring.alarmEmails.length === 0);
  if (silent.length > 0) lines.push(`Warning: ${silent.join(' and ')} alarms notify nobody by e-mail; set monitoring.alarmEmails (or ${silent.map((name) => environmentVariable(name, 'ALARM_EMAILS')).join(', ')}), or subscribe to the alarm topic another way`);
  const defaults = ENVIRONMENT_NAMES.filter((name) => sameList(settings[name].deployerRoles, DEFAULT_DEPLOYER_ROLES) && sameList(settings[name].breakGlassRoles, DEFAULT_BREAK_GLASS_ROLES));
  if (defaults.length > 0) lines.push(`Note: ${defaults.join(', ')} use${defaults.length === 1 ? 's' : ''} the default role names terraform-deployer and break-glass-admin, which table policies exempt; if yours differ, set deployerRoles and breakGlassRoles (or ${environmentVariable(defaults[0], 'DEPLOYER_ROLES')}, …_BREAK_GLASS_ROLES)`);
  return lines;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}
