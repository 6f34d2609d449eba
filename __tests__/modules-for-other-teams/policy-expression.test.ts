/** Rendering policy documents of the pure policy functions as Terraform expressions (stacks/terraform-modules/policy-expression). */
import { policyExpression, policyVariants } from '../../stacks/terraform-modules';
import { hclString, hclValue, re2 } from '../../stacks/terraform-modules/hcl';

const placeholders = {
  scalars: [{ sentinel: '__ARN__', expression: 'var.table_arn' }],
  lists: [{ sentinel: '__VPCE__', expression: 'var.vpce_ids' }],
};

describe('policyExpression', () => {
  test('scalars become template interpolations, lists become concat() of literals and the variable', () => {
    const document = { Resource: ['__ARN__', '__ARN__/index/*'], Condition: { StringEquals: { 'aws:SourceVpce': ['vpce-1', '__VPCE__'] } } };
    expect(policyExpression(document, placeholders)).toBe(
      'jsonencode({ "Resource" = ["${var.table_arn}", "${var.table_arn}/index/*"], "Condition" = { "StringEquals" = { "aws:SourceVpce" = distinct(concat(["vpce-1"], var.vpce_ids)) } } })',
    );
  });

  test('a list placeholder collapsed to a single string (oneOrMany) becomes the list itself', () => {
    expect(policyExpression({ 'aws:SourceVpce': '__VPCE__' }, placeholders)).toBe('jsonencode({ "aws:SourceVpce" = var.vpce_ids })');
  });

  test('literal text is escaped for HCL, including template sequences', () => {
    expect(policyExpression({ Sid: 'a"b', Value: '${aws:username}' }, placeholders)).toBe('jsonencode({ "Sid" = "a\\"b", "Value" = "$${aws:username}" })');
  });

  test('a placeholder glued into a list element is an error, not a silent leak', () => {
    expect(() => policyExpression({ Resource: ['x__VPCE__'] }, placeholders)).toThrow('__VPCE__ was not substituted');
  });
});

describe('policyVariants', () => {
  const features = [
    { name: 'a', enabledWhen: 'var.a' },
    { name: 'b', enabledWhen: 'var.b' },
  ];

  test('one document per combination of features, picked by a key built from the inputs', () => {
    const variants = policyVariants(features, (on) => ({ Sid: [...on].sort().join('') || 'none' }), placeholders);
    expect(variants.distinct).toBe(4);
    expect(variants.variantsExpression).toBe(
      '{ "none" = jsonencode({ "Sid" = "none" }), "a" = jsonencode({ "Sid" = "a" }), "b" = jsonencode({ "Sid" = "b" }), "a+b" = jsonencode({ "Sid" = "ab" }) }',
    );
    expect(variants.selectExpression('local.v')).toBe('local.v[coalesce(join("+", compact([var.a ? "a" : "", var.b ? "b" : ""])), "none")]');
  });

  test('features that do not change the document need no variant map', () => {
    const variants = policyVariants(features, () => ({ Sid: 'same' }), placeholders);
    expect(variants.variantsExpression).toBeUndefined();
    expect(variants.selectExpression('local.v')).toBe('jsonencode({ "Sid" = "same" })');
  });
});

describe('hcl helpers', () => {
  test('hclValue writes HCL literals', () => {
    expect(hclValue({ name: 'id', type: 'S', list: [1, true, null], 'aws:x': {} })).toBe('{ name = "id", type = "S", list = [1, true, null], "aws:x" = {} }');
    expect(hclString('a\\b')).toBe('"a\\\\b"');
  });

  test('re2 refuses what Terraform’s regex engine lacks', () => {
    expect(() => re2(/^(?=a)b$/)).toThrow('RE2');
    expect(() => re2(/a/i)).toThrow('RE2');
    expect(re2(/^\d{12}$/)).toBe('"^\\\\d{12}$"');
  });
});
