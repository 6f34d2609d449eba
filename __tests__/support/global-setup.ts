import { startSchemaProvider } from './terraform/provider-process';
import { startDynamoDbLocal } from './dynamodb-local/process';

/**
 * One schema-only AWS provider (serving the AWS services the project uses: test-schema.ts) and one DynamoDB Local for
 * the whole Jest run; workers inherit their env vars.
 */
export default async function globalSetup(): Promise<void> {
  await Promise.all([startSchemaProvider({ projectServicesOnly: true }), startDynamoDbLocal()]);
}
