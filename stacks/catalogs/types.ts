import type { ResourcePolicySpec, RoleSpec } from '../../modules/access/catalog-access';
import type { EndpointSpec } from '../../modules/network/catalog-endpoints';
import type { StreamConsumer } from '../../modules/observability/metrics';
import { SecureTableProps } from '../../modules/table';
import type { EnvironmentName } from '../settings/types';

/** A catalog name becomes part of stack names (`<name>-<env>`), Terraform Cloud workspaces and IAM role names. */
export const CATALOG_NAME = /^[a-z][a-z0-9-]{0,39}$/;
export const CATALOG_NAME_RULE = 'must start with a lowercase letter and have at most 40 lowercase letters, digits and hyphens';

/** Table settings a catalog may vary per environment (e.g. replicas only in prod). */
export type CatalogTableSettings = Omit<SecureTableProps, 'tableName' | 'encryptionKey' | 'preventDestroy' | 'tags' | 'region' | 'accountId'>;

/** How Terraform takes over a table (not a property of the table itself). */
export interface CatalogTableAdoption {
  /**
   * The table already exists, created outside Terraform (seed 003's AWS CLI script): the stack emits a Terraform
   * `import` block (`to = aws_dynamodb_table.<id>`, `id = <table name>`), so the first plan imports the table instead
   * of trying to create it. Set it per environment in `environmentOverrides`, compare the plan, apply once, then remove
   * it (help/importing.md).
   * @default false
   */
  readonly importExisting?: boolean;
}

/** A table of a catalog, as data: everything but the per-environment name, key and defaults. */
export interface CatalogTable extends CatalogTableSettings, CatalogTableAdoption {
  /** Construct id and Terraform address (`aws_dynamodb_table.<id>`); never changes. */
  readonly id: string;
  /** The table name in prod; other environments append their suffix (`AuditFlow-Documents-dev`). */
  readonly baseName: string;
  /** Settings that differ in one environment, merged over the others. @default {} */
  readonly environmentOverrides?: Partial<Record<EnvironmentName, Partial<CatalogTableSettings & CatalogTableAdoption>>>;
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

/** A DAX cluster in front of some of a catalog's tables (dynamodb:007–009). */
export interface DaxSpec {
  /** Cluster name without the environment, which is appended (`manga-sess-prod`). */
  readonly clusterName: string;
  /** Ids of the catalog tables the cluster caches (its role can reach exactly these). */
  readonly tables: readonly string[];
  /** Environments that run the cluster. */
  readonly environments: readonly EnvironmentName[];
  /** @default 'dax.r5.large' */
  readonly nodeType?: string;
  /**
   * The DynamoDB item actions the cluster's clients send; the cluster role gets only these (through DAX the role's
   * permissions, not the caller's, reach the items). @default every read and write action
   */
  readonly clientActions?: readonly string[];
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
  /** One least-privilege IAM role per function (dynamodb:012). @default none */
  readonly roles?: readonly RoleSpec[];
  /** Table resource policies (dynamodb:006). @default none */
  readonly resourcePolicies?: readonly ResourcePolicySpec[];
  /** The DynamoDB VPC endpoint policy of the catalog's VPC (dynamodb:015). @default no endpoint */
  readonly endpoint?: EndpointSpec;
  /** @default no DAX */
  readonly dax?: DaxSpec;
  /** Consumers of table streams, by table id, whose lag (iterator age) is alarmed on. @default none */
  readonly streamConsumers?: Readonly<Record<string, readonly StreamConsumer[]>>;
  /**
   * Governance of tables that project members create outside Terraform (seed 000 §5): an EventBridge rule on
   * CloudTrail CreateTable for `project-<uuid>-*` invokes a Lambda that applies the guardrails. @default none
   */
  readonly governance?: { readonly projectUuid: string };
}
