import { Construct } from 'constructs';
import { iamRoleArn, partitionForRegion } from '../access/arns';
import { DynamoDbGatewayEndpoint } from './gateway-endpoint';
import { DynamoDbInterfaceEndpoint } from './interface-endpoint';

/** A catalog's endpoint policy, as data (dynamodb:015). */
export interface EndpointSpec {
  /** Table-name prefixes of the catalog, e.g. `['manga-assist-']`. */
  readonly tableNamePrefixes: readonly string[];
  /** @default ENDPOINT_DATA_ACTIONS */
  readonly allowedActions?: readonly string[];
  /** @default [] */
  readonly accountLevelActions?: readonly string[];
  /** Only the catalog's roles (and `extraPrincipalArns`) may use the endpoint (seed 000 §4.2). @default false */
  readonly restrictToCatalogRoles?: boolean;
}

/** The environment's network for one catalog: ids come from settings, nothing here is created. */
export interface CatalogNetwork {
  readonly accountId: string;
  readonly region: string;
  readonly vpcId: string;
  readonly routeTableIds: readonly string[];
  /** Adds the PrivateLink endpoint for on-premises clients. @default none */
  readonly interfaceEndpoint?: {
    readonly subnetIds: readonly string[];
    readonly allowedCidrs?: readonly string[];
    readonly allowedSecurityGroupIds?: readonly string[];
  };
  /** Other tables of the account that clients in the VPC reach through the endpoint, by exact name. @default [] */
  readonly extraTableNames?: readonly string[];
  /** With restrictToCatalogRoles: more principals allowed through the endpoint (e.g. a deployer running in the VPC). @default [] */
  readonly extraPrincipalArns?: readonly string[];
}

export interface CatalogEndpoints {
  readonly gateway: DynamoDbGatewayEndpoint;
  readonly interface?: DynamoDbInterfaceEndpoint;
}

/**
 * Creates `aws_vpc_endpoint.dynamodb_endpoint` (gateway) and, when configured,
 * `aws_vpc_endpoint.dynamodb_interface_endpoint` with its security group, directly in `scope`.
 * `roleNames` are the catalog's IAM role names (used with restrictToCatalogRoles).
 */
export function addCatalogEndpoints(
  scope: Construct,
  name: string,
  spec: EndpointSpec,
  network: CatalogNetwork,
  roleNames: readonly string[] = [],
): CatalogEndpoints {
  const partition = partitionForRegion(network.region);
  const principals = spec.restrictToCatalogRoles
    ? [...roleNames.map((role) => iamRoleArn(partition, network.accountId, role)), ...(network.extraPrincipalArns ?? [])]
    : undefined;
  const policy = {
    accountId: network.accountId,
    region: network.region,
    vpcId: network.vpcId,
    tableNamePrefixes: spec.tableNamePrefixes,
    allowedActions: spec.allowedActions,
    accountLevelActions: spec.accountLevelActions,
    extraTableNames: network.extraTableNames,
    allowedPrincipalArns: principals,
  };
  const gateway = new DynamoDbGatewayEndpoint(scope, 'dynamodb_endpoint', {
    ...policy,
    routeTableIds: network.routeTableIds,
    tags: { Name: `${name}-dynamodb` },
  });
  const onPremises = network.interfaceEndpoint;
  const privateLink = onPremises
    ? new DynamoDbInterfaceEndpoint(scope, 'dynamodb_interface_endpoint', {
        ...policy,
        subnetIds: onPremises.subnetIds,
        allowedCidrs: onPremises.allowedCidrs,
        allowedSecurityGroupIds: onPremises.allowedSecurityGroupIds,
        securityGroupName: `${name}-dynamodb-endpoint`,
        tags: { Name: `${name}-dynamodb-privatelink` },
      })
    : undefined;
  return { gateway, interface: privateLink };
}
