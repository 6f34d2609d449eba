export const ENVIRONMENT_NAMES = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** Where Terraform keeps state for a stack. */
export type BackendSettings =
  | { readonly type: 'local' }
  | {
      readonly type: 's3';
      readonly bucket: string;
      readonly region: string;
      /** State object key is `<keyPrefix>/<stack>/terraform.tfstate`. */
      readonly keyPrefix: string;
      /** Optional KMS key for the state object; SSE-S3 otherwise. */
      readonly kmsKeyId?: string;
    }
  | {
      readonly type: 'cloud';
      readonly organization: string;
      /** Workspace name is `<workspacePrefix><stack>`. */
      readonly workspacePrefix: string;
      /** @default 'app.terraform.io' (Terraform Cloud) */
      readonly hostname?: string;
    };

/** Tags every resource carries (seed 000): Project comes from the catalog, the rest from the environment. */
export interface EnvironmentTags {
  readonly Owner: string;
  readonly CostCenter: string;
}

export interface EnvironmentSettings {
  readonly name: EnvironmentName;
  /** The only AWS account this environment's plans may run against (`allowed_account_ids`). */
  readonly accountId: string;
  /** Default region; a catalog may pin its own (AuditFlow lives in ap-south-1). */
  readonly region: string;
  /** Per-catalog region overrides, e.g. `{ auditflow: 'ap-south-1' }`. */
  readonly catalogRegions: Readonly<Record<string, string>>;
  /** Added to table names outside prod (`AuditFlow-Documents-dev`); empty in prod. */
  readonly tableNameSuffix: string;
  readonly tags: EnvironmentTags;
  /** Default for dynamodb:003 on every table. */
  readonly deletionProtection: boolean;
  /** Default for dynamodb:002 on every table. */
  readonly pointInTimeRecovery: boolean;
  /**
   * Use this existing customer-managed key for the tables instead of creating one per stack (for keys owned by a
   * central security team).
   */
  readonly kmsKeyArn?: string;
  /** Adds `lifecycle.prevent_destroy` to tables and keys. */
  readonly preventDestroy: boolean;
  readonly backend: BackendSettings;
}
