import { findWaiver, parseWaivers, Waiver, WaiverSource } from '../../modules/compliance';
import { waiversOfStack } from '../../modules/compliance/waivers';
import { isGuardrailError } from '../../modules/validation';

function parseWaiversError(value: unknown, source: WaiverSource): Error {
  try {
    parseWaivers(value, source);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected parseWaivers to throw');
}

const SOURCE = { subject: 'settings file guardrails.config.json', field: 'environments.prod.waivers' };
const VALID = { requirement: 'dynamodb:014', resource: 'aws_dynamodb_table.audit_records', reason: 'audit records are kept for 7 years by regulation', expires: '2026-12-31' };

describe('parseWaivers', () => {
  test('accepts a valid list (and no list at all)', () => {
    expect(parseWaivers(undefined, SOURCE)).toEqual([]);
    expect(parseWaivers([VALID, { ...VALID, requirement: 'dynamodb:015', resource: '*', reason: '  no VPC in this account yet  ' }], SOURCE)).toEqual([
      VALID,
      { ...VALID, requirement: 'dynamodb:015', resource: '*', reason: 'no VPC in this account yet' },
    ]);
  });

  test('accepts replica blocks, data sources and (stack) as resources', () => {
    for (const resource of ['aws_dynamodb_table.sessions.replica[eu-west-1]', 'data.aws_iam_policy_document.reader', '(stack)']) {
      expect(parseWaivers([{ ...VALID, resource }], SOURCE)[0].resource).toBe(resource);
    }
  });

  test('accepts an expired waiver (it simply stops counting)', () => {
    expect(parseWaivers([{ ...VALID, expires: '2000-01-01' }], SOURCE)).toHaveLength(1);
  });

  test.each([
    [{ a: 1 }, `settings file guardrails.config.json: environments.prod.waivers = {"a":1}: must be a list of waivers, each { "requirement", "resource", "reason", "expires" }`],
    [['x'], `settings file guardrails.config.json: environments.prod.waivers[0] = 'x': must be an object with requirement, resource, reason and expires`],
    [[{ ...VALID, owner: 'me' }], `settings file guardrails.config.json: environments.prod.waivers[0].owner = 'me': is not a waiver field; expected requirement, resource, reason, expires, stack`],
    [[{ ...VALID, requirement: 'dynamodb:016' }], `settings file guardrails.config.json: environments.prod.waivers[0].requirement = 'dynamodb:016': must be a requirement id from 'dynamodb:001' to 'dynamodb:015'`],
    [[{ ...VALID, requirement: undefined }], `settings file guardrails.config.json: environments.prod.waivers[0].requirement = (not set): must be a requirement id from 'dynamodb:001' to 'dynamodb:015'`],
    [[{ ...VALID, resource: 'documents' }], `settings file guardrails.config.json: environments.prod.waivers[0].resource = 'documents': must be a Terraform address such as 'aws_dynamodb_table.documents', '(stack)' for a stack-wide finding, or '*' for every resource`],
    [[{ ...VALID, reason: 'because' }], `settings file guardrails.config.json: environments.prod.waivers[0].reason = 'because': must explain the exception in at least 10 characters`],
    [[{ ...VALID, expires: '31/12/2026' }], `settings file guardrails.config.json: environments.prod.waivers[0].expires = '31/12/2026': must be a date written 'YYYY-MM-DD'`],
    [[{ ...VALID, expires: '2026-02-30' }], `settings file guardrails.config.json: environments.prod.waivers[0].expires = '2026-02-30': is not a calendar date`],
    [[VALID, { ...VALID, reason: 'a second reason for it' }], `settings file guardrails.config.json: environments.prod.waivers[1] = 'dynamodb:014 aws_dynamodb_table.audit_records': repeats environments.prod.waivers[0]; keep one waiver per requirement, resource and stack`],
  ])('rejects %j with an exact message', (value, message) => {
    const error = parseWaiversError(value, SOURCE);
    expect(isGuardrailError(error)).toBe(true);
    expect(error.message).toBe(message);
  });
});

describe('waiver matching and expiry', () => {
  const exact: Waiver = { ...VALID, requirement: 'dynamodb:011', resource: 'aws_dynamodb_table.sessions.replica[eu-west-1]', expires: '2026-01-31' };
  const parent: Waiver = { ...VALID, requirement: 'dynamodb:011', resource: 'aws_dynamodb_table.sessions', expires: '2026-06-30' };
  const everything: Waiver = { ...VALID, requirement: 'dynamodb:011', resource: '*', expires: '2027-01-01' };

  test('the most specific active waiver wins; a waiver counts through its expiry day', () => {
    const all = [everything, parent, exact];
    expect(findWaiver(all, 'dynamodb:011', 'aws_dynamodb_table.sessions.replica[eu-west-1]', '2026-01-31').active).toBe(exact);
    expect(findWaiver(all, 'dynamodb:011', 'aws_dynamodb_table.sessions.replica[eu-west-1]', '2026-02-01')).toEqual({ active: parent, expired: exact });
    expect(findWaiver(all, 'dynamodb:011', 'aws_dynamodb_table.other', '2026-02-01').active).toBe(everything);
    expect(findWaiver(all, 'dynamodb:010', 'aws_dynamodb_table.sessions', '2026-02-01')).toEqual({ active: undefined, expired: undefined });
  });

  test('an address does not cover a different resource sharing its prefix', () => {
    expect(findWaiver([parent], 'dynamodb:011', 'aws_dynamodb_table.sessions_archive', '2026-01-01').active).toBeUndefined();
  });
});

describe('a waiver for one stack', () => {
  const base = { requirement: 'dynamodb:014', resource: 'aws_dynamodb_table.items', reason: 'items are rebuilt nightly from the ledger', expires: '2099-01-01' };

  test('applies to the stack it names only; without a stack it applies to every stack of the environment', () => {
    const [scoped] = parseWaivers([{ ...base, stack: 'orders-prod' }], { subject: 's', field: 'w' });
    expect(waiversOfStack([scoped], 'orders-prod')).toEqual([scoped]);
    expect(waiversOfStack([scoped], 'shop-prod')).toEqual([]);
    const [everywhere] = parseWaivers([base], { subject: 's', field: 'w' });
    expect(waiversOfStack([everywhere], 'shop-prod')).toEqual([everywhere]);
  });

  test('the same requirement and resource may be waived once per stack, and a bad stack name is refused', () => {
    expect(parseWaivers([{ ...base, stack: 'orders-prod' }, { ...base, stack: 'shop-prod' }], { subject: 's', field: 'w' })).toHaveLength(2);
    expect(() => parseWaivers([{ ...base, stack: 'orders prod' }], { subject: 's', field: 'w' })).toThrow("s: w[0].stack = 'orders prod': must be a stack name such as 'orders-prod'");
  });
});
