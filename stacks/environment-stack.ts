import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { addCatalogAccess, CatalogAccess } from '../modules/access';
import { dynamoDbReplicationRoleArn, iamRoleArn, partitionForRegion } from '../modules/access/arns';
import { exportsTables } from '../modules/access/catalog-access';
import { TableExportBucket } from '../modules/access/export-bucket';
import { DynamoDbBackup } from '../modules/backup';
import { SecureDaxCluster } from '../modules/dax';
import { DynamoDbKey, existingKey, TableKey } from '../modules/encryption';
import { TableGovernance } from '../modules/governance';
import { addCatalogEndpoints, CatalogEndpoints } from '../modules/network/catalog-endpoints';
import { DynamoDbObservability } from '../modules/observability';
import { PlanTimeChecks } from '../modules/preflight';
import { SecureTable } from '../modules/table';
import { GuardrailError } from '../modules/validation';
import { configureBackend } from './backend';
import { Catalog, CatalogTable } from './catalogs/types';
import { CatalogNetworkSettings, EnvironmentName, EnvironmentSettings } from './settings/types';

export function stackName(catalog: Catalog, settings: EnvironmentSettings): string {
  return `${catalog.name}-${settings.name}`;
}

/** The catalog's tables as one environment builds them: each table with that environment's overrides merged. */
export function tablesOf(catalog: Catalog, environment: EnvironmentName): CatalogTable[] {
  return catalog.tables.map((table): CatalogTable => ({ ...table, ...table.environmentOverrides?.[environment] }));
}

/** The Region of a catalog's stack: the per-catalog setting, the catalog's own default, or the environment's. */
export function catalogRegion(catalog: Catalog, settings: EnvironmentSettings): string {
  return settings.catalogRegions[catalog.name] ?? catalog.defaultRegion ?? settings.region;
}

/**
 * The governance Lambda runs when the catalog asks for it and has its VPC endpoint and network; asked before it is
 * created, because the observability created first must know whether a trail is needed for it.
 */
export function governanceRuns(catalog: Catalog, settings: EnvironmentSettings): boolean {
  return Boolean(catalog.governance && catalog.endpoint && settings.networks[catalog.name]);
}

/** Where only governance needs a trail: the stack creates one recording management events, without auditing. */
export function createsGovernanceTrail(catalog: Catalog, settings: EnvironmentSettings): boolean {
  return !settings.monitoring.auditTrail && governanceRuns(catalog, settings) && settings.monitoring.managementTrail !== 'existing';
}

/** The Regions of a catalog table's replicas, as the catalog lists them (by name or with options). */
function replicaRegionsOf(table: CatalogTable): string[] {
  return (table.replicas ?? []).map((replica) => (typeof replica === 'string' ? replica : replica.region));
}

export interface EnvironmentStackOptions {
  /**
   * The stack whose trail records every management event of this stack's account and Region (stacks/app.ts
   * managementEventRecorders). Other stacks' trails then record the write calls only, so the account pays for one
   * copy of the read calls. @default this stack
   */
  readonly managementEventsRecordedBy?: string;
}

const AUTOSCALING_SERVICE_ROLE = 'dynamodb.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable';
const CONFIG_SERVICE_ROLE = 'config.amazonaws.com/AWSServiceRoleForConfig';

function serviceLinkedRoleArn(partition: string, accountId: string, serviceAndRole: string): string {
  return `arn:${partition}:iam::${accountId}:role/aws-service-role/${serviceAndRole}`;
}

/** Vault lock bounds: the daily rule keeps 35 days and the monthly rule one year, both within these. */
const VAULT_LOCK_RETENTION = { minRetentionDays: 7, maxRetentionDays: 3650 };

/**
 * One catalog in one environment: provider pinned to the environment's account, backend, customer-managed key,
 * tables, VPC endpoint, backups, monitoring, DAX and least-privilege access.
 */
export class EnvironmentStack extends TerraformStack {
  readonly catalog: Catalog;
  readonly settings: EnvironmentSettings;
  readonly region: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly key: TableKey;
  readonly tables: ReadonlyMap<string, SecureTable>;
  readonly endpoints?: CatalogEndpoints;
  readonly observability: DynamoDbObservability;
  readonly backup?: DynamoDbBackup;
  readonly dax?: SecureDaxCluster;
  readonly access: CatalogAccess;
  readonly governance?: TableGovernance;
  readonly preflight: PlanTimeChecks;

  private readonly options: EnvironmentStackOptions;

  /**
   * cdktf resolves every element of a stack one extra time before synthesizing it, only so that references to another
   * stack's resources can add their outputs and remote-state data sources. An environment stack never refers to
   * another stack (each is planned and deployed on its own), so that pass is left out: the JSON is byte-identical and
   * synth spends a fifth less time resolving tokens (measured with `npm run bench -- --profile`).
   */
  override prepareStack(): void {
    this.ensureBackendExists();
  }

  constructor(scope: Construct, catalog: Catalog, settings: EnvironmentSettings, options: EnvironmentStackOptions = {}) {
    const name = stackName(catalog, settings);
    super(scope, name);
    this.catalog = catalog;
    this.settings = settings;
    this.options = options;
    this.region = catalogRegion(catalog, settings);
    this.tags = {
      Project: catalog.project,
      Owner: settings.tags.Owner,
      Environment: settings.name,
      CostCenter: settings.tags.CostCenter,
      ManagedBy: 'dynamodb-guardrails',
    };

    new AwsProvider(this, 'aws', {
      region: this.region,
      allowedAccountIds: [settings.accountId],
      defaultTags: [{ tags: { ...this.tags } }],
    });
    configureBackend(this, name, settings.backend);

    const specs = tablesOf(catalog, settings.name);
    this.key = this.createKey(name, specs);
    this.tables = this.createTables(specs);
    const network = catalog.endpoint || catalog.dax ? this.network() : undefined;
    this.endpoints = catalog.endpoint && network ? this.createEndpoints(name, catalog, network) : undefined;
    this.observability = this.createObservability(name);
    this.backup = settings.backup.enabled ? this.createBackup(name) : undefined;
    this.dax = catalog.dax?.environments.includes(settings.name) && network ? this.createDax(catalog, network) : undefined;
    const exports = this.createExportBucket(name, catalog);
    this.access = addCatalogAccess(this, catalog, {
      accountId: settings.accountId,
      region: this.region,
      tables: this.tables,
      defaultKeyArn: this.key.keyArn,
      vpcEndpointIds: this.endpoints ? [this.endpoints.gateway.endpointId, ...(this.endpoints.interface ? [this.endpoints.interface.endpointId] : [])] : [],
      vpcIds: network ? [network.vpcId] : [],
      exemptPrincipalArns: this.exemptPrincipals(specs),
      exportBucketObjectsArn: exports?.objectsArn,
    });
    this.governance = governanceRuns(this.catalog, this.settings) ? this.createGovernance(catalog.governance!.projectUuid, network!) : undefined;
    this.preflight = this.createPlanTimeChecks(specs);
  }

  /** Account preconditions the provider checks during terraform plan (modules/preflight, help/preflight.md). */
  private createPlanTimeChecks(specs: CatalogTable[]): PlanTimeChecks {
    const copyRegion = this.settings.backup.enabled ? this.settings.backup.copyRegions?.[this.catalog.name] : undefined;
    return new PlanTimeChecks(this, 'preflight', {
      accountId: this.settings.accountId,
      regions: [
        { region: this.region, usedBy: 'the tables' },
        ...specs.flatMap((spec) => replicaRegionsOf(spec).map((region) => ({ region, usedBy: `replicas of ${spec.baseName}` }))),
        ...(copyRegion ? [{ region: copyRegion, usedBy: 'the backup copy vault' }] : []),
      ],
      // A break-glass role may run Terraform in an emergency: the policies exempt it as well.
      deployerPrincipalArns: [...this.settings.deployerPrincipalArns, ...this.settings.exemptPrincipalArns],
      deployerSetting: `environments.${this.settings.name}.deployerRoles (or GUARDRAILS_${this.settings.name.toUpperCase()}_DEPLOYER_ROLES)`,
    });
  }

  private createKey(name: string, specs: CatalogTable[]): TableKey {
    const replicaRegions = specs.flatMap(replicaRegionsOf);
    const existingKeyArn = this.settings.kmsKeyArns[this.catalog.name];
    const key = existingKeyArn
      ? existingKey(`${name} settings`, existingKeyArn, this.region, `environments.${this.settings.name}.kmsKeyArns.${this.catalog.name}`)
      : new DynamoDbKey(this, 'dynamodb_key', {
          accountId: this.settings.accountId,
          region: this.region,
          aliasName: `alias/${name}-dynamodb`,
          description: `DynamoDB tables of ${name} (dynamodb:001)`,
          preventDestroy: this.settings.preventDestroy,
          replicaRegions,
        });
    this.output('dynamodb_key_arn', key.keyArn, 'Customer-managed KMS key of the tables');
    return key;
  }

  private createTables(specs: CatalogTable[]): Map<string, SecureTable> {
    const tables = new Map<string, SecureTable>();
    for (const spec of specs) {
      const { id, baseName, environmentOverrides: _overrides, importExisting, ...tableProps } = spec;
      const table = new SecureTable(this, id, {
        ...tableProps,
        tableName: `${baseName}${this.settings.tableNameSuffix}`,
        region: this.region,
        accountId: this.settings.accountId,
        encryptionKey: this.key,
        pointInTimeRecovery: spec.pointInTimeRecovery ?? this.settings.pointInTimeRecovery,
        deletionProtection: spec.deletionProtection ?? this.settings.deletionProtection,
        preventDestroy: this.settings.preventDestroy,
      });
      if (importExisting && spec.source) {
        throw new GuardrailError(`catalog '${this.catalog.name}'`, `tables.${id}.source`, Object.keys(spec.source)[0], 'importExisting adopts a table that exists; a source creates a new one: use one of them');
      }
      if (importExisting) table.resource.importFrom(table.props.tableName); // adopt a table created outside Terraform
      tables.set(id, table);
      this.output(`${id}_table_name`, table.tableName, `Name of ${baseName}`);
      this.output(`${id}_table_arn`, table.tableArn, `ARN of ${baseName}`);
      if (spec.stream !== false) this.output(`${id}_stream_arn`, table.streamArn, `Stream ARN of ${baseName}`);
      if (spec.replicas?.length) {
        this.output(`${id}_replica_arns`, table.replicaArns, `Replica ARNs of ${baseName}, by Region`);
        this.output(`${id}_replica_stream_arns`, table.replicaStreamArns, `Replica stream ARNs of ${baseName}, by Region`);
      }
    }
    return tables;
  }

  /** The catalog's network ids from settings; VPC endpoints, VPC-only policies and DAX cannot work without them. */
  private network(): CatalogNetworkSettings {
    const network = this.settings.networks[this.catalog.name];
    if (!network) {
      throw new GuardrailError(`${this.node.id} settings`, `environments.${this.settings.name}.networks.${this.catalog.name}`, undefined, 'the catalog needs its VPC id and route tables for its DynamoDB VPC endpoint (dynamodb:015); see help/configuration.md');
    }
    return network;
  }

  private createEndpoints(name: string, catalog: Catalog, network: CatalogNetworkSettings): CatalogEndpoints {
    const endpoints = addCatalogEndpoints(
      this,
      name,
      catalog.endpoint!,
      { accountId: this.settings.accountId, region: this.region, vpcId: network.vpcId, routeTableIds: network.routeTableIds, interfaceEndpoint: network.interfaceEndpoint, extraTableNames: network.extraTableNames },
      (catalog.roles ?? []).map((role) => role.roleName),
    );
    this.output('dynamodb_vpc_endpoint_id', endpoints.gateway.endpointId, 'DynamoDB gateway endpoint of the catalog VPC');
    return endpoints;
  }

  private createObservability(name: string): DynamoDbObservability {
    const { monitoring } = this.settings;
    const includeManagementEvents = (this.options.managementEventsRecordedBy ?? name) === name ? true : 'writes-only';
    const observability = new DynamoDbObservability(this, 'observability', {
      namePrefix: name,
      accountId: this.settings.accountId,
      region: this.region,
      tables: [...this.tables.values()],
      alarmTopic: { emailSubscribers: monitoring.alarmEmails, allowAwsBackupNotifications: this.settings.backup.enabled },
      alarms: { thresholds: monitoring.thresholds, streamConsumers: this.catalog.streamConsumers },
      contributorInsights: monitoring.contributorInsights ? {} : false,
      // The governance rule needs a trail recording management events; without the audit trail nothing would fire.
      // Where only governance needs it, a trail of the write calls, without the audit's data events and logs.
      auditTrail: monitoring.auditTrail
        ? { trail: { mode: 'create', includeManagementEvents } }
        : createsGovernanceTrail(this.catalog, this.settings)
          ? { trail: { mode: 'create', auditing: false, includeManagementEvents } }
          : false,
      configRules: monitoring.configRules ? { allowedKmsKeyArns: [this.key.keyArn], requiredTags: this.tags } : false,
      preventDestroy: this.settings.preventDestroy,
    });
    this.output('alarm_topic_arn', observability.topicArn, "SNS topic of every alarm in the stack's Region");
    for (const [region, arn] of Object.entries(observability.replicaRegionTopicArns)) {
      this.output(`alarm_topic_arn_${region.replace(/-/g, '_')}`, arn, `SNS topic of the alarms of the replicas in ${region}`);
    }
    return observability;
  }

  private createBackup(name: string): DynamoDbBackup {
    const { backup } = this.settings;
    const copyRegion = backup.copyRegions?.[this.catalog.name];
    if (copyRegion === this.region) {
      throw new GuardrailError(`${name} settings`, `environments.${this.settings.name}.backup.copyRegions.${this.catalog.name}`, copyRegion, `is the catalog's own Region; backup copies must go to another Region`);
    }
    const dynamoDbBackup = new DynamoDbBackup(this, 'backup', {
      namePrefix: name,
      accountId: this.settings.accountId,
      region: this.region,
      tables: [...this.tables.values()],
      crossRegionCopy: copyRegion ? { region: copyRegion } : undefined,
      vaultLock: backup.vaultLock ? { ...VAULT_LOCK_RETENTION, mode: backup.vaultLock } : undefined,
      notificationTopicArn: this.observability.topicArn,
      preventDestroy: this.settings.preventDestroy,
    });
    this.output('backup_vault_arn', dynamoDbBackup.vault.vaultArn, 'AWS Backup vault of the tables');
    return dynamoDbBackup;
  }

  private createDax(catalog: Catalog, network: CatalogNetworkSettings): SecureDaxCluster {
    const spec = catalog.dax!;
    const cluster = new SecureDaxCluster(this, 'dax', {
      clusterName: `${spec.clusterName}-${this.settings.name}`,
      region: this.region,
      vpcId: network.vpcId,
      subnetIds: [...network.privateSubnetIds],
      availabilityZones: [...network.availabilityZones],
      applicationSecurityGroupIds: [...network.applicationSecurityGroupIds],
      nodeType: spec.nodeType,
      clientActions: spec.clientActions,
      tables: spec.tables.map((id) => ({ tableArn: this.requireTable(`dax.tables`, id).tableArn, keyArn: this.key.keyArn })),
    });
    this.output('dax_endpoint_url', cluster.endpointUrl, 'DAX cluster endpoint (TLS, daxs://)');
    this.output('dax_security_group_id', cluster.securityGroupId, 'Security group of the DAX cluster');
    return cluster;
  }

  /** The destination of table exports, when a role of the catalog may export (seed 001's admin role). */
  private createExportBucket(name: string, catalog: Catalog): TableExportBucket | undefined {
    const exporters = (catalog.roles ?? []).filter(exportsTables);
    if (exporters.length === 0) return undefined;
    const partition = partitionForRegion(this.region);
    const bucket = new TableExportBucket(this, 'table_exports', {
      bucketName: `${name}-dynamodb-exports-${this.settings.accountId}`,
      accountId: this.settings.accountId,
      region: this.region,
      exporterArns: exporters.map((role) => iamRoleArn(partition, this.settings.accountId, role.roleName)),
      exemptPrincipalArns: [...this.settings.deployerPrincipalArns, ...this.settings.exemptPrincipalArns],
    });
    this.output('table_exports_bucket', bucket.bucket.bucket, 'S3 bucket that table exports (ExportTableToPointInTime) write to');
    return bucket;
  }

  private createGovernance(projectUuid: string, network: CatalogNetworkSettings): TableGovernance {
    const governance = new TableGovernance(this, 'governance', {
      accountId: this.settings.accountId,
      region: this.region,
      projectUuid,
      vpcEndpointId: this.endpoints!.gateway.endpointId,
      vpcId: network.vpcId,
      tableKeyArn: this.key.keyArn,
      requiredTags: { Owner: this.settings.tags.Owner, CostCenter: this.settings.tags.CostCenter, Environment: this.settings.name, Project: this.catalog.project },
      notificationTopicArn: this.observability.topicArn,
      notificationTopicKeyArn: this.observability.alarmTopic?.keyArn,
      exemptPrincipalArns: [...this.settings.deployerPrincipalArns, ...this.settings.exemptPrincipalArns, ...(this.backup ? [this.backup.role.arn] : [])],
      terraformPrincipalArns: this.settings.deployerPrincipalArns,
      terraformTableNames: [...this.tables.values()].map((table) => table.props.tableName),
      preventDestroy: this.settings.preventDestroy,
    });
    this.output('governance_function_name', governance.functionName, 'Lambda that applies the guardrails to tables created outside Terraform');
    return governance;
  }

  /**
   * Principals the table resource policies must not lock out: the deployers from settings, plus the service roles
   * that work on the tables from the AWS network (AWS Backup, global-table replication, the DAX cluster).
   */
  private exemptPrincipals(specs: CatalogTable[]): string[] {
    const partition = partitionForRegion(this.region);
    return [
      ...this.settings.deployerPrincipalArns,
      ...this.settings.exemptPrincipalArns,
      ...(this.backup ? [this.backup.role.arn] : []),
      ...(specs.some((spec) => spec.replicas?.length) ? [dynamoDbReplicationRoleArn(partition, this.settings.accountId)] : []),
      ...(this.dax ? [this.dax.roleArn] : []),
      // An explicit Deny in a resource policy binds service-linked roles too: autoscaling must still read and update
      // provisioned capacity, and AWS Config must still describe the tables.
      ...(specs.some((spec) => spec.billing?.mode === 'PROVISIONED') ? [serviceLinkedRoleArn(partition, this.settings.accountId, AUTOSCALING_SERVICE_ROLE)] : []),
      // Also without our Config rules: an organization-wide recorder or Security Hub describes the tables through it.
      serviceLinkedRoleArn(partition, this.settings.accountId, CONFIG_SERVICE_ROLE),
    ];
  }

  private requireTable(field: string, id: string): SecureTable {
    const table = this.tables.get(id);
    if (!table) throw new GuardrailError(this.node.id, field, id, `is not a table of catalog '${this.catalog.name}' (${[...this.tables.keys()].join(', ')})`);
    return table;
  }

  private output(name: string, value: string, description: string): void {
    new TerraformOutput(this, name, { value, description }).overrideLogicalId(name);
  }
}
