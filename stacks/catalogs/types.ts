import { SecureTableProps } from '../../modules/table';
import type { EnvironmentName } from '../settings/types';

/** Table settings a catalog may vary per environment (e.g. replicas only in prod). */
export type CatalogTableSettings = Omit<SecureTableProps, 'tableName' | 'encryptionKey' | 'preventDestroy' | 'tags' | 'region'>;

/** A table of a catalog, as data: everything but the per-environment name, key and defaults. */
export interface CatalogTable extends CatalogTableSettings {
  /** Construct id and Terraform address (`aws_dynamodb_table.<id>`); never changes. */
  readonly id: string;
  /** The table name in prod; other environments append their suffix (`AuditFlow-Documents-dev`). */
  readonly baseName: string;
  /** Settings that differ in one environment, merged over the others. @default {} */
  readonly environmentOverrides?: Partial<Record<EnvironmentName, Partial<CatalogTableSettings>>>;
}

/** A query the application runs, kept with the schema so tests can prove the indexes serve it. */
export interface AccessPattern {
  readonly id: string;
  readonly description: string;
  /** Id of the catalog table queried. */
  readonly table: string;
  readonly indexName?: string;
  readonly keyConditionExpression: string;
  readonly expressionAttributeNames?: Readonly<Record<string, string>>;
  readonly expressionAttributeValues: Readonly<Record<string, string | number>>;
  /** @default true (ascending sort key) */
  readonly scanIndexForward?: boolean;
}

/** A set of tables that belong to one application, deployed as one stack per environment. */
export interface Catalog {
  /** Stack names are `<name>-<env>`. */
  readonly name: string;
  /** Value of the required `Project` tag. */
  readonly project: string;
  /** Region used unless the environment settings pin one for this catalog. */
  readonly defaultRegion?: string;
  readonly tables: readonly CatalogTable[];
  readonly accessPatterns: readonly AccessPattern[];
}
