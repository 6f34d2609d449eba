// DynamoDB Local harness: not landed yet.
export async function startDynamoDbLocal(): Promise<void> {}
export async function stopDynamoDbLocal(): Promise<void> {}
