import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AccessProfile, RoleTrust } from '../../modules/access';
import type { Catalog } from '../../stacks/catalogs/types';
import { synthesizeAll } from '../../stacks/synth';
import { errorMessageOf } from '../support/errors';

/** A catalog whose role publishes to an SNS topic of `account`: a literal, or derived from each stack's account. */
const catalogPublishingTo = (account: string | 'derived'): Catalog => ({
  name: 'shop',
  project: 'shop',
  tables: [{ id: 'orders', baseName: 'Orders', partitionKey: { name: 'pk', type: 'S' }, timeToLiveAttribute: 'expires_at' }],
  accessPatterns: [],
  roles: [
    {
      id: 'api',
      roleName: 'shop-api',
      description: 'shop API',
      trust: RoleTrust.lambda(),
      grants: [{ table: 'orders', profile: AccessProfile.reader() }],
      additionalStatements: ({ accountId }) => [{ Sid: 'Notify', Effect: 'Allow', Action: ['sns:Publish'], Resource: `arn:aws:sns:us-east-1:${account === 'derived' ? accountId : account}:orders` }],
    },
  ],
});

let cwd: string;
beforeEach(() => (cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-accounts-'))));
afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));

test('an ARN of another account anywhere in a stack stops synth, naming the stack, the resource and the account setting', () => {
  const message = errorMessageOf(() => synthesizeAll({ outdir: 'out', cwd, env: {}, catalogs: [catalogPublishingTo('444455556666')] }));
  expect(message).toBe(
    "stack shop-dev: aws_iam_role_policy.api_policy = 'arn:aws:sns:us-east-1:444455556666:orders': is in account 444455556666, but the stack deploys to account 111111111111 (environments.dev.accountId (or GUARDRAILS_DEV_ACCOUNT_ID)); build the ARN from the stack's account in the catalog, or list 444455556666 in environments.dev.trustedAccountIds (or GUARDRAILS_DEV_TRUSTED_ACCOUNT_IDS) if it belongs there",
  );
  expect(fs.existsSync(path.join(cwd, 'out'))).toBe(false);
});

test("negative control: the same ARN built from each stack's own account passes", () => {
  expect(synthesizeAll({ outdir: 'out', cwd, env: {}, catalogs: [catalogPublishingTo('derived')] })).toContain('shop-prod');
});

test('an account listed in trustedAccountIds is accepted in that environment only', () => {
  const env = { GUARDRAILS_DEV_TRUSTED_ACCOUNT_IDS: '444455556666' };
  expect(errorMessageOf(() => synthesizeAll({ outdir: 'out', cwd, env, catalogs: [catalogPublishingTo('444455556666')] }))).toMatch(/^stack shop-prod: aws_iam_role_policy.api_policy = .*444455556666/);
  const all = { ...env, GUARDRAILS_STAGING_TRUSTED_ACCOUNT_IDS: '444455556666', GUARDRAILS_PROD_TRUSTED_ACCOUNT_IDS: '444455556666' };
  expect(synthesizeAll({ outdir: 'out', cwd, env: all, catalogs: [catalogPublishingTo('444455556666')] })).toContain('shop-prod');
});

test('the state backend is not scanned: a state key in a tooling account is fine', () => {
  const env = { GUARDRAILS_BACKEND: 's3', GUARDRAILS_STATE_BUCKET: 'acme-state', GUARDRAILS_STATE_REGION: 'us-east-1', GUARDRAILS_STATE_KMS_KEY_ID: 'arn:aws:kms:us-east-1:999988887777:key/1234abcd-12ab-34cd-56ef-1234567890ab' };
  expect(synthesizeAll({ outdir: 'out', cwd, env, catalogs: [catalogPublishingTo('derived')] })).toContain('shop-prod');
  const backend = JSON.parse(fs.readFileSync(path.join(cwd, 'out/stacks/shop-prod/cdk.tf.json'), 'utf8')).terraform.backend.s3;
  expect(backend.kms_key_id).toContain('999988887777');
});
