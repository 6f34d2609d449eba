/**
 * SDK clients for the DynamoDB Local started by the Jest global setup (see ./process.ts).
 * The endpoint comes from GUARDRAILS_DDB_LOCAL_ENDPOINT, which Jest workers inherit from the setup process.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClientConfig,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, type DynamoDBStreamsClientConfig } from '@aws-sdk/client-dynamodb-streams';
import {
  terraformToCreateTableInput,
  updateTimeToLiveInput,
  type TerraformDynamoDbTableBody,
  type TranslateOptions,
} from './terraform-to-create-table';

export const DDB_LOCAL_ENDPOINT_ENV = 'GUARDRAILS_DDB_LOCAL_ENDPOINT';

/** DynamoDB Local runs with -sharedDb, so region and credentials only need to be well-formed. */
const LOCAL_REGION = 'us-east-1';
const LOCAL_CREDENTIALS = { accessKeyId: 'guardrailsLocal', secretAccessKey: 'guardrailsLocalSecret' } as const;

/** The endpoint of the running DynamoDB Local; throws if the Jest global setup did not start one. */
export function localDynamoDbEndpoint(): string {
  const endpoint = process.env[DDB_LOCAL_ENDPOINT_ENV];
  if (!endpoint) {
    throw new Error(
      `${DDB_LOCAL_ENDPOINT_ENV} is not set: DynamoDB Local is started by the Jest global setup ` +
        `(__tests__/support/global-setup.ts); run the tests through jest, not a bare test file.`,
    );
  }
  return endpoint;
}

function commonConfig(endpoint: string) {
  return {
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    // Local calls either work or fail deterministically; don't let retries hide or slow down failures.
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 15_000 },
  };
}

/** A DynamoDB client bound to DynamoDB Local (`overrides.endpoint` replaces the env-var endpoint). */
export function localDynamoDbClient(overrides: Partial<DynamoDBClientConfig> = {}): DynamoDBClient {
  return new DynamoDBClient({ ...commonConfig(overrides.endpoint ? '' : localDynamoDbEndpoint()), ...overrides });
}

/** A DynamoDB Streams client bound to DynamoDB Local (same endpoint; it serves both APIs). */
export function localDynamoDbStreamsClient(overrides: Partial<DynamoDBStreamsClientConfig> = {}): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient({ ...commonConfig(overrides.endpoint ? '' : localDynamoDbEndpoint()), ...overrides });
}

let tableCounter = 0;

/**
 * A table name that is unique across test files, workers and runs sharing one DynamoDB Local
 * (`-sharedDb` means every client sees every table). Pass e.g. `__filename` or a short label.
 * Result: `<label>-<pid>-<random>-<n>`, restricted to DynamoDB's [A-Za-z0-9_.-] and ≤ 255 chars.
 */
export function uniqueTableName(label: string): string {
  const base = path.basename(label).replace(/\.test\.[cm]?[jt]s$|\.[cm]?[jt]s$/, '');
  const safe = base.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 200) || 'table';
  tableCounter += 1;
  return `${safe}-${process.pid}-${randomBytes(3).toString('hex')}-${tableCounter}`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls DescribeTable until the table (and all its GSIs) are ACTIVE. */
export async function waitForTableActive(client: DynamoDBClient, tableName: string, timeoutMs = 15_000): Promise<TableDescription> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const gsisActive = (table?.GlobalSecondaryIndexes ?? []).every((gsi) => gsi.IndexStatus === 'ACTIVE');
    if (table?.TableStatus === 'ACTIVE' && gsisActive) return table;
    if (Date.now() > deadline) throw new Error(`table ${tableName} not ACTIVE after ${timeoutMs} ms (status ${table?.TableStatus})`);
    await sleep(50);
  }
}

/**
 * Creates a table on DynamoDB Local from a synthesized `aws_dynamodb_table` body (see terraform-to-create-table.ts),
 * waits until it is ACTIVE and, like the provider, enables TTL when `ttl.enabled` is true.
 * Errors from DynamoDB Local (e.g. invalid attribute definitions) propagate unchanged.
 */
export async function createTableFromTerraform(
  client: DynamoDBClient,
  resource: TerraformDynamoDbTableBody,
  options: TranslateOptions = {},
): Promise<TableDescription> {
  const input = terraformToCreateTableInput(resource, options);
  await client.send(new CreateTableCommand(input));
  await waitForTableActive(client, input.TableName!);
  const ttl = updateTimeToLiveInput(resource, options);
  if (ttl) await client.send(new UpdateTimeToLiveCommand(ttl));
  return waitForTableActive(client, input.TableName!);
}

/**
 * Deletes tables (turning deletion protection off first); missing tables are fine. For afterAll/afterEach.
 * One at a time: dozens of concurrent UpdateTable calls make DynamoDB Local answer InternalFailure.
 */
export async function deleteTablesQuietly(client: DynamoDBClient, tableNames: Iterable<string>): Promise<void> {
  for (const tableName of tableNames) {
    try {
      const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (table?.DeletionProtectionEnabled) {
        await client.send(new UpdateTableCommand({ TableName: tableName, DeletionProtectionEnabled: false }));
      }
      await client.send(new DeleteTableCommand({ TableName: tableName }));
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    }
  }
}
