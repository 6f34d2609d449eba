/**
 * Bounded retries with exponential backoff. Time is injected (`Clock`, `random`) so tests run without real waiting.
 * The SDK client is created with `maxAttempts: 1`, so every retry happens here, is bounded here and is counted here.
 */

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

export interface BackoffPolicy {
  /** Attempts in total, including the first. */
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly multiplier: number;
}

/** Throttling, 5xx and "table busy" errors of a single API call. */
export const CALL_RETRY_POLICY: BackoffPolicy = { maxAttempts: 5, initialDelayMs: 200, maxDelayMs: 5_000, multiplier: 2 };
/** Polling DescribeTable until the table is ACTIVE; the total is also capped by the configured wait budget. */
export const ACTIVE_WAIT_POLICY: BackoffPolicy = { maxAttempts: 40, initialDelayMs: 1_000, maxDelayMs: 15_000, multiplier: 2 };

/**
 * Delay before retry number `retry` (0 for the first retry): exponential, capped, with "equal jitter" (half fixed,
 * half random) so concurrent invocations spread out but never retry immediately.
 */
export function backoffDelay(retry: number, policy: BackoffPolicy, random: () => number): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** retry);
  return Math.round(base / 2 + (base / 2) * Math.min(1, Math.max(0, random())));
}

export type ErrorKind = 'not-found' | 'policy-not-found' | 'retryable' | 'fatal';

const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  // The table is CREATING/UPDATING, or another control-plane change is running on it.
  'ResourceInUseException',
  // PITR right after CreateTable: "Backups are being enabled for the table".
  'ContinuousBackupsUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

export function classifyError(error: unknown): ErrorKind {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape;
  if (e.name === 'ResourceNotFoundException') return 'not-found';
  if (e.name === 'PolicyNotFoundException') return 'policy-not-found';
  if (typeof e.name === 'string' && RETRYABLE_NAMES.has(e.name)) return 'retryable';
  if (typeof e.code === 'string' && RETRYABLE_CODES.has(e.code)) return 'retryable';
  if (e.$retryable) return 'retryable';
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && (status >= 500 || status === 429)) return 'retryable';
  return 'fatal';
}

/** `Name: message`, shortened: enough to act on, never a dump of the request. */
export function describeError(error: unknown): string {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const message = typeof e.message === 'string' ? e.message : String(error);
  const text = `${name}: ${message}`;
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

export interface RetryContext {
  readonly clock: Clock;
  readonly random: () => number;
  /** Called before each retry (for the retry metric and log). */
  readonly onRetry?: (operation: string, error: unknown, delayMs: number) => void;
}

/** Runs `fn`, retrying retryable errors with backoff up to `policy.maxAttempts`; other errors propagate at once. */
export async function withRetries<T>(operation: string, fn: () => Promise<T>, context: RetryContext, policy: BackoffPolicy = CALL_RETRY_POLICY): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (classifyError(error) !== 'retryable' || attempt >= policy.maxAttempts) throw error;
      const delay = backoffDelay(attempt - 1, policy, context.random);
      context.onRetry?.(operation, error, delay);
      await context.clock.sleep(delay);
    }
  }
}
