import { shippedCatalogs } from '../../stacks/app';

const CATALOGS = shippedCatalogs();
import { auditFlowCatalog } from '../../stacks/catalogs/auditflow';
import { mangaAssistCatalog } from '../../stacks/catalogs/manga-assist';
import { ML_PROJECT_UUID, mlPlatformCatalog } from '../../stacks/catalogs/ml-platform';
import { EXAMPLE_ENVIRONMENTS } from '../../stacks/settings/defaults';
import { ENVIRONMENT_NAMES } from '../../stacks/settings/types';
import { resourcesOfType, synthEnvironment } from '../support/synth';
import { CREATE_TIME_ARGUMENTS } from '../../modules/table';

const gsi = (name: string, hash: string, range: string) => ({ name, hash_key: hash, range_key: range, projection_type: 'ALL' });

/** Seeds 002/003, field for field. */
const SEED_TABLES = {
  documents: {
    name: 'AuditFlow-Documents',
    hash_key: 'document_id',
    attribute: [
      { name: 'document_id', type: 'S' },
      { name: 'loan_application_id', type: 'S' },
      { name: 'upload_timestamp', type: 'S' },
      { name: 'processing_status', type: 'S' },
    ],
    global_secondary_index: [
      gsi('loan_application_id-upload_timestamp-index', 'loan_application_id', 'upload_timestamp'),
      gsi('processing_status-upload_timestamp-index', 'processing_status', 'upload_timestamp'),
    ],
  },
  audit_records: {
    name: 'AuditFlow-AuditRecords',
    hash_key: 'audit_record_id',
    attribute: [
      { name: 'audit_record_id', type: 'S' },
      { name: 'loan_application_id', type: 'S' },
      { name: 'audit_timestamp', type: 'S' },
      { name: 'status', type: 'S' },
      { name: 'risk_score', type: 'N' },
    ],
    global_secondary_index: [
      gsi('loan_application_id-audit_timestamp-index', 'loan_application_id', 'audit_timestamp'),
      gsi('risk_score-audit_timestamp-index', 'status', 'risk_score'),
      gsi('status-audit_timestamp-index', 'status', 'audit_timestamp'),
    ],
  },
};

describe('AuditFlow prod matches seeds 002/003', () => {
  const json = synthEnvironment(auditFlowCatalog, 'prod');
  const tables = resourcesOfType(json, 'aws_dynamodb_table');

  test('exactly the two seed tables, at stable addresses', () => {
    expect(Object.keys(tables).sort()).toEqual(['audit_records', 'documents']);
  });

  test.each(Object.entries(SEED_TABLES))('%s: keys, attributes, GSIs, billing, TTL, PITR, KMS', (id, seed) => {
    const { '//': _metadata, ...table } = tables[id];
    // The seed's indexes, each with the table's cost guard (an uncapped index would scale without limit).
    const capped = { max_read_request_units: 4000, max_write_request_units: 4000 };
    expect(table).toEqual({
      ...seed,
      global_secondary_index: seed.global_secondary_index.map((index: object) => ({ ...index, on_demand_throughput: capped })),
      billing_mode: 'PAY_PER_REQUEST',
      on_demand_throughput: { max_read_request_units: 4000, max_write_request_units: 2000 },
      ttl: { attribute_name: 'ttl', enabled: true },
      point_in_time_recovery: { enabled: true, recovery_period_in_days: 35 },
      server_side_encryption: { enabled: true, kms_key_arn: '${aws_kms_key.dynamodb_key.arn}' },
      deletion_protection_enabled: true,
      stream_enabled: true,
      stream_view_type: 'NEW_AND_OLD_IMAGES',
      table_class: 'STANDARD',
      lifecycle: { prevent_destroy: true, ignore_changes: CREATE_TIME_ARGUMENTS },
    });
  });

  test("the existing tables (seed 003's CLI script) are imported by the first prod plan, not created", () => {
    expect(json.import).toEqual([
      { to: 'aws_dynamodb_table.documents', id: 'AuditFlow-Documents' },
      { to: 'aws_dynamodb_table.audit_records', id: 'AuditFlow-AuditRecords' },
    ]);
    expect(synthEnvironment(auditFlowCatalog, 'staging').import).toBeUndefined();
  });

  test('the key is protected from destroy too', () => {
    expect(resourcesOfType(json, 'aws_kms_key').dynamodb_key.lifecycle).toEqual({ prevent_destroy: true });
  });
});

describe.each(ENVIRONMENT_NAMES)('auditflow-%s', (environment) => {
  const settings = EXAMPLE_ENVIRONMENTS[environment];
  const json = synthEnvironment(auditFlowCatalog, environment);

  test('provider: catalog region, only the environment account, required tags as default_tags', () => {
    expect(json.provider!.aws).toEqual([
      {
        region: 'ap-south-1',
        allowed_account_ids: [settings.accountId],
        default_tags: [{ tags: { Project: 'auditflow', Owner: 'platform-team', Environment: environment, CostCenter: settings.tags.CostCenter, ManagedBy: 'dynamodb-guardrails' } }],
      },
    ]);
  });

  test('table names carry the environment suffix outside prod', () => {
    const names = Object.values(resourcesOfType(json, 'aws_dynamodb_table')).map((t: any) => t.name).sort();
    const suffix = environment === 'prod' ? '' : `-${environment}`;
    expect(names).toEqual([`AuditFlow-AuditRecords${suffix}`, `AuditFlow-Documents${suffix}`]);
  });

  test('prevent_destroy only in prod', () => {
    const table = resourcesOfType(json, 'aws_dynamodb_table').documents;
    expect(table.lifecycle?.prevent_destroy === true).toBe(environment === 'prod');
  });

  test('one table key per stack with an alias naming the stack', () => {
    expect(resourcesOfType(json, 'aws_kms_alias').dynamodb_key_alias.name).toBe(`alias/auditflow-${environment}-dynamodb`);
    expect(JSON.parse(resourcesOfType(json, 'aws_kms_key').dynamodb_key.policy).Statement[1].Condition.StringEquals['kms:ViaService']).toBe(
      'dynamodb.ap-south-1.amazonaws.com',
    );
  });

  test('outputs for the key, every table name, ARN and stream ARN, the endpoint, alarms and (when on) the vault', () => {
    expect(Object.keys(json.output!).sort()).toEqual([
      'alarm_topic_arn',
      'audit_records_stream_arn',
      'audit_records_table_arn',
      'audit_records_table_name',
      ...(settings.backup.enabled ? ['backup_vault_arn'] : []),
      'documents_stream_arn',
      'documents_table_arn',
      'documents_table_name',
      'dynamodb_key_arn',
      'dynamodb_vpc_endpoint_id',
    ]);
    expect(json.output!.documents_stream_arn.value).toBe('${aws_dynamodb_table.documents.stream_arn}');
  });

  test('local backend keeps state in the project root, outside cdktf.out', () => {
    expect(json.terraform!.backend).toEqual({ local: { path: `../../../terraform.auditflow-${environment}.tfstate` } });
  });
});

describe('composition', () => {
  test('the prod stack has the endpoint, backups, alarms, audit trail and least-privilege access of the catalog', () => {
    const json = synthEnvironment(auditFlowCatalog, 'prod');
    const has = (type: string) => Object.keys(resourcesOfType(json, type));
    expect(has('aws_vpc_endpoint')).toEqual(['dynamodb_endpoint']);
    expect(resourcesOfType(json, 'aws_vpc_endpoint').dynamodb_endpoint.route_table_ids).toEqual(EXAMPLE_ENVIRONMENTS.prod.networks.auditflow.routeTableIds);
    expect(resourcesOfType(json, 'aws_backup_selection').backup_selection.resources).toEqual(['${aws_dynamodb_table.documents.arn}', '${aws_dynamodb_table.audit_records.arn}']);
    expect(has('aws_dynamodb_resource_policy').sort()).toEqual(['audit_records_resource_policy', 'audit_records_stream_policy', 'documents_resource_policy', 'documents_stream_policy']);
    expect(has('aws_iam_role')).toEqual(expect.arrayContaining(['lambda_role']));
    expect(has('aws_cloudtrail')).toHaveLength(1);
    expect(has('aws_dynamodb_contributor_insights').length).toBeGreaterThan(0);
  });

  test('resource policies exempt the deployers and the AWS Backup role, so neither is locked out', () => {
    const json = synthEnvironment(auditFlowCatalog, 'prod');
    const policy = resourcesOfType(json, 'aws_dynamodb_resource_policy').documents_resource_policy.policy as string;
    for (const principal of [...EXAMPLE_ENVIRONMENTS.prod.deployerPrincipalArns, ...EXAMPLE_ENVIRONMENTS.prod.exemptPrincipalArns]) expect(policy).toContain(principal);
    expect(policy).toContain('${aws_iam_role.backup_role.arn}');
  });

  test('dev has no backup plan (waived in its settings)', () => {
    expect(resourcesOfType(synthEnvironment(auditFlowCatalog, 'dev'), 'aws_backup_plan')).toEqual({});
    expect(EXAMPLE_ENVIRONMENTS.dev.waivers.map((w) => w.requirement)).toEqual(['dynamodb:005']);
  });

  test('a catalog with an endpoint needs its network in the settings', () => {
    expect(() => synthEnvironment(auditFlowCatalog, 'staging', { networks: {} })).toThrow(
      'auditflow-staging settings: environments.staging.networks.auditflow = (not set): the catalog needs its VPC id and route tables for its DynamoDB VPC endpoint (dynamodb:015); see help/configuration.md',
    );
  });
});

describe('names that AWS keeps unique per account and Region are unique across the stacks of an environment', () => {
  const NAME_ATTRIBUTES: Record<string, string> = {
    aws_kms_alias: 'name',
    aws_iam_role: 'name',
    aws_sns_topic: 'name',
    aws_cloudtrail: 'name',
    aws_s3_bucket: 'bucket',
    aws_backup_vault: 'name',
    aws_backup_plan: 'name',
    aws_dynamodb_table: 'name',
    aws_cloudwatch_log_group: 'name',
    aws_cloudwatch_metric_alarm: 'alarm_name',
    aws_cloudwatch_dashboard: 'dashboard_name',
    aws_dax_cluster: 'cluster_name',
    aws_config_config_rule: 'name',
  };
  const GLOBAL = ['aws_iam_role', 'aws_s3_bucket'];

  test.each(ENVIRONMENT_NAMES)('%s', (environment) => {
    const names: string[] = [];
    for (const catalog of CATALOGS) {
      const json = synthEnvironment(catalog, environment);
      const region = json.provider!.aws[0].region;
      for (const [type, attribute] of Object.entries(NAME_ATTRIBUTES)) {
        for (const resource of Object.values(resourcesOfType(json, type))) {
          const value = resource[attribute];
          if (typeof value === 'string' && !value.includes('${')) names.push(`${GLOBAL.includes(type) ? 'global' : resource.region ?? region} ${type} ${value}`);
        }
      }
    }
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });
});

describe('backends and key choices', () => {
  test('S3 backend: encrypted, S3-native locking, one key per stack', () => {
    const json = synthEnvironment(auditFlowCatalog, 'prod', {
      backend: { type: 's3', bucket: 'acme-tf-state', region: 'us-east-1', keyPrefix: 'ddb', kmsKeyId: 'alias/tf-state' },
    });
    expect(json.terraform!.backend).toEqual({
      s3: { bucket: 'acme-tf-state', key: 'ddb/auditflow-prod/terraform.tfstate', region: 'us-east-1', encrypt: true, kms_key_id: 'alias/tf-state', use_lockfile: true },
    });
  });

  test('Terraform Cloud: one workspace per stack', () => {
    const json = synthEnvironment(auditFlowCatalog, 'staging', { backend: { type: 'cloud', organization: 'acme', workspacePrefix: 'ddb-' } });
    expect(json.terraform!.cloud).toEqual({ organization: 'acme', workspaces: { name: 'ddb-auditflow-staging' } });
    expect(json.terraform!.backend).toBeUndefined();
  });

  test('an existing key ARN replaces the per-stack key', () => {
    const arn = 'arn:aws:kms:ap-south-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const json = synthEnvironment(auditFlowCatalog, 'prod', { kmsKeyArns: { auditflow: arn } });
    expect(resourcesOfType(json, 'aws_kms_key').dynamodb_key).toBeUndefined();
    expect(resourcesOfType(json, 'aws_dynamodb_table').documents.server_side_encryption).toEqual({ enabled: true, kms_key_arn: arn });
    expect(json.output!.dynamodb_key_arn.value).toBe(arn);
  });

  test('an existing key of another Region is refused: DynamoDB can only use a key of the table Region', () => {
    const usEast1 = 'arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(() => synthEnvironment(auditFlowCatalog, 'prod', { kmsKeyArns: { auditflow: usEast1 } })).toThrow(
      `auditflow-prod settings: environments.prod.kmsKeyArns.auditflow = '${usEast1}': the key is in us-east-1, but the data it encrypts is in ap-south-1; DynamoDB needs a key of the same Region`,
    );
  });

  test('a per-catalog region setting moves the whole stack, key policy included', () => {
    const json = synthEnvironment(auditFlowCatalog, 'dev', { catalogRegions: { auditflow: 'eu-west-1' } });
    expect(json.provider!.aws[0].region).toBe('eu-west-1');
    expect(resourcesOfType(json, 'aws_kms_key').dynamodb_key.policy).toContain('dynamodb.eu-west-1.amazonaws.com');
  });
});

test('MangaAssist prod: the sessions global table outputs its replica ARNs and stream ARNs by Region', () => {
  const json = synthEnvironment(mangaAssistCatalog, 'prod');
  expect(json.output!.sessions_replica_arns.value).toBe('${{ for replica in aws_dynamodb_table.sessions.replica : replica.region_name => replica.arn }}');
  expect(json.output!.sessions_replica_stream_arns.value).toBe('${{ for replica in aws_dynamodb_table.sessions.replica : replica.region_name => replica.stream_arn }}');
  expect(resourcesOfType(json, 'aws_dynamodb_table').sessions.replica.map((r: any) => r.region_name)).toEqual(['us-east-2', 'us-west-2']);
});

describe('ML platform governance (seed 000 §5)', () => {
  const json = synthEnvironment(mlPlatformCatalog, 'prod');

  test('the governance Lambda, its rule and dead-letter queue are part of the ml-platform stack', () => {
    const fn = Object.values(resourcesOfType(json, 'aws_lambda_function'))[0] as any;
    expect(fn).toEqual(expect.objectContaining({ runtime: 'nodejs22.x', architectures: ['arm64'], tracing_config: { mode: 'Active' } }));
    const rule = resourcesOfType(json, 'aws_cloudwatch_event_rule').governance_rule as any;
    expect(JSON.parse(rule.event_pattern).detail.requestParameters.tableName).toEqual([{ prefix: `project-${ML_PROJECT_UUID}-` }]);
  });

  test('tables Terraform creates are left to Terraform: the deployer is passed as the Terraform principal', () => {
    const fn = Object.values(resourcesOfType(json, 'aws_lambda_function'))[0] as any;
    expect(JSON.stringify(fn.environment)).toContain(EXAMPLE_ENVIRONMENTS.prod.deployerPrincipalArns[0]);
  });

  test('other catalogs have no governance Lambda', () => {
    expect(resourcesOfType(synthEnvironment(auditFlowCatalog, 'prod'), 'aws_lambda_function')).toEqual({});
  });
});

test('resource policies of autoscaled tables exempt the Application Auto Scaling service-linked role', () => {
  const autoscalingRole = 'role/aws-service-role/dynamodb.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable';
  const policyOf = (environment: 'staging' | 'prod') => resourcesOfType(synthEnvironment(mangaAssistCatalog, environment), 'aws_dynamodb_resource_policy').sessions_resource_policy.policy as string;
  expect(policyOf('staging')).toContain(autoscalingRole);
  expect(policyOf('prod')).not.toContain(autoscalingRole);
});

test('an interface endpoint from the settings is added next to the gateway endpoint', () => {
  const networks = EXAMPLE_ENVIRONMENTS.prod.networks;
  const withInterface = { ...networks, auditflow: { ...networks.auditflow, interfaceEndpoint: { subnetIds: networks.auditflow.privateSubnetIds.slice(0, 2), allowedCidrs: ['10.40.0.0/16'] } } };
  const json = synthEnvironment(auditFlowCatalog, 'prod', { networks: withInterface });
  const endpoints = resourcesOfType(json, 'aws_vpc_endpoint');
  expect(Object.values(endpoints).map((e: any) => e.vpc_endpoint_type).sort()).toEqual(['Gateway', 'Interface']);
});

describe('monitoring settings reach the alarms', () => {
  const alarms = (json: ReturnType<typeof synthEnvironment>) => Object.values(resourcesOfType(json, 'aws_cloudwatch_metric_alarm')) as any[];

  test('MangaAssist alarms on the lag of its stream consumer (Lambda IteratorAge)', () => {
    const lag = alarms(synthEnvironment(mangaAssistCatalog, 'prod')).filter((a) => a.metric_name === 'IteratorAge');
    expect(lag.map((a) => [a.namespace, a.dimensions, a.threshold])).toEqual([['AWS/Lambda', { FunctionName: 'manga-stream-processor' }, 60000]]);
  });

  test('per-environment thresholds override seed 001’s defaults', () => {
    const monitoring = { ...EXAMPLE_ENVIRONMENTS.staging.monitoring, thresholds: { latencyP99Ms: 40, iteratorAgeMs: 120000 } };
    const json = synthEnvironment(mangaAssistCatalog, 'staging', { monitoring });
    const latency = alarms(json).filter((a) => a.metric_name === 'SuccessfulRequestLatency');
    expect(latency.length).toBeGreaterThan(0);
    expect(new Set(latency.map((a) => a.threshold))).toEqual(new Set([40]));
    expect(alarms(json).find((a) => a.metric_name === 'IteratorAge').threshold).toBe(120000);
  });
});
