/**
 * The plan-time preconditions (modules/preflight): each postcondition of every stack is evaluated by the real
 * `terraform console` on stand-in data shaped like the data source it reads: it holds for a compliant account and fails
 * for a bad value (a Region missing from the enabled ones, Terraform running as a principal no policy exempts).
 * The provider reads the real data only during a real plan; what is proven here is Terraform's own evaluation of the
 * very condition text that was synthesized.
 */
import * as fs from 'fs';
import * as path from 'path';
import { shippedCatalogs } from '../../stacks/catalogs/registry';
import { preconditionsOf, preflightHelpPage, PREFLIGHT_HELP_FILE } from '../../stacks/preflight/checklist';
import { ENVIRONMENT_NAMES } from '../../stacks/settings/types';
import { synthEnvironment } from '../support/synth';
import { mlPlatformCatalog } from '../../stacks/catalogs/ml-platform';
import { EXAMPLE_ENVIRONMENTS } from '../../stacks/settings/defaults';
import { evaluateInConsole, unwrapInterpolation } from '../support/terraform/console';

interface Postcondition {
  readonly condition: string;
  readonly error_message: string;
}

const evaluate = (locals: Record<string, unknown>, expressions: readonly string[]) => evaluateInConsole(locals, expressions) as boolean[];

/** `${contains(self.names, "x")}` → `contains(local.<standin>.names, "x")`. */
const onStandIn = (condition: string, standIn: string) => unwrapInterpolation(condition).replace(/\bself\./g, `local.${standIn}.`);

const stacks = shippedCatalogs().flatMap((catalog) => ENVIRONMENT_NAMES.map((environment) => [`${catalog.name}-${environment}`, synthEnvironment(catalog, environment)] as const));

describe.each(stacks)('%s', (_stack, json) => {
  const regionChecks: Postcondition[] = json.data!.aws_regions.preflight_enabled_regions.lifecycle.postcondition;
  const regionsUsed = regionChecks.map((check) => /"([a-z0-9-]+)"\)\}$/.exec(check.condition)![1]);
  const sessionCheck: Postcondition = json.data!.aws_iam_session_context.preflight_deployer_session.lifecycle.postcondition[0];
  const exempt = JSON.parse(/contains\((\[.*\]), self\.issuer_arn\)/.exec(sessionCheck.condition)![1]) as string[];

  test('every Region it uses is checked: the condition holds when all are enabled and fails for each one that is not', () => {
    expect(regionsUsed.length).toBeGreaterThan(0);
    const locals: Record<string, unknown> = { enabled: { names: [...regionsUsed, 'us-west-1'] } };
    regionsUsed.forEach((region, i) => (locals[`without_${i}`] = { names: regionsUsed.filter((other) => other !== region) }));
    const expressions = [...regionChecks.map((check) => onStandIn(check.condition, 'enabled')), ...regionChecks.map((check, i) => onStandIn(check.condition, `without_${i}`))];
    expect(evaluate(locals, expressions)).toEqual([...regionChecks.map(() => true), ...regionChecks.map(() => false)]);
    regionChecks.forEach((check, i) => expect(check.error_message).toContain(`Region ${regionsUsed[i]} `));
  });

  test('Terraform must run as a principal the table policies exempt: a deployer passes, another role fails', () => {
    const account = exempt[0].split(':')[4];
    const locals = { deployer: { issuer_arn: exempt[0] }, other: { issuer_arn: `arn:aws:iam::${account}:role/someone-else` } };
    expect(evaluate(locals, [onStandIn(sessionCheck.condition, 'deployer'), onStandIn(sessionCheck.condition, 'other')])).toEqual([true, false]);
  });
});

test('auditflow-prod checks its opt-in backup copy Region ap-south-2 before anything changes', () => {
  const json = stacks.find(([stack]) => stack === 'auditflow-prod')![1];
  const messages = json.data!.aws_regions.preflight_enabled_regions.lifecycle.postcondition.map((check: Postcondition) => check.error_message);
  expect(messages).toContain('Region ap-south-2 (the backup copy vault) is not enabled in account 333333333333: enable it (aws account enable-region --region-name ap-south-2) and plan again once aws account get-region-opt-status --region-name ap-south-2 says ENABLED. Nothing was changed.');
});

describe('the preflight checklist (npm run preflight, help/preflight.md)', () => {
  const byStack = new Map<string, (typeof stacks)[number][1]>(stacks);

  test('help/preflight.md is the checklist of the example stacks (regenerate: npm run synth && npm run preflight -- --help-page)', () => {
    const page = fs.readFileSync(path.join(__dirname, '../..', PREFLIGHT_HELP_FILE), 'utf8');
    expect(page).toBe(preflightHelpPage([...stacks].sort((a, b) => (a[0] < b[0] ? -1 : 1))));
  });

  test('by-hand checks appear exactly where no data source can check: backup copies, governance without a trail', () => {
    const manual = (stack: string) => preconditionsOf(byStack.get(stack)!).filter((p) => p.checkedBy === 'manual').map((p) => p.what.split(' ').slice(0, 3).join(' '));
    expect(manual('auditflow-prod')).toEqual(["AWS Backup's advanced"]);
    expect(manual('auditflow-dev')).toEqual([]);
    // Governance in dev gets the stack's trail (monitoring.managementTrail 'create', the default)...
    expect(manual('ml-platform-dev')).toEqual([]);
    const dev = byStack.get('ml-platform-dev')!.resource!;
    expect(Object.keys(dev.aws_cloudtrail ?? {})).toEqual(['observability_audit_trail']);
    // Management events only, into its bucket: no data events, no log group, no metric filters (dev keeps auditTrail
    // off). The only trail of its account and Region, so it records the read calls too (the free first copy).
    const trail = dev.aws_cloudtrail.observability_audit_trail;
    expect([trail.advanced_event_selector, trail.cloud_watch_logs_group_arn]).toEqual([[{ name: 'Management events', field_selector: [{ field: 'eventCategory', equals: ['Management'] }] }], undefined]);
    expect(dev.aws_cloudwatch_log_metric_filter).toBeUndefined();
    // Negative control: staging audits, with data events and its log group.
    const staging = byStack.get('ml-platform-staging')!.resource!;
    expect(staging.aws_cloudtrail.observability_audit_trail.advanced_event_selector).toHaveLength(2);
    // ...and relying on an existing trail instead makes it a check by hand.
    const relying = synthEnvironment(mlPlatformCatalog, 'dev', { monitoring: { ...EXAMPLE_ENVIRONMENTS.dev.monitoring, managementTrail: 'existing' } });
    expect(relying.resource!.aws_cloudtrail).toBeUndefined();
    expect(preconditionsOf(relying).filter((p) => p.checkedBy === 'manual').map((p) => p.what.split(' ').slice(0, 3).join(' '))).toEqual(['a CloudTrail trail']);
  });
});
