/**
 * The access proof: every scenario of every synthesized stack evaluated by a real IAM engine
 * (@cloud-copilot/iam-simulate, AWS's evaluation logic and service authorization data) over the stack's own identity,
 * table, VPC endpoint and key policies. See help/access-model.md.
 */
import * as fs from 'fs';
import { synthesizeEveryStack } from '../support/terraform/synthesized-stacks';
import { auditFlowCatalog } from '../../stacks/catalogs/auditflow';
import { describeMismatch, evaluateScenario, stackProofs } from '../support/access/proof';
import { loadCatalogScenarios } from '../support/access/scenarios';
import { lintDocuments, policyDocumentsOf } from '../support/access/policy-lint';
import { loadStackModel } from '../support/access/stack-model';
import { accessMatrix, accessMatrixMarkdown, OPERATIONS } from '../support/access/matrix';
import { EXAMPLE_ENVIRONMENTS } from '../../stacks/settings/defaults';
import { checkedCatalogs } from '../../stacks/catalogs/registry';
import { synthesizeAll } from '../../stacks/synth';
import type { Catalog } from '../../stacks/catalogs/types';

const { root } = synthesizeEveryStack(false);
const proofs = stackProofs(`${root}/out`);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe.each(proofs.map((proof) => [proof.stack, proof] as const))('%s', (_stack, proof) => {
  test.each(proof.scenarios.map((scenario) => [scenario.id, scenario] as const))('%s', async (_id, scenario) => {
    const decision = await evaluateScenario(proof, scenario);
    if (decision.decision !== scenario.expect) throw new Error(describeMismatch(proof, scenario, decision));
  });
});

describe('negative controls: flipping one statement makes a named scenario fail', () => {
  const proofOf = (stack: string) => proofs.find((proof) => proof.stack === stack)!;
  const scenarioOf = (stack: string, id: string) => proofOf(stack).scenarios.find((scenario) => scenario.id === id)!;
  /** The proof of `stack` with one policy document changed by `change`. */
  const withPolicy = (stack: string, address: string, change: (document: any) => void) => {
    const proof = proofOf(stack);
    const json = JSON.parse(fs.readFileSync(`${root}/out/stacks/${stack}/cdk.tf.json`, 'utf8'));
    const [type, name] = address.split('.');
    const document = JSON.parse(json.resource[type][name].policy);
    change(document);
    json.resource[type][name].policy = JSON.stringify(document);
    return { ...proof, model: loadStackModel(stack, json) };
  };

  test.each([
    ['manga-assist-prod', 'deployer-replicates-table-key', 'aws_kms_key.dynamodb_key', (d: any) => (d.Statement[0].Action = d.Statement[0].Action.filter((a: string) => a !== 'kms:ReplicateKey'))],
    ['manga-assist-prod', 'dynamodb-cross-region-key-use', 'aws_kms_key.dynamodb_key', (d: any) => (d.Statement[1].Condition = { StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com', 'kms:CallerAccount': '333333333333' } })],
    ['ml-platform-prod', 'scientist-cannot-delete-user-sessions', 'aws_dynamodb_resource_policy.user_sessions_resource_policy', (d: any) => (d.Statement = d.Statement.filter((s: any) => s.Sid !== 'DenyChangesOutsideTerraform'))],
    ['manga-assist-prod', 'observability_alarm_topic-cloudwatch-publishes', 'aws_sns_topic_policy.observability_alarm_topic_policy', (d: any) => (d.Statement = d.Statement.filter((s: any) => s.Sid !== 'CloudWatchAlarmsPublish'))],
    ['manga-assist-prod', 'observability_audit_trail-writes-log-files', 'aws_s3_bucket_policy.observability_audit_trail_bucket_policy', (d: any) => (d.Statement = d.Statement.filter((s: any) => s.Sid !== 'CloudTrailWritesLogFiles'))],
    ['manga-assist-prod', 'admin-export-lands-in-s3', 'aws_iam_role_policy.admin_role_policy', (d: any) => (d.Statement = d.Statement.filter((s: any) => s.Sid !== 'WriteTableExports'))],
    ['manga-assist-prod', 'endpoint-allows-sdk-describe', 'aws_vpc_endpoint.dynamodb_endpoint', (d: any) => (d.Statement[0].Action = d.Statement[0].Action.filter((a: string) => a !== 'dynamodb:DescribeTable'))],
    ['manga-assist-prod', 'dax-role-no-Scan-sessions', 'aws_iam_role_policy.dax_role_policy', (d: any) => d.Statement[0].Action.push('dynamodb:Scan')],
    ['manga-assist-prod', 'seed001-sf-no-putitem', 'aws_iam_role_policy.sf_role_policy', (d: any) => {
      d.Statement[0].Action = [...d.Statement[0].Action, 'dynamodb:PutItem'];
      d.Statement = d.Statement.map((s: any) => (s.Sid === 'DenyDangerous' ? { ...s, Action: s.Action.filter((a: string) => a !== 'dynamodb:PutItem') } : s));
    }],
    ['manga-assist-prod', 'seed001-msg-other-key-prefix', 'aws_iam_role_policy.msg_role_policy', (d: any) => (d.Statement[0].Condition['ForAllValues:StringLike']['dynamodb:LeadingKeys'] = ['*'])],
  ])('%s: %s', async (stack, id, address, change) => {
    const scenario = scenarioOf(stack, id);
    expect(await evaluateScenario(proofOf(stack), scenario)).toMatchObject({ decision: scenario.expect });
    const flipped = withPolicy(stack, address, change);
    const decision = await evaluateScenario(flipped, scenario);
    expect(decision.decision).not.toBe(scenario.expect);
    const message = describeMismatch(flipped, scenario, decision);
    expect(message).toContain(`scenario '${id}'`);
    expect(message).toContain(`request: ${decision.request.principal} ${scenario.action}`);
    expect(message).toContain(`the engine says ${decision.decision}`);
  });
});

describe('scenario files are checked: one clear line naming the file, the scenario and the field', () => {
  const dir = fs.mkdtempSync(`${require('os').tmpdir()}/guardrails-scenarios-`);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (scenarios: unknown) => fs.writeFileSync(`${dir}/access-scenarios.json`, JSON.stringify({ scenarios }));
  const base = { id: 'x', description: 'd', principal: 'lambda_role', action: 'dynamodb:GetItem', resource: { table: 'documents' }, network: 'vpc-endpoint', expect: 'allow' };
  test.each([
    [{ ...base, principal: 'lamda_role' }, "scenarios['x'].principal = 'lamda_role': is not a role of catalog 'auditflow'"],
    [{ ...base, resource: { table: 'document' } }, "scenarios['x'].resource.table = 'document': is not a table of catalog 'auditflow'"],
    [{ ...base, action: 'GetItem' }, "scenarios['x'].action = 'GetItem': must be an IAM action"],
    [{ ...base, expect: 'allowed' }, "scenarios['x'].expect = 'allowed': must be one of 'allow', 'deny'; did you mean 'allow'?"],
    [{ ...base, netwrok: 'vpc-endpoint' }, "scenarios['x'].netwrok = 'vpc-endpoint': is not a known field; did you mean 'network'?"],
  ])('%p', (scenario, expected) => {
    write([scenario]);
    expect(() => loadCatalogScenarios(auditFlowCatalog, dir, ['lambda_role'])).toThrow(expected);
  });
});

describe('the access matrix of every prod stack', () => {
  const prod = proofs.filter((proof) => proof.environment === 'prod');
  test.each(prod.map((proof) => [proof.stack, proof] as const))('%s: generated, deterministic, and agreeing with the scenarios', async (_stack, proof) => {
    const settings = EXAMPLE_ENVIRONMENTS.prod;
    const first = await accessMatrix(proof.model, settings);
    expect(await accessMatrix(proof.model, settings)).toEqual(first);
    expect(accessMatrixMarkdown(first)).toContain(`# Who can reach the data of ${proof.stack}`);
    const cell = (principal: string, operation: string, network: string) =>
      first.rows.find((row) => row.principal === principal)!.operations[operation].find((c) => c.network === network)!.decision;
    for (const principal of ['root', 'unlisted-admin', 'other-account']) {
      for (const [operation] of OPERATIONS) for (const network of ['vpc-endpoint', 'outside-vpc']) expect(cell(principal, operation, network)).toBe('deny');
    }
    expect(cell('deployer', 'change table', 'outside-vpc')).toBe('allow');
  });
});

describe("every policy document of every stack fits AWS's service authorization reference", () => {
  const stacks = proofs.map((proof) => proof.stack);
  test.each(stacks)('%s: actions exist, ARNs fit their resource types, condition keys apply, no needless Resource "*"', async (stack) => {
    const documents = policyDocumentsOf(JSON.parse(fs.readFileSync(`${root}/out/stacks/${stack}/cdk.tf.json`, 'utf8')));
    expect(documents.length).toBeGreaterThan(5);
    expect(await lintDocuments(documents)).toEqual([]);
  });

  test.each([
    [{ Sid: 'Typo', Effect: 'Allow', Action: 'dynamodb:GetItems', Resource: 'arn:aws:dynamodb:us-east-1:111111111111:table/t' }, 'dynamodb:GetItems', 'matches no action of dynamodb'],
    [{ Sid: 'NoService', Effect: 'Allow', Action: 'dynamo:GetItem', Resource: 'arn:aws:dynamodb:us-east-1:111111111111:table/t' }, 'dynamo:GetItem', 'is not an action of any AWS service'],
    [{ Sid: 'WrongArn', Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: 'arn:aws:s3:::bucket/key' }, 'arn:aws:s3:::bucket/key', 'fits no resource type of dynamodb:GetItem'],
    [{ Sid: 'StreamOnTable', Effect: 'Allow', Action: 'dynamodb:GetRecords', Resource: 'arn:aws:dynamodb:us-east-1:111111111111:table/t' }, 'arn:aws:dynamodb:us-east-1:111111111111:table/t', 'fits no resource type of dynamodb:GetRecords'],
    [{ Sid: 'NoOpKey', Effect: 'Allow', Action: 'kms:Decrypt', Resource: 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab', Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['x*'] } } }, 'dynamodb:LeadingKeys', 'is a condition key no action of this statement supports'],
    [{ Sid: 'Star', Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }, '*', 'Resource "*" for actions with resource-level permissions: dynamodb:GetItem'],
  ])('a bad statement is reported with its address, Sid and value: %p', async (statement, value, problem) => {
    const problems = await lintDocuments([{ address: 'aws_iam_role_policy.example', kind: 'identity', statements: [statement as never] }]);
    expect(problems).toEqual([expect.objectContaining({ address: 'aws_iam_role_policy.example', sid: (statement as { Sid: string }).Sid, value, problem: expect.stringContaining(problem) })]);
  });
});

describe('the stack loader', () => {
  test('every managed policy a role of any stack attaches has a document (nothing is silently dropped)', () => {
    for (const proof of proofs) for (const role of proof.model.roles.values()) expect([proof.stack, role.address, role.unknownManagedPolicies]).toEqual([proof.stack, role.address, []]);
  });

  test('inline, AWS managed and customer-managed policies all reach the role; an unknown managed policy is reported', () => {
    const model = loadStackModel('example-dev', {
      provider: { aws: [{ region: 'eu-west-1', allowed_account_ids: ['123456789012'] }] },
      resource: {
        aws_iam_role: { app: { name: 'app-role', assume_role_policy: '{"Statement":[]}' } },
        aws_iam_role_policy: { app_inline: { role: '${aws_iam_role.app.id}', policy: '{"Statement":[{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"*"}]}' } },
        aws_iam_policy: { shared: { name: 'shared-reads', policy: '{"Statement":[{"Effect":"Allow","Action":"dynamodb:Query","Resource":"*"}]}' } },
        aws_iam_role_policy_attachment: {
          shared: { role: '${aws_iam_role.app.name}', policy_arn: '${aws_iam_policy.shared.arn}' },
          vpc: { role: '${aws_iam_role.app.name}', policy_arn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole' },
          unknown: { role: '${aws_iam_role.app.name}', policy_arn: 'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess' },
        },
      },
    });
    const role = model.roles.get('app')!;
    expect(role.arn).toBe('arn:aws:iam::123456789012:role/app-role');
    expect(role.policies.map((policy) => policy.name)).toEqual(['aws_iam_role_policy.app_inline', 'aws_iam_policy.shared', 'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole']);
    expect(role.unknownManagedPolicies).toEqual(['arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess']);
  });
});

describe('a new catalog of one table and nothing else gets the restrictive defaults (secure by default)', () => {
  const snippet: Catalog = {
    name: 'shop',
    project: 'shop',
    tables: [{ id: 'orders', baseName: 'Orders', partitionKey: { name: 'pk', type: 'S' }, sortKey: { name: 'sk', type: 'S' }, timeToLiveAttribute: 'expires_at' }],
    accessPatterns: [],
  };
  const outdir = fs.mkdtempSync(`${root}/shop-`);
  synthesizeAll({ outdir: 'out', cwd: outdir, env: {}, catalogs: [snippet] });
  const [catalog] = checkedCatalogs([snippet]);
  const shopProofs = stackProofs(`${outdir}/out`, [catalog]);

  test.each(shopProofs.flatMap((proof) => proof.scenarios.map((scenario) => [`${proof.stack} ${scenario.id}`, proof, scenario] as const)))('%s', async (_name, proof, scenario) => {
    const decision = await evaluateScenario(proof, scenario);
    if (decision.decision !== scenario.expect) throw new Error(describeMismatch(proof, scenario, decision));
  });

  test('negative control: without the default table policy an unlisted administrator of the account can read the table', async () => {
    const proof = shopProofs.find((candidate) => candidate.environment === 'prod')!;
    const json = JSON.parse(fs.readFileSync(`${outdir}/out/stacks/shop-prod/cdk.tf.json`, 'utf8'));
    delete json.resource.aws_dynamodb_resource_policy.orders_resource_policy;
    const scenario = proof.scenarios.find((candidate) => candidate.id === 'orders-unlisted-admin-denied')!;
    expect((await evaluateScenario({ ...proof, model: loadStackModel('shop-prod', json) }, scenario)).decision).toBe('allow');
  });
});
