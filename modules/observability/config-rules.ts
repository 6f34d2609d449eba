import { Construct } from 'constructs';
import { ConfigConfigRule } from '@cdktf/provider-aws/lib/config-config-rule';
import { validateNamePrefix, validateRegion, validateTag } from '../backup/aws-identifiers';
import { useStableAddress } from '../naming';
import { GuardrailError, isResolved, requireIntegerInRange } from '../validation';

/**
 * AWS Config managed rules for the DynamoDB requirements (identifiers as AWS documents them). Periodic rules run every
 * `maximumExecutionFrequency`; the others on configuration changes. Every rule is scoped to its resource type.
 * Needs a configuration recorder in the account and region (usually deployed centrally).
 */
export interface ManagedRuleDefinition {
  /** Rule name suffix and the name AWS documents the rule under. */
  readonly name: string;
  readonly identifier: string;
  readonly resourceType: 'AWS::DynamoDB::Table' | 'AWS::DAX::Cluster';
  readonly trigger: 'configuration-change' | 'periodic';
  readonly requirement: string;
  readonly description: string;
}

export const MANAGED_RULES = {
  pitrEnabled: { name: 'dynamodb-pitr-enabled', identifier: 'DYNAMODB_PITR_ENABLED', resourceType: 'AWS::DynamoDB::Table', trigger: 'configuration-change', requirement: 'dynamodb:002', description: 'Point-in-time recovery is enabled on every DynamoDB table.' },
  tableEncryptedKms: { name: 'dynamodb-table-encrypted-kms', identifier: 'DYNAMODB_TABLE_ENCRYPTED_KMS', resourceType: 'AWS::DynamoDB::Table', trigger: 'configuration-change', requirement: 'dynamodb:001', description: 'Every DynamoDB table is encrypted with one of the allowed customer-managed KMS keys.' },
  autoscalingEnabled: { name: 'dynamodb-autoscaling-enabled', identifier: 'DYNAMODB_AUTOSCALING_ENABLED', resourceType: 'AWS::DynamoDB::Table', trigger: 'periodic', requirement: 'dynamodb:004', description: 'Every DynamoDB table and GSI is on-demand or auto scaled.' },
  resourcesProtectedByBackupPlan: { name: 'dynamodb-resources-protected-by-backup-plan', identifier: 'DYNAMODB_RESOURCES_PROTECTED_BY_BACKUP_PLAN', resourceType: 'AWS::DynamoDB::Table', trigger: 'periodic', requirement: 'dynamodb:005', description: 'Every DynamoDB table is protected by an AWS Backup plan.' },
  inBackupPlan: { name: 'dynamodb-in-backup-plan', identifier: 'DYNAMODB_IN_BACKUP_PLAN', resourceType: 'AWS::DynamoDB::Table', trigger: 'periodic', requirement: 'dynamodb:005', description: 'Every DynamoDB table is in an AWS Backup plan.' },
  deletionProtectionEnabled: { name: 'dynamodb-table-deletion-protection-enabled', identifier: 'DYNAMODB_TABLE_DELETION_PROTECTION_ENABLED', resourceType: 'AWS::DynamoDB::Table', trigger: 'configuration-change', requirement: 'dynamodb:003', description: 'Deletion protection is enabled on every DynamoDB table.' },
  daxEncryptionEnabled: { name: 'dax-encryption-enabled', identifier: 'DAX_ENCRYPTION_ENABLED', resourceType: 'AWS::DAX::Cluster', trigger: 'periodic', requirement: 'dynamodb:007', description: 'Every DAX cluster is encrypted at rest.' },
  daxTlsEndpointEncryption: { name: 'dax-tls-endpoint-encryption', identifier: 'DAX_TLS_ENDPOINT_ENCRYPTION', resourceType: 'AWS::DAX::Cluster', trigger: 'periodic', requirement: 'dynamodb:008', description: 'Every DAX cluster endpoint uses TLS.' },
  requiredTags: { name: 'dynamodb-required-tags', identifier: 'REQUIRED_TAGS', resourceType: 'AWS::DynamoDB::Table', trigger: 'configuration-change', requirement: 'seed 000 §7.2.1', description: 'Every DynamoDB table carries the required tags.' },
} as const satisfies Record<string, ManagedRuleDefinition>;

export type ExecutionFrequency = 'One_Hour' | 'Three_Hours' | 'Six_Hours' | 'Twelve_Hours' | 'TwentyFour_Hours';
export const EXECUTION_FREQUENCIES: readonly ExecutionFrequency[] = ['One_Hour', 'Three_Hours', 'Six_Hours', 'Twelve_Hours', 'TwentyFour_Hours'];
/** REQUIRED_TAGS checks at most six tags (tag1Key … tag6Key). */
export const MAX_REQUIRED_TAGS = 6;

/** Parameters of dynamodb-resources-protected-by-backup-plan (all optional). */
export interface BackupPlanCheckOptions {
  /** Regions a cross-region copy must exist in. */
  readonly crossRegionList?: readonly string[];
  /** Require recovery points in a locked vault. */
  readonly backupVaultLockCheck?: boolean;
  readonly minRetentionDays?: number;
  readonly maxRetentionDays?: number;
  /** Check only tables with these tags. */
  readonly resourceTags?: Readonly<Record<string, string>>;
}

/** Parameters of dynamodb-autoscaling-enabled (all optional). */
export interface AutoscalingCheckOptions {
  readonly minProvisionedReadCapacity?: number;
  readonly maxProvisionedReadCapacity?: number;
  readonly targetReadUtilization?: number;
  readonly minProvisionedWriteCapacity?: number;
  readonly maxProvisionedWriteCapacity?: number;
  readonly targetWriteUtilization?: number;
}

export interface DynamoDbConfigRulesProps {
  /** Rule names are `<namePrefix>-<rule name>`. */
  readonly namePrefix: string;
  readonly region: string;
  /** KMS key ARNs allowed to encrypt tables (`kmsKeyArns` of dynamodb-table-encrypted-kms); at least one. */
  readonly allowedKmsKeyArns: readonly string[];
  /**
   * Tags every table must carry (seed 000: Project, Owner, Environment, CostCenter), with the expected value or
   * `undefined` for "any value". At most 6.
   */
  readonly requiredTags: Readonly<Record<string, string | undefined>>;
  /**
   * `dynamodb-resources-protected-by-backup-plan` (newer; can also check copies and vault locks) or the older
   * `dynamodb-in-backup-plan` (for regions where the newer rule is not available).
   * @default 'dynamodb-resources-protected-by-backup-plan'
   */
  readonly backupRule?: 'dynamodb-resources-protected-by-backup-plan' | 'dynamodb-in-backup-plan';
  /** Only with the default backupRule. @default no parameters */
  readonly backupPlanCheck?: BackupPlanCheckOptions;
  /** @default no parameters */
  readonly autoscalingCheck?: AutoscalingCheckOptions;
  /** The two DAX rules (dynamodb:007, dynamodb:008); DAX_TLS_ENDPOINT_ENCRYPTION exists in 13 regions only. @default true */
  readonly daxRules?: boolean;
  /** How often periodic rules run. @default 'TwentyFour_Hours' */
  readonly maximumExecutionFrequency?: ExecutionFrequency;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/** AWS Config managed rules checking dynamodb:001–005, 007, 008 and seed 000's required tags. */
export class DynamoDbConfigRules extends Construct {
  readonly rules: Readonly<Record<string, ConfigConfigRule>>;

  constructor(scope: Construct, id: string, props: DynamoDbConfigRulesProps) {
    super(scope, id);
    const subject = this.node.path;
    this.validate(subject, props);
    const backupRule = props.backupRule === 'dynamodb-in-backup-plan' ? MANAGED_RULES.inBackupPlan : MANAGED_RULES.resourcesProtectedByBackupPlan;
    const definitions: Array<[ManagedRuleDefinition, Record<string, string> | undefined]> = [
      [MANAGED_RULES.pitrEnabled, undefined],
      [MANAGED_RULES.tableEncryptedKms, { kmsKeyArns: props.allowedKmsKeyArns.join(',') }],
      [MANAGED_RULES.autoscalingEnabled, stringParameters(props.autoscalingCheck ?? {})],
      [backupRule, backupRule === MANAGED_RULES.resourcesProtectedByBackupPlan ? backupPlanParameters(props.backupPlanCheck ?? {}) : undefined],
      [MANAGED_RULES.deletionProtectionEnabled, undefined],
      [MANAGED_RULES.requiredTags, requiredTagsParameters(props.requiredTags)],
    ];
    if (props.daxRules ?? true) {
      definitions.push([MANAGED_RULES.daxEncryptionEnabled, undefined], [MANAGED_RULES.daxTlsEndpointEncryption, undefined]);
    }
    const rules: Record<string, ConfigConfigRule> = {};
    for (const [definition, parameters] of definitions) {
      rules[definition.name] = useStableAddress(
        new ConfigConfigRule(this, definition.name.replace(/-/g, '_'), {
          name: `${props.namePrefix}-${definition.name}`,
          description: `${definition.description} (${definition.requirement})`,
          source: { owner: 'AWS', sourceIdentifier: definition.identifier },
          scope: { complianceResourceTypes: [definition.resourceType] },
          inputParameters: parameters && Object.keys(parameters).length > 0 ? JSON.stringify(parameters) : undefined,
          maximumExecutionFrequency: definition.trigger === 'periodic' ? (props.maximumExecutionFrequency ?? 'TwentyFour_Hours') : undefined,
          tags: props.tags,
        }),
      );
    }
    this.rules = rules;
  }

  private validate(subject: string, props: DynamoDbConfigRulesProps): void {
    validateNamePrefix(subject, 'namePrefix', props.namePrefix);
    validateRegion(subject, 'region', props.region);
    if (props.allowedKmsKeyArns.length === 0) {
      throw new GuardrailError(subject, 'allowedKmsKeyArns', [], 'list at least one key: without kmsKeyArns the rule accepts any KMS key, including AWS-managed ones');
    }
    const tagKeys = Object.keys(props.requiredTags);
    if (tagKeys.length === 0 || tagKeys.length > MAX_REQUIRED_TAGS) {
      throw new GuardrailError(subject, 'requiredTags', tagKeys, `the required-tags rule checks 1 to ${MAX_REQUIRED_TAGS} tags, got ${tagKeys.length}`);
    }
    for (const [key, value] of Object.entries(props.requiredTags)) validateTag(subject, `requiredTags.${key}`, key, value);
    if (props.backupRule === 'dynamodb-in-backup-plan' && props.backupPlanCheck !== undefined) {
      throw new GuardrailError(subject, 'backupPlanCheck', Object.keys(props.backupPlanCheck), "dynamodb-in-backup-plan takes no parameters; use backupRule 'dynamodb-resources-protected-by-backup-plan'");
    }
    const check = props.backupPlanCheck ?? {};
    for (const region of check.crossRegionList ?? []) validateRegion(subject, 'backupPlanCheck.crossRegionList', region);
    if (check.minRetentionDays !== undefined) requireIntegerInRange(subject, 'backupPlanCheck.minRetentionDays', check.minRetentionDays, 1, 36500);
    if (check.maxRetentionDays !== undefined) requireIntegerInRange(subject, 'backupPlanCheck.maxRetentionDays', check.maxRetentionDays, 1, 36500);
    if (check.minRetentionDays !== undefined && check.maxRetentionDays !== undefined && check.minRetentionDays > check.maxRetentionDays) {
      throw new GuardrailError(subject, 'backupPlanCheck.minRetentionDays', check.minRetentionDays, `must not exceed backupPlanCheck.maxRetentionDays (${check.maxRetentionDays})`);
    }
    for (const [field, value] of Object.entries(props.autoscalingCheck ?? {})) {
      if (value === undefined || !isResolved(value)) continue;
      const utilization = field.startsWith('target');
      if (utilization ? !(value >= 20 && value <= 90) : !(Number.isInteger(value) && value >= 1)) {
        throw new GuardrailError(subject, `autoscalingCheck.${field}`, value, utilization ? 'must be a target utilization from 20 to 90 percent (what DynamoDB auto scaling accepts)' : 'must be a whole number of capacity units of at least 1');
      }
    }
    const frequency = props.maximumExecutionFrequency;
    if (frequency !== undefined && !EXECUTION_FREQUENCIES.includes(frequency)) {
      throw new GuardrailError(subject, 'maximumExecutionFrequency', frequency, `must be one of ${EXECUTION_FREQUENCIES.join(', ')}`);
    }
  }
}

/** REQUIRED_TAGS input parameters: tag1Key/tag1Value … in the given order; a value is omitted for "any value". */
export function requiredTagsParameters(tags: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const parameters: Record<string, string> = {};
  Object.entries(tags).forEach(([key, value], index) => {
    parameters[`tag${index + 1}Key`] = key;
    if (value !== undefined) parameters[`tag${index + 1}Value`] = value;
  });
  return parameters;
}

/** dynamodb-resources-protected-by-backup-plan input parameters (Config passes every parameter as a string). */
export function backupPlanParameters(check: BackupPlanCheckOptions): Record<string, string> {
  const parameters: Record<string, string> = {};
  if (check.resourceTags !== undefined) parameters.resourceTags = JSON.stringify(check.resourceTags);
  if (check.crossRegionList !== undefined && check.crossRegionList.length > 0) parameters.crossRegionList = check.crossRegionList.join(',');
  if (check.maxRetentionDays !== undefined) parameters.maxRetentionDays = String(check.maxRetentionDays);
  if (check.minRetentionDays !== undefined) parameters.minRetentionDays = String(check.minRetentionDays);
  if (check.backupVaultLockCheck !== undefined) parameters.backupVaultLockCheck = check.backupVaultLockCheck ? 'True' : 'False';
  return parameters;
}

function stringParameters(values: object): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) parameters[key] = String(value);
  return parameters;
}
