/**
 * Structured JSON logs and CloudWatch Embedded Metric Format (EMF) documents, both written as single lines to
 * stdout. Writing to stdout directly (not console.log) keeps each line pure JSON: the Lambda runtime prefixes
 * console.log output with a timestamp and request id, and CloudWatch only extracts EMF metrics from log events that
 * are exactly one JSON object. Metrics therefore cost no API call.
 *
 * What is logged is fixed by the types below: table name, event ids, outcome, change/finding/failure summaries. Never
 * the event (it holds the caller's request parameters and identity), never item data (seed 001 §11).
 */
import type { GovernanceResult } from './types';

export type LineWriter = (line: string) => void;

export const stdoutWriter: LineWriter = (line) => {
  process.stdout.write(`${line}\n`);
};

export type LogLevel = 'INFO' | 'WARN' | 'ERROR';

/** The only fields a log line may carry. */
export interface LogFields {
  readonly eventId?: string;
  readonly cloudTrailEventId?: string;
  readonly tableName?: string;
  readonly outcome?: string;
  readonly reason?: string;
  readonly field?: string;
  readonly problem?: string;
  readonly operation?: string;
  readonly error?: string;
  readonly delayMs?: number;
  readonly changes?: readonly string[];
  readonly findings?: readonly string[];
  readonly failures?: GovernanceResult['failures'];
  readonly retries?: number;
  readonly durationMs?: number;
  readonly problems?: ReadonlyArray<{ readonly variable: string; readonly problem: string }>;
}

export class Logger {
  constructor(
    private readonly write: LineWriter,
    private readonly now: () => number,
  ) {}

  info(message: string, fields: LogFields = {}): void {
    this.log('INFO', message, fields);
  }

  warn(message: string, fields: LogFields = {}): void {
    this.log('WARN', message, fields);
  }

  error(message: string, fields: LogFields = {}): void {
    this.log('ERROR', message, fields);
  }

  private log(level: LogLevel, message: string, fields: LogFields): void {
    this.write(JSON.stringify({ timestamp: new Date(this.now()).toISOString(), level, service: 'dynamodb-governance', message, ...fields }));
  }
}

/** Metric names, all published with the single dimension `Project` = `project-<uuid>`. */
export const METRICS = {
  tablesEvaluated: 'TablesEvaluated',
  tablesCompliant: 'TablesCompliant',
  tablesRemediated: 'TablesRemediated',
  remediationActions: 'RemediationActions',
  tablesQuarantined: 'TablesQuarantined',
  namingViolations: 'NamingViolations',
  tablesDeleted: 'TablesDeletedBeforeEnforcement',
  eventsIgnored: 'EventsIgnored',
  malformedEvents: 'MalformedEvents',
  enforcementFailures: 'EnforcementFailures',
  findings: 'Findings',
  apiRetries: 'ApiRetries',
  notificationFailures: 'NotificationFailures',
  duration: 'EnforcementDuration',
} as const;

/**
 * One EMF document per invocation with every metric present (zeros included), so alarms on sums never see
 * missing data for a metric that simply did not happen.
 */
export function metricsDocument(namespace: string, project: string, result: GovernanceResult, notificationFailed: boolean, timestamp: number): Record<string, unknown> {
  const is = (outcome: GovernanceResult['outcome']): number => (result.outcome === outcome ? 1 : 0);
  const evaluated = result.outcome === 'rejected' || result.outcome === 'ignored' ? 0 : 1;
  const counts: Record<string, number> = {
    [METRICS.tablesEvaluated]: evaluated,
    [METRICS.tablesCompliant]: is('compliant'),
    [METRICS.tablesRemediated]: is('remediated'),
    [METRICS.remediationActions]: result.changes.length,
    [METRICS.tablesQuarantined]: is('quarantined'),
    [METRICS.namingViolations]: is('quarantined') + is('reported'),
    [METRICS.tablesDeleted]: is('deleted'),
    [METRICS.eventsIgnored]: is('ignored'),
    [METRICS.malformedEvents]: is('rejected'),
    [METRICS.enforcementFailures]: is('failed'),
    [METRICS.findings]: result.findings.length,
    [METRICS.apiRetries]: result.retries,
    [METRICS.notificationFailures]: notificationFailed ? 1 : 0,
  };
  return {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [['Project']],
          Metrics: [...Object.keys(counts).map((Name) => ({ Name, Unit: 'Count' })), { Name: METRICS.duration, Unit: 'Milliseconds' }],
        },
      ],
    },
    Project: project,
    ...counts,
    [METRICS.duration]: result.durationMs,
    ...(result.eventId !== undefined ? { eventId: result.eventId } : {}),
    outcome: result.outcome,
  };
}
