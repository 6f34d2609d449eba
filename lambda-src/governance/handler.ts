/**
 * The governance handler, with every dependency injected (SDK client, notifier, clock, random, log writer), so the
 * same code runs in Lambda (see index.ts) and in tests against DynamoDB Local.
 *
 * `processGovernanceEvent` never throws: malformed events, unexpected errors and failed steps all become a result
 * object, which is logged, turned into EMF metrics and (when it needs a human) published. `createLambdaHandler` adds
 * one deliberate exception: a `failed` result is thrown as `GovernanceFailure` after it was reported, so Lambda's
 * asynchronous retries and then the dead-letter queue keep the event for a redrive (help/governance.md).
 */
import type { GovernanceConfig } from './config';
import { DynamoDbSender, EnforcementRun, TableGone, enforceGuardrails, quarantineTable, waitForActive } from './enforce';
import { parseCreateTableEvent } from './event';
import { classifyTableName } from './naming';
import { Notifier, notificationFor, shouldNotify } from './notify';
import { Clock, describeError, systemClock } from './retry';
import { LineWriter, Logger, metricsDocument, stdoutWriter } from './telemetry';
import type { GovernanceResult, Outcome } from './types';

export interface HandlerDependencies {
  readonly config: GovernanceConfig;
  readonly dynamodb: DynamoDbSender;
  readonly notifier: Notifier;
  /** @default the system clock */
  readonly clock?: Clock;
  /** Jitter source in [0, 1]. @default Math.random */
  readonly random?: () => number;
  /** Where log and EMF lines go. @default stdout */
  readonly write?: LineWriter;
}

type Summary = Omit<GovernanceResult, 'durationMs'>;

const empty = { changes: [], findings: [], failures: [], retries: 0 } as const;

export async function processGovernanceEvent(event: unknown, deps: HandlerDependencies): Promise<GovernanceResult> {
  const clock = deps.clock ?? systemClock;
  const write = deps.write ?? stdoutWriter;
  const logger = new Logger(write, () => clock.now());
  const started = clock.now();
  let summary: Summary;
  try {
    summary = await govern(event, deps, clock, logger);
  } catch (error) {
    // Defensive: govern() handles its own errors; anything reaching here is a bug, still reported, never thrown.
    summary = { outcome: 'failed', ...empty, failures: [{ step: 'internal', error: describeError(error) }] };
  }
  const result: GovernanceResult = { ...summary, durationMs: Math.max(0, clock.now() - started) };
  const project = `project-${deps.config.projectUuid}`;

  const fields = {
    eventId: result.eventId,
    tableName: result.tableName,
    outcome: result.outcome,
    reason: result.reason,
    changes: result.changes,
    findings: result.findings,
    failures: result.failures,
    retries: result.retries,
    durationMs: result.durationMs,
  };
  if (result.outcome === 'failed' || result.outcome === 'rejected') logger.error('governance event processed', fields);
  else if (result.findings.length > 0 || result.outcome === 'quarantined' || result.outcome === 'reported') logger.warn('governance event processed', fields);
  else logger.info('governance event processed', fields);

  let notificationFailed = false;
  if (shouldNotify(result)) {
    try {
      await deps.notifier.publish(notificationFor(result, project));
    } catch (error) {
      notificationFailed = true;
      logger.error('could not publish the notification', { eventId: result.eventId, tableName: result.tableName, error: describeError(error) });
    }
  }
  write(JSON.stringify(metricsDocument(deps.config.metricsNamespace, project, result, notificationFailed, clock.now())));
  return result;
}

async function govern(event: unknown, deps: HandlerDependencies, clock: Clock, logger: Logger): Promise<Summary> {
  const { config } = deps;
  const parsed = parseCreateTableEvent(event);
  if (!parsed.ok) {
    logger.error('malformed event rejected', { eventId: parsed.eventId, field: parsed.field, problem: parsed.problem });
    return { outcome: 'rejected', ...(parsed.eventId ? { eventId: parsed.eventId } : {}), reason: `${parsed.field} ${parsed.problem}`, ...empty };
  }
  const e = parsed.event;
  const ids = { eventId: e.eventId, tableName: e.tableName };
  const ignored = (reason: string): Summary => ({ outcome: 'ignored', ...ids, reason, ...empty });
  if (e.errorCode !== undefined) return ignored(`the CreateTable call failed (${e.errorCode}), so there is no table`);
  if (e.account !== config.accountId) return ignored(`the event is from account ${e.account}; this function governs ${config.accountId}`);
  if (e.region !== config.region) return ignored(`the event is from region ${e.region}; this function governs ${config.region}`);
  const isChange = e.eventName !== 'CreateTable';
  if (config.terraformTableNames.includes(e.tableName)) {
    return ignored('the table is managed by Terraform, whose guardrails and resource policy it keeps; the function never changes it');
  }
  if (e.creatorArn !== undefined && config.terraformPrincipalArns.includes(e.creatorArn)) {
    return ignored(`the ${isChange ? 'change was made' : 'table was created'} by a Terraform deployer principal; Terraform applies and owns its guardrails`);
  }
  // AWS services acting through their service-linked roles (Application Auto Scaling setting capacity) change no
  // guardrail; answering each of their calls would only cost invocations.
  if (isChange && e.creatorArn !== undefined && /:role\/aws-service-role\//.test(e.creatorArn)) {
    return ignored(`the ${e.eventName} call was made by an AWS service through its service-linked role`);
  }
  // A change by an exempt principal (a break-glass admin, this function itself) is deliberate: it is not undone.
  if (isChange && e.creatorArn !== undefined && config.exemptPrincipalArns.includes(e.creatorArn)) {
    return ignored(`the ${e.eventName} call was made by an exempt principal; deliberate changes are not undone`);
  }

  const verdict = classifyTableName(e.tableName, config.projectUuid);
  if (verdict.kind === 'out-of-scope') return ignored(`the table is not in project ${config.projectUuid} (prefix ${config.tablePrefix})`);
  const reason = verdict.kind === 'non-compliant' ? `the table name ${verdict.reason}` : undefined;
  if (verdict.kind === 'non-compliant' && config.quarantineAction === 'report-only') {
    return { outcome: 'reported', ...ids, reason: reason!, ...empty };
  }

  const run = new EnforcementRun({ config, dynamodb: deps.dynamodb, clock, random: deps.random ?? Math.random, logger, ...ids });
  const finish = (outcome: Outcome): Summary => ({
    outcome,
    ...ids,
    ...(reason !== undefined ? { reason } : {}),
    changes: run.changes,
    findings: run.findings,
    failures: run.failures,
    retries: run.retries,
  });
  try {
    let table;
    try {
      table = await waitForActive(run);
    } catch (error) {
      if (error instanceof TableGone) throw error;
      run.failures.push({ step: 'wait-active', error: describeError(error) });
      return finish('failed');
    }
    if (verdict.kind === 'non-compliant') {
      await quarantineTable(run, table);
      return finish(run.outcome('quarantined'));
    }
    await enforceGuardrails(run, table, e.requestedEncryption);
    return finish(run.outcome('compliant'));
  } catch (error) {
    if (error instanceof TableGone) return finish('deleted');
    run.failures.push({ step: 'internal', error: describeError(error) });
    return finish('failed');
  }
}

/** Thrown by the Lambda entry point for `failed` results, after they were logged, measured and published. */
export class GovernanceFailure extends Error {
  constructor(readonly result: GovernanceResult) {
    super(`governance enforcement failed for table ${result.tableName ?? '(unknown)'} (event ${result.eventId ?? '(unknown)'}): ${result.failures.map((f) => f.step).join(', ')}`);
    this.name = 'GovernanceFailure';
  }
}

export type GovernanceHandler = (event: unknown) => Promise<GovernanceResult>;

export function createLambdaHandler(deps: HandlerDependencies): GovernanceHandler {
  return async (event) => {
    const result = await processGovernanceEvent(event, deps);
    if (result.outcome === 'failed') throw new GovernanceFailure(result);
    return result;
  };
}
