import { DynamoDbConfigRules, DynamoDbConfigRulesProps, MANAGED_RULES, backupPlanParameters, requiredTagsParameters } from '../../modules/observability';
import { TerraformJson, resourcesOfType, synthConstructs } from '../support/synth';
import { errorMessageOf } from '../support/errors';

const REGION = 'ap-south-1';
const KEY_ARN = 'arn:aws:kms:ap-south-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_KEY_ARN = 'arn:aws:kms:ap-south-1:333333333333:key/5678abcd-12ab-34cd-56ef-1234567890ab';

function baseProps(): DynamoDbConfigRulesProps {
  return {
    namePrefix: 'auditflow-prod',
    region: REGION,
    allowedKmsKeyArns: [KEY_ARN],
    requiredTags: { Project: 'auditflow', Owner: 'platform-team', Environment: 'prod', CostCenter: 'platform-prod' },
  };
}

function synthRules(overrides: Partial<DynamoDbConfigRulesProps> = {}): TerraformJson {
  return synthConstructs((stack) => new DynamoDbConfigRules(stack, 'config', { ...baseProps(), ...overrides }));
}

/** Rules keyed by source identifier: [name, scope types, input parameters, frequency]. */
function summary(json: TerraformJson): Record<string, [string, string[], unknown, string | undefined]> {
  return Object.fromEntries(
    Object.values(resourcesOfType(json, 'aws_config_config_rule')).map((rule: any) => {
      expect(rule.source.owner).toBe('AWS');
      return [
        rule.source.source_identifier,
        [rule.name, rule.scope.compliance_resource_types, rule.input_parameters === undefined ? undefined : JSON.parse(rule.input_parameters), rule.maximum_execution_frequency],
      ];
    }),
  );
}

function rulesError(overrides: Partial<DynamoDbConfigRulesProps>): string {
  return errorMessageOf(() => synthRules(overrides));
}

const TABLE = ['AWS::DynamoDB::Table'];
const DAX = ['AWS::DAX::Cluster'];

describe('DynamoDbConfigRules', () => {
  test('the managed rules, their exact identifiers, scopes and parameters', () => {
    expect(summary(synthRules())).toEqual({
      DYNAMODB_PITR_ENABLED: ['auditflow-prod-dynamodb-pitr-enabled', TABLE, undefined, undefined],
      DYNAMODB_TABLE_ENCRYPTED_KMS: ['auditflow-prod-dynamodb-table-encrypted-kms', TABLE, { kmsKeyArns: KEY_ARN }, undefined],
      DYNAMODB_AUTOSCALING_ENABLED: ['auditflow-prod-dynamodb-autoscaling-enabled', TABLE, undefined, 'TwentyFour_Hours'],
      DYNAMODB_RESOURCES_PROTECTED_BY_BACKUP_PLAN: ['auditflow-prod-dynamodb-resources-protected-by-backup-plan', TABLE, undefined, 'TwentyFour_Hours'],
      DYNAMODB_TABLE_DELETION_PROTECTION_ENABLED: ['auditflow-prod-dynamodb-table-deletion-protection-enabled', TABLE, undefined, undefined],
      REQUIRED_TAGS: [
        'auditflow-prod-dynamodb-required-tags',
        TABLE,
        { tag1Key: 'Project', tag1Value: 'auditflow', tag2Key: 'Owner', tag2Value: 'platform-team', tag3Key: 'Environment', tag3Value: 'prod', tag4Key: 'CostCenter', tag4Value: 'platform-prod' },
        undefined,
      ],
      DAX_ENCRYPTION_ENABLED: ['auditflow-prod-dax-encryption-enabled', DAX, undefined, 'TwentyFour_Hours'],
      DAX_TLS_ENDPOINT_ENCRYPTION: ['auditflow-prod-dax-tls-endpoint-encryption', DAX, undefined, 'TwentyFour_Hours'],
    });
  });

  test('descriptions name the requirement; addresses come from the rule names', () => {
    const rules = resourcesOfType(synthRules(), 'aws_config_config_rule');
    expect(rules.config_dynamodb_pitr_enabled.description).toBe('Point-in-time recovery is enabled on every DynamoDB table. (dynamodb:002)');
    expect(rules.config_dax_tls_endpoint_encryption.description).toBe('Every DAX cluster endpoint uses TLS. (dynamodb:008)');
  });

  test('several allowed keys, tags with any value, backup-plan and autoscaling parameters, frequency, no DAX', () => {
    const rules = summary(
      synthRules({
        allowedKmsKeyArns: [KEY_ARN, OTHER_KEY_ARN],
        requiredTags: { Project: 'auditflow', Owner: undefined },
        backupPlanCheck: { crossRegionList: ['ap-southeast-1'], backupVaultLockCheck: true, minRetentionDays: 7, maxRetentionDays: 3650, resourceTags: { Project: 'auditflow' } },
        autoscalingCheck: { minProvisionedReadCapacity: 5, targetReadUtilization: 70 },
        maximumExecutionFrequency: 'Twelve_Hours',
        daxRules: false,
      }),
    );
    expect(rules.DYNAMODB_TABLE_ENCRYPTED_KMS[2]).toEqual({ kmsKeyArns: `${KEY_ARN},${OTHER_KEY_ARN}` });
    expect(rules.REQUIRED_TAGS[2]).toEqual({ tag1Key: 'Project', tag1Value: 'auditflow', tag2Key: 'Owner' });
    expect(rules.DYNAMODB_RESOURCES_PROTECTED_BY_BACKUP_PLAN[2]).toEqual({
      resourceTags: '{"Project":"auditflow"}',
      crossRegionList: 'ap-southeast-1',
      maxRetentionDays: '3650',
      minRetentionDays: '7',
      backupVaultLockCheck: 'True',
    });
    expect(rules.DYNAMODB_AUTOSCALING_ENABLED[2]).toEqual({ minProvisionedReadCapacity: '5', targetReadUtilization: '70' });
    expect(rules.DYNAMODB_AUTOSCALING_ENABLED[3]).toBe('Twelve_Hours');
    expect(rules.DAX_ENCRYPTION_ENABLED).toBeUndefined();
    expect(rules.DAX_TLS_ENDPOINT_ENCRYPTION).toBeUndefined();
  });

  test('the older dynamodb-in-backup-plan rule for regions without the newer one', () => {
    const rules = summary(synthRules({ backupRule: 'dynamodb-in-backup-plan' }));
    expect(rules.DYNAMODB_IN_BACKUP_PLAN).toEqual(['auditflow-prod-dynamodb-in-backup-plan', TABLE, undefined, 'TwentyFour_Hours']);
    expect(rules.DYNAMODB_RESOURCES_PROTECTED_BY_BACKUP_PLAN).toBeUndefined();
  });

  test('parameter builders and the rule catalog', () => {
    expect(requiredTagsParameters({ Project: 'p' })).toEqual({ tag1Key: 'Project', tag1Value: 'p' });
    expect(backupPlanParameters({ backupVaultLockCheck: false })).toEqual({ backupVaultLockCheck: 'False' });
    expect(Object.values(MANAGED_RULES).map((r) => r.identifier)).toEqual([
      'DYNAMODB_PITR_ENABLED',
      'DYNAMODB_TABLE_ENCRYPTED_KMS',
      'DYNAMODB_AUTOSCALING_ENABLED',
      'DYNAMODB_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
      'DYNAMODB_IN_BACKUP_PLAN',
      'DYNAMODB_TABLE_DELETION_PROTECTION_ENABLED',
      'DAX_ENCRYPTION_ENABLED',
      'DAX_TLS_ENDPOINT_ENCRYPTION',
      'REQUIRED_TAGS',
    ]);
  });
});

describe('DynamoDbConfigRules validation', () => {
  const subject = 'test/config';

  test('allowed keys', () => {
    expect(rulesError({ allowedKmsKeyArns: [] })).toBe(
      `${subject}: allowedKmsKeyArns = []: list at least one key: without kmsKeyArns the rule accepts any KMS key, including AWS-managed ones`,
    );
  });

  test('required tags: 1 to 6, valid keys', () => {
    expect(rulesError({ requiredTags: {} })).toBe(`${subject}: requiredTags = []: the required-tags rule checks 1 to 6 tags, got 0`);
    const seven = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((k) => [k, undefined]));
    expect(rulesError({ requiredTags: seven })).toBe(`${subject}: requiredTags = ["a","b","c","d","e","f","g"]: the required-tags rule checks 1 to 6 tags, got 7`);
    expect(rulesError({ requiredTags: { 'aws:cloudformation': undefined } })).toBe(
      `${subject}: requiredTags.aws:cloudformation = 'aws:cloudformation': tag keys must be 1 to 128 characters and must not start with 'aws:'`,
    );
  });

  test('backup-plan check parameters', () => {
    expect(rulesError({ backupRule: 'dynamodb-in-backup-plan', backupPlanCheck: { backupVaultLockCheck: true } })).toBe(
      `${subject}: backupPlanCheck = ["backupVaultLockCheck"]: dynamodb-in-backup-plan takes no parameters; use backupRule 'dynamodb-resources-protected-by-backup-plan'`,
    );
    expect(rulesError({ backupPlanCheck: { crossRegionList: ['singapore'] } })).toBe(
      `${subject}: backupPlanCheck.crossRegionList = 'singapore': must be an AWS region code such as 'us-east-1' or 'ap-south-1'`,
    );
    expect(rulesError({ backupPlanCheck: { minRetentionDays: 400, maxRetentionDays: 365 } })).toBe(
      `${subject}: backupPlanCheck.minRetentionDays = 400: must not exceed backupPlanCheck.maxRetentionDays (365)`,
    );
  });

  test('autoscaling check parameters and frequency', () => {
    expect(rulesError({ autoscalingCheck: { targetWriteUtilization: 95 } })).toBe(
      `${subject}: autoscalingCheck.targetWriteUtilization = 95: must be a target utilization from 20 to 90 percent (what DynamoDB auto scaling accepts)`,
    );
    expect(rulesError({ autoscalingCheck: { maxProvisionedWriteCapacity: 0 } })).toBe(
      `${subject}: autoscalingCheck.maxProvisionedWriteCapacity = 0: must be a whole number of capacity units of at least 1`,
    );
    expect(rulesError({ maximumExecutionFrequency: 'Daily' as never })).toBe(
      `${subject}: maximumExecutionFrequency = 'Daily': must be one of One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours`,
    );
  });
});
