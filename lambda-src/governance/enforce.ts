/**
 * The guardrails applied to one table. Every step reads the current state first and changes only what differs, so
 * a second run (duplicate event, Lambda retry, DLQ redrive) changes nothing. Steps are independent: one failing step
 * is recorded and the others still run. A table that disappears (ResourceNotFoundException) ends the run as
 * "deleted", which is not an error.
 */
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  GetResourcePolicyCommand,
  ListTagsOfResourceCommand,
  PutResourcePolicyCommand,
  TagResourceCommand,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
  type DynamoDBClient,
  type SSEDescription,
  type TableDescription,
  type Tag,
} from '@aws-sdk/client-dynamodb';
import { projectTableResourcePolicy } from '../../modules/access/project-template';
import type { PolicyDocument } from '../../modules/access/policy-document';
import type { GovernanceConfig } from './config';
import type { RequestedEncryption } from './event';
import { CurrentPolicy, planResourcePolicy, quarantinePolicy } from './policy';
import { ACTIVE_WAIT_POLICY, Clock, backoffDelay, classifyError, describeError, withRetries } from './retry';
import type { Logger } from './telemetry';
import type { Outcome, Step, StepFailure } from './types';

/** The one method of the SDK client the handler uses; tests wrap a real client pointed at DynamoDB Local. */
export type DynamoDbSender = Pick<DynamoDBClient, 'send'>;

export const PITR_RECOVERY_DAYS = 35;
/** DynamoDB allows 50 tags per resource. */
export const MAX_TAGS_PER_TABLE = 50;
export const QUARANTINE_TAG_KEY = 'GovernanceQuarantine';
export const QUARANTINE_TAG_VALUE = 'naming-convention';
/**
 * CloudTrail reports CreateTable after the call returned, so the table exists; DescribeTable is eventually
 * consistent, though. A table not found for this long after the first look was deleted before we got to it.
 */
export const NOT_FOUND_GRACE_MS = 10_000;
/** Re-reads of a resource policy that changed between GetResourcePolicy and the conditional PutResourcePolicy. */
const POLICY_WRITE_ATTEMPTS = 3;

export interface EnforcementContext {
  readonly config: GovernanceConfig;
  readonly dynamodb: DynamoDbSender;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
  readonly eventId: string;
  readonly tableName: string;
}

/** Raised when the table is gone; ends the run with outcome "deleted". */
export class TableGone extends Error {
  constructor() {
    super('the table no longer exists');
    this.name = 'TableGone';
  }
}

/** The state of one run: what changed, what was found, what failed. */
export class EnforcementRun {
  readonly changes: string[] = [];
  readonly findings: string[] = [];
  readonly failures: StepFailure[] = [];
  retries = 0;
  readonly startedAt: number;
  /** One waiting budget for the whole run (every wait for ACTIVE shares it), so timeout ≥ wait + margin holds. */
  readonly waitDeadline: number;

  constructor(readonly context: EnforcementContext) {
    this.startedAt = context.clock.now();
    this.waitDeadline = this.startedAt + context.config.maxWaitSeconds * 1000;
  }

  /** One API call with bounded retries; ResourceNotFoundException becomes TableGone. */
  async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    const { clock, random, logger, eventId, tableName } = this.context;
    try {
      return await withRetries(operation, fn, {
        clock,
        random,
        onRetry: (op, error, delayMs) => {
          this.retries += 1;
          logger.warn('retrying after a transient error', { eventId, tableName, operation: op, error: errorName(error), delayMs });
        },
      });
    } catch (error) {
      if (classifyError(error) === 'not-found') throw new TableGone();
      throw error;
    }
  }

  /** Runs a step; its failure is recorded, TableGone ends the run. */
  async step(step: Step, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      if (error instanceof TableGone) throw error;
      this.failures.push({ step, error: describeError(error) });
    }
  }

  outcome(success: Outcome): Outcome {
    if (this.failures.length > 0) return 'failed';
    if (success === 'compliant' && this.changes.length > 0) return 'remediated';
    return success;
  }
}

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string' ? (error as { name: string }).name : 'Error';
}

/** Polls DescribeTable with bounded exponential backoff until the table is ACTIVE. */
export async function waitForActive(run: EnforcementRun): Promise<TableDescription> {
  const { dynamodb, clock, random, tableName } = run.context;
  const deadline = run.waitDeadline;
  let seen = false;
  for (let poll = 0; ; poll += 1) {
    let table: TableDescription | undefined;
    try {
      table = (await run.call('DescribeTable', () => dynamodb.send(new DescribeTableCommand({ TableName: tableName })))).Table;
      seen = true;
    } catch (error) {
      if (!(error instanceof TableGone) || seen || clock.now() - run.startedAt >= NOT_FOUND_GRACE_MS) throw error;
    }
    const status = table?.TableStatus;
    if (status === 'ACTIVE') return table!;
    if (status === 'DELETING') throw new TableGone();
    if (status !== undefined && status !== 'CREATING' && status !== 'UPDATING') {
      throw new Error(`the table is ${status}; guardrails cannot be applied until it is ACTIVE`);
    }
    const now = clock.now();
    if (now >= deadline || poll + 1 >= ACTIVE_WAIT_POLICY.maxAttempts) {
      throw new Error(`the table was not ACTIVE after ${Math.round((now - run.startedAt) / 1000)} s (status ${status ?? 'not visible yet'})`);
    }
    await clock.sleep(Math.max(1, Math.min(backoffDelay(poll, ACTIVE_WAIT_POLICY, random), deadline - now)));
  }
}

/** Compliant names: resource policy first (it restricts access soonest), SSE last (it leaves the table UPDATING). */
export async function enforceGuardrails(run: EnforcementRun, table: TableDescription, requestedEncryption: RequestedEncryption): Promise<void> {
  const { config } = run.context;
  const arn = tableArnOf(run, table);
  const projectPolicy = projectTableResourcePolicy({
    accountId: config.accountId,
    projectUuid: config.projectUuid,
    vpcEndpointId: config.vpcEndpointId,
    vpcId: config.vpcId,
    exemptPrincipalArns: config.exemptPrincipalArns,
    partition: config.partition,
  });
  await run.step('resource-policy', () => ensureResourcePolicy(run, arn, projectPolicy, 'the project resource policy'));
  await run.step('deletion-protection', () => ensureDeletionProtection(run, table));
  await run.step('point-in-time-recovery', () => ensurePointInTimeRecovery(run));
  await run.step('tags', () => ensureTags(run, arn, config.requiredTags, 'tags'));
  await run.step('encryption', () => ensureEncryption(run, requestedEncryption));
}

/** Non-compliant names under `quarantine`: deny-all statement first, then the quarantine tag. */
export async function quarantineTable(run: EnforcementRun, table: TableDescription): Promise<void> {
  const arn = tableArnOf(run, table);
  await run.step('quarantine-policy', () => ensureResourcePolicy(run, arn, quarantinePolicy(run.context.config.exemptPrincipalArns), 'the quarantine deny-all statement'));
  await run.step('quarantine-tag', () => ensureTags(run, arn, { [QUARANTINE_TAG_KEY]: QUARANTINE_TAG_VALUE }, 'quarantine-tag'));
}

function tableArnOf(run: EnforcementRun, table: TableDescription): string {
  const { config, tableName } = run.context;
  return table.TableArn ?? `arn:${config.partition}:dynamodb:${config.region}:${config.accountId}:table/${tableName}`;
}

async function readResourcePolicy(run: EnforcementRun, arn: string): Promise<CurrentPolicy | undefined> {
  try {
    const output = await run.call('GetResourcePolicy', () => run.context.dynamodb.send(new GetResourcePolicyCommand({ ResourceArn: arn })));
    if (output.Policy === undefined) return undefined;
    return { policy: output.Policy, revisionId: output.RevisionId ?? '' };
  } catch (error) {
    if (classifyError(error) === 'policy-not-found') return undefined;
    throw error;
  }
}

async function ensureResourcePolicy(run: EnforcementRun, arn: string, desired: PolicyDocument, label: string): Promise<void> {
  for (let attempt = 1; attempt <= POLICY_WRITE_ATTEMPTS; attempt += 1) {
    const plan = planResourcePolicy(await readResourcePolicy(run, arn), desired);
    if (plan.kind === 'refuse') {
      run.findings.push(`resource-policy: ${plan.reason}`);
      return;
    }
    const skipped =
      plan.skippedAllows.length > 0
        ? `resource-policy: the table already had a policy; its statements were kept and ${plan.skippedAllows.join(', ')} of ${label} was not merged into it (allows are never added to someone else's policy)`
        : undefined;
    if (plan.kind === 'unchanged') {
      if (skipped) run.findings.push(skipped);
      return;
    }
    try {
      await run.call('PutResourcePolicy', () =>
        run.context.dynamodb.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: JSON.stringify(plan.document), ExpectedRevisionId: plan.expectedRevisionId })),
      );
      run.changes.push(plan.merged ? `resource-policy: added ${plan.added.join(', ')} to the existing policy` : `resource-policy: attached ${label}`);
      if (skipped) run.findings.push(skipped);
      return;
    } catch (error) {
      // Someone changed the policy since we read it: read it again rather than overwrite their change.
      if (classifyError(error) !== 'policy-not-found') throw error;
    }
  }
  throw new Error(`the resource policy changed during each of ${POLICY_WRITE_ATTEMPTS} update attempts`);
}

async function ensureDeletionProtection(run: EnforcementRun, table: TableDescription): Promise<void> {
  if (table.DeletionProtectionEnabled === true) return;
  const { dynamodb, tableName } = run.context;
  await run.call('UpdateTable', () => dynamodb.send(new UpdateTableCommand({ TableName: tableName, DeletionProtectionEnabled: true })));
  run.changes.push('deletion-protection: enabled');
}

async function ensurePointInTimeRecovery(run: EnforcementRun): Promise<void> {
  const { dynamodb, tableName } = run.context;
  const output = await run.call('DescribeContinuousBackups', () => dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: tableName })));
  const pitr = output.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
  const status = pitr?.PointInTimeRecoveryStatus;
  // RecoveryPeriodInDays is omitted by older API versions; the default period is 35 days.
  const days = pitr?.RecoveryPeriodInDays ?? PITR_RECOVERY_DAYS;
  if (status === 'ENABLED' && days >= PITR_RECOVERY_DAYS) return;
  await run.call('UpdateContinuousBackups', () =>
    dynamodb.send(
      new UpdateContinuousBackupsCommand({
        TableName: tableName,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: PITR_RECOVERY_DAYS },
      }),
    ),
  );
  run.changes.push(status === 'ENABLED' ? `point-in-time-recovery: recovery period raised from ${days} to ${PITR_RECOVERY_DAYS} days` : `point-in-time-recovery: enabled (${PITR_RECOVERY_DAYS} days)`);
}

async function listTags(run: EnforcementRun, arn: string): Promise<Map<string, string>> {
  const tags = new Map<string, string>();
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const output = await run.call('ListTagsOfResource', () => run.context.dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: arn, NextToken: token })));
    for (const tag of output.Tags ?? []) if (tag.Key !== undefined) tags.set(tag.Key, tag.Value ?? '');
    nextToken = output.NextToken;
  } while (nextToken);
  return tags;
}

/**
 * Adds the missing tags. Existing values are never overwritten: the creator may have set a more precise Owner or
 * CostCenter, and tags can feed ABAC conditions, where rewriting a value could grant access. A differing value is a
 * finding.
 */
async function ensureTags(run: EnforcementRun, arn: string, wanted: Readonly<Record<string, string>>, label: string): Promise<void> {
  const existing = await listTags(run, arn);
  const missing: Tag[] = [];
  for (const [key, value] of Object.entries(wanted)) {
    const current = existing.get(key);
    if (current === undefined) missing.push({ Key: key, Value: value });
    else if (current !== value) run.findings.push(`${label}: '${key}' is '${current}', expected '${value}' (existing values are never overwritten)`);
  }
  if (missing.length === 0) return;
  if (existing.size + missing.length > MAX_TAGS_PER_TABLE) {
    throw new Error(`adding ${missing.length} tag(s) would exceed DynamoDB's ${MAX_TAGS_PER_TABLE} tags per table (the table has ${existing.size})`);
  }
  await run.call('TagResource', () => run.context.dynamodb.send(new TagResourceCommand({ ResourceArn: arn, Tags: missing })));
  run.changes.push(`${label}: added ${missing.map((t) => t.Key).join(', ')}`);
}

export type EncryptionState =
  | { readonly kind: 'project-key' }
  | { readonly kind: 'aws-owned' }
  | { readonly kind: 'aws-managed'; readonly keyArn: string }
  | { readonly kind: 'other-customer-key'; readonly keyArn: string }
  | { readonly kind: 'in-progress'; readonly status: string };

/**
 * Which key encrypts the table. DescribeTable reports the AWS-managed key (`alias/aws/dynamodb`) and customer keys
 * alike as a key ARN, so the CreateTable request tells them apart: no key id (or that alias) means AWS-managed.
 */
export function encryptionState(sse: SSEDescription | undefined, projectKeyArn: string, requested: RequestedEncryption): EncryptionState {
  const keyArn = sse?.KMSMasterKeyArn;
  if (keyArn !== undefined && keyArn === projectKeyArn) return { kind: 'project-key' };
  if (sse?.Status === 'ENABLING' || sse?.Status === 'UPDATING') return { kind: 'in-progress', status: sse.Status };
  if (sse === undefined || sse.Status === 'DISABLED' || sse.Status === 'DISABLING' || sse.SSEType !== 'KMS' || keyArn === undefined) return { kind: 'aws-owned' };
  return requested === 'customer-key' ? { kind: 'other-customer-key', keyArn } : { kind: 'aws-managed', keyArn };
}

async function ensureEncryption(run: EnforcementRun, requested: RequestedEncryption): Promise<void> {
  const { dynamodb, tableName, config } = run.context;
  // Fresh state: the previous steps may have left the table UPDATING.
  const table = await waitForActive(run);
  const state = encryptionState(table.SSEDescription, config.kmsKeyArn, requested);
  switch (state.kind) {
    case 'project-key':
      return;
    case 'in-progress':
      run.findings.push(`encryption: an encryption change is already in progress (${state.status}); not changed`);
      return;
    case 'other-customer-key':
      run.findings.push(`encryption: the table uses the customer-managed key ${state.keyArn}, not the project key; left unchanged (switching keys could widen who can decrypt)`);
      return;
    case 'aws-owned':
    case 'aws-managed':
      await run.call('UpdateTable', () =>
        dynamodb.send(new UpdateTableCommand({ TableName: tableName, SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: config.kmsKeyArn } })),
      );
      run.changes.push(`encryption: switched from the ${state.kind === 'aws-owned' ? 'AWS-owned' : 'AWS-managed'} key to the project key`);
  }
}
