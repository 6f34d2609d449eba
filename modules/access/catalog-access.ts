import { Construct } from 'constructs';
import { SecureTable } from '../table';
import { GuardrailError, isResolved } from '../validation';
import { TableLocation, dynamoDbTableArn, dynamoDbTablePrefixArn, iamRoleArn, partitionForRegion } from './arns';
import { EXPORT_WRITE_ACTIONS } from './export-bucket';
import { TableGrant, TableTarget } from './identity-policy';
import { PolicyStatement } from './policy-document';
import { AccessProfile } from './profile';
import { TableResourcePolicy } from './resource-policy';
import { AccessRole, AccessRoleProps } from './role';
import { RoleTrust } from './trust';

/** Where a catalog is deployed; what `additionalStatements` functions receive. */
export interface DeploymentTarget {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** A table grant of a catalog role, as data. Give exactly one of `table` or `tableNamePrefix`. */
export interface GrantSpec {
  /** Id of a catalog table (`CatalogTable.id`). */
  readonly table?: string;
  /** Every table whose name starts with this (e.g. `project-<uuid>-`), for roles that create their own tables. */
  readonly tableNamePrefix?: string;
  readonly profile: AccessProfile;
  /** @default true when the table has indexes and the profile has Query or Scan */
  readonly indexes?: boolean;
  /** `dynamodb:LeadingKeys` patterns. @default none */
  readonly leadingKeys?: readonly string[];
  /** @default `DynamoDB<profile name>` */
  readonly sid?: string;
}

/** A least-privilege role of a catalog (one per function), as data. */
export interface RoleSpec {
  /** Construct id and Terraform address (`aws_iam_role.<id>`). */
  readonly id: string;
  /** IAM role name, the same in every environment (each environment is its own account). */
  readonly roleName: string;
  /** @default 'Least-privilege DynamoDB access for <roleName> (dynamodb:012)' */
  readonly description?: string;
  readonly trust: RoleTrust;
  readonly grants: readonly GrantSpec[];
  /** Table statements require the environment's DynamoDB VPC endpoint (`aws:SourceVpce`). @default false */
  readonly vpcEndpointOnly?: boolean;
  /** With vpcEndpointOnly, also require the environment's VPC (`aws:SourceVpc`, seed 000). @default false */
  readonly sourceVpcCondition?: boolean;
  /** @default DANGEROUS_ACTIONS not granted to the role */
  readonly denyActions?: readonly string[] | false;
  /** Other services' permissions; a function gets the deployment target for region/account-specific ARNs. @default [] */
  readonly additionalStatements?: readonly PolicyStatement[] | ((target: DeploymentTarget) => PolicyStatement[]);
  /** AWS managed policies by path, e.g. `service-role/AWSLambdaVPCAccessExecutionRole`. @default [] */
  readonly awsManagedPolicies?: readonly string[];
}

/** The resource policy of one catalog table, as data (dynamodb:006). */
export interface ResourcePolicySpec {
  /** Id of the catalog table. */
  readonly table: string;
  /** Ids of the catalog roles that may use the table; every other principal except the deployers is denied. */
  readonly roles: readonly string[];
  /** Roles that call DynamoDB from the AWS network rather than the VPC (Step Functions). @default [] */
  readonly outsideVpcRoles?: readonly string[];
  /** Deny requests that do not come through the environment's VPC endpoint. @default true */
  readonly requireVpcEndpoint?: boolean;
  /** @default true */
  readonly denyRootUser?: boolean;
  /**
   * Ids of catalog roles that may use the table but never change, delete or tag it nor write its items: the table is
   * Terraform's (seed 000's ML scientists manage their own project tables, not these). @default []
   */
  readonly protectedFrom?: readonly string[];
  /** @default true */
  readonly denyInsecureTransport?: boolean;
}

/** What the environment stack knows and the catalog data does not. */
export interface AccessEnvironment extends TableLocation {
  /** The stack's tables by catalog id. */
  readonly tables: ReadonlyMap<string, SecureTable>;
  /** Key for name-prefix grants (tables created outside the stack are encrypted with it). @default no KMS statement */
  readonly defaultKeyArn?: string;
  /** The environment's DynamoDB VPC endpoint id(s). @default none: vpcEndpointOnly roles and VPC-only policies fail */
  readonly vpcEndpointIds?: readonly string[];
  /** The environment's VPC id(s), for `sourceVpcCondition`. @default none */
  readonly vpcIds?: readonly string[];
  /**
   * Principals the table resource policies never deny (except TLS and root): the Terraform deployer, a break-glass
   * admin, and service roles that work on the tables from the AWS network (the AWS Backup role, the global-table
   * replication role `dynamoDbReplicationRoleArn()`).
   */
  readonly exemptPrincipalArns: readonly string[];
  /** Objects ARN of the stack's table-export bucket; roles that may export get write access to it. @default none */
  readonly exportBucketObjectsArn?: string;
}

export interface CatalogAccess {
  readonly roles: ReadonlyMap<string, AccessRole>;
  readonly resourcePolicies: ReadonlyMap<string, TableResourcePolicy>;
}

/**
 * Creates a catalog's roles (`aws_iam_role.<id>`) and table resource policies
 * (`aws_dynamodb_resource_policy.<table>_resource_policy`) directly in `scope`.
 */
export function addCatalogAccess(
  scope: Construct,
  specs: { readonly roles?: readonly RoleSpec[]; readonly resourcePolicies?: readonly ResourcePolicySpec[] },
  environment: AccessEnvironment,
): CatalogAccess {
  const roles = new Map<string, AccessRole>();
  for (const spec of specs.roles ?? []) {
    roles.set(spec.id, new AccessRole(scope, spec.id, resolveRoleSpec(`${scope.node.path}/${spec.id}`, spec, environment)));
  }
  const resourcePolicies = new Map<string, TableResourcePolicy>();
  for (const spec of specs.resourcePolicies ?? []) {
    const id = `${spec.table}_resource_policy`;
    const subject = `${scope.node.path}/${id}`;
    const table = tableOf(subject, 'table', spec.table, environment);
    const arnOf = (field: string, roleIds: readonly string[]) => roleIds.map((roleId) => roleArn(subject, field, roleId, specs.roles ?? [], environment));
    const endpoints = (spec.requireVpcEndpoint ?? true) ? requireEndpoints(subject, 'requireVpcEndpoint', environment) : undefined;
    // DynamoDB refuses a policy that names a role not yet created.
    const roleResources = spec.roles.flatMap((roleId) => (roles.has(roleId) ? [roles.get(roleId)!.role] : []));
    resourcePolicies.set(
      spec.table,
      new TableResourcePolicy(scope, id, {
        resourceArn: table.tableArn,
        policyResourceArn: literalTableArn(table, environment),
        accountId: environment.accountId,
        region: environment.region,
        allowedPrincipals: arnOf('roles', spec.roles),
        outsideVpcPrincipalArns: arnOf('outsideVpcRoles', spec.outsideVpcRoles ?? []),
        vpcEndpointIds: endpoints,
        exemptPrincipalArns: environment.exemptPrincipalArns,
        denyRootUser: spec.denyRootUser,
        denyInsecureTransport: spec.denyInsecureTransport,
        protectedFromPrincipalArns: arnOf('protectedFrom', spec.protectedFrom ?? []),
        dependsOn: roleResources,
      }),
    );
    // The stream is a resource of its own: the table's policy does not cover it (DynamoDB Developer Guide,
    // resource-based policies for streams). Its policy lets only the same principals read it.
    if (table.props.stream !== false) {
      new TableResourcePolicy(scope, `${spec.table}_stream_policy`, {
        kind: 'stream',
        resourceArn: table.streamArn,
        accountId: environment.accountId,
        region: environment.region,
        allowedPrincipals: arnOf('roles', [...spec.roles, ...(spec.outsideVpcRoles ?? [])]),
        exemptPrincipalArns: environment.exemptPrincipalArns,
        denyRootUser: spec.denyRootUser,
        denyInsecureTransport: spec.denyInsecureTransport,
        dependsOn: [table.resource, ...roleResources],
      });
    }
    // Each replica of a global table needs its own policy, in its own Region. The catalog's VPC endpoint exists only
    // in the home Region, so a replica cannot name it: it denies requests that come through no VPC endpoint at all
    // (except from the exempt principals and the roles that work from the AWS network), plus unlisted principals,
    // non-TLS and root.
    for (const region of table.replicaRegions) {
      const replicaArn = dynamoDbTableArn({ ...environment, region }, table.props.tableName);
      resourcePolicies.set(
        `${spec.table}@${region}`,
        new TableResourcePolicy(scope, `${id}_${region.replace(/-/g, '_')}`, {
          resourceArn: replicaArn,
          resourceRegion: region,
          accountId: environment.accountId,
          region,
          allowedPrincipals: [...arnOf('roles', spec.roles), ...arnOf('outsideVpcRoles', spec.outsideVpcRoles ?? [])],
          outsideVpcPrincipalArns: arnOf('outsideVpcRoles', spec.outsideVpcRoles ?? []),
          denyOutsideAnyVpcEndpoint: spec.requireVpcEndpoint ?? true,
          exemptPrincipalArns: environment.exemptPrincipalArns,
          denyRootUser: spec.denyRootUser,
          denyInsecureTransport: spec.denyInsecureTransport,
          protectedFromPrincipalArns: arnOf('protectedFrom', spec.protectedFrom ?? []),
          dependsOn: [table.resource],
        }),
      );
    }
  }
  return { roles, resourcePolicies };
}

/** The AccessRole props of a role spec in one environment. */
export function resolveRoleSpec(subject: string, spec: RoleSpec, environment: AccessEnvironment): AccessRoleProps {
  const target: DeploymentTarget = { partition: partitionForRegion(environment.region), region: environment.region, accountId: environment.accountId };
  const endpoints = spec.vpcEndpointOnly ? requireEndpoints(subject, 'vpcEndpointOnly', environment) : undefined;
  if (spec.sourceVpcCondition && !spec.vpcEndpointOnly) {
    throw new GuardrailError(subject, 'sourceVpcCondition', true, 'the VPC condition comes with the endpoint condition; set vpcEndpointOnly too');
  }
  if (spec.sourceVpcCondition && (environment.vpcIds ?? []).length === 0) {
    throw new GuardrailError(subject, 'sourceVpcCondition', true, 'the environment has no VPC id configured for this catalog');
  }
  const statements = spec.additionalStatements;
  const extra = typeof statements === 'function' ? statements(target) : [...(statements ?? [])];
  // An export is written into S3 with the caller's permissions (DynamoDB Developer Guide, "Requesting a table export").
  if (environment.exportBucketObjectsArn && exportsTables(spec)) extra.push({ Sid: 'WriteTableExports', Effect: 'Allow', Action: [...EXPORT_WRITE_ACTIONS], Resource: environment.exportBucketObjectsArn });
  return {
    roleName: spec.roleName,
    description: spec.description,
    trust: spec.trust,
    accountId: environment.accountId,
    region: environment.region,
    grants: spec.grants.map((grant, i) => resolveGrant(subject, `grants[${i}]`, grant, environment)),
    sourceVpceIds: endpoints,
    sourceVpcIds: spec.sourceVpcCondition ? environment.vpcIds : undefined,
    denyActions: spec.denyActions,
    additionalStatements: extra,
    managedPolicyArns: (spec.awsManagedPolicies ?? []).map((path) => `arn:${target.partition}:iam::aws:policy/${path}`),
  };
}

/** Whether a role's grants include table exports to S3. */
export function exportsTables(spec: RoleSpec): boolean {
  return spec.grants.some((grant) => grant.profile.actions.includes('dynamodb:ExportTableToPointInTime'));
}

/** A grant target for a table of this stack: literal ARN (readable), whether it has indexes, and its key. */
export function tableTargetOf(table: SecureTable, location: TableLocation): TableTarget {
  const indexes = (table.props.globalSecondaryIndexes ?? []).length + (table.props.localSecondaryIndexes ?? []).length;
  return { tableArn: literalTableArn(table, location), hasIndexes: indexes > 0, keyArn: table.props.encryptionKey.keyArn, replicaRegions: table.replicaRegions };
}

function resolveGrant(subject: string, field: string, grant: GrantSpec, environment: AccessEnvironment): TableGrant {
  if ((grant.table === undefined) === (grant.tableNamePrefix === undefined)) {
    throw new GuardrailError(subject, field, grant.table ?? grant.tableNamePrefix, 'give exactly one of table (a catalog table id) or tableNamePrefix');
  }
  const target: TableTarget =
    grant.table !== undefined
      ? tableTargetOf(tableOf(subject, `${field}.table`, grant.table, environment), environment)
      : { tableArn: dynamoDbTablePrefixArn(environment, grant.tableNamePrefix!), keyArn: environment.defaultKeyArn };
  return { target, profile: grant.profile, indexes: grant.indexes, leadingKeys: grant.leadingKeys, sid: grant.sid };
}

function tableOf(subject: string, field: string, id: string, environment: AccessEnvironment): SecureTable {
  const table = environment.tables.get(id);
  if (!table) throw new GuardrailError(subject, field, id, `is not a table of this catalog (known: ${[...environment.tables.keys()].join(', ')})`);
  return table;
}

function literalTableArn(table: SecureTable, location: TableLocation): string {
  const name = table.props.tableName;
  return isResolved(name) ? dynamoDbTableArn(location, name) : table.tableArn;
}

function roleArn(subject: string, field: string, roleId: string, roles: readonly RoleSpec[], environment: AccessEnvironment): string {
  const spec = roles.find((r) => r.id === roleId);
  if (!spec) throw new GuardrailError(subject, field, roleId, `is not a role of this catalog (known: ${roles.map((r) => r.id).join(', ')})`);
  return iamRoleArn(partitionForRegion(environment.region), environment.accountId, spec.roleName);
}

function requireEndpoints(subject: string, field: string, environment: AccessEnvironment): readonly string[] {
  const endpoints = environment.vpcEndpointIds ?? [];
  if (endpoints.length === 0) {
    throw new GuardrailError(subject, field, true, "needs the environment's DynamoDB VPC endpoint, but none is configured for this catalog");
  }
  return endpoints;
}
