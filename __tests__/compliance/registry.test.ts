import { REQUIREMENT_IDS, REQUIREMENTS, RULES } from '../../modules/compliance';

describe('requirement registry', () => {
  test('has the fifteen requirements in order, each with one rule', () => {
    expect(REQUIREMENTS.map((r) => r.id)).toEqual(REQUIREMENT_IDS);
    expect(RULES.map((r) => r.requirement)).toEqual(REQUIREMENT_IDS);
  });

  test.each(REQUIREMENTS.map((r) => [r.id, r] as const))('%s cites its rule file, its rule test and well-formed mappings', (id, r) => {
    const n = id.slice('dynamodb:'.length);
    expect(r.rule).toBe(`modules/compliance/rules/dynamodb-${n}.ts`);
    expect(r.tests).toContain(`__tests__/compliance/rules/dynamodb-${n}.test.ts`);
    expect(r.constructs.length).toBeGreaterThan(0);
    expect(r.title.length).toBeGreaterThan(0);
    expect(r.satisfiedBy.length).toBeGreaterThan(20);
    r.securityHub.forEach((c) => expect(c).toMatch(/^(DynamoDB|IAM)\.\d+$/));
    r.awsConfig.forEach((c) => expect(c).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/));
    r.checkov.forEach((c) => expect(c).toMatch(/^CKV2?_AWS_\d+$/));
  });

  test('cites the mappings the issue names for dynamodb:002', () => {
    const pitr = REQUIREMENTS[1];
    expect([pitr.securityHub, pitr.awsConfig, pitr.checkov]).toEqual([['DynamoDB.2'], ['dynamodb-pitr-enabled'], ['CKV_AWS_28']]);
  });
});
