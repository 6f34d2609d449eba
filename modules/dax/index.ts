import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { DaxCluster } from '@cdktf/provider-aws/lib/dax-cluster';
import { DaxParameterGroup } from '@cdktf/provider-aws/lib/dax-parameter-group';
import { DaxSubnetGroup } from '@cdktf/provider-aws/lib/dax-subnet-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { KMS_KEY_ARN } from '../encryption';
import { useStableAddress } from '../naming';
import { GuardrailError, isResolved, requireIntegerInRange } from '../validation';
import { DaxAccess, DaxTableAccess, daxAssumeRolePolicy, daxTableAccessPolicy, daxTableActions } from './policies';
import { policyJson } from '../rendering';

export * from './policies';

/** Port of a DAX cluster with encryption in transit (8111 is the plaintext port, which TLS clusters do not open). */
export const DAX_TLS_PORT = 9111;
/** dynamodb:009: three nodes, each in its own availability zone, is the smallest fault-tolerant DAX cluster. */
export const MIN_REPLICATION_FACTOR = 3;
/** CreateCluster accepts 1 node, or 3 to 10 nodes. */
export const MAX_REPLICATION_FACTOR = 10;
export const MAX_CLUSTER_NAME_LENGTH = 20;
export const MIN_WAIVER_REASON_LENGTH = 10;
/** DAX's minimum weekly maintenance window. */
export const MIN_MAINTENANCE_WINDOW_MINUTES = 60;
/** DAX's default for both `record-ttl-millis` and `query-ttl-millis` (5 minutes). */
export const DEFAULT_CACHE_TTL_MILLIS = 300_000;
/** The TTL parameters are integers (AWS lists their allowed values as "0-"); 0 means "no TTL, evict by LRU only". */
export const MAX_CACHE_TTL_MILLIS = 2_147_483_647;

/** Current-generation memory-optimized node types (all support encryption at rest and in transit). */
export const DAX_MEMORY_OPTIMIZED_NODE_TYPES = [
  'dax.r5.large',
  'dax.r5.xlarge',
  'dax.r5.2xlarge',
  'dax.r5.4xlarge',
  'dax.r5.8xlarge',
  'dax.r5.12xlarge',
  'dax.r5.16xlarge',
  'dax.r5.24xlarge',
] as const;
/** Burstable node types: CPU credits, meant for development and test; need `allowBurstableNodeType`. */
export const DAX_BURSTABLE_NODE_TYPES = ['dax.t3.small', 'dax.t3.medium'] as const;
/**
 * Node types this module accepts. The previous generations (dax.r4.*, dax.t2.*) are left out on purpose, and
 * dax.r3.* cannot be encrypted at rest at all.
 */
export const DAX_NODE_TYPES: readonly string[] = [...DAX_MEMORY_OPTIMIZED_NODE_TYPES, ...DAX_BURSTABLE_NODE_TYPES];
export const DEFAULT_NODE_TYPE = 'dax.r5.large';

/**
 * dynamodb:007 asks for a customer-managed KMS key on DAX clusters. DAX cannot do that: `server_side_encryption` has
 * only `enabled`, and AWS states that customer-specified KMS keys are not supported — DAX encrypts its disks with
 * the single service default key that AWS owns and manages for it. This module turns that encryption on (the most
 * AWS allows); the compliance report shows the requirement as met to the AWS limit.
 */
export const DAX_ENCRYPTION_AT_REST = {
  requirement: 'dynamodb:007',
  status: 'met-to-aws-limit',
  keyType: 'AWS-owned key',
  summary: 'met to the AWS limit: AWS-owned key',
  detail:
    'DAX encryption at rest (AES-256) is enabled. DAX supports only its AWS service default key; customer-managed ' +
    'KMS keys cannot be configured for DAX clusters (aws_dax_cluster.server_side_encryption has no key argument).',
} as const;

/** dynamodb:008 as configured by this module. */
export const DAX_ENCRYPTION_IN_TRANSIT = {
  requirement: 'dynamodb:008',
  clusterEndpointEncryptionType: 'TLS',
  port: DAX_TLS_PORT,
  endpointScheme: 'daxs://',
} as const;

/** Accepting a one-node cluster (no replica, one zone) outside production, with a recorded reason and expiry. */
export interface DaxSingleNodeWaiver {
  /** Why one node is acceptable here (at least 10 characters), e.g. "dev cache, rebuilt on demand, no SLA". */
  readonly reason: string;
  /** Last day (UTC) the waiver counts, `YYYY-MM-DD`; it is reviewed again then. */
  readonly expires: string;
  /** @default none — an id from the team's waiver register */
  readonly id?: string;
}

/** The waiver as a compliance-register entry (the shape of `Waiver` in modules/compliance/waivers.ts). */
export interface DaxComplianceWaiver {
  readonly requirement: 'dynamodb:009';
  /** Terraform address of the cluster, e.g. `aws_dax_cluster.session_cache`. */
  readonly resource: string;
  readonly reason: string;
  readonly expires: string;
}

export interface SecureDaxClusterProps {
  /**
   * Cluster name: 1–20 characters, lowercase letters, digits and hyphens, starting with a letter, no trailing or
   * double hyphen. Also the prefix of the subnet group, parameter group, security group and role names.
   */
  readonly clusterName: string;
  /** @default 'DAX cache for DynamoDB tables (dynamodb:007-009)' */
  readonly description?: string;
  /** Region of the cluster and its tables, e.g. `us-east-1` (for `kms:ViaService` and zone checks). */
  readonly region: string;
  /** VPC of the environment's private subnets. */
  readonly vpcId: string;
  /** The environment's private subnets (`aws_dax_subnet_group`): at least one in each of `availabilityZones`. */
  readonly subnetIds: string[];
  /**
   * Zones of the nodes, one node per zone, given explicitly (dynamodb:009): at least 3 distinct zones. DAX requires
   * exactly one listed zone per node at creation, and Terraform keeps the list as a set, so the node count is the
   * number of zones. Changing the list replaces the cluster.
   */
  readonly availabilityZones: string[];
  /**
   * Number of nodes. Must equal the number of `availabilityZones`; given only to state it explicitly.
   * @default availabilityZones.length
   */
  readonly replicationFactor?: number;
  /**
   * Allows a one-node cluster in one zone (development only: no replica, cache lost on node failure).
   * @default none — at least 3 nodes in 3 zones
   */
  readonly singleNodeWaiver?: DaxSingleNodeWaiver;
  /**
   * One of `DAX_NODE_TYPES`. The node type cannot be changed later (a new cluster is needed).
   * @default 'dax.r5.large'
   */
  readonly nodeType?: string;
  /**
   * Permits burstable `dax.t3.*` nodes (CPU credits; AWS positions them for development and test). Leave off in prod.
   * @default false
   */
  readonly allowBurstableNodeType?: boolean;
  /** Security groups of the applications that may connect; the cluster accepts TCP 9111 (TLS) from these only. */
  readonly applicationSecurityGroupIds: string[];
  /**
   * Also adds an egress rule (TCP 9111 to the cluster's security group) to each application security group, for
   * applications whose groups do not allow all outbound traffic. Leave off when those groups are managed with
   * inline `egress` blocks elsewhere: Terraform would fight over the rules.
   * @default false
   */
  readonly addApplicationEgressRules?: boolean;
  /** The tables the cluster caches; its role can reach exactly these tables and their indexes. */
  readonly tables: DaxTableAccess[];
  /** @default 'readWrite' */
  readonly access?: DaxAccess;
  /**
   * The DynamoDB item actions the cluster's clients send (`dynamodb:GetItem`, …): the cluster role gets only these
   * (plus DescribeTable), because through DAX the role's permissions, not the caller's, reach the items.
   * @default every read (and, with readWrite, write) action
   */
  readonly clientActions?: readonly string[];
  /** Item cache TTL (`record-ttl-millis`); 0 = no TTL (items leave the cache only by LRU). @default 300000 */
  readonly itemCacheTtlMillis?: number;
  /** Query/scan cache TTL (`query-ttl-millis`). @default 300000 */
  readonly queryCacheTtlMillis?: number;
  /** Weekly maintenance window in UTC, `ddd:hh24:mi-ddd:hh24:mi`, at least 60 minutes. @default chosen by AWS */
  readonly maintenanceWindow?: string;
  /** SNS topic (same account) for cluster events. @default no notifications */
  readonly notificationTopicArn?: string;
  /** Tags for the cluster, security group and role (subnet and parameter groups take no tags). @default {} */
  readonly tags?: Record<string, string>;
}

const CLUSTER_NAME_CHARACTERS = /^[a-z][a-z0-9-]*$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const AVAILABILITY_ZONE = /^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;
const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):\d{12}:table\/[A-Za-z0-9_.-]{3,255}$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WINDOW_END = '(sun|mon|tue|wed|thu|fri|sat):([01]\\d|2[0-3]):([0-5]\\d)';
const MAINTENANCE_WINDOW = new RegExp(`^${WINDOW_END}-${WINDOW_END}$`);
const MINUTES_PER_WEEK = 7 * 24 * 60;

/**
 * A DynamoDB Accelerator cluster that is secure by default: encrypted at rest (dynamodb:007, with the AWS-owned key —
 * the only key DAX supports), TLS-only endpoint on port 9111 (dynamodb:008), one node in each of at least three
 * explicitly listed availability zones (dynamodb:009), a subnet group of the environment's private subnets, a
 * parameter group with validated cache TTLs, a security group open on 9111 to the application security groups only,
 * and a service role limited to the given tables, their indexes and their keys.
 */
export class SecureDaxCluster extends Construct {
  readonly cluster: DaxCluster;
  readonly subnetGroup: DaxSubnetGroup;
  readonly parameterGroup: DaxParameterGroup;
  readonly securityGroup: SecurityGroup;
  readonly ingressRules: VpcSecurityGroupIngressRule[];
  readonly applicationEgressRules: VpcSecurityGroupEgressRule[];
  readonly role: IamRole;
  readonly rolePolicy: IamRolePolicy;

  readonly clusterName: string;
  readonly clusterArn: string;
  /** DNS name of the cluster (discovery) endpoint. */
  readonly clusterAddress: string;
  /** `<address>:<port>` of the cluster endpoint. */
  readonly configurationEndpoint: string;
  readonly port: number;
  /** What DAX clients are given: `daxs://<cluster address>` (TLS, port 9111 implied). */
  readonly endpointUrl: string;
  readonly securityGroupId: string;
  readonly roleArn: string;
  readonly replicationFactor: number;
  readonly singleNodeWaiver?: DaxSingleNodeWaiver;
  /**
   * The single-node waiver as an entry for the compliance report's waivers, so the one-node cluster shows as a
   * waived dynamodb:009 finding. Undefined for multi-AZ clusters.
   */
  readonly complianceWaiver?: DaxComplianceWaiver;
  readonly encryptionAtRest = DAX_ENCRYPTION_AT_REST;
  readonly encryptionInTransit = DAX_ENCRYPTION_IN_TRANSIT;
  readonly props: SecureDaxClusterProps;

  constructor(scope: Construct, id: string, props: SecureDaxClusterProps) {
    super(scope, id);
    this.props = props;
    const subject = this.node.path;
    const nodeType = props.nodeType ?? DEFAULT_NODE_TYPE;
    const access = props.access ?? 'readWrite';
    const itemTtl = props.itemCacheTtlMillis ?? DEFAULT_CACHE_TTL_MILLIS;
    const queryTtl = props.queryCacheTtlMillis ?? DEFAULT_CACHE_TTL_MILLIS;

    this.validateClusterName(subject, props.clusterName);
    this.validateRegion(subject, props.region);
    this.validateNodeType(subject, nodeType);
    this.validateAvailabilityZones(subject);
    this.replicationFactor = props.availabilityZones.length;
    this.validateReplicationFactor(subject);
    this.validateWaiver(subject);
    this.validateNetwork(subject);
    this.validateTables(subject);
    const allowed = daxTableActions(access);
    (props.clientActions ?? []).forEach((action, i) => {
      if (!allowed.includes(action)) throw new GuardrailError(subject, `clientActions[${i}]`, action, `must be one of the item actions DAX passes to DynamoDB with access '${access}': ${allowed.join(', ')}`);
    });
    requireIntegerInRange(subject, 'itemCacheTtlMillis', itemTtl, 0, MAX_CACHE_TTL_MILLIS);
    requireIntegerInRange(subject, 'queryCacheTtlMillis', queryTtl, 0, MAX_CACHE_TTL_MILLIS);
    this.validateMaintenanceWindow(subject, props.maintenanceWindow);
    this.validateNotificationTopic(subject, props.notificationTopicArn);
    this.singleNodeWaiver = props.singleNodeWaiver;

    const name = props.clusterName;
    this.subnetGroup = useStableAddress(
      new DaxSubnetGroup(this, 'subnet_group', {
        name: `${name}-subnets`,
        description: `Private subnets of DAX cluster ${name}`,
        subnetIds: props.subnetIds,
      }),
    );
    this.parameterGroup = useStableAddress(
      new DaxParameterGroup(this, 'parameter_group', {
        name: `${name}-params`,
        description: `Cache TTLs of DAX cluster ${name}`,
        parameters: [
          { name: 'query-ttl-millis', value: String(queryTtl) },
          { name: 'record-ttl-millis', value: String(itemTtl) },
        ],
      }),
    );

    this.securityGroup = useStableAddress(
      new SecurityGroup(this, 'security_group', {
        name: `${name}-dax`,
        description: `DAX cluster ${name}: TLS (TCP ${DAX_TLS_PORT}) from application security groups only`,
        vpcId: props.vpcId,
        // Rules are separate aws_vpc_security_group_*_rule resources. Terraform removes AWS's default allow-all
        // egress rule from groups it creates, so the cluster's group has no outbound rule: clients connect in, and
        // security groups are stateful.
        revokeRulesOnDelete: true,
        tags: { ...props.tags, Name: `${name}-dax` },
      }),
    );
    this.ingressRules = props.applicationSecurityGroupIds.map((groupId, index) =>
      useStableAddress(
        new VpcSecurityGroupIngressRule(this, `ingress_${ruleSuffix(groupId, index)}`, {
          securityGroupId: this.securityGroup.id,
          referencedSecurityGroupId: groupId,
          ipProtocol: 'tcp',
          fromPort: DAX_TLS_PORT,
          toPort: DAX_TLS_PORT,
          description: 'DAX TLS from application security group',
          tags: props.tags,
        }),
      ),
    );
    this.applicationEgressRules = props.addApplicationEgressRules
      ? props.applicationSecurityGroupIds.map((groupId, index) =>
          useStableAddress(
            new VpcSecurityGroupEgressRule(this, `egress_${ruleSuffix(groupId, index)}`, {
              securityGroupId: groupId,
              referencedSecurityGroupId: this.securityGroup.id,
              ipProtocol: 'tcp',
              fromPort: DAX_TLS_PORT,
              toPort: DAX_TLS_PORT,
              description: `DAX TLS to cluster ${name}`,
              tags: props.tags,
            }),
          ),
        )
      : [];

    this.role = useStableAddress(
      new IamRole(this, 'role', {
        name: `${name}-dax-service`,
        description: `Service role of DAX cluster ${name}: access to its DynamoDB tables only`,
        assumeRolePolicy: policyJson(daxAssumeRolePolicy()),
        tags: props.tags,
      }),
    );
    this.rolePolicy = useStableAddress(
      new IamRolePolicy(this, 'role_policy', {
        name: 'dynamodb-tables',
        role: this.role.id,
        policy: policyJson(daxTableAccessPolicy(props.tables, { region: props.region, access, clientActions: props.clientActions })),
      }),
    );

    this.cluster = useStableAddress(
      new DaxCluster(this, 'cluster', {
        clusterName: name,
        description: props.description ?? 'DAX cache for DynamoDB tables (dynamodb:007-009)',
        iamRoleArn: this.role.arn,
        nodeType,
        replicationFactor: this.replicationFactor,
        availabilityZones: props.availabilityZones,
        subnetGroupName: this.subnetGroup.name,
        securityGroupIds: [this.securityGroup.id],
        parameterGroupName: this.parameterGroup.name,
        maintenanceWindow: props.maintenanceWindow,
        notificationTopicArn: props.notificationTopicArn,
        serverSideEncryption: { enabled: true },
        clusterEndpointEncryptionType: DAX_ENCRYPTION_IN_TRANSIT.clusterEndpointEncryptionType,
        tags: props.tags,
        // The cluster assumes the role as soon as it is created; its permissions must exist by then.
        dependsOn: [this.rolePolicy],
      }),
      { primary: true },
    );

    this.clusterName = this.cluster.clusterName;
    this.clusterArn = this.cluster.arn;
    this.clusterAddress = this.cluster.clusterAddress;
    this.configurationEndpoint = this.cluster.configurationEndpoint;
    this.port = this.cluster.port;
    this.endpointUrl = `${DAX_ENCRYPTION_IN_TRANSIT.endpointScheme}${this.cluster.clusterAddress}`;
    this.securityGroupId = this.securityGroup.id;
    this.roleArn = this.role.arn;
    const waiver = props.singleNodeWaiver;
    this.complianceWaiver = waiver
      ? { requirement: 'dynamodb:009', resource: `aws_dax_cluster.${this.cluster.friendlyUniqueId}`, reason: waiver.reason, expires: waiver.expires }
      : undefined;
  }

  private validateClusterName(subject: string, name: string): void {
    if (!isResolved(name)) return;
    if (name.length < 1 || name.length > MAX_CLUSTER_NAME_LENGTH) {
      throw new GuardrailError(subject, 'clusterName', name, `must be 1 to ${MAX_CLUSTER_NAME_LENGTH} characters long, got ${name.length}`);
    }
    if (!CLUSTER_NAME_CHARACTERS.test(name)) {
      throw new GuardrailError(subject, 'clusterName', name, "must start with a lowercase letter and contain only lowercase letters, digits and '-'");
    }
    if (name.endsWith('-') || name.includes('--')) {
      throw new GuardrailError(subject, 'clusterName', name, "must not end with '-' or contain '--'");
    }
  }

  private validateRegion(subject: string, region: string): void {
    if (isResolved(region) && !REGION.test(region)) {
      throw new GuardrailError(subject, 'region', region, "must be an AWS region code such as 'us-east-1'");
    }
  }

  private validateNodeType(subject: string, nodeType: string): void {
    if (!isResolved(nodeType)) return;
    if (!DAX_NODE_TYPES.includes(nodeType)) {
      throw new GuardrailError(subject, 'nodeType', nodeType, `must be one of the current DAX node types: ${DAX_NODE_TYPES.join(', ')}`);
    }
    if ((DAX_BURSTABLE_NODE_TYPES as readonly string[]).includes(nodeType) && !this.props.allowBurstableNodeType) {
      throw new GuardrailError(
        subject,
        'nodeType',
        nodeType,
        'burstable dax.t3 nodes run on CPU credits and suit development and test only; set allowBurstableNodeType: true to use one outside production',
      );
    }
  }

  private validateAvailabilityZones(subject: string): void {
    const zones = this.props.availabilityZones;
    if (Token.isUnresolved(zones)) {
      throw new GuardrailError(subject, 'availabilityZones', '(Terraform expression)', 'must be a literal list, so that the zones of the nodes can be checked (dynamodb:009)');
    }
    const waived = this.props.singleNodeWaiver !== undefined && zones.length === 1;
    if (zones.length < MIN_REPLICATION_FACTOR && !waived) {
      throw new GuardrailError(
        subject,
        'availabilityZones',
        zones,
        `dynamodb:009 needs at least ${MIN_REPLICATION_FACTOR} nodes in ${MIN_REPLICATION_FACTOR} distinct availability zones (DAX places one node in each listed zone), got ${zones.length}; only a development cluster may run 1 node, with singleNodeWaiver`,
      );
    }
    if (zones.length > MAX_REPLICATION_FACTOR) {
      throw new GuardrailError(subject, 'availabilityZones', zones, `DAX creates clusters of at most ${MAX_REPLICATION_FACTOR} nodes (one per listed zone), got ${zones.length}`);
    }
    const seen = new Set<string>();
    zones.forEach((zone, index) => {
      if (!isResolved(zone)) return;
      const field = `availabilityZones[${index}]`;
      const region = this.props.region;
      if (isResolved(region)) {
        if (!zone.startsWith(region) || !/^[a-z]$/.test(zone.slice(region.length))) {
          throw new GuardrailError(subject, field, zone, `must be an availability zone of region '${region}', such as '${region}a'`);
        }
      } else if (!AVAILABILITY_ZONE.test(zone)) {
        throw new GuardrailError(subject, field, zone, "must be an availability zone name such as 'us-east-1a'");
      }
      if (seen.has(zone)) {
        throw new GuardrailError(subject, 'availabilityZones', zones, `lists '${zone}' more than once; DAX places exactly one node in each listed zone`);
      }
      seen.add(zone);
    });
  }

  private validateReplicationFactor(subject: string): void {
    const factor = this.props.replicationFactor;
    if (factor === undefined || !isResolved(factor)) return;
    if (factor !== this.replicationFactor) {
      throw new GuardrailError(
        subject,
        'replicationFactor',
        factor,
        `must equal the number of availabilityZones (${this.replicationFactor}): DAX places exactly one node in each listed zone when it creates the cluster`,
      );
    }
  }

  private validateWaiver(subject: string): void {
    const waiver = this.props.singleNodeWaiver;
    if (waiver === undefined) return;
    if (this.replicationFactor !== 1) {
      throw new GuardrailError(subject, 'singleNodeWaiver', waiver, `only a one-node cluster needs a waiver, but availabilityZones lists ${this.replicationFactor} zones; remove the waiver`);
    }
    if (typeof waiver.reason !== 'string' || waiver.reason.trim().length < MIN_WAIVER_REASON_LENGTH) {
      throw new GuardrailError(subject, 'singleNodeWaiver.reason', waiver.reason, `must say why one node is acceptable, in at least ${MIN_WAIVER_REASON_LENGTH} characters`);
    }
    if (waiver.id !== undefined && waiver.id.trim().length === 0) {
      throw new GuardrailError(subject, 'singleNodeWaiver.id', waiver.id, 'must not be empty when given');
    }
    if (typeof waiver.expires !== 'string' || !ISO_DATE.test(waiver.expires)) {
      throw new GuardrailError(subject, 'singleNodeWaiver.expires', waiver.expires, 'must be a date in the form YYYY-MM-DD');
    }
  }

  private validateNetwork(subject: string): void {
    const { vpcId, subnetIds, applicationSecurityGroupIds } = this.props;
    if (isResolved(vpcId) && !VPC_ID.test(vpcId)) {
      throw new GuardrailError(subject, 'vpcId', vpcId, "must be a VPC id such as 'vpc-0123456789abcdef0'");
    }
    if (!Token.isUnresolved(subnetIds)) {
      if (subnetIds.length < this.replicationFactor) {
        throw new GuardrailError(
          subject,
          'subnetIds',
          subnetIds,
          `the subnet group needs a private subnet in each of the ${this.replicationFactor} availability zones of the nodes, got ${subnetIds.length} subnet${subnetIds.length === 1 ? '' : 's'}`,
        );
      }
      checkIds(subject, 'subnetIds', subnetIds, SUBNET_ID, "must be a subnet id such as 'subnet-0123456789abcdef0'");
    }
    if (Token.isUnresolved(applicationSecurityGroupIds)) {
      throw new GuardrailError(
        subject,
        'applicationSecurityGroupIds',
        '(Terraform expression)',
        'must be a literal list (its entries may be references): the module creates one ingress rule per group',
      );
    }
    if (applicationSecurityGroupIds.length === 0) {
      throw new GuardrailError(
        subject,
        'applicationSecurityGroupIds',
        applicationSecurityGroupIds,
        `must name at least one application security group; the cluster accepts connections on TCP ${DAX_TLS_PORT} from these groups only`,
      );
    }
    checkIds(subject, 'applicationSecurityGroupIds', applicationSecurityGroupIds, SECURITY_GROUP_ID, "must be a security group id such as 'sg-0123456789abcdef0'");
  }

  private validateTables(subject: string): void {
    const tables = this.props.tables;
    if (tables.length === 0) {
      throw new GuardrailError(subject, 'tables', tables, "must list at least one table; the cluster's role can reach only the listed tables");
    }
    const seen = new Set<string>();
    tables.forEach((table, index) => {
      const field = `tables[${index}]`;
      if (seen.has(table.tableArn)) {
        throw new GuardrailError(subject, `${field}.tableArn`, table.tableArn, 'is listed more than once');
      }
      seen.add(table.tableArn);
      if (isResolved(table.tableArn)) {
        const match = TABLE_ARN.exec(table.tableArn);
        if (!match) {
          throw new GuardrailError(subject, `${field}.tableArn`, table.tableArn, 'must be a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>)');
        }
        if (isResolved(this.props.region) && match[1] !== this.props.region) {
          throw new GuardrailError(
            subject,
            `${field}.tableArn`,
            table.tableArn,
            `is in region '${match[1]}', but the cluster is in '${this.props.region}'; DAX caches tables of its own region only`,
          );
        }
      }
      if (table.keyArn !== undefined && isResolved(table.keyArn) && !KMS_KEY_ARN.test(table.keyArn)) {
        throw new GuardrailError(subject, `${field}.keyArn`, table.keyArn, 'must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)');
      }
    });
  }

  private validateMaintenanceWindow(subject: string, window: string | undefined): void {
    if (window === undefined || !isResolved(window)) return;
    const match = MAINTENANCE_WINDOW.exec(window);
    if (!match) {
      throw new GuardrailError(subject, 'maintenanceWindow', window, "must look like 'ddd:hh24:mi-ddd:hh24:mi' in UTC with lowercase days, e.g. 'sun:05:00-sun:06:00'");
    }
    const start = minuteOfWeek(match[1], match[2], match[3]);
    const end = minuteOfWeek(match[4], match[5], match[6]);
    const length = (end - start + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
    if (length < MIN_MAINTENANCE_WINDOW_MINUTES) {
      throw new GuardrailError(subject, 'maintenanceWindow', window, `must be at least ${MIN_MAINTENANCE_WINDOW_MINUTES} minutes long, got ${length}`);
    }
  }

  private validateNotificationTopic(subject: string, topicArn: string | undefined): void {
    if (topicArn === undefined || !isResolved(topicArn)) return;
    if (!SNS_TOPIC_ARN.test(topicArn)) {
      throw new GuardrailError(subject, 'notificationTopicArn', topicArn, 'must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)');
    }
  }
}

function checkIds(subject: string, field: string, ids: string[], pattern: RegExp, problem: string): void {
  const seen = new Set<string>();
  ids.forEach((id, index) => {
    if (seen.has(id)) throw new GuardrailError(subject, field, ids, `lists '${id}' more than once`);
    seen.add(id);
    if (isResolved(id) && !pattern.test(id)) throw new GuardrailError(subject, `${field}[${index}]`, id, problem);
  });
}

/** Construct-id suffix of a rule: the group id when literal (stable if the list is reordered), else its position. */
function ruleSuffix(groupId: string, index: number): string {
  return isResolved(groupId) ? groupId : `app_${index}`;
}

function minuteOfWeek(day: string, hour: string, minute: string): number {
  return DAYS.indexOf(day) * 24 * 60 + Number(hour) * 60 + Number(minute);
}
