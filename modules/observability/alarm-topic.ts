import { Construct } from 'constructs';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { ManagedKey } from '../backup/managed-key';
import { validateAccountId, validateKeyArn, validateNamePrefix, validateRegion } from '../backup/aws-identifiers';
import { useStableAddress } from '../naming';
import { GuardrailError, isResolved } from '../validation';
import { alarmTopicKeyPolicy, alarmTopicPolicy } from './policies';
import { policyJson } from '../rendering';

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const HTTPS_ENDPOINT_PATTERN = /^https:\/\/[^\s/]+(\/\S*)?$/;
export const TOPIC_NAME_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

export interface AlarmTopicProps {
  readonly namePrefix: string;
  readonly accountId: string;
  readonly region: string;
  /** @default `<namePrefix>-dynamodb-alarms` */
  readonly topicName?: string;
  /**
   * Existing customer-managed key for the topic. Its policy must contain the statements of `alarmTopicKeyPolicy`
   * (CloudWatch must be allowed kms:GenerateDataKey* and kms:Decrypt, or alarms are silently not delivered).
   * @default a dedicated key is created
   */
  readonly keyArn?: string;
  /** Addresses that receive every alarm by email (each must confirm the subscription once). @default [] */
  readonly emailSubscribers?: readonly string[];
  /** HTTPS endpoints (PagerDuty, Opsgenie, chat webhooks) that receive every alarm. @default [] */
  readonly httpsSubscribers?: readonly string[];
  /** Let AWS Backup publish vault notifications to the topic (DynamoDbBackup `notificationTopicArn`). @default false */
  readonly allowAwsBackupNotifications?: boolean;
  /** @default {} */
  readonly tags?: Record<string, string>;
  /** `lifecycle.prevent_destroy` on the key. @default false */
  readonly preventDestroy?: boolean;
  /**
   * Place the key, topic, policy and subscriptions in `region` (provider 6 per-resource `region`) rather than the
   * provider's Region: the topic of the alarms in a replica Region of a global table.
   * @default false
   */
  readonly pinRegion?: boolean;
}

/** The SNS topic every DynamoDB alarm notifies: SSE-KMS with a customer-managed key CloudWatch may use, TLS only. */
export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;
  readonly key?: ManagedKey;
  readonly keyArn: string;
  readonly topicArn: string;
  readonly topicName: string;
  readonly subscriptions: readonly SnsTopicSubscription[];

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const subject = this.node.path;
    const topicName = props.topicName ?? `${props.namePrefix}-dynamodb-alarms`;
    this.validate(subject, props, topicName);
    const policyOptions = { allowAwsBackupNotifications: props.allowAwsBackupNotifications };
    const region = props.pinRegion ? props.region : undefined;

    if (props.keyArn === undefined) {
      this.key = new ManagedKey(this, 'key', {
        aliasName: `alias/${topicName}`,
        description: `SNS topic ${topicName} of the DynamoDB alarms${region ? ` in ${region}` : ''}`,
        policy: alarmTopicKeyPolicy(props.accountId, props.region, policyOptions),
        tags: props.tags,
        preventDestroy: props.preventDestroy,
        region,
      });
    }
    this.keyArn = props.keyArn ?? this.key!.keyArn;
    this.topic = useStableAddress(
      new SnsTopic(this, 'topic', { name: topicName, kmsMasterKeyId: this.keyArn, tags: props.tags, region }),
      { primary: true },
    );
    useStableAddress(
      new SnsTopicPolicy(this, 'policy', {
        arn: this.topic.arn,
        region,
        policy: policyJson(alarmTopicPolicy(props.accountId, props.region, topicName, policyOptions)),
      }),
    );
    const subscriptions: SnsTopicSubscription[] = [];
    for (const [protocol, endpoints] of [
      ['email', props.emailSubscribers ?? []],
      ['https', props.httpsSubscribers ?? []],
    ] as const) {
      for (const endpoint of endpoints) {
        // The id comes from the endpoint, so adding or reordering subscribers never re-addresses the others.
        subscriptions.push(
          useStableAddress(
            new SnsTopicSubscription(this, `${protocol}_${endpoint.replace(/^https:\/\//, '').replace(/[^A-Za-z0-9]+/g, '_')}`, { topicArn: this.topic.arn, protocol, endpoint, region }),
          ),
        );
      }
    }
    this.subscriptions = subscriptions;
    this.topicName = topicName;
    // The resource attribute (not the literal ARN the policy uses), so alarms are created after the topic.
    this.topicArn = this.topic.arn;
  }

  private validate(subject: string, props: AlarmTopicProps, topicName: string): void {
    validateNamePrefix(subject, 'namePrefix', props.namePrefix);
    validateAccountId(subject, 'accountId', props.accountId);
    validateRegion(subject, 'region', props.region);
    if (isResolved(topicName) && !TOPIC_NAME_PATTERN.test(topicName)) {
      throw new GuardrailError(subject, 'topicName', topicName, "must be 1 to 256 letters, digits, '-' or '_'");
    }
    if (props.keyArn !== undefined) validateKeyArn(subject, 'keyArn', props.keyArn, props.region);
    for (const [field, endpoints, pattern, rule] of [
      ['emailSubscribers', props.emailSubscribers ?? [], EMAIL_PATTERN, 'must be an email address'],
      ['httpsSubscribers', props.httpsSubscribers ?? [], HTTPS_ENDPOINT_PATTERN, 'must be an https:// URL (plain http would send alarm contents unencrypted)'],
    ] as const) {
      for (const endpoint of endpoints) {
        if (isResolved(endpoint) && !pattern.test(endpoint)) throw new GuardrailError(subject, field, endpoint, rule);
      }
      if (new Set(endpoints).size !== endpoints.length) {
        throw new GuardrailError(subject, field, [...endpoints], 'lists the same subscriber twice');
      }
    }
  }
}
