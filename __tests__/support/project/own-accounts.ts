import { catalogVariablePart } from '../../../stacks/settings/load';

/** A new user's own account ids (never the examples' 111111111111/222222222222/333333333333). */
export const OWN_ACCOUNTS = { DEV: '123456789012', STAGING: '234567890123', PROD: '345678901234' } as const;

/** GUARDRAILS_<ENV>_ACCOUNT_ID for OWN_ACCOUNTS. */
export const accountVariables = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(OWN_ACCOUNTS).map(([env, id]) => [`GUARDRAILS_${env}_ACCOUNT_ID`, id]));

/** A real-looking network per catalog and environment (17 hex digits, never the examples' form). */
export function networkVariables(catalogs: readonly string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  catalogs.forEach((catalog, c) =>
    Object.keys(OWN_ACCOUNTS).forEach((environment, e) => {
      const id = (kind: string, n: number) => `${kind}-0f1e2d3c4b5a697${((c * 3 + e) * 4 + n).toString(16).padStart(2, '0')}`;
      const prefix = `GUARDRAILS_${environment}_${catalogVariablePart(catalog)}`;
      env[`${prefix}_VPC_ID`] = id('vpc', 0);
      env[`${prefix}_ROUTE_TABLE_IDS`] = `${id('rtb', 1)},${id('rtb', 2)}`;
      env[`${prefix}_PRIVATE_SUBNET_IDS`] = `${id('subnet', 1)},${id('subnet', 2)},${id('subnet', 3)}`;
      env[`${prefix}_AVAILABILITY_ZONES`] = ['a', 'b', 'c'].map((zone) => `${catalog === 'auditflow' ? 'ap-south-1' : 'us-east-1'}${zone}`).join(',');
      env[`${prefix}_SECURITY_GROUP_IDS`] = id('sg', 3);
    }),
  );
  return env;
}
