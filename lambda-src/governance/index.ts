/**
 * Lambda entry point (`index.handler`). Everything is built once per execution environment (cold start): the
 * configuration is validated, and an invalid one is logged as one structured error line at cold start and again on
 * each invocation, which then fails, so the event goes through Lambda's retries to the dead-letter queue and can be
 * redriven once the configuration is fixed.
 *
 * `@aws-sdk/*` is provided by the nodejs22.x runtime (the bundle marks it external). The client makes one attempt
 * per call: retries and their bounds live in retry.ts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConfigProblem, loadGovernanceConfig } from './config';
import { GovernanceHandler, createLambdaHandler } from './handler';
import { snsNotifier } from './notify';
import { Logger, stdoutWriter } from './telemetry';
import type { GovernanceResult } from './types';

export type { GovernanceResult } from './types';

/** Thrown for every invocation while the configuration is invalid. */
export class GovernanceConfigurationError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(`invalid governance configuration: ${problems.map((p) => `${p.variable} ${p.problem}`).join('; ')}`);
    this.name = 'GovernanceConfigurationError';
  }
}

const logger = new Logger(stdoutWriter, Date.now);
const loaded = loadGovernanceConfig(process.env);
let governance: GovernanceHandler | undefined;
if (loaded.ok) {
  governance = createLambdaHandler({
    config: loaded.config,
    dynamodb: new DynamoDBClient({ region: loaded.config.region, maxAttempts: 1 }),
    notifier: snsNotifier(loaded.config.snsTopicArn, loaded.config.region),
  });
} else {
  logger.error('invalid governance configuration', { problems: loaded.problems });
}

export async function handler(event: unknown): Promise<GovernanceResult> {
  if (governance === undefined) {
    const problems = loaded.ok ? [] : loaded.problems;
    logger.error('invalid governance configuration', { problems });
    throw new GovernanceConfigurationError(problems);
  }
  return governance(event);
}
