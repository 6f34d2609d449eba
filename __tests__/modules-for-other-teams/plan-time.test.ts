/**
 * What the generated modules do with real values, evaluated offline by `terraform console` (which evaluates module
 * outputs and checks every variable validation the way `terraform plan` does):
 * - the policy documents equal the ones modules/access builds for the same literal inputs;
 * - the attribute definitions equal the ones SecureTable derives;
 * - rules that read other inputs are not checked by `terraform validate` (a Terraform limit, documented) but are
 *   checked at plan time.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AccessProfile, roleAccessPolicy } from '../../modules/access';
import { deriveAttributeDefinitions } from '../../modules/table/attributes';
import { auditFlowCatalog } from '../../stacks/catalogs/auditflow';
import { EXAMPLE_KMS_KEY_ARNS, generateModules, moduleBlock, tableModuleArguments } from '../../stacks/terraform-modules';
import { MODULE_AWS_PROVIDER_VERSION } from '../../stacks/module-stack';
import { terraformValidate } from '../support/terraform/validate';
import { parseJsonencoded, terraformConsole } from './console';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-modules-plan-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const generated = generateModules({ outdir: path.join(root, 'modules') });

const KEY = EXAMPLE_KMS_KEY_ARNS['ap-south-1'];
const TABLE_ARN = 'arn:aws:dynamodb:ap-south-1:111111111111:table/AuditFlow-Documents';

let caseNumber = 0;
/** A root module (provider + module calls) in a fresh directory next to the generated modules. */
function rootModule(body: string): string {
  const dir = path.join(root, `case-${++caseNumber}`);
  fs.mkdirSync(dir);
  const preamble = `terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws", version = "${MODULE_AWS_PROVIDER_VERSION}" }\n  }\n}\nprovider "aws" {\n  region = "ap-south-1"\n}\n`;
  fs.writeFileSync(path.join(dir, 'main.tf'), `${preamble}\n${body}`);
  return dir;
}

// Case directories sit next to the generated tree: root/case-N and root/modules/<module>.
const tableSource = () => `../${path.basename(generated.outdir)}/dynamodb-table`;
const accessSource = () => `../${path.basename(generated.outdir)}/dynamodb-access-policy`;

describe('dynamodb-access-policy documents equal roleAccessPolicy for the same inputs', () => {
  const cases = [
    { title: 'defaults', args: {}, leadingKeys: undefined, vpce: undefined, allowDelete: false },
    { title: 'leading keys', args: { leading_keys: ['LOAN#*', 'USER#*'] }, leadingKeys: ['LOAN#*', 'USER#*'], vpce: undefined, allowDelete: false },
    {
      title: 'VPC endpoints, leading keys and writer deletes',
      args: { leading_keys: ['LOAN#*'], source_vpce_ids: ['vpce-0123456789abcdef0', 'vpce-0123456789abcdef1'], writer_allow_delete: true },
      leadingKeys: ['LOAN#*'],
      vpce: ['vpce-0123456789abcdef0', 'vpce-0123456789abcdef1'],
      allowDelete: true,
    },
  ];

  test.each(cases)('$title', ({ args, leadingKeys, vpce, allowDelete }) => {
    const dir = rootModule(moduleBlock('access', accessSource(), { table_arn: TABLE_ARN, kms_key_arn: KEY, ...args }));
    const profiles = {
      reader: AccessProfile.reader(),
      writer: AccessProfile.writer({ allowDelete }),
      stream_consumer: AccessProfile.streamConsumer(),
      admin: AccessProfile.admin(),
    };
    const result = terraformConsole(dir, ['jsonencode({ for profile, document in module.access.policy_json : profile => jsondecode(document) })']);
    expect(result.errors).toEqual([]);
    const documents = parseJsonencoded(result.values[0]) as Record<string, unknown>;
    expect(Object.keys(documents).sort()).toEqual(Object.keys(profiles).sort());
    for (const [name, profile] of Object.entries(profiles)) {
      const keyed = name === 'reader' || name === 'writer';
      const expected = roleAccessPolicy({
        region: 'ap-south-1',
        grants: [{ target: { tableArn: TABLE_ARN, keyArn: KEY }, profile, leadingKeys: keyed ? leadingKeys : undefined }],
        sourceVpceIds: vpce,
      });
      expect([name, documents[name]]).toEqual([name, JSON.parse(JSON.stringify(expected))]);
    }
  });
});

describe('dynamodb-access-policy on a global table grants every replica Region', () => {
  test('each table, index and stream ARN is granted in the replica Regions too; nothing else changes (negative control: no replicas, the exact roleAccessPolicy documents above)', () => {
    const dir = rootModule(moduleBlock('access', accessSource(), { table_arn: TABLE_ARN, kms_key_arn: KEY, replica_regions: ['eu-west-1', 'us-west-2'] }));
    const result = terraformConsole(dir, ['jsonencode({ for profile, document in module.access.policy_json : profile => jsondecode(document) })']);
    expect(result.errors).toEqual([]);
    const documents = parseJsonencoded(result.values[0]) as Record<string, { Statement: Array<{ Sid: string; Resource?: string | string[] }> }>;
    const home = roleAccessPolicy({ region: 'ap-south-1', grants: [{ target: { tableArn: TABLE_ARN, keyArn: KEY }, profile: AccessProfile.reader() }] });
    const replicaOf = (arn: string, region: string) => arn.replace(':ap-south-1:', `:${region}:`);
    const resources = (statement: { Resource?: string | string[] }) => [statement.Resource ?? []].flat();
    const reader = documents.reader.Statement;
    expect(reader.map((statement) => statement.Sid)).toEqual(home.Statement.map((statement) => statement.Sid));
    for (const [i, statement] of home.Statement.entries()) {
      const expected = resources(statement).flatMap((arn) => (arn.startsWith(TABLE_ARN) ? [arn, replicaOf(arn, 'eu-west-1'), replicaOf(arn, 'us-west-2')] : [arn]));
      expect([statement.Sid, resources(reader[i]).sort()]).toEqual([statement.Sid, [...new Set(expected)].sort()]);
    }
    const stream = documents.stream_consumer.Statement.flatMap(resources);
    expect(stream).toContain(`${replicaOf(TABLE_ARN, 'us-west-2')}/stream/*`);
    // The key statement keeps the home key (the replica keys' own policies must allow use through DynamoDB; see the input).
    expect(stream.filter((arn) => arn.startsWith('arn:aws:kms'))).toEqual([KEY]);
  });
});

describe('dynamodb-table derives the same attribute definitions as SecureTable', () => {
  test.each(auditFlowCatalog.tables.map((t) => [t.id, t] as const))('%s', (_id, table) => {
    const dir = rootModule(moduleBlock('table', tableSource(), tableModuleArguments(table, table.baseName, KEY)));
    const result = terraformConsole(dir, ['jsonencode(module.table.attribute_definitions)']);
    expect(result.errors).toEqual([]);
    const uses = [
      { attribute: table.partitionKey, role: 'pk' },
      ...(table.sortKey ? [{ attribute: table.sortKey, role: 'sk' }] : []),
      ...(table.globalSecondaryIndexes ?? []).flatMap((g) => [{ attribute: g.partitionKey, role: 'gpk' }, ...(g.sortKey ? [{ attribute: g.sortKey, role: 'gsk' }] : [])]),
    ];
    const expected = Object.fromEntries(deriveAttributeDefinitions('test', uses).map((a) => [a.name, a.type]));
    expect(parseJsonencoded(result.values[0])).toEqual(expected);
  });
});

describe('rules that read other inputs: skipped by terraform validate, enforced at plan time', () => {
  const base = { name: 'example-table', partition_key: { name: 'id', type: 'S' }, kms_key_arn: KEY };
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['deletion protection off without a waiver (dynamodb:003)', { deletion_protection_enabled: false }, 'turning deletion protection off (dynamodb:003) needs a waiver_reason'],
    ['PITR off without a waiver (dynamodb:002)', { point_in_time_recovery_enabled: false }, 'turning point-in-time recovery off (dynamodb:002) needs a waiver_reason'],
    ['PROVISIONED without autoscaling (dynamodb:004)', { billing_mode: 'PROVISIONED' }, 'PROVISIONED tables need autoscaling'],
    ['on-demand limits on a provisioned table', { billing_mode: 'PROVISIONED', autoscaling: { read: { min_capacity: 1, max_capacity: 5 }, write: { min_capacity: 1, max_capacity: 5 } }, on_demand_throughput: { max_read_request_units: 10 } }, 'applies only to on-demand'],
    ['a local secondary index without a table sort key', { local_secondary_indexes: [{ name: 'by-date', sort_key: { name: 'date', type: 'S' } }] }, 'need a table sort key'],
    ['one attribute with two types (table key S, index key N)', { global_secondary_indexes: [{ name: 'by-id', partition_key: { name: 'id', type: 'N' } }] }, 'key attribute(s) id are used with different types by the table and its indexes'],
    ['TTL on a string key attribute', { ttl_attribute_name: 'id' }, 'TTL needs a Number attribute'],
    ['replicas with streams off', { stream_enabled: false, replicas: [{ region_name: 'eu-west-1', kms_key_arn: EXAMPLE_KMS_KEY_ARNS['eu-west-1'] }] }, 'global tables replicate through streams'],
  ];

  test.each(cases)('%s', (_title, args, message) => {
    const dir = rootModule(moduleBlock('table', tableSource(), { ...base, ...args }));
    const validation = terraformValidate(dir);
    expect(validation.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const plan = terraformConsole(dir, ['module.table.attribute_definitions']);
    expect(plan.errors).toContain('Invalid value for variable');
    expect(plan.stderr.replace(/\s*│\s*/g, ' ').replace(/\s+/g, ' ')).toContain(message);
  });

  test('a waiver of at least 10 characters makes the same table valid at plan time', () => {
    const dir = rootModule(moduleBlock('table', tableSource(), { ...base, deletion_protection_enabled: false, waiver_reason: 'Scratch table for load tests, recreated daily (TICKET-123)' }));
    expect(terraformConsole(dir, ['module.table.attribute_definitions']).errors).toEqual([]);
  });
});
