import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DynamoDbKey, existingKey, TableKey } from '../modules/encryption';
import { SecureTable } from '../modules/table';
import { configureBackend } from './backend';
import { Catalog } from './catalogs/types';
import { EnvironmentSettings } from './settings/types';

export function stackName(catalog: Catalog, settings: EnvironmentSettings): string {
  return `${catalog.name}-${settings.name}`;
}

/** One catalog in one environment: provider pinned to the environment's account, backend, key and tables. */
export class EnvironmentStack extends TerraformStack {
  readonly catalog: Catalog;
  readonly settings: EnvironmentSettings;
  readonly region: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly key: TableKey;
  readonly tables: ReadonlyMap<string, SecureTable>;

  constructor(scope: Construct, catalog: Catalog, settings: EnvironmentSettings) {
    const name = stackName(catalog, settings);
    super(scope, name);
    this.catalog = catalog;
    this.settings = settings;
    this.region = settings.catalogRegions[catalog.name] ?? catalog.defaultRegion ?? settings.region;
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

    const specs = catalog.tables.map((table) => ({ ...table, ...table.environmentOverrides?.[settings.name] }));
    const replicaRegions = specs.flatMap((spec) => (spec.replicas ?? []).map((replica) => (typeof replica === 'string' ? replica : replica.region)));
    this.key = settings.kmsKeyArn
      ? existingKey(`${name} settings`, settings.kmsKeyArn)
      : new DynamoDbKey(this, 'dynamodb_key', {
          accountId: settings.accountId,
          region: this.region,
          aliasName: `alias/${name}-dynamodb`,
          description: `DynamoDB tables of ${name} (dynamodb:001)`,
          preventDestroy: settings.preventDestroy,
          replicaRegions,
        });
    this.output('dynamodb_key_arn', this.key.keyArn, 'Customer-managed KMS key of the tables');

    const tables = new Map<string, SecureTable>();
    for (const spec of specs) {
      const { id, baseName, environmentOverrides: _overrides, ...tableProps } = spec;
      const table = new SecureTable(this, id, {
        ...tableProps,
        tableName: `${baseName}${settings.tableNameSuffix}`,
        region: this.region,
        encryptionKey: this.key,
        pointInTimeRecovery: spec.pointInTimeRecovery ?? settings.pointInTimeRecovery,
        deletionProtection: spec.deletionProtection ?? settings.deletionProtection,
        preventDestroy: settings.preventDestroy,
      });
      tables.set(id, table);
      this.output(`${id}_table_name`, table.tableName, `Name of ${baseName}`);
      this.output(`${id}_table_arn`, table.tableArn, `ARN of ${baseName}`);
      if (spec.stream !== false) this.output(`${id}_stream_arn`, table.streamArn, `Stream ARN of ${baseName}`);
      if (spec.replicas?.length) {
        this.output(`${id}_replica_arns`, table.replicaArns, `Replica ARNs of ${baseName}, by Region`);
        this.output(`${id}_replica_stream_arns`, table.replicaStreamArns, `Replica stream ARNs of ${baseName}, by Region`);
      }
    }
    this.tables = tables;
  }

  private output(name: string, value: string, description: string): void {
    new TerraformOutput(this, name, { value, description }).overrideLogicalId(name);
  }
}
