import { Construct } from 'constructs';
import { AssetType, TerraformAsset } from 'cdktf';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePoliciesExclusive } from '@cdktf/provider-aws/lib/iam-role-policies-exclusive';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachmentsExclusive } from '@cdktf/provider-aws/lib/iam-role-policy-attachments-exclusive';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { ENV, MAX_MAX_WAIT_SECONDS, MIN_MAX_WAIT_SECONDS, QUARANTINE_ACTIONS, QuarantineAction } from '../../lambda-src/governance/config';
import { validateKeyArn, validateTag } from '../backup/aws-identifiers';
import { ManagedKey } from '../backup/managed-key';
import { useStableAddress } from '../naming';
import { renderAlarm } from '../observability/alarm';
import type { AlarmSpec } from '../observability/alarm-specs';
import { policyJson } from '../rendering';
import { requireAccountId, requireAwsId, requireRegion } from '../network/ids';
import { GuardrailError, isResolved, requireIntegerInRange } from '../validation';
import { GOVERNANCE_HANDLER, governanceBundle, writeGovernanceBundle } from './bundle';
import {
  GovernanceNames,
  deadLetterQueuePolicy,
  governanceChangeEventPattern,
  governanceEventPattern,
  governanceKeyPolicy,
  governanceRolePolicy,
  lambdaTrustPolicy,
  roleArn,
} from './policies';

export * from './policies';
export type { GovernanceBundle } from './bundle';
export { MAX_BUNDLE_ZIP_BYTES, buildGovernanceBundle, governanceBundle, governanceBundleZipSize } from './bundle';

export const GOVERNANCE_RUNTIME = 'nodejs22.x';
export const GOVERNANCE_ARCHITECTURE = 'arm64';
/** Seed 000 §5.1.1. */
export const EVENTBRIDGE_TARGET_ID = 'DynamoDBPolicyAttachment';
export const EVENTBRIDGE_MAX_RETRY_ATTEMPTS = 3;
export const EVENTBRIDGE_MAX_EVENT_AGE_SECONDS = 300;
/** SQS's longest retention, so a dead letter survives a two-week holiday. */
export const DEAD_LETTER_RETENTION_SECONDS = 1_209_600;
export const MIN_MEMORY_MB = 128;
export const MAX_MEMORY_MB = 10_240;
export const MAX_TIMEOUT_SECONDS = 900;
/** Time the function needs after waiting for ACTIVE: five steps with bounded retries, plus the notification. */
export const ENFORCEMENT_MARGIN_SECONDS = 60;
export const MAX_RESERVED_CONCURRENCY = 1_000;
export const MAX_ASYNC_RETRY_ATTEMPTS = 2;
export const MIN_ASYNC_EVENT_AGE_SECONDS = 60;
export const MAX_ASYNC_EVENT_AGE_SECONDS = 21_600;
/** Values CloudWatch Logs accepts for `retention_in_days` (0, "never expire", is deliberately not offered). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
/** IAM role, Lambda function and EventBridge rule names are at most 64 characters. */
export const MAX_NAME_LENGTH = 64;

export const PROJECT_UUID = /^[a-z0-9]{1,40}$/;
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):[A-Za-z0-9_-]{1,256}$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):(role|user)\/[\w+=,.@/-]{1,512}$/;

/** Seed 000's required tags; `Project` defaults to `project-<uuid>`. */
export interface GovernanceRequiredTags {
  readonly Owner: string;
  readonly Environment: string;
  readonly CostCenter: string;
  /** @default `project-<projectUuid>` */
  readonly Project?: string;
}

export interface TableGovernanceProps {
  /** Account of the project tables (literal: it goes into literal ARNs). */
  readonly accountId: string;
  /** Region of the project tables and of every resource here (literal). */
  readonly region: string;
  /** The `<uuid>` of `project-<uuid>-`: lowercase letters and digits (seed 000 splits `project-<uuid>` on '-'). */
  readonly projectUuid: string;
  /** The project VPC's DynamoDB gateway endpoint, allowed by the resource policy the function attaches. */
  readonly vpcEndpointId: string;
  /** The project VPC. */
  readonly vpcId: string;
  /** The project's customer-managed key; tables created with the AWS-owned or AWS-managed key are switched to it. */
  readonly tableKeyArn: string;
  /** Tags the function adds to project tables that lack them (existing values are never overwritten). */
  readonly requiredTags: GovernanceRequiredTags;
  /** SNS topic for failures, naming violations and findings; in `region`. */
  readonly notificationTopicArn: string;
  /**
   * Customer-managed key of the topic, when it has one: the function may then use it through SNS.
   * @default none
   */
  readonly notificationTopicKeyArn?: string;
  /**
   * Principals exempt from the VPC-only deny and the quarantine deny: the deployer, break-glass roles. The
   * function's own role is always added (without it, the policy it attaches would lock it out).
   * @default []
   */
  /** Tables of the stack (Terraform manages them): the function never changes them. @default [] */
  readonly terraformTableNames?: readonly string[];
  readonly exemptPrincipalArns?: readonly string[];
  /**
   * Principals whose CreateTable calls are Terraform's (the roles that run `cdktf deploy` / the pipelines). Their
   * tables are ignored: Terraform already applies the guardrails and owns their resource policy, and the function
   * would otherwise add statements Terraform removes again on the next apply. Matched against the CloudTrail caller
   * (the role behind an assumed-role session), which table creators cannot fake, unlike a tag.
   * @default [] (every matching table is governed)
   */
  readonly terraformPrincipalArns?: readonly string[];
  /** What happens to a table with the project prefix that breaks the `project-<uuid>-<suffix>` convention. @default 'quarantine' */
  readonly quarantineAction?: QuarantineAction;
  /** Also the name of its role; the log group is `/aws/lambda/<functionName>`, the queue `<functionName>-dlq`. @default `project-<uuid>-dynamodb-governance` */
  readonly functionName?: string;
  /** @default 256 */
  readonly memorySize?: number;
  /** Must leave `maxWaitSeconds` + 60 s. @default 300 */
  readonly timeoutSeconds?: number;
  /** How long the function waits for a new table to become ACTIVE. @default 120 */
  readonly maxWaitSeconds?: number;
  /**
   * Reserved concurrency: caps parallel runs (and API calls) during a burst of CreateTable calls. Off by default: Lambda
   * refuses a reservation that would leave the account fewer than 100 unreserved concurrent executions (Lambda
   * Developer Guide, "Configuring reserved concurrency"), which fails the apply on new accounts, whose limit starts
   * low. @default no reservation
   */
  readonly reservedConcurrency?: number;
  /**
   * Lambda's retries of a failed asynchronous invocation, before the event goes to the dead-letter queue. Each
   * failed attempt publishes a notification.
   * @default 2
   */
  readonly asyncRetryAttempts?: number;
  /** @default 3600 */
  readonly asyncMaxEventAgeSeconds?: number;
  /** @default 365 */
  readonly logRetentionDays?: number;
  /**
   * Existing customer-managed key for the log group and the dead-letter queue. Its policy needs the statements of
   * `governanceKeyPolicy`.
   * @default a dedicated key is created with that policy
   */
  readonly operationsKeyArn?: string;
  /**
   * Customer-managed key for the function's environment variables (they hold ids and ARNs, no secrets).
   * @default the AWS-owned Lambda key
   */
  readonly environmentKeyArn?: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
  /** `lifecycle.prevent_destroy` on the created key. @default false */
  readonly preventDestroy?: boolean;
}

/** The alarms on the governance Lambda itself: failed runs (Errors) and events in its dead-letter queue. */
export function governanceAlarmSpecs(names: Pick<GovernanceNames, 'functionName' | 'queueName'>): AlarmSpec[] {
  return [
    {
      id: 'errors_alarm',
      alarmName: `${names.functionName}-errors`,
      severity: 'CRITICAL',
      summary: `The governance Lambda ${names.functionName} failed: a table created outside Terraform may lack its guardrails.`,
      runbookAnchor: 'governance-errors',
      threshold: 0,
      period: 300,
      evaluationPeriods: 1,
      treatMissingData: 'notBreaching',
      metric: { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: names.functionName }, statistic: 'Sum' },
    },
    {
      id: 'dead_letters_alarm',
      alarmName: `${names.functionName}-dead-letters`,
      severity: 'CRITICAL',
      summary: `Events that the governance Lambda ${names.functionName} could not handle wait in ${names.queueName}.`,
      runbookAnchor: 'governance-dead-letters',
      threshold: 0,
      period: 300,
      evaluationPeriods: 1,
      // SQS publishes its metrics every 5 minutes while the queue exists; an empty queue reports 0.
      treatMissingData: 'notBreaching',
      metric: { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: names.queueName }, statistic: 'Maximum' },
    },
  ];
}

/**
 * Enforces the guardrails on tables created outside Terraform (seed 000 §5): an EventBridge rule on CloudTrail's
 * CreateTable events for `project-<uuid>-*` invokes a Lambda function that attaches the project resource policy,
 * turns on deletion protection and 35-day PITR, adds the required tags and moves the table to the project key, or
 * quarantines it when its name breaks the convention. Failed deliveries and failed runs land in a KMS-encrypted
 * dead-letter queue; logs go to a KMS-encrypted log group. See help/governance.md.
 */
export class TableGovernance extends Construct {
  readonly function: LambdaFunction;
  readonly functionArn: string;
  readonly functionName: string;
  readonly role: IamRole;
  readonly roleArn: string;
  readonly rule: CloudwatchEventRule;
  readonly changesRule: CloudwatchEventRule;
  readonly deadLetterQueue: SqsQueue;
  readonly logGroup: CloudwatchLogGroup;
  /** The key of the log group and the queue (created unless `operationsKeyArn` was given). */
  readonly operationsKeyArn: string;
  readonly key?: ManagedKey;
  readonly names: GovernanceNames;
  /** Every principal exempt from the denies, the function's role first (the function's configuration). */
  readonly exemptPrincipalArns: readonly string[];

  constructor(scope: Construct, id: string, props: TableGovernanceProps) {
    super(scope, id);
    const subject = this.node.path;
    const functionName = props.functionName ?? `project-${props.projectUuid}-dynamodb-governance`;
    const names: GovernanceNames = {
      accountId: props.accountId,
      region: props.region,
      functionName,
      roleName: functionName,
      logGroupName: `/aws/lambda/${functionName}`,
      queueName: `${functionName}-dlq`,
      ruleName: `project-${props.projectUuid}-dynamodb-governance`,
      changesRuleName: `project-${props.projectUuid}-dynamodb-changes`,
    };
    const settings = this.validate(subject, props, names);
    this.names = names;
    const tags = props.tags;

    if (props.operationsKeyArn === undefined) {
      this.key = new ManagedKey(this, 'key', {
        aliasName: `alias/${functionName}`,
        description: `Logs and dead-letter queue of the DynamoDB governance function ${functionName}`,
        policy: governanceKeyPolicy(names),
        tags,
        preventDestroy: props.preventDestroy,
      });
    }
    this.operationsKeyArn = props.operationsKeyArn ?? this.key!.keyArn;

    this.logGroup = useStableAddress(
      new CloudwatchLogGroup(this, 'log_group', { name: names.logGroupName, kmsKeyId: this.operationsKeyArn, retentionInDays: settings.logRetentionDays, tags }),
    );
    this.deadLetterQueue = useStableAddress(
      new SqsQueue(this, 'dead_letter_queue', {
        name: names.queueName,
        kmsMasterKeyId: this.operationsKeyArn,
        kmsDataKeyReusePeriodSeconds: 300,
        messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
        tags,
      }),
    );
    useStableAddress(new SqsQueuePolicy(this, 'dead_letter_queue_policy', { queueUrl: this.deadLetterQueue.url, policy: policyJson(deadLetterQueuePolicy(names)) }));

    this.role = useStableAddress(new IamRole(this, 'role', { name: names.roleName, assumeRolePolicy: policyJson(lambdaTrustPolicy()), tags }));
    const rolePolicy = useStableAddress(
      new IamRolePolicy(this, 'role_policy', {
        name: 'dynamodb-governance',
        role: this.role.id,
        // policyJson: a document with Terraform references must be multi-line to survive `cdktf synth --hcl`.
        policy: policyJson(
          governanceRolePolicy({
            names,
            projectUuid: props.projectUuid,
            tableKeyArn: props.tableKeyArn,
            topicArn: props.notificationTopicArn,
            topicKeyArn: props.notificationTopicKeyArn,
            operationsKeyArn: this.operationsKeyArn,
            environmentKeyArn: props.environmentKeyArn,
          }),
        ),
      }),
    );
    // The role has exactly this inline policy and no managed policy; anything added outside Terraform is removed.
    useStableAddress(new IamRolePoliciesExclusive(this, 'role_inline_policies', { roleName: this.role.name, policyNames: [rolePolicy.name] }));
    useStableAddress(new IamRolePolicyAttachmentsExclusive(this, 'role_managed_policies', { roleName: this.role.name, policyArns: [] }));

    const bundle = governanceBundle();
    const code = new TerraformAsset(this, 'code', { path: writeGovernanceBundle(bundle), type: AssetType.FILE, assetHash: bundle.sha256Hex });
    this.exemptPrincipalArns = [...new Set([roleArn(names), ...(props.exemptPrincipalArns ?? [])])];
    this.function = useStableAddress(
      new LambdaFunction(this, 'function', {
        functionName,
        description: `Applies the DynamoDB guardrails to project-${props.projectUuid}-* tables created outside Terraform (seed 000 §5)`,
        role: this.role.arn,
        handler: GOVERNANCE_HANDLER,
        runtime: GOVERNANCE_RUNTIME,
        architectures: [GOVERNANCE_ARCHITECTURE],
        filename: code.path,
        sourceCodeHash: bundle.sha256Base64,
        memorySize: settings.memorySize,
        timeout: settings.timeoutSeconds,
        reservedConcurrentExecutions: settings.reservedConcurrency,
        tracingConfig: { mode: 'Active' },
        environment: {
          variables: {
            [ENV.accountId]: props.accountId,
            [ENV.projectUuid]: props.projectUuid,
            [ENV.vpcEndpointId]: props.vpcEndpointId,
            [ENV.vpcId]: props.vpcId,
            [ENV.kmsKeyArn]: props.tableKeyArn,
            [ENV.requiredTags]: policyJson(settings.requiredTags),
            [ENV.quarantineAction]: settings.quarantineAction,
            [ENV.snsTopicArn]: props.notificationTopicArn,
            [ENV.exemptPrincipalArns]: policyJson(this.exemptPrincipalArns),
            [ENV.terraformPrincipalArns]: policyJson(props.terraformPrincipalArns ?? []),
            [ENV.terraformTableNames]: policyJson(props.terraformTableNames ?? []),
            [ENV.maxWaitSeconds]: String(settings.maxWaitSeconds),
          },
        },
        kmsKeyArn: props.environmentKeyArn,
        deadLetterConfig: { targetArn: this.deadLetterQueue.arn },
        loggingConfig: { logFormat: 'Text', logGroup: this.logGroup.name },
        tags,
        // Logs and dead letters must work from the first invocation.
        dependsOn: [this.logGroup, rolePolicy],
      }),
      { primary: true },
    );
    useStableAddress(
      new LambdaFunctionEventInvokeConfig(this, 'async_invoke_config', {
        functionName: this.function.functionName,
        maximumRetryAttempts: settings.asyncRetryAttempts,
        maximumEventAgeInSeconds: settings.asyncMaxEventAgeSeconds,
      }),
    );

    this.rule = this.invokingRule({ id: '', name: names.ruleName, statementId: 'AllowEventBridgeInvoke', accountId: props.accountId, tags }, 'Trigger governance Lambda when DynamoDB tables are created', governanceEventPattern(props.projectUuid));
    // After creation: a project member who turns deletion protection or PITR off, removes or widens the resource
    // policy or removes a required tag triggers the same function, which puts the guardrail back.
    this.changesRule = this.invokingRule(
      { id: 'changes_', name: names.changesRuleName, statementId: 'AllowEventBridgeInvokeOnChanges', accountId: props.accountId, tags },
      'Trigger governance Lambda when a change could weaken the guardrails of a DynamoDB project table',
      governanceChangeEventPattern(props.projectUuid, names),
    );

    // A governance run that fails leaves a table unguarded: its errors and every event parked in the dead-letter
    // queue notify the same topic as the table alarms.
    for (const spec of governanceAlarmSpecs(names)) renderAlarm(this, spec, { topicArns: [props.notificationTopicArn], tags });

    this.functionArn = this.function.arn;
    this.functionName = this.function.functionName;
    this.roleArn = this.role.arn;
  }

  /** An EventBridge rule that invokes the function (`<id>rule`, `<id>target`, `<id>invoke_permission`), its dead letters to the queue. */
  private invokingRule(rule: { id: string; name: string; statementId: string; accountId: string; tags?: Record<string, string> }, description: string, pattern: Record<string, unknown>): CloudwatchEventRule {
    const created = useStableAddress(new CloudwatchEventRule(this, `${rule.id}rule`, { name: rule.name, description, eventPattern: policyJson(pattern), state: 'ENABLED', tags: rule.tags }));
    useStableAddress(
      new CloudwatchEventTarget(this, `${rule.id}target`, {
        rule: created.name,
        targetId: EVENTBRIDGE_TARGET_ID,
        arn: this.function.arn,
        retryPolicy: { maximumRetryAttempts: EVENTBRIDGE_MAX_RETRY_ATTEMPTS, maximumEventAgeInSeconds: EVENTBRIDGE_MAX_EVENT_AGE_SECONDS },
        deadLetterConfig: { arn: this.deadLetterQueue.arn },
      }),
    );
    useStableAddress(
      new LambdaPermission(this, `${rule.id}invoke_permission`, {
        statementId: rule.statementId,
        action: 'lambda:InvokeFunction',
        functionName: this.function.functionName,
        principal: 'events.amazonaws.com',
        sourceArn: created.arn,
        sourceAccount: rule.accountId,
      }),
    );
    return created;
  }

  private validate(subject: string, props: TableGovernanceProps, names: GovernanceNames) {
    for (const [field, value] of [
      ['accountId', props.accountId],
      ['region', props.region],
      ['projectUuid', props.projectUuid],
    ] as const) {
      if (!isResolved(value)) throw new GuardrailError(subject, field, value, 'must be a literal value: it is part of literal ARNs in the IAM, key and queue policies');
    }
    requireAccountId(subject, 'accountId', props.accountId);
    requireRegion(subject, 'region', props.region);
    if (!PROJECT_UUID.test(props.projectUuid)) {
      throw new GuardrailError(subject, 'projectUuid', props.projectUuid, 'must be 1 to 40 lowercase letters or digits (no hyphens: seed 000 splits project-<uuid> on "-")');
    }
    if (names.ruleName.length > MAX_NAME_LENGTH) {
      throw new GuardrailError(subject, 'projectUuid', props.projectUuid, `makes the EventBridge rule name '${names.ruleName}' ${names.ruleName.length} characters long; the limit is ${MAX_NAME_LENGTH} (use at most ${MAX_NAME_LENGTH - 28} characters)`);
    }
    if (isResolved(names.functionName) && !FUNCTION_NAME.test(names.functionName)) {
      throw new GuardrailError(subject, 'functionName', names.functionName, `must be 1 to ${MAX_NAME_LENGTH} letters, digits, '-' or '_' (it also names the role)`);
    }
    requireAwsId(subject, 'vpcEndpointId', props.vpcEndpointId, 'vpce');
    requireAwsId(subject, 'vpcId', props.vpcId, 'vpc');
    validateKeyArn(subject, 'tableKeyArn', props.tableKeyArn, props.region);
    if (props.notificationTopicKeyArn !== undefined) validateKeyArn(subject, 'notificationTopicKeyArn', props.notificationTopicKeyArn, props.region);
    if (props.operationsKeyArn !== undefined) validateKeyArn(subject, 'operationsKeyArn', props.operationsKeyArn, props.region);
    if (props.environmentKeyArn !== undefined) validateKeyArn(subject, 'environmentKeyArn', props.environmentKeyArn, props.region);
    if (isResolved(props.notificationTopicArn)) {
      const topic = SNS_TOPIC_ARN.exec(props.notificationTopicArn);
      if (!topic) throw new GuardrailError(subject, 'notificationTopicArn', props.notificationTopicArn, 'must be the ARN of a standard SNS topic');
      if (topic[1] !== props.region) throw new GuardrailError(subject, 'notificationTopicArn', props.notificationTopicArn, `must be in region '${props.region}', where the function publishes`);
    }
    for (const field of ['exemptPrincipalArns', 'terraformPrincipalArns'] as const) {
      (props[field] ?? []).forEach((arn, i) => {
        if (!isResolved(arn)) return;
        const match = PRINCIPAL_ARN.exec(arn);
        if (!match) throw new GuardrailError(subject, `${field}[${i}]`, arn, 'must be an IAM role or user ARN without wildcards (the account root cannot be exempted: the policy denies it)');
        if (match[1] !== props.accountId) throw new GuardrailError(subject, `${field}[${i}]`, arn, `must belong to account ${props.accountId}`);
      });
    }

    const quarantineAction = props.quarantineAction ?? 'quarantine';
    if (!(QUARANTINE_ACTIONS as readonly string[]).includes(quarantineAction)) {
      throw new GuardrailError(subject, 'quarantineAction', quarantineAction, `must be one of ${QUARANTINE_ACTIONS.map((a) => `'${a}'`).join(', ')}`);
    }
    const requiredTags: Record<string, string> = {
      Project: props.requiredTags.Project ?? `project-${props.projectUuid}`,
      Owner: props.requiredTags.Owner,
      Environment: props.requiredTags.Environment,
      CostCenter: props.requiredTags.CostCenter,
    };
    for (const [key, value] of Object.entries(requiredTags)) {
      if (!isResolved(value)) throw new GuardrailError(subject, `requiredTags.${key}`, value, 'must be a literal value');
      if (typeof value !== 'string' || value.length === 0) throw new GuardrailError(subject, `requiredTags.${key}`, value, 'must be a non-empty string (seed 000 requires Project, Owner, Environment and CostCenter)');
      validateTag(subject, `requiredTags.${key}`, key, value);
    }

    const memorySize = props.memorySize ?? 256;
    requireIntegerInRange(subject, 'memorySize', memorySize, MIN_MEMORY_MB, MAX_MEMORY_MB);
    const maxWaitSeconds = props.maxWaitSeconds ?? 120;
    requireIntegerInRange(subject, 'maxWaitSeconds', maxWaitSeconds, MIN_MAX_WAIT_SECONDS, MAX_MAX_WAIT_SECONDS);
    const timeoutSeconds = props.timeoutSeconds ?? 300;
    requireIntegerInRange(subject, 'timeoutSeconds', timeoutSeconds, maxWaitSeconds + ENFORCEMENT_MARGIN_SECONDS, MAX_TIMEOUT_SECONDS);
    const reservedConcurrency = props.reservedConcurrency;
    if (reservedConcurrency !== undefined) requireIntegerInRange(subject, 'reservedConcurrency', reservedConcurrency, 1, MAX_RESERVED_CONCURRENCY);
    const asyncRetryAttempts = props.asyncRetryAttempts ?? 2;
    requireIntegerInRange(subject, 'asyncRetryAttempts', asyncRetryAttempts, 0, MAX_ASYNC_RETRY_ATTEMPTS);
    const asyncMaxEventAgeSeconds = props.asyncMaxEventAgeSeconds ?? 3_600;
    requireIntegerInRange(subject, 'asyncMaxEventAgeSeconds', asyncMaxEventAgeSeconds, MIN_ASYNC_EVENT_AGE_SECONDS, MAX_ASYNC_EVENT_AGE_SECONDS);
    const logRetentionDays = props.logRetentionDays ?? 365;
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
      throw new GuardrailError(subject, 'logRetentionDays', logRetentionDays, `must be one of the values CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(', ')}`);
    }
    return { quarantineAction, requiredTags, memorySize, maxWaitSeconds, timeoutSeconds, reservedConcurrency, asyncRetryAttempts, asyncMaxEventAgeSeconds, logRetentionDays };
  }
}
