/**
 * A real DynamoDBClient bound to the DynamoDB Local of the Jest global setup, with one client middleware that
 * answers the control-plane calls DynamoDB Local does not implement from an in-memory fake:
 *
 * | call | DynamoDB Local 1.25.1 | here |
 * |---|---|---|
 * | DescribeTable, CreateTable, DeleteTable, UpdateTable (deletion protection) | supported | forwarded |
 * | GetResourcePolicy, PutResourcePolicy | UnknownOperationException | fake (revision ids, `NO_POLICY`, mismatch → PolicyNotFoundException) |
 * | ListTagsOfResource, TagResource | "Tagging is not currently supported" | fake |
 * | DescribeContinuousBackups, UpdateContinuousBackups | UnknownOperationException | fake |
 * | UpdateTable with SSESpecification | "Nothing to update" (SSE is ignored) | fake; DescribeTable output gets the fake SSEDescription |
 *
 * The fake answers ResourceNotFoundException whenever the table does not exist in DynamoDB Local, so "deleted
 * meanwhile" behaves like AWS. Hooks let tests inject errors (throttling) and side effects (delete the table
 * mid-run), and override the status DescribeTable reports (CREATING) to exercise the wait.
 */
import {
  DescribeTableCommand,
  DynamoDBClient,
  PolicyNotFoundException,
  ResourceNotFoundException,
  type SSEDescription,
  type TableDescription,
  type TableStatus,
} from '@aws-sdk/client-dynamodb';
import { localDynamoDbClient } from '../../../support/dynamodb-local/client';

export interface FakePitr {
  enabled: boolean;
  days?: number;
}

export interface ControlPlaneHooks {
  /** Runs before every call (forwarded or faked); throw to fail the call. */
  before?: (operation: string, input: Record<string, any>) => void | Promise<void>;
  /** Overrides the status DescribeTable reports (`undefined` keeps the real one). */
  describeStatus?: (tableName: string, describeCount: number) => TableStatus | undefined;
}

export interface FakeControlPlane {
  readonly policies: Map<string, { policy: string; revisionId: string }>;
  readonly tags: Map<string, Map<string, string>>;
  readonly pitr: Map<string, FakePitr>;
  readonly sse: Map<string, SSEDescription>;
  /** Every operation sent, in order (`DescribeTable`, `TagResource`, …). */
  readonly calls: string[];
  hooks: ControlPlaneHooks;
  /** Operations that change something. */
  mutations(): string[];
  reset(): void;
}

const MUTATIONS = new Set(['UpdateTable', 'UpdateContinuousBackups', 'PutResourcePolicy', 'TagResource']);
const meta = { $metadata: { httpStatusCode: 200 } };

export function tableNameOfArn(arn: string): string {
  const name = arn.split(':table/')[1];
  if (!name) throw new Error(`not a table ARN: ${arn}`);
  return name.split('/')[0];
}

export function error(name: string, message = name): Error {
  const e = new Error(message) as Error & { $metadata: object; $fault: string };
  e.name = name;
  e.$metadata = { httpStatusCode: 400 };
  e.$fault = 'client';
  return e;
}

/** `{ client, fake }`: the client to hand to the handler, and the fake's state for assertions. */
export function localControlPlane(): { client: DynamoDBClient; fake: FakeControlPlane; raw: DynamoDBClient } {
  const raw = localDynamoDbClient();
  const client = localDynamoDbClient({ maxAttempts: 1 });
  let revision = 0;
  const describeCounts = new Map<string, number>();
  const fake: FakeControlPlane = {
    policies: new Map(),
    tags: new Map(),
    pitr: new Map(),
    sse: new Map(),
    calls: [],
    hooks: {},
    mutations: () => fake.calls.filter((c) => MUTATIONS.has(c)),
    reset() {
      fake.calls.length = 0;
      fake.hooks = {};
      describeCounts.clear();
    },
  };

  const exists = async (tableName: string): Promise<boolean> => {
    try {
      await raw.send(new DescribeTableCommand({ TableName: tableName }));
      return true;
    } catch (e) {
      if ((e as Error).name === 'ResourceNotFoundException') return false;
      throw e;
    }
  };
  const requireTable = async (tableName: string): Promise<void> => {
    if (!(await exists(tableName))) throw new ResourceNotFoundException({ message: `Requested resource not found: Table: ${tableName} not found`, $metadata: {} });
  };
  const describe = async (tableName: string): Promise<TableDescription> => (await raw.send(new DescribeTableCommand({ TableName: tableName }))).Table!;

  const answer = async (operation: string, input: Record<string, any>): Promise<Record<string, unknown> | undefined> => {
    switch (operation) {
      case 'GetResourcePolicy': {
        const table = tableNameOfArn(input.ResourceArn);
        await requireTable(table);
        const current = fake.policies.get(table);
        if (!current) throw new PolicyNotFoundException({ message: `Resource-based policy not found for the provided ResourceArn: ${input.ResourceArn}`, $metadata: {} });
        return { Policy: current.policy, RevisionId: current.revisionId };
      }
      case 'PutResourcePolicy': {
        const table = tableNameOfArn(input.ResourceArn);
        await requireTable(table);
        const current = fake.policies.get(table);
        const expected = input.ExpectedRevisionId as string | undefined;
        if (expected === 'NO_POLICY' ? current !== undefined : expected !== undefined && expected !== current?.revisionId) {
          throw new PolicyNotFoundException({ message: 'the revision id does not match', $metadata: {} });
        }
        JSON.parse(input.Policy);
        revision += 1;
        const revisionId = `rev-${revision}`;
        fake.policies.set(table, { policy: input.Policy, revisionId });
        return { RevisionId: revisionId };
      }
      case 'ListTagsOfResource': {
        const table = tableNameOfArn(input.ResourceArn);
        await requireTable(table);
        return { Tags: [...(fake.tags.get(table) ?? new Map()).entries()].map(([Key, Value]) => ({ Key, Value })) };
      }
      case 'TagResource': {
        const table = tableNameOfArn(input.ResourceArn);
        await requireTable(table);
        const tags = fake.tags.get(table) ?? new Map<string, string>();
        for (const tag of input.Tags) tags.set(tag.Key, tag.Value);
        fake.tags.set(table, tags);
        return {};
      }
      case 'DescribeContinuousBackups': {
        await requireTable(input.TableName);
        const pitr = fake.pitr.get(input.TableName) ?? { enabled: false };
        return {
          ContinuousBackupsDescription: {
            ContinuousBackupsStatus: 'ENABLED',
            PointInTimeRecoveryDescription: pitr.enabled
              ? { PointInTimeRecoveryStatus: 'ENABLED', ...(pitr.days !== undefined ? { RecoveryPeriodInDays: pitr.days } : {}) }
              : { PointInTimeRecoveryStatus: 'DISABLED' },
          },
        };
      }
      case 'UpdateContinuousBackups': {
        await requireTable(input.TableName);
        const spec = input.PointInTimeRecoverySpecification;
        fake.pitr.set(input.TableName, { enabled: spec.PointInTimeRecoveryEnabled, days: spec.RecoveryPeriodInDays });
        return { ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED' } };
      }
      case 'UpdateTable': {
        if (input.SSESpecification === undefined) return undefined;
        await requireTable(input.TableName);
        const spec = input.SSESpecification;
        fake.sse.set(input.TableName, spec.Enabled ? { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: spec.KMSMasterKeyId } : { Status: 'DISABLED' });
        return { TableDescription: await describe(input.TableName) };
      }
      default:
        return undefined;
    }
  };

  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName).replace(/Command$/, '');
      const input = args.input as Record<string, any>;
      fake.calls.push(operation);
      await fake.hooks.before?.(operation, input);
      const faked = await answer(operation, input);
      if (faked !== undefined) return { output: { ...faked, ...meta } as any, response: {} };
      const result = await next(args);
      if (operation === 'DescribeTable') {
        const output = result.output as { Table?: TableDescription };
        const name = input.TableName as string;
        const count = (describeCounts.get(name) ?? 0) + 1;
        describeCounts.set(name, count);
        if (output.Table) {
          const sse = fake.sse.get(name);
          if (sse) output.Table.SSEDescription = sse;
          const status = fake.hooks.describeStatus?.(name, count);
          if (status) output.Table.TableStatus = status;
        }
      }
      return result;
    },
    { step: 'initialize', name: 'governanceControlPlaneFake' },
  );
  return { client, fake, raw };
}
