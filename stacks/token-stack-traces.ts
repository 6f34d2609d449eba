/**
 * cdktf records a full stack trace for every token it creates, only to explain token errors: capturing and formatting
 * those traces was a fifth of synth time (and more under Jest, which maps every frame through source maps). Our
 * validation errors never need them, so they are skipped unless `skip` is false (synth: GUARDRAILS_DEBUG). Node's
 * own errors keep their stacks: Node captures them through its own reference.
 */
export function withoutTokenStackTraces<T>(fn: () => T, skip = true): T {
  if (!skip) return fn();
  const previous = { prepare: Error.prepareStackTrace, capture: Error.captureStackTrace };
  Error.prepareStackTrace = () => '';
  Error.captureStackTrace = () => undefined;
  try {
    return fn();
  } finally {
    Error.prepareStackTrace = previous.prepare;
    Error.captureStackTrace = previous.capture;
  }
}
