/**
 * The offline `terraform validate` harness itself: a real Terraform binary checking
 * hand-written configuration against the real hashicorp/aws 6.25.0 schema, served by the
 * schema-only provider that Jest's global setup starts. The negative controls prove that
 * Terraform (not this harness) rejects bad configuration, with its own messages.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REATTACH_ENV } from '../support/terraform/provider-process';
import { formatDiagnostic, terraformValidate, type TerraformValidation } from '../support/terraform/validate';
import { PROJECT_SERVICES } from '../support/terraform/test-schema';

type Body = Record<string, unknown>;

let root: string;
let counter = 0;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'terraform-harness-test-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Writes `files` (relative path → content; objects become JSON) into a fresh directory. */
function writeConfig(files: Record<string, string | object>): string {
  const dir = path.join(root, `case-${++counter}`);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

/** A compliant table the way cdktf writes it (including a "//" metadata comment). */
function validTable(): Body {
  return {
    '//': { metadata: { path: 'stack/orders', uniqueId: 'orders' } },
    name: 'orders',
    billing_mode: 'PAY_PER_REQUEST',
    hash_key: 'pk',
    range_key: 'sk',
    deletion_protection_enabled: true,
    attribute: [
      { name: 'pk', type: 'S' },
      { name: 'sk', type: 'S' },
      { name: 'gsi1pk', type: 'S' },
    ],
    global_secondary_index: [{ name: 'gsi1', hash_key: 'gsi1pk', projection_type: 'ALL' }],
    server_side_encryption: { enabled: true },
    point_in_time_recovery: { enabled: true },
    ttl: { attribute_name: 'expires_at', enabled: true },
    tags: { team: 'data' },
  };
}

/** cdk.tf.json-shaped root module with one aws_dynamodb_table "orders". */
function stackJson(table: Body): object {
  return {
    terraform: { required_providers: { aws: { source: 'aws', version: '6.25.0' } }, backend: { local: { path: 'terraform.tfstate' } } },
    provider: { aws: [{ region: 'eu-west-1' }] },
    resource: { aws_dynamodb_table: { orders: table } },
  };
}

function validateTable(change: (table: Body) => void): TerraformValidation {
  const table = validTable();
  change(table);
  return terraformValidate(writeConfig({ 'cdk.tf.json': stackJson(table) }));
}

/** Asserts exactly one error, and returns it. */
function onlyError(result: TerraformValidation) {
  expect(result.valid).toBe(false);
  expect(result.errorCount).toBe(1);
  const [error] = result.diagnostics.filter((d) => d.severity === 'error');
  return error;
}

function listTree(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

test('global setup started the schema provider', () => {
  expect(JSON.parse(process.env[REATTACH_ENV] ?? '{}')).toHaveProperty(['registry.terraform.io/hashicorp/aws', 'Test'], true);
});

describe('a valid aws_dynamodb_table', () => {
  test('passes, and nothing is left in the validated directory', () => {
    const dir = writeConfig({ 'cdk.tf.json': stackJson(validTable()) });
    const before = listTree(dir);

    const result = terraformValidate(dir);

    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(result).toMatchObject({ valid: true, errorCount: 0, warningCount: 0 });
    // No module calls: init has nothing to install, so it is not run.
    expect(result.initOutput).toBe('');
    expect(listTree(dir)).toEqual(before);
  });
});

describe('negative controls: Terraform rejects them with its own messages', () => {
  test('a misspelled argument', () => {
    const error = onlyError(
      validateTable((t) => {
        delete t.billing_mode;
        t.billing_mod = 'PAY_PER_REQUEST';
      }),
    );
    expect(error.summary).toBe('Extraneous JSON object property');
    expect(error.detail).toContain('No argument or block type is named "billing_mod"');
    expect(error.range?.filename).toBe('cdk.tf.json');
  });

  test('a value of the wrong type (a list where a bool is expected)', () => {
    const error = onlyError(validateTable((t) => (t.deletion_protection_enabled = [true])));
    expect(error.summary).toBe('Incorrect attribute value type');
    expect(error.detail).toContain('Inappropriate value for attribute "deletion_protection_enabled": bool required');
  });

  test('a missing required argument', () => {
    const error = onlyError(validateTable((t) => delete t.name));
    expect(error.summary).toBe('Missing required argument');
    expect(error.detail).toContain('The argument "name" is required');
  });

  test('a reference to an undeclared resource', () => {
    const error = onlyError(validateTable((t) => (t.range_key = '${aws_dynamodb_table.missing.range_key}')));
    expect(error.summary).toBe('Reference to undeclared resource');
    expect(error.detail).toContain('aws_dynamodb_table" "missing" has not been declared');
  });

  test('a second point_in_time_recovery block (max 1)', () => {
    const error = onlyError(validateTable((t) => (t.point_in_time_recovery = [{ enabled: true }, { enabled: false }])));
    expect(error.summary).toBe('Too many point_in_time_recovery blocks');
    expect(error.detail).toContain('No more than 1 "point_in_time_recovery" blocks are allowed');
  });
});

describe("the tests' provider serves the AWS services the project uses (test-schema.ts)", () => {
  test('a type of another service is not supported, loudly; negative control: a type of a served service is valid', () => {
    const other = terraformValidate(writeConfig({ 'main.tf': 'resource "aws_instance" "x" {\n  ami           = "ami-0123456789abcdef0"\n  instance_type = "t3.micro"\n}\n' }));
    expect(onlyError(other).summary).toBe('Invalid resource type');
    expect(PROJECT_SERVICES).not.toContain('instance');
    const served = terraformValidate(writeConfig({ 'main.tf': 'resource "aws_sns_topic" "x" {\n  name = "alerts"\n}\n' }));
    expect(served.diagnostics.map(formatDiagnostic)).toEqual([]);
  });
});

describe('HCL and modules', () => {
  const hclTable = (extra = '') => `
resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  ${extra}

  attribute {
    name = "pk"
    type = "S"
  }
}
`;

  test('a .tf (HCL) file is validated too', () => {
    expect(terraformValidate(writeConfig({ 'main.tf': hclTable() }))).toMatchObject({ valid: true, errorCount: 0 });

    const error = onlyError(terraformValidate(writeConfig({ 'main.tf': hclTable('stream_enabld = true') })));
    expect(error.summary).toBe('Unsupported argument');
    expect(error.detail).toContain('An argument named "stream_enabld" is not expected here');
    expect(error.range?.filename).toBe('main.tf');
  });

  test('a local module is installed by init and validated', () => {
    const root = { 'main.tf': 'module "tables" {\n  source = "./mod"\n}\n' };

    const valid = terraformValidate(writeConfig({ ...root, 'mod/main.tf': hclTable() }));
    expect(valid).toMatchObject({ valid: true, errorCount: 0 });
    expect(valid.initOutput).toContain('Initializing modules...');

    const error = onlyError(terraformValidate(writeConfig({ ...root, 'mod/main.tf': hclTable('point_in_time_recovery = true') })));
    expect(error.summary).toBe('Unsupported argument');
    expect(error.detail).toContain('Did you mean to define a block of type "point_in_time_recovery"?');
    expect(error.range?.filename).toBe('mod/main.tf');
  });
});
