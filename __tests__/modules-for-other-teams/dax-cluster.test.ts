/**
 * The dax-cluster module gives its service role the same policy as the TypeScript API (modules/dax
 * daxTableAccessPolicy), proven by evaluating the module's own expression with the real `terraform console`, and
 * keeps the guardrails of SecureDaxCluster on the cluster itself.
 */
import { Testing } from 'cdktf';
import { daxTableAccessPolicy, DaxAccess } from '../../modules/dax';
import { buildDaxClusterModule } from '../../stacks/terraform-modules';
import { withTestingApp } from '../support/synth';
import { evaluateInConsole, unwrapInterpolation } from '../support/terraform/console';

const daxModule = withTestingApp((app) => JSON.parse(Testing.synth(buildDaxClusterModule(app))));
const REGION = 'us-east-1';
const TABLE = 'arn:aws:dynamodb:us-east-1:111111111111:table/manga-assist-sessions';
const KEY = 'arn:aws:kms:us-east-1:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab';

function modulePolicy(access: DaxAccess, clientActions: string[] | null, tables: Array<{ table_arn: string; kms_key_arn?: string | null }>): unknown {
  const expression = unwrapInterpolation(daxModule.locals.role_policy).split('data.aws_region.current.region').join(JSON.stringify(REGION)).split('var.').join('local.');
  const [json] = evaluateInConsole({ access, client_actions: clientActions, tables: tables.map((t) => ({ kms_key_arn: null, ...t })) }, [expression]) as [string];
  return JSON.parse(json);
}

test.each([
  ['readWrite', null, [{ table_arn: TABLE, kms_key_arn: KEY }]],
  ['readOnly', null, [{ table_arn: TABLE }]],
  ['readWrite', ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], [{ table_arn: TABLE, kms_key_arn: KEY }]],
  ['readWrite', ['dynamodb:GetItem', 'dynamodb:PutItem'], [{ table_arn: TABLE }]],
] as const)('access %s, client actions %j: the same role policy as daxTableAccessPolicy', (access, clientActions, tables) => {
  const expected = daxTableAccessPolicy(tables.map((t) => ({ tableArn: t.table_arn, keyArn: 'kms_key_arn' in t ? t.kms_key_arn : undefined })), { region: REGION, access, clientActions: clientActions ?? undefined });
  expect(modulePolicy(access, clientActions ? [...clientActions] : null, [...tables])).toEqual(expected);
});

test('negative control: the client actions narrow the role (a different document than the full access)', () => {
  expect(modulePolicy('readWrite', ['dynamodb:GetItem'], [{ table_arn: TABLE }])).not.toEqual(modulePolicy('readWrite', null, [{ table_arn: TABLE }]));
});

test('the cluster keeps the guardrails: encryption at rest, TLS endpoint, role policy before the cluster, TLS port only from the clients', () => {
  const cluster = daxModule.resource.aws_dax_cluster.this;
  expect(cluster).toEqual(expect.objectContaining({ server_side_encryption: { enabled: true }, cluster_endpoint_encryption_type: 'TLS', replication_factor: '${length(var.availability_zones)}', depends_on: ['aws_iam_role_policy.this'] }));
  expect(daxModule.resource.aws_vpc_security_group_ingress_rule.this).toEqual(expect.objectContaining({ from_port: 9111, to_port: 9111, ip_protocol: 'tcp', referenced_security_group_id: '${each.value}' }));
});
