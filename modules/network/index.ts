/** VPC endpoints for DynamoDB (dynamodb:015). VPCs, subnets and route tables are inputs; this module never creates them. */
export * from './ids';
export * from './endpoint-policy';
export * from './gateway-endpoint';
export * from './interface-endpoint';
export * from './catalog-endpoints';
