import { JsonProviderSchema, JsonSchema } from '../../../stacks/offline-terraform/provider-schema';

/**
 * The AWS services whose resource and data source types this project's Terraform uses (`aws_<service>_…`), for
 * the tests' schema provider. Terraform decodes the provider's whole schema on every command: 2,213 types, 150 ms of
 * each `terraform validate`. These services are 307 types and a ninth of the schema, and each of their types is
 * served exactly as the real schema has it. A type of another service is reported by Terraform as not supported by
 * the provider, so a test that needs one fails loudly; add its service here. `npm run check` and the offline plan
 * serve the whole schema.
 */
export const PROJECT_SERVICES = [
  'appautoscaling', 'availability', 'backup', 'caller', 'cloudtrail', 'cloudwatch', 'config', 'dax', 'dynamodb',
  'ec2', 'iam', 'kinesis', 'kms', 'lambda', 'partition', 'region', 'regions', 'route', 's3', 'secretsmanager',
  'security', 'sfn', 'sns', 'sqs', 'ssm', 'subnet', 'vpc',
];

const ofProjectServices = (schemas: Record<string, JsonSchema> | undefined) =>
  Object.fromEntries(Object.entries(schemas ?? {}).filter(([type]) => PROJECT_SERVICES.includes(type.split('_')[1])));

export function schemaOfProjectServices(schema: JsonProviderSchema): JsonProviderSchema {
  return {
    provider: schema.provider,
    resource_schemas: ofProjectServices(schema.resource_schemas),
    data_source_schemas: ofProjectServices(schema.data_source_schemas),
    ephemeral_resource_schemas: ofProjectServices(schema.ephemeral_resource_schemas),
  };
}
