/**
 * Notifications about tables that need a human: failures, naming violations and findings. The handler depends on
 * the small `Notifier` interface; tests pass an in-memory one.
 *
 * `snsNotifier` publishes with `@aws-sdk/client-sns` from the nodejs22.x runtime (which ships the whole AWS SDK for
 * JavaScript v3; the bundle marks `@aws-sdk/*` external). The package is not a project dependency yet, so it is
 * loaded with `require` behind a local type of the two members used. Once `@aws-sdk/client-sns` is added as a
 * devDependency, replace `loadSnsClient` with a static import.
 */
import type { GovernanceResult } from './types';

export interface Notification {
  /** SNS subject: ASCII, at most 100 characters. */
  readonly subject: string;
  /** JSON text of the result summary (no event, no item data). */
  readonly message: string;
}

export interface Notifier {
  publish(notification: Notification): Promise<void>;
}

/** Failures, naming violations and findings are published; routine outcomes are not. */
export function shouldNotify(result: GovernanceResult): boolean {
  return result.outcome === 'failed' || result.outcome === 'quarantined' || result.outcome === 'reported' || result.findings.length > 0;
}

export function notificationFor(result: GovernanceResult, project: string): Notification {
  const what = result.outcome === 'failed' ? 'enforcement FAILED' : result.outcome === 'quarantined' || result.outcome === 'reported' ? `naming violation (${result.outcome})` : 'needs review';
  const subject = `[${project}] DynamoDB governance ${what}: ${result.tableName ?? 'unknown table'}`
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 100);
  const message = JSON.stringify(
    {
      project,
      tableName: result.tableName,
      eventId: result.eventId,
      outcome: result.outcome,
      reason: result.reason,
      changes: result.changes,
      findings: result.findings,
      failures: result.failures,
      help: 'help/governance.md',
    },
    null,
    2,
  );
  return { subject, message };
}

interface SnsModule {
  SNSClient: new (config: { region: string; maxAttempts?: number }) => { send(command: unknown): Promise<unknown> };
  PublishCommand: new (input: { TopicArn: string; Subject: string; Message: string }) => unknown;
}

function loadSnsClient(): SnsModule {
  // Provided by the Lambda runtime; see the file comment.
  return require('@aws-sdk/client-sns') as SnsModule;
}

export function snsNotifier(topicArn: string, region: string, load: () => SnsModule = loadSnsClient): Notifier {
  let client: InstanceType<SnsModule['SNSClient']> | undefined;
  let sns: SnsModule | undefined;
  return {
    async publish(notification) {
      sns ??= load();
      client ??= new sns.SNSClient({ region, maxAttempts: 3 });
      await client.send(new sns.PublishCommand({ TopicArn: topicArn, Subject: notification.subject, Message: notification.message }));
    },
  };
}
