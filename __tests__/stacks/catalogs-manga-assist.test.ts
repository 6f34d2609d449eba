import { TerraformStack } from 'cdktf';
import { AccessEnvironment, addCatalogAccess, leastPrivilegeViolations } from '../../modules/access';
import { existingKey } from '../../modules/encryption';
import { addCatalogEndpoints } from '../../modules/network';
import { SecureTable } from '../../modules/table';
import { mangaAssistCatalog } from '../../stacks/catalogs/manga-assist';
import { Catalog } from '../../stacks/catalogs/types';
import { resourcesOfType, synthConstructs, synthEnvironment } from '../support/synth';

const ACCOUNT = '111111111111';
const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const DEPLOYER = 'arn:aws:iam::111111111111:role/terraform-deployer';
const TABLE = 'arn:aws:dynamodb:us-east-1:111111111111:table/manga-assist-sessions';
const role = (name: string) => `arn:aws:iam::111111111111:role/${name}`;

/** The catalog as an environment stack wires it: tables, endpoint, then roles and resource policies. */
function synthCatalog(catalog: Catalog, environment: Partial<AccessEnvironment> = {}) {
  return synthConstructs((stack: TerraformStack) => {
    const key = existingKey('test', KEY_ARN);
    const tables = new Map<string, SecureTable>();
    for (const { id, baseName, environmentOverrides: _overrides, ...settings } of catalog.tables) {
      tables.set(id, new SecureTable(stack, id, { ...settings, tableName: baseName, encryptionKey: key }));
    }
    const network = { accountId: ACCOUNT, region: 'us-east-1', vpcId: 'vpc-0abc1234def567890', routeTableIds: ['rtb-0123456789abcdef0'] };
    const endpoints = addCatalogEndpoints(stack, catalog.name, catalog.endpoint!, network, (catalog.roles ?? []).map((r) => r.roleName));
    addCatalogAccess(stack, catalog, {
      accountId: ACCOUNT,
      region: 'us-east-1',
      tables,
      vpcEndpointIds: [endpoints.gateway.endpointId],
      exemptPrincipalArns: [DEPLOYER],
      ...environment,
    });
  });
}

const json = synthCatalog(mangaAssistCatalog);
const policyOf = (roleId: string) => JSON.parse(resourcesOfType(json, 'aws_iam_role_policy')[`${roleId}_policy`].policy);
const statementsOf = (roleId: string) => policyOf(roleId).Statement as any[];
const sid = (roleId: string, id: string) => statementsOf(roleId).find((s) => s.Sid === id);

describe('manga-assist-sessions (seed 001)', () => {
  const table = resourcesOfType(json, 'aws_dynamodb_table').sessions;

  test('PK/SK strings, GSI1-customer-sessions on customer_id, streams with both images, TTL', () => {
    expect(table).toEqual(
      expect.objectContaining({
        name: 'manga-assist-sessions',
        hash_key: 'PK',
        range_key: 'SK',
        attribute: [
          { name: 'PK', type: 'S' },
          { name: 'SK', type: 'S' },
          { name: 'customer_id', type: 'S' },
        ],
        global_secondary_index: [{ name: 'GSI1-customer-sessions', hash_key: 'customer_id', projection_type: 'ALL' }],
        stream_enabled: true,
        stream_view_type: 'NEW_AND_OLD_IMAGES',
        ttl: { attribute_name: 'ttl', enabled: true },
        billing_mode: 'PAY_PER_REQUEST',
      }),
    );
  });

  test.each(mangaAssistCatalog.accessPatterns.map((p) => [p.id, p] as const))('access pattern %s uses only the keys of its table or index', (_id, pattern) => {
    const spec = mangaAssistCatalog.tables.find((t) => t.id === pattern.table)!;
    const index = pattern.indexName ? spec.globalSecondaryIndexes?.find((g) => g.indexName === pattern.indexName) : undefined;
    if (pattern.indexName) expect(index).toBeDefined();
    const keys = index ? [index.partitionKey.name, index.sortKey?.name] : [spec.partitionKey.name, spec.sortKey?.name];
    const names = [...pattern.keyConditionExpression.matchAll(/([A-Za-z_#][\w]*)\s*(?:=|<|>|BETWEEN)|begins_with\((\w+)/g)].map((m) => m[1] ?? m[2]);
    expect(names[0]).toBe(keys[0]);
    for (const name of names) expect(keys).toContain(name);
    for (const value of pattern.keyConditionExpression.match(/:\w+/g) ?? []) expect(pattern.expressionAttributeValues).toHaveProperty([value]);
  });

  test('turns are read newest first with begins_with(SK, TURN#)', () => {
    const turns = mangaAssistCatalog.accessPatterns.find((p) => p.id === 'manga-assist-1')!;
    expect(turns.keyConditionExpression).toBe('PK = :pk AND begins_with(SK, :prefix)');
    expect(turns.expressionAttributeValues[':prefix']).toBe('TURN#');
    expect(turns.scanIndexForward).toBe(false);
  });
});

describe("seed 001's four roles, one per function", () => {
  test('exactly the four seed roles, trusted by Lambda or Step Functions', () => {
    const roles = resourcesOfType(json, 'aws_iam_role');
    expect(Object.fromEntries(Object.entries(roles).map(([id, r]) => [id, [r.name, JSON.parse(r.assume_role_policy).Statement[0].Principal.Service]]))).toEqual({
      msg_role: ['manga-msg-role', 'lambda.amazonaws.com'],
      stream_role: ['manga-stream-role', 'lambda.amazonaws.com'],
      admin_role: ['manga-admin-role', 'lambda.amazonaws.com'],
      sf_role: ['manga-sf-role', 'states.amazonaws.com'],
    });
  });

  test('message handler: the seed policy (session items under SESSION# only, DenyDangerous, Bedrock, X-Ray)', () => {
    expect(sid('msg_role', 'DynamoDBSessionAccess')).toEqual({
      Sid: 'DynamoDBSessionAccess',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      Resource: [TABLE, `${TABLE}/index/*`],
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SESSION#*'] } },
    });
    expect(sid('msg_role', 'DenyDangerous').Action).toEqual(
      expect.arrayContaining(['dynamodb:Scan', 'dynamodb:DeleteItem', 'dynamodb:DeleteTable', 'dynamodb:CreateTable', 'dynamodb:BatchWriteItem']),
    );
    expect(sid('msg_role', 'DenyDangerous').Resource).toBe('*');
    expect(sid('msg_role', 'BedrockInvoke')).toEqual({
      Sid: 'BedrockInvoke',
      Effect: 'Allow',
      Action: ['bedrock:InvokeModel'],
      Resource: ['arn:aws:bedrock:us-east-1::foundation-model/anthropic.*', 'arn:aws:bedrock:us-east-1:111111111111:inference-profile/*.anthropic.*'],
    });
    // Cross-Region inference reaches the model in other Regions, only through the account's inference profiles.
    expect(sid('msg_role', 'BedrockInvokeThroughInferenceProfile')).toEqual({
      Sid: 'BedrockInvokeThroughInferenceProfile',
      Effect: 'Allow',
      Action: ['bedrock:InvokeModel'],
      Resource: 'arn:aws:bedrock:*::foundation-model/anthropic.*',
      Condition: { StringLike: { 'bedrock:InferenceProfileArn': 'arn:aws:bedrock:us-east-1:111111111111:inference-profile/*.anthropic.*' } },
    });
    expect(sid('msg_role', 'XRayTrace').Action).toEqual(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']);
  });

  test('stream processor: stream reads on the stream only, summaries under SESSION#, Kinesis and SNS', () => {
    expect(sid('stream_role', 'DynamoDBStreamRead')).toEqual({
      Sid: 'DynamoDBStreamRead',
      Effect: 'Allow',
      Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
      Resource: `${TABLE}/stream/*`,
    });
    expect(sid('stream_role', 'DynamoDBStreamReadListStreams')).toEqual({ Sid: 'DynamoDBStreamReadListStreams', Effect: 'Allow', Action: ['dynamodb:ListStreams'], Resource: '*' });
    expect(sid('stream_role', 'DynamoDBWriteSummaries')).toEqual({
      Sid: 'DynamoDBWriteSummaries',
      Effect: 'Allow',
      Action: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:Query'],
      Resource: TABLE,
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SESSION#*'] } },
    });
    expect(sid('stream_role', 'KinesisWrite').Resource).toBe('arn:aws:kinesis:us-east-1:111111111111:stream/manga-assist-events');
    expect(sid('stream_role', 'SNSPublish').Resource).toBe('arn:aws:sns:us-east-1:111111111111:manga-assist-handoffs');
    expect(sid('stream_role', 'DenyDangerous').Action).toEqual(expect.arrayContaining(['dynamodb:DeleteItem', 'dynamodb:Scan']));
  });

  test('admin: Scan, Query, DeleteItem, export (with the customer index); CreateTable and DeleteTable denied', () => {
    expect(sid('admin_role', 'DynamoDBAdminOperations')).toEqual({
      Sid: 'DynamoDBAdminOperations',
      Effect: 'Allow',
      Action: ['dynamodb:Query', 'dynamodb:Scan', 'dynamodb:DeleteItem', 'dynamodb:ExportTableToPointInTime'],
      Resource: [TABLE, `${TABLE}/index/*`],
    });
    expect(sid('admin_role', 'DenyDangerous').Action).toEqual(expect.arrayContaining(['dynamodb:CreateTable', 'dynamodb:DeleteTable']));
  });

  test('Step Functions: GetItem, UpdateItem, Query; Scan, DeleteItem and PutItem denied', () => {
    expect(sid('sf_role', 'DynamoDBWorkflowAccess').Action).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query']);
    expect(sid('sf_role', 'DenyDangerous').Action).toEqual(expect.arrayContaining(['dynamodb:Scan', 'dynamodb:DeleteItem', 'dynamodb:PutItem']));
  });

  test('no role may create or delete the table, and every policy passes the least-privilege lint', () => {
    for (const roleId of ['msg_role', 'stream_role', 'admin_role', 'sf_role']) {
      const allowed = statementsOf(roleId).filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action);
      expect(allowed).not.toContain('dynamodb:CreateTable');
      expect(allowed).not.toContain('dynamodb:DeleteTable');
      expect(leastPrivilegeViolations(policyOf(roleId))).toEqual([]);
    }
  });

  test('the Lambda roles get logs and VPC networking from the AWS managed execution policy', () => {
    const attachments = resourcesOfType(json, 'aws_iam_role_policy_attachment');
    expect(Object.keys(attachments).sort()).toEqual([
      'admin_role_attach_awslambdavpcaccessexecutionrole',
      'msg_role_attach_awslambdavpcaccessexecutionrole',
      'stream_role_attach_awslambdavpcaccessexecutionrole',
    ]);
  });
});

describe('table resource policy and endpoint', () => {
  const policy = JSON.parse(resourcesOfType(json, 'aws_dynamodb_resource_policy').sessions_resource_policy.policy);
  const statement = (id: string) => policy.Statement.find((s: any) => s.Sid === id);

  test('only the four roles and the deployer; Lambda traffic only through the endpoint, Step Functions exempt', () => {
    expect(statement('DenyUnlistedPrincipals').Condition.ArnNotLike['aws:PrincipalArn']).toEqual([
      role('manga-msg-role'),
      role('manga-stream-role'),
      role('manga-admin-role'),
      role('manga-sf-role'),
      DEPLOYER,
    ]);
    expect(statement('DenyAllNonVPCAccess').Condition).toEqual({
      StringNotEquals: { 'aws:SourceVpce': '${aws_vpc_endpoint.dynamodb_endpoint.id}' },
      ArnNotLike: { 'aws:PrincipalArn': [DEPLOYER, role('manga-sf-role')] },
    });
    expect(policy.Statement.map((s: any) => s.Sid)).toEqual(['DenyUnlistedPrincipals', 'DenyAllNonVPCAccess', 'DenyInsecureTransport', 'DenyRootUser']);
    expect(resourcesOfType(json, 'aws_dynamodb_resource_policy').sessions_resource_policy.depends_on).toEqual([
      'aws_iam_role.msg_role',
      'aws_iam_role.stream_role',
      'aws_iam_role.admin_role',
      'aws_iam_role.sf_role',
    ]);
  });

  test("seed 001's endpoint policy: manga-assist-* only, the seed actions, TLS only", () => {
    const endpoint = JSON.parse(resourcesOfType(json, 'aws_vpc_endpoint').dynamodb_endpoint.policy);
    expect(endpoint.Statement[0]).toEqual(
      expect.objectContaining({
        Sid: 'AllowOnlyFromVPC',
        Resource: 'arn:aws:dynamodb:us-east-1:111111111111:table/manga-assist-*',
        Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-0abc1234def567890' } },
      }),
    );
    expect(endpoint.Statement[0].Action).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']),
    );
    expect(endpoint.Statement[1]).toEqual(expect.objectContaining({ Sid: 'AllowAccountLevelActions', Action: ['dynamodb:DescribeEndpoints'], Resource: '*' }));
    expect(endpoint.Statement[2]).toEqual({ Sid: 'DenyNonTLS', Effect: 'Deny', Principal: '*', Action: 'dynamodb:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  test('an environment without the VPC endpoint cannot build the VPC-only resource policy', () => {
    expect(() => synthCatalog(mangaAssistCatalog, { vpcEndpointIds: [] })).toThrow(
      "test/sessions_resource_policy: requireVpcEndpoint = true: needs the environment's DynamoDB VPC endpoint, but none is configured for this catalog",
    );
  });

  test('a grant naming a table the catalog does not have', () => {
    const broken: Catalog = { ...mangaAssistCatalog, roles: [{ ...mangaAssistCatalog.roles![0], grants: [{ ...mangaAssistCatalog.roles![0].grants[0], table: 'session' }] }], resourcePolicies: [] };
    expect(() => synthCatalog(broken)).toThrow("test/msg_role: grants[0].table = 'session': is not a table of this catalog (known: sessions)");
  });
});

test('only the message role may call the DAX sessions cache, with its four operations', () => {
  const json = synthEnvironment(mangaAssistCatalog, 'prod');
  const daxStatements = Object.entries(resourcesOfType(json, 'aws_iam_role_policy')).flatMap(([address, policy]: [string, any]) =>
    (JSON.parse(policy.policy).Statement as any[]).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('dax:'))).map((s) => [address, s]),
  );
  expect(daxStatements.map(([address]) => address)).toEqual(['msg_role_policy']);
  expect(daxStatements[0][1]).toEqual({
    Sid: 'DaxSessionAccess',
    Effect: 'Allow',
    Action: ['dax:GetItem', 'dax:Query', 'dax:PutItem', 'dax:UpdateItem'],
    Resource: 'arn:aws:dax:us-east-1:333333333333:cache/manga-sess-*',
  });
});

describe('the global table is watched in every Region it replicates to', () => {
  const prod = synthEnvironment(mangaAssistCatalog, 'prod');
  const alarms = Object.values(resourcesOfType(prod, 'aws_cloudwatch_metric_alarm')) as any[];
  const regionOf = (resource: any) => resource.region ?? 'us-east-1';
  const topics = resourcesOfType(prod, 'aws_sns_topic');

  test('ReplicationLatency is alarmed from every member to every other one, each alarm in its sending Region (negative control: dev has no replicas, no alarm)', () => {
    const replication = alarms.filter((alarm) => alarm.metric_name === 'ReplicationLatency');
    expect(replication.map((alarm) => `${regionOf(alarm)}->${alarm.dimensions.ReceivingRegion}`).sort()).toEqual([
      'us-east-1->us-east-2',
      'us-east-1->us-west-2',
      'us-east-2->us-east-1',
      'us-east-2->us-west-2',
      'us-west-2->us-east-1',
      'us-west-2->us-east-2',
    ]);
    for (const alarm of replication) expect(alarm).toEqual(expect.objectContaining({ namespace: 'AWS/DynamoDB', statistic: 'Average', threshold: 60_000, period: 300, evaluation_periods: 3 }));
    const dev = Object.values(resourcesOfType(synthEnvironment(mangaAssistCatalog, 'dev'), 'aws_cloudwatch_metric_alarm')) as any[];
    expect(dev.filter((alarm) => alarm.metric_name === 'ReplicationLatency' || alarm.region !== undefined && alarm.region !== 'us-east-1')).toEqual([]);
  });

  test('each replica Region has throttle, system-error and latency alarms of its own, notifying a topic of that Region', () => {
    for (const region of ['us-east-2', 'us-west-2']) {
      const regional = alarms.filter((alarm) => alarm.region === region);
      expect(regional.map((alarm) => alarm.alarm_name.replace(`manga-assist-prod-${region}-sessions-`, '')).sort()).toEqual([
        'GSI1-customer-sessions-throttle-events',
        'p99-latency-GetItem',
        'p99-latency-PutItem',
        'p99-latency-Query',
        'p99-latency-UpdateItem',
        ...['us-east-1', 'us-east-2', 'us-west-2'].filter((other) => other !== region).map((other) => `replication-latency-${other}`),
        'system-errors',
        'throttle-events',
        'throttled-requests',
      ]);
      const topicName = `observability_alarm_topic_${region.replace(/-/g, '_')}`;
      expect(topics[topicName]).toEqual(expect.objectContaining({ region, name: 'manga-assist-prod-dynamodb-alarms' }));
      for (const alarm of regional) {
        expect(alarm.alarm_actions).toEqual([`\${aws_sns_topic.${topicName}.arn}`]);
        expect(alarm.alarm_description).toContain(`Replica in ${region}.`);
      }
      // The topic's key, policy and subscribers are in the same Region: CloudWatch can only use a key of its Region.
      expect(resourcesOfType(prod, 'aws_kms_key')[`${topicName}_key`].region).toBe(region);
      expect(JSON.parse(resourcesOfType(prod, 'aws_kms_key')[`${topicName}_key`].policy).Statement.find((st: any) => st.Sid === 'AccountPrincipalsUseOnlyThroughSns').Condition.StringEquals['kms:ViaService']).toBe(`sns.${region}.amazonaws.com`);
      expect(resourcesOfType(prod, 'aws_sns_topic_policy')[`${topicName}_policy`].region).toBe(region);
      // AWS Backup notifies the home topic only (negative control: the home topic admits it).
      expect(resourcesOfType(prod, 'aws_sns_topic_policy')[`${topicName}_policy`].policy).not.toContain('backup.amazonaws.com');
      expect(resourcesOfType(prod, 'aws_sns_topic_policy').observability_alarm_topic_policy.policy).toContain('backup.amazonaws.com');
      expect(prod.output![`alarm_topic_arn_${region.replace(/-/g, '_')}`].value).toBe(`\${aws_sns_topic.${topicName}.arn}`);
      expect(resourcesOfType(prod, 'aws_sns_topic_subscription')[`${topicName}_email_dynamodb_alerts_example_com`].region).toBe(region);
    }
    // Only replica-Region alarms name a Region; home-Region alarms (the audit alarms too) keep the home topic.
    expect(new Set(alarms.map((alarm) => alarm.region))).toEqual(new Set([undefined, 'us-east-2', 'us-west-2']));
    const home = alarms.filter((alarm) => alarm.region === undefined);
    expect(home.length).toBeGreaterThan(0);
    for (const alarm of home) expect(alarm.alarm_actions).toEqual(['${aws_sns_topic.observability_alarm_topic.arn}']);
  });

  test('the dashboard shows the table in every Region (negative control: staging, without replicas, shows one Region)', () => {
    const widgetRegions = (environment: 'prod' | 'staging') => {
      const body = JSON.parse((Object.values(resourcesOfType(synthEnvironment(mangaAssistCatalog, environment), 'aws_cloudwatch_dashboard'))[0] as any).dashboard_body);
      return new Set(body.widgets.filter((widget: any) => widget.type === 'metric').map((widget: any) => widget.properties.region));
    };
    expect([...widgetRegions('prod')].sort()).toEqual(['us-east-1', 'us-east-2', 'us-west-2']);
    expect([...widgetRegions('staging')]).toEqual(['us-east-1']);
  });
});

test("the audit trail of a global table records every Region and its replicas' data events (negative control: staging has no replicas, one Region)", () => {
  const trailOf = (environment: 'prod' | 'staging') => Object.values(resourcesOfType(synthEnvironment(mangaAssistCatalog, environment), 'aws_cloudtrail'))[0] as any;
  const prod = trailOf('prod');
  expect(prod.is_multi_region_trail).toBe(true);
  const recorded = prod.advanced_event_selector.find((selector: any) => selector.name.includes('data events')).field_selector.find((field: any) => field.field === 'resources.ARN').equals;
  expect(recorded).toEqual(['${aws_dynamodb_table.sessions.arn}', 'arn:aws:dynamodb:us-east-2:333333333333:table/manga-assist-sessions', 'arn:aws:dynamodb:us-west-2:333333333333:table/manga-assist-sessions']);
  expect(trailOf('staging').is_multi_region_trail).toBe(false);
});
