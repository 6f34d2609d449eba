import type { Waiver } from '../../modules/compliance/waivers';

export const ENVIRONMENT_NAMES = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** The environment of a stack named `<catalog>-<environment>`, if its name ends so. */
export const environmentOfStack = (stack: string): EnvironmentName | undefined => ENVIRONMENT_NAMES.find((name) => stack.endsWith(`-${name}`));

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

/** A catalog's network in one environment. Ids are inputs: this project never creates VPCs or subnets. */
export interface CatalogNetworkSettings {
  readonly vpcId: string;
  /** Route tables that get the DynamoDB gateway endpoint (one gateway endpoint per route table and service). */
  readonly routeTableIds: readonly string[];
  /** Private subnets, one per availability zone, for DAX and the optional interface endpoint. @default [] */
  readonly privateSubnetIds: readonly string[];
  /** Zones of those subnets, in the same order (DAX nodes are placed in them). @default [] */
  readonly availabilityZones: readonly string[];
  /** Security groups of the applications allowed to reach DAX. @default [] */
  readonly applicationSecurityGroupIds: readonly string[];
  /**
   * Other tables of the account that clients in this VPC reach through its DynamoDB endpoint, by exact name (a gateway
   * endpoint carries all DynamoDB traffic of its route tables, so its policy must name them). @default []
   */
  readonly extraTableNames?: readonly string[];
  /** A PrivateLink (interface) endpoint as well, for on-premises clients; HTTPS only from these. @default none */
  readonly interfaceEndpoint?: {
    readonly subnetIds: readonly string[];
    readonly allowedCidrs?: readonly string[];
    readonly allowedSecurityGroupIds?: readonly string[];
  };
}

export interface BackupSettings {
  /** dynamodb:005; turning it off needs a dynamodb:005 waiver in `waivers`. */
  readonly enabled: boolean;
  /**
   * Per catalog, copy every recovery point to a vault in this Region (AuditFlow keeps its copies in India:
   * ap-south-1 → ap-south-2). @default no copies
   */
  readonly copyRegions?: Readonly<Record<string, string>>;
  /** Vault lock mode. @default none */
  readonly vaultLock?: 'governance' | 'compliance';
}

export interface MonitoringSettings {
  /** Email addresses subscribed to the alarm topic (each must confirm once). */
  readonly alarmEmails: readonly string[];
  /** Contributor Insights on every table and GSI (seed 001 §8). */
  readonly contributorInsights: boolean;
  /** A CloudTrail trail with data events for the catalog's tables, metric filters and alarms (seed 001 §6). */
  readonly auditTrail: boolean;
  /** AWS Config managed rules for dynamodb:001–015 (off where Config is deployed centrally). */
  readonly configRules: boolean;
  /**
   * Where the governance rule's CloudTrail management events come from: `create` makes the stack's audit trail even
   * where `auditTrail` is off (EventBridge receives "AWS API Call via CloudTrail" events only while a trail records
   * them); `existing` relies on a trail of the account or organization (npm run preflight lists the check).
   * @default 'create'
   */
  readonly managementTrail?: 'create' | 'existing';
  /** Alarm thresholds that differ from seed 001's defaults in this environment. @default {} */
  readonly thresholds?: AlarmThresholdSettings;
}

/** Overrides of the alarm thresholds (see help/monitoring.md for each alarm). */
export interface AlarmThresholdSettings {
  readonly latencyP99Ms?: number;
  readonly capacityUtilizationPercent?: number;
  readonly iteratorAgeMs?: number;
  readonly throttledRequests?: number;
  readonly systemErrors?: number;
  readonly replicationLatencyMs?: number;
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
   * Per catalog, an existing customer-managed key for its tables instead of one created per stack (keys owned by a
   * central security team). The key must be in the catalog's Region.
   */
  readonly kmsKeyArns: Readonly<Record<string, string>>;
  /** Adds `lifecycle.prevent_destroy` to tables and keys. */
  readonly preventDestroy: boolean;
  readonly backend: BackendSettings;
  /** Per-catalog network ids, e.g. `{ 'manga-assist': { vpcId, routeTableIds, ... } }`. */
  readonly networks: Readonly<Record<string, CatalogNetworkSettings>>;
  /**
   * Names of the roles (optionally with an IAM path, `platform/terraform-deployer`) that run `terraform apply`, in this
   * environment's account. @default ['terraform-deployer']
   */
  readonly deployerRoles: readonly string[];
  /** Names of the break-glass roles in this environment's account, never denied by table policies. @default ['break-glass-admin'] */
  readonly breakGlassRoles: readonly string[];
  /**
   * Principals that run `terraform apply` for this environment (the ARNs of `deployerRoles`, or full ARNs from the file). Table resource policies never lock them out, and the
   * governance Lambda leaves tables they create to Terraform.
   */
  readonly deployerPrincipalArns: readonly string[];
  /**
   * Further principals the table resource policies never deny (besides TLS and root): the `breakGlassRoles`, and any ARNs
   * the file adds. The
   * stack adds the AWS Backup role, the global-table replication role and the DAX role itself.
   */
  readonly exemptPrincipalArns: readonly string[];
  /**
   * Other accounts whose ARNs a stack of this environment may name (a CI or identity account whose roles assume the
   * catalog roles, a central alarm topic). Every other account id in a stack is an error. @default []
   */
  readonly trustedAccountIds: readonly string[];
  readonly backup: BackupSettings;
  readonly monitoring: MonitoringSettings;
  /** Accepted exceptions to dynamodb:001–015 (id, resource, reason, expiry); see help/compliance.md. */
  readonly waivers: readonly Waiver[];
}
