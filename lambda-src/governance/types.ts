/** What one invocation did, as returned by the handler, logged and published. Contains no item data and no event. */

export type Outcome =
  /** The table already met every guardrail; nothing was changed. */
  | 'compliant'
  /** At least one guardrail was applied; none failed. */
  | 'remediated'
  /** Naming violation; the table got the quarantine tag and deny-all statement. */
  | 'quarantined'
  /** Naming violation under `report-only`: reported, nothing changed. */
  | 'reported'
  /** The table was gone (deleted before or during enforcement): nothing left to govern, not an error. */
  | 'deleted'
  /** A well-formed event this function does not act on (another project, region or account, a failed CreateTable). */
  | 'ignored'
  /** A malformed event. */
  | 'rejected'
  /** At least one guardrail could not be applied (after bounded retries). */
  | 'failed';

export type Step =
  | 'wait-active'
  | 'resource-policy'
  | 'deletion-protection'
  | 'point-in-time-recovery'
  | 'tags'
  | 'encryption'
  | 'quarantine-tag'
  | 'quarantine-policy'
  | 'internal';

export interface StepFailure {
  readonly step: Step;
  /** `ErrorName: message` of the last attempt. */
  readonly error: string;
}

export interface GovernanceResult {
  readonly outcome: Outcome;
  /** EventBridge event id. */
  readonly eventId?: string;
  readonly tableName?: string;
  /** Why the event was ignored or rejected, or what is wrong with the table name. */
  readonly reason?: string;
  /** Changes made, e.g. `deletion-protection: enabled`. */
  readonly changes: readonly string[];
  /** Deviations left in place on purpose (never widening access); they need a human. */
  readonly findings: readonly string[];
  readonly failures: readonly StepFailure[];
  /** API calls retried after throttling or transient errors. */
  readonly retries: number;
  readonly durationMs: number;
}
