import { stopSchemaProvider } from './terraform/provider-process';
import { stopDynamoDbLocal } from './dynamodb-local/process';

export default async function globalTeardown(): Promise<void> {
  await Promise.all([stopSchemaProvider(), stopDynamoDbLocal()]);
}
