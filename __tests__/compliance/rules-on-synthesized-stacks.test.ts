/**
 * cdk-nag style: every rule dynamodb:001–015 run on real synthesized stacks, with at least one COMPLIANT and one
 * NON_COMPLIANT case each (the hand-written JSON fixtures in rules/*.test.ts keep covering the edge cases).
 *
 * - COMPLIANT cases are the shipped catalog stacks with their example settings.
 * - NON_COMPLIANT cases are the real constructs configured badly, where they allow it. Where a construct makes the
 *   violation impossible, the real construct is synthesized and then broken with a cdktf escape hatch
 *   (`addOverride`) in this test only — what a user bypassing the guardrail would do — and the rule must catch it.
 *   Those cases are named "… (escape-hatch override)".
 *
 * Each stack is synthesized at most once per file (`once`), on first use.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { Billing, Capacity } from '../../modules/capacity';
import { ComplianceError, evaluateStack, Finding, REQUIREMENT_IDS, RequirementId, RULES, unwaivedFailures, Waiver } from '../../modules/compliance';
import { SecureDaxCluster } from '../../modules/dax';
import { DynamoDbKey } from '../../modules/encryption';
import { SecureTable, SecureTableProps } from '../../modules/table';
import { shippedCatalogs } from '../../stacks/app';

const CATALOGS = shippedCatalogs();
import { auditFlowCatalog } from '../../stacks/catalogs/auditflow';
import { mangaAssistCatalog } from '../../stacks/catalogs/manga-assist';
import { mlPlatformCatalog } from '../../stacks/catalogs/ml-platform';
import { Catalog, CatalogTable } from '../../stacks/catalogs/types';
import { EnvironmentStack } from '../../stacks/environment-stack';
import { EXAMPLE_ENVIRONMENTS } from '../../stacks/settings/defaults';
import { EnvironmentName } from '../../stacks/settings/types';
import { synthesizeAll } from '../../stacks/synth';
import { synthConstructs, synthEnvironment, TerraformJson, withTestingApp } from '../support/synth';

const TODAY = '2026-11-23';
const PROD_ACCOUNT = EXAMPLE_ENVIRONMENTS.prod.accountId;
/** A key in us-east-1: right for manga-assist and ml-platform, the wrong Region for AuditFlow (ap-south-1). */
const US_EAST_1_KEY_ARN = `arn:aws:kms:us-east-1:${PROD_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

// ---------------------------------------------------------------------------------------------------------------
// Stacks

/** Synthesizes on first use and returns the same JSON afterwards. */
function once(build: () => TerraformJson): () => TerraformJson {
  let json: TerraformJson | undefined;
  return () => (json ??= build());
}

/** A catalog stack built by EnvironmentStack, then changed with a cdktf escape hatch before synthesis. */
function synthBypassed(catalog: Catalog, environment: EnvironmentName, bypass: (stack: EnvironmentStack) => void): TerraformJson {
  return withTestingApp((app) => {
    const stack = new EnvironmentStack(app, catalog, EXAMPLE_ENVIRONMENTS[environment]);
    bypass(stack);
    return JSON.parse(Testing.synth(stack)) as TerraformJson;
  });
}

/** The catalog with one table's settings changed (in every environment). */
function withTable(catalog: Catalog, id: string, change: Partial<CatalogTable>): Catalog {
  if (!catalog.tables.some((table) => table.id === id)) throw new Error(`${catalog.name} has no table ${id}`);
  return { ...catalog, tables: catalog.tables.map((table) => (table.id === id ? { ...table, ...change } : table)) };
}

/** The production stack of every shipped catalog, by catalog name. */
const PROD = new Map(CATALOGS.map((catalog) => [catalog.name, once(() => synthEnvironment(catalog, 'prod'))]));
const prod = (catalogName: string): (() => TerraformJson) => {
  const stack = PROD.get(catalogName);
  if (!stack) throw new Error(`no catalog ${catalogName} in CATALOGS`);
  return stack;
};
const auditFlowProd = prod(auditFlowCatalog.name);
const mangaAssistProd = prod(mangaAssistCatalog.name);
const mlPlatformProd = prod(mlPlatformCatalog.name);
/** Provisioned billing with autoscaling of the table and its GSI. */
const mangaAssistStaging = once(() => synthEnvironment(mangaAssistCatalog, 'staging'));

/** AuditFlow with point-in-time recovery turned off on the documents table. */
const pitrRemoved = withTable(auditFlowCatalog, 'documents', { pointInTimeRecovery: false });

/** Set by the 009 stack below: the waiver record SecureDaxCluster derives from its singleNodeWaiver. */
let singleNodeDax: SecureDaxCluster | undefined;
const singleNodeDaxStack = once(() =>
  synthConstructs((stack) => {
    singleNodeDax = new SecureDaxCluster(stack, 'dev_cache', {
      clusterName: 'dev-cache',
      region: 'us-east-1',
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: ['subnet-0123456789abcdef0'],
      availabilityZones: ['us-east-1a'],
      applicationSecurityGroupIds: ['sg-0123456789abcdef0'],
      tables: [{ tableArn: `arn:aws:dynamodb:us-east-1:${PROD_ACCOUNT}:table/Orders` }],
      singleNodeWaiver: { reason: 'dev cache, rebuilt on demand, no SLA', expires: '2026-12-31' },
    });
  }),
);

/** A bare stack with a rotating DynamoDbKey and one SecureTable (us-east-1) built by `table`. */
function secureTableStack(table: (key: DynamoDbKey) => Partial<SecureTableProps>): () => TerraformJson {
  return once(() =>
    synthConstructs((stack) => {
      const key = new DynamoDbKey(stack, 'dynamodb_key', { accountId: PROD_ACCOUNT, region: 'us-east-1', aliasName: 'alias/orders-dynamodb' });
      new SecureTable(stack, 'orders', { tableName: 'Orders', partitionKey: { name: 'pk', type: 'S' }, timeToLiveAttribute: 'expires_at', encryptionKey: key, ...table(key) });
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Cases

interface Case {
  /** What the stack is; the test name. */
  readonly name: string;
  readonly stack: () => TerraformJson;
  /** Terraform address of the finding checked. */
  readonly resource: string;
  readonly reason: RegExp;
  /** Further checks of the finding. */
  readonly check?: (finding: Finding, json: TerraformJson) => void;
}

interface RuleCases {
  readonly requirement: RequirementId;
  readonly compliant: readonly Case[];
  readonly nonCompliant: readonly Case[];
}

const ESCAPE_HATCH = '(escape-hatch override)';

const RULE_CASES: readonly RuleCases[] = [
  {
    requirement: 'dynamodb:001',
    compliant: [
      { name: 'auditflow-prod: tables encrypted with the stack DynamoDbKey', stack: auditFlowProd, resource: 'aws_dynamodb_table.documents', reason: /customer-managed key aws_kms_key\.dynamodb_key with automatic rotation/ },
    ],
    nonCompliant: [
      {
        name: `auditflow-prod with a us-east-1 key on its ap-south-1 table ${ESCAPE_HATCH}`,
        stack: once(() =>
          synthBypassed(auditFlowCatalog, 'prod', (stack) => stack.tables.get('documents')!.resource.addOverride('server_side_encryption.kms_key_arn', US_EAST_1_KEY_ARN)),
        ),
        resource: 'aws_dynamodb_table.documents',
        reason: /is in us-east-1, but the data is in ap-south-1/,
      },
      {
        name: `auditflow-prod with key rotation turned off on aws_kms_key.dynamodb_key ${ESCAPE_HATCH}`,
        stack: once(() =>
          synthBypassed(auditFlowCatalog, 'prod', (stack) => {
            if (!(stack.key instanceof DynamoDbKey)) throw new Error('expected the stack to create its DynamoDbKey');
            stack.key.key.addOverride('enable_key_rotation', false);
          }),
        ),
        resource: 'aws_dynamodb_table.audit_records',
        reason: /enable_key_rotation = false/,
      },
    ],
  },
  {
    requirement: 'dynamodb:002',
    compliant: [{ name: 'auditflow-prod: SecureTable default PITR', stack: auditFlowProd, resource: 'aws_dynamodb_table.documents', reason: /^point_in_time_recovery\.enabled = true \(recovery period 35 days\)$/ }],
    nonCompliant: [
      {
        name: 'auditflow-prod whose documents table sets pointInTimeRecovery: false',
        stack: once(() => synthEnvironment(pitrRemoved, 'prod')),
        resource: 'aws_dynamodb_table.documents',
        reason: /point_in_time_recovery\.enabled = false/,
      },
    ],
  },
  {
    requirement: 'dynamodb:003',
    compliant: [{ name: 'auditflow-prod: deletion protection from the environment settings', stack: auditFlowProd, resource: 'aws_dynamodb_table.audit_records', reason: /^deletion_protection_enabled = true$/ }],
    nonCompliant: [
      {
        name: 'auditflow-prod with settings deletionProtection: false',
        stack: once(() => synthEnvironment(auditFlowCatalog, 'prod', { deletionProtection: false })),
        resource: 'aws_dynamodb_table.audit_records',
        reason: /^deletion_protection_enabled = false: DeleteTable succeeds without a prior update$/,
      },
    ],
  },
  {
    requirement: 'dynamodb:004',
    compliant: [
      { name: 'auditflow-prod: on-demand billing', stack: auditFlowProd, resource: 'aws_dynamodb_table.documents', reason: /^billing_mode = "PAY_PER_REQUEST"/ },
      {
        name: 'manga-assist-staging: provisioned, table and GSI autoscaled',
        stack: mangaAssistStaging,
        resource: 'aws_dynamodb_table.sessions',
        reason: /^billing_mode = "PROVISIONED" with target-tracking auto scaling of read and write capacity for the table and its 1 global secondary index/,
      },
    ],
    nonCompliant: [
      {
        name: 'SecureTable with fixed provisioned capacity and fixedCapacityWaiver',
        stack: secureTableStack(() => ({
          billing: Billing.provisioned({ readCapacity: Capacity.fixed(5), writeCapacity: Capacity.fixed(5), fixedCapacityWaiver: 'steady batch load, sized by the load test' }),
        })),
        resource: 'aws_dynamodb_table.orders',
        reason: /^billing_mode = "PROVISIONED" without auto scaling for: table read .*table write/,
      },
      {
        name: 'manga-assist-staging with fixed capacity on the GSI only (table autoscaled)',
        stack: once(() =>
          synthEnvironment(
            withTable(mangaAssistCatalog, 'sessions', {
              environmentOverrides: {
                staging: {
                  billing: Billing.provisioned({
                    readCapacity: Capacity.autoscaled({ min: 5, max: 200 }),
                    writeCapacity: Capacity.autoscaled({ min: 5, max: 100 }),
                    fixedCapacityWaiver: 'the customer index serves a nightly GDPR export only',
                  }),
                  globalSecondaryIndexes: mangaAssistCatalog.tables[0].globalSecondaryIndexes!.map((gsi) => ({ ...gsi, readCapacity: Capacity.fixed(5), writeCapacity: Capacity.fixed(5) })),
                },
              },
            }),
            'staging',
          ),
        ),
        resource: 'aws_dynamodb_table.sessions',
        reason: /GSI1-customer-sessions/,
        check: (finding) => expect(finding.reason).not.toMatch(/table read|table write/),
      },
    ],
  },
  {
    requirement: 'dynamodb:005',
    compliant: [
      { name: 'auditflow-prod: DynamoDbBackup selects every table by ARN', stack: auditFlowProd, resource: 'aws_dynamodb_table.documents', reason: /^in a backup plan: aws_backup_selection\.backup_selection by ARN \$\{aws_dynamodb_table\.documents\.arn\}/ },
    ],
    nonCompliant: [
      {
        name: 'auditflow-prod with settings backup.enabled: false',
        stack: once(() => synthEnvironment(auditFlowCatalog, 'prod', { backup: { enabled: false } })),
        resource: 'aws_dynamodb_table.documents',
        reason: /the stack has no aws_backup_selection/,
      },
    ],
  },
  {
    requirement: 'dynamodb:006',
    compliant: [
      { name: 'auditflow-prod: TableResourcePolicy denies all but the listed principals', stack: auditFlowProd, resource: 'aws_dynamodb_table.audit_records', reason: /aws_dynamodb_resource_policy\.audit_records_resource_policy denies every principal except those in aws:PrincipalArn/ },
    ],
    nonCompliant: [
      {
        name: 'auditflow-prod with resourcePolicies: []',
        stack: once(() => synthEnvironment({ ...auditFlowCatalog, resourcePolicies: [] }, 'prod')),
        resource: 'aws_dynamodb_table.audit_records',
        reason: /no aws_dynamodb_resource_policy is attached to the table ARN/,
      },
    ],
  },
  {
    requirement: 'dynamodb:007',
    compliant: [
      {
        name: 'manga-assist-prod: SecureDaxCluster encrypted at rest (met to the AWS limit)',
        stack: mangaAssistProd,
        resource: 'aws_dax_cluster.dax',
        reason: /^met to the AWS limit: AWS-owned key \(DAX offers no customer-managed key option\)/,
        check: (finding) => expect(finding.metToAwsLimit).toBe(true),
      },
    ],
    nonCompliant: [
      {
        name: `manga-assist-prod with DAX server_side_encryption disabled ${ESCAPE_HATCH}`,
        stack: once(() => synthBypassed(mangaAssistCatalog, 'prod', (stack) => stack.dax!.cluster.addOverride('server_side_encryption.enabled', false))),
        resource: 'aws_dax_cluster.dax',
        reason: /server_side_encryption\.enabled = false/,
        check: (finding) => expect(finding.metToAwsLimit).toBeUndefined(),
      },
    ],
  },
  {
    requirement: 'dynamodb:008',
    compliant: [{ name: 'manga-assist-prod: SecureDaxCluster TLS endpoint', stack: mangaAssistProd, resource: 'aws_dax_cluster.dax', reason: /^cluster_endpoint_encryption_type = "TLS"$/ }],
    nonCompliant: [
      {
        name: `manga-assist-prod with the DAX endpoint switched to NONE ${ESCAPE_HATCH}`,
        stack: once(() => synthBypassed(mangaAssistCatalog, 'prod', (stack) => stack.dax!.cluster.addOverride('cluster_endpoint_encryption_type', 'NONE'))),
        resource: 'aws_dax_cluster.dax',
        reason: /cluster_endpoint_encryption_type = "NONE"/,
      },
    ],
  },
  {
    requirement: 'dynamodb:009',
    compliant: [{ name: 'manga-assist-prod: 3 DAX nodes in 3 zones', stack: mangaAssistProd, resource: 'aws_dax_cluster.dax', reason: /^replication_factor = 3 across 3 AZs \(us-east-1a, us-east-1b, us-east-1c\)$/ }],
    nonCompliant: [
      {
        name: 'SecureDaxCluster with one node and singleNodeWaiver (accepted by its complianceWaiver)',
        stack: singleNodeDaxStack,
        resource: 'aws_dax_cluster.dev_cache',
        reason: /^replication_factor = 1 is below 3 nodes; availability_zones = \["us-east-1a"\] names 1 distinct AZ/,
        check: (_finding, json) => {
          const waiver = singleNodeDax?.complianceWaiver;
          expect(waiver).toEqual({ requirement: 'dynamodb:009', resource: 'aws_dax_cluster.dev_cache', reason: 'dev cache, rebuilt on demand, no SLA', expires: '2026-12-31' });
          const report = evaluateStack('dev-cache', json, { environment: 'dev', waivers: [waiver!], today: TODAY });
          const dax = report.findings.find((f) => f.requirement === 'dynamodb:009')!;
          expect(dax).toMatchObject({ status: 'NON_COMPLIANT', waiver });
          expect(unwaivedFailures(report).filter((f) => f.requirement === 'dynamodb:009')).toEqual([]);
        },
      },
    ],
  },
  {
    requirement: 'dynamodb:010',
    compliant: [
      {
        name: 'manga-assist-prod: each replica uses the aws_kms_replica_key of its Region',
        stack: mangaAssistProd,
        resource: 'aws_dynamodb_table.sessions.replica[us-west-2]',
        reason: /^encrypted in us-west-2 with customer-managed replica key aws_kms_replica_key\.dynamodb_key_replica_us_west_2 of aws_kms_key\.dynamodb_key/,
      },
    ],
    nonCompliant: [
      {
        name: "SecureTable with a replica given the home Region's key (the construct accepts it)",
        stack: secureTableStack((key) => ({ region: 'us-east-1', replicas: [{ region: 'us-east-2', kmsKeyArn: key.keyArn }] })),
        resource: 'aws_dynamodb_table.orders.replica[us-east-2]',
        reason: /aws_kms_key\.dynamodb_key is in us-east-1, but the data is in us-east-2/,
      },
      {
        name: `manga-assist-prod with kms_key_arn removed from the us-west-2 replica ${ESCAPE_HATCH}`,
        stack: once(() => synthBypassed(mangaAssistCatalog, 'prod', (stack) => replicaOverride(stack, 'us-west-2', 'kms_key_arn', null))),
        resource: 'aws_dynamodb_table.sessions.replica[us-west-2]',
        reason: /no kms_key_arn is set/,
      },
    ],
  },
  {
    requirement: 'dynamodb:011',
    compliant: [{ name: 'manga-assist-prod: PITR on every replica', stack: mangaAssistProd, resource: 'aws_dynamodb_table.sessions.replica[us-east-2]', reason: /^point_in_time_recovery = true on the replica$/ }],
    nonCompliant: [
      {
        name: `manga-assist-prod with PITR off on the us-east-2 replica ${ESCAPE_HATCH}`,
        stack: once(() => synthBypassed(mangaAssistCatalog, 'prod', (stack) => replicaOverride(stack, 'us-east-2', 'point_in_time_recovery', false))),
        resource: 'aws_dynamodb_table.sessions.replica[us-east-2]',
        reason: /point_in_time_recovery = false on the replica/,
      },
    ],
  },
  {
    requirement: 'dynamodb:012',
    compliant: [
      { name: 'manga-assist-prod: AccessRole policies grant named actions only', stack: mangaAssistProd, resource: 'aws_iam_role_policy.admin_role_policy', reason: /^grants only scoped DynamoDB actions \(dynamodb:DeleteItem, dynamodb:ExportTableToPointInTime, dynamodb:Query, dynamodb:Scan\)$/ },
    ],
    nonCompliant: [
      {
        name: `manga-assist-prod with the admin role policy replaced by dynamodb:* on "*" ${ESCAPE_HATCH}`,
        stack: once(() =>
          synthBypassed(mangaAssistCatalog, 'prod', (stack) =>
            stack.access.roles.get('admin_role')!.policy.addOverride('policy', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] })),
          ),
        ),
        resource: 'aws_iam_role_policy.admin_role_policy',
        reason: /allows Action "dynamodb:\*"/,
      },
    ],
  },
  {
    requirement: 'dynamodb:013',
    compliant: [{ name: 'manga-assist-prod: stream feeding the stream-router Lambda', stack: mangaAssistProd, resource: 'aws_dynamodb_table.sessions', reason: /^stream_enabled = true, stream_view_type = NEW_AND_OLD_IMAGES$/ }],
    nonCompliant: [
      {
        name: 'auditflow-prod whose audit_records table sets stream: false',
        stack: once(() => synthEnvironment(withTable(auditFlowCatalog, 'audit_records', { stream: false }), 'prod')),
        resource: 'aws_dynamodb_table.audit_records',
        reason: /^stream_enabled = false: changes to the table are not captured$/,
      },
    ],
  },
  {
    requirement: 'dynamodb:014',
    compliant: [{ name: 'ml-platform-prod: TTL on expires_at', stack: mlPlatformProd, resource: 'aws_dynamodb_table.model_metadata', reason: /^ttl enabled on attribute "expires_at"$/ }],
    nonCompliant: [
      {
        name: 'auditflow-prod whose documents table has no timeToLiveAttribute',
        stack: once(() => synthEnvironment(withTable(auditFlowCatalog, 'documents', { timeToLiveAttribute: undefined }), 'prod')),
        resource: 'aws_dynamodb_table.documents',
        reason: /^no ttl block: items never expire$/,
      },
    ],
  },
  {
    requirement: 'dynamodb:015',
    compliant: [
      {
        name: 'auditflow-prod: gateway endpoint with a restrictive policy',
        stack: auditFlowProd,
        resource: 'aws_vpc_endpoint.dynamodb_endpoint',
        reason: /^Gateway endpoint for com\.amazonaws\.ap-south-1\.dynamodb; its policy scopes every Allow \(by resource or condition\) and denies requests without TLS/,
      },
    ],
    nonCompliant: [
      {
        // The roles and resource policies require the endpoint (vpcEndpointOnly / requireVpcEndpoint), so they go too.
        name: 'auditflow-prod without its endpoint (and the roles and resource policies that need it)',
        stack: once(() => synthEnvironment({ ...auditFlowCatalog, endpoint: undefined, roles: [], resourcePolicies: [] }, 'prod')),
        resource: 'aws_dynamodb_table.documents',
        reason: /the stack has no aws_vpc_endpoint for com\.amazonaws\.ap-south-1\.dynamodb/,
      },
      {
        name: `manga-assist-prod with the endpoint policy removed (AWS default full access) ${ESCAPE_HATCH}`,
        stack: once(() => synthBypassed(mangaAssistCatalog, 'prod', (stack) => stack.endpoints!.gateway.endpoint.addOverride('policy', null))),
        resource: 'aws_vpc_endpoint.dynamodb_endpoint',
        reason: /no policy is set, so the endpoint uses the AWS default policy/,
      },
    ],
  },
];

/** Overrides one attribute of the sessions table's replica in `region` (replica blocks are a list). */
function replicaOverride(stack: EnvironmentStack, region: string, attribute: string, value: unknown): void {
  const index = mangaAssistCatalog.tables[0].environmentOverrides!.prod!.replicas!.indexOf(region);
  if (index < 0) throw new Error(`manga-assist prod has no replica in ${region}`);
  stack.tables.get('sessions')!.resource.addOverride(`replica.${index}.${attribute}`, value);
}

function findingsOf(requirement: RequirementId, json: TerraformJson): Finding[] {
  const rule = RULES.find((r) => r.requirement === requirement);
  if (!rule) throw new Error(`no rule for ${requirement}`);
  return rule.evaluate(json);
}

function findingAt(findings: Finding[], resource: string): Finding {
  const matching = findings.filter((f) => f.resource === resource);
  if (matching.length !== 1) throw new Error(`expected one finding for ${resource}, got ${matching.length}: ${JSON.stringify(findings, null, 2)}`);
  return matching[0];
}

describe('every rule has a COMPLIANT and a NON_COMPLIANT case on synthesized stacks', () => {
  test('the table covers dynamodb:001–015', () => {
    expect(RULE_CASES.map((c) => c.requirement)).toEqual(REQUIREMENT_IDS);
    for (const c of RULE_CASES) {
      expect(c.compliant.length).toBeGreaterThan(0);
      expect(c.nonCompliant.length).toBeGreaterThan(0);
    }
  });

  describe.each(RULE_CASES)('$requirement', ({ requirement, compliant, nonCompliant }) => {
    test.each(compliant)('COMPLIANT: $name', ({ stack, resource, reason, check }) => {
      const json = stack();
      const findings = findingsOf(requirement, json);
      // A shipped stack is compliant for every resource the rule looks at, not only the one named here.
      expect(findings.filter((f) => f.status !== 'COMPLIANT')).toEqual([]);
      const finding = findingAt(findings, resource);
      expect(finding.reason).toMatch(reason);
      expect(finding.fix).toBeUndefined();
      check?.(finding, json);
    });

    test.each(nonCompliant)('NON_COMPLIANT: $name', ({ stack, resource, reason, check }) => {
      const json = stack();
      const finding = findingAt(findingsOf(requirement, json), resource);
      expect(finding).toMatchObject({ requirement, status: 'NON_COMPLIANT' });
      expect(finding.reason).toMatch(reason);
      expect(finding.fix).toEqual(expect.any(String));
      check?.(finding, json);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Acceptance: the shipped prod stacks

describe('acceptance: every shipped prod stack', () => {
  test.each(CATALOGS.map((catalog) => catalog.name))('%s-prod has no NON_COMPLIANT finding and uses no waiver', (catalogName) => {
    const report = evaluateStack(`${catalogName}-prod`, prod(catalogName)(), { environment: 'prod', waivers: [], today: TODAY });
    expect(report.findings.filter((f) => f.status === 'NON_COMPLIANT')).toEqual([]);
    expect(report.findings.filter((f) => f.waiver !== undefined || f.expiredWaiver !== undefined)).toEqual([]);
    expect(report.summary).toMatchObject({ nonCompliant: 0, waived: 0 });
    expect(report.unusedWaivers).toEqual([]);
    // Every requirement was evaluated.
    expect([...new Set(report.findings.map((f) => f.requirement))]).toEqual(REQUIREMENT_IDS);
  });

  test("manga-assist-prod's DAX encryption at rest is COMPLIANT, met to the AWS limit", () => {
    const report = evaluateStack('manga-assist-prod', mangaAssistProd(), { environment: 'prod', waivers: [], today: TODAY });
    const dax = report.findings.filter((f) => f.requirement === 'dynamodb:007');
    expect(dax).toEqual([expect.objectContaining({ resource: 'aws_dax_cluster.dax', status: 'COMPLIANT', metToAwsLimit: true })]);
    expect(report.summary.metToAwsLimit).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// End to end: the prod hard stop of `synthesizeAll`, and a waiver from the settings file

describe('synthesizeAll with PITR removed from a prod table', () => {
  const WAIVER: Waiver = {
    requirement: 'dynamodb:002',
    resource: 'aws_dynamodb_table.documents',
    reason: 'documents are re-derivable from the S3 originals during the migration',
    expires: '2026-12-31',
  };
  let cwd: string;
  beforeAll(() => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'rules-on-synthesized-'));
  });
  afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));
  const synth = (warn?: (line: string) => void) => synthesizeAll({ outdir: 'cdktf.out', cwd, env: {}, catalogs: [pitrRemoved], today: TODAY, warn });

  test('without a waiver: ComplianceError naming the table and dynamodb:002; nothing is written', () => {
    let error: unknown;
    try {
      synth();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ComplianceError);
    const message = (error as ComplianceError).message;
    expect(message).toMatch(/^prod is not compliant: 1 NON_COMPLIANT finding without a valid waiver/);
    expect(message).toContain('auditflow-prod: aws_dynamodb_table.documents: dynamodb:002 (Point-in-time recovery)');
    expect((error as ComplianceError).failures.map((f) => [f.stack, f.finding.resource, f.finding.requirement])).toEqual([['auditflow-prod', 'aws_dynamodb_table.documents', 'dynamodb:002']]);
    // No output directory, and no staging directory left behind.
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  test('with the waiver in guardrails.config.json: synth passes and the prod report shows it as waived', () => {
    fs.writeFileSync(path.join(cwd, 'guardrails.config.json'), JSON.stringify({ environments: { prod: { waivers: [WAIVER] } } }, null, 2));
    const warnings: string[] = [];
    expect(synth((line) => warnings.push(line))).toEqual(['auditflow-dev', 'auditflow-prod', 'auditflow-staging']);
    // dev and staging have the same failure, unwaived there: warnings, not errors.
    expect(warnings.filter((w) => w.includes('aws_dynamodb_table.documents: dynamodb:002')).map((w) => w.split(':')[1].trim()).sort()).toEqual(['auditflow-dev', 'auditflow-staging']);
    expect(warnings.some((w) => w.includes('auditflow-prod'))).toBe(false);

    const prodDir = path.join(cwd, 'cdktf.out', 'stacks', 'auditflow-prod');
    const markdown = fs.readFileSync(path.join(prodDir, 'compliance.md'), 'utf8');
    const row = markdown.split('\n').find((line) => line.startsWith('| dynamodb:002 ') && line.includes('`aws_dynamodb_table.documents`'));
    expect(row).toContain('| NON_COMPLIANT (waived) |');
    expect(row).toContain(`${WAIVER.reason} (expires ${WAIVER.expires})`);
    const report = JSON.parse(fs.readFileSync(path.join(prodDir, 'compliance.json'), 'utf8'));
    expect(report.summary).toMatchObject({ nonCompliant: 0, waived: 1 });
  });
});
