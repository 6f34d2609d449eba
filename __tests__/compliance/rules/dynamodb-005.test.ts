import { evaluateDynamodb005 } from '../../../modules/compliance';
import { ACCOUNT, only, stackJson, statusOf, tableResource } from '../fixtures';

const tables = {
  orders: tableResource({ name: 'Orders', tags: { Backup: 'daily' } }),
  sessions: tableResource({ name: 'Sessions' }),
};

function selection(config: Record<string, unknown>) {
  return { name: 'dynamodb', iam_role_arn: '${aws_iam_role.backup.arn}', plan_id: '${aws_backup_plan.dynamodb.id}', ...config };
}

describe('dynamodb:005 tables in an AWS Backup plan', () => {
  test('COMPLIANT: selected by the table ARN reference', () => {
    const json = stackJson({ aws_dynamodb_table: tables, aws_backup_selection: { tables: selection({ resources: ['${aws_dynamodb_table.orders.arn}', '${aws_dynamodb_table.sessions.arn}'] }) } });
    const findings = evaluateDynamodb005(json);
    expect(findings.map((f) => f.status)).toEqual(['COMPLIANT', 'COMPLIANT']);
    expect(findings[0].reason).toBe('in a backup plan: aws_backup_selection.tables by ARN ${aws_dynamodb_table.orders.arn} (plan aws_backup_plan.dynamodb)');
  });

  test('NON_COMPLIANT: a table the selection leaves out', () => {
    const json = stackJson({ aws_dynamodb_table: tables, aws_backup_selection: { tables: selection({ resources: ['${aws_dynamodb_table.orders.arn}'] }) } });
    const findings = evaluateDynamodb005(json);
    expect(statusOf(findings, 'aws_dynamodb_table.orders')).toBe('COMPLIANT');
    expect(statusOf(findings, 'aws_dynamodb_table.sessions')).toBe('NON_COMPLIANT');
    expect(findings[1].reason).toContain('none of aws_backup_selection.tables selects the table');
  });

  test('NON_COMPLIANT: no backup selection at all', () => {
    const finding = only(evaluateDynamodb005(stackJson({ aws_dynamodb_table: { orders: tables.orders } })));
    expect(finding.reason).toBe('the stack has no aws_backup_selection, so the table is in no backup plan');
  });

  test('COMPLIANT: the literal table ARN, or an ARN pattern', () => {
    const literal = stackJson({ aws_dynamodb_table: { orders: tables.orders }, aws_backup_selection: { s: selection({ resources: [`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Orders`] }) } });
    expect(only(evaluateDynamodb005(literal)).status).toBe('COMPLIANT');
    const pattern = stackJson({ aws_dynamodb_table: { orders: tables.orders }, aws_backup_selection: { s: selection({ resources: ['arn:aws:dynamodb:*:*:table/Ord*'] }) } });
    expect(only(evaluateDynamodb005(pattern)).status).toBe('COMPLIANT');
    const otherAccount = stackJson({ aws_dynamodb_table: { orders: tables.orders }, aws_backup_selection: { s: selection({ resources: ['arn:aws:dynamodb:us-east-1:999999999999:table/Orders'] }) } });
    expect(only(evaluateDynamodb005(otherAccount)).status).toBe('NON_COMPLIANT');
  });

  test('COMPLIANT: selected by selection_tag on the table tags', () => {
    const json = stackJson({ aws_dynamodb_table: tables, aws_backup_selection: { by_tag: selection({ selection_tag: [{ type: 'STRINGEQUALS', key: 'Backup', value: 'daily' }] }) } });
    const findings = evaluateDynamodb005(json);
    expect(findings[0]).toMatchObject({ resource: 'aws_dynamodb_table.orders', status: 'COMPLIANT' });
    expect(findings[0].reason).toContain('aws_backup_selection.by_tag by tag Backup=daily');
    expect(findings[1]).toMatchObject({ resource: 'aws_dynamodb_table.sessions', status: 'NON_COMPLIANT' });
  });

  test('COMPLIANT: selected by a condition on a provider default tag, within an ARN pattern', () => {
    const json = stackJson(
      {
        aws_dynamodb_table: tables,
        aws_backup_selection: {
          by_env: selection({
            resources: ['arn:aws:dynamodb:*:*:table/*'],
            condition: [{ string_equals: [{ key: 'aws:ResourceTag/Environment', value: 'prod' }] }],
          }),
        },
      },
      { defaultTags: { Environment: 'prod' } },
    );
    const findings = evaluateDynamodb005(json);
    expect(findings.map((f) => f.status)).toEqual(['COMPLIANT', 'COMPLIANT']);
    expect(findings[1].reason).toContain('by tag Environment string_equals prod within arn:aws:dynamodb:*:*:table/*');
  });

  test('NON_COMPLIANT: the tag does not match, or not_resources excludes the table', () => {
    const wrongTag = stackJson({ aws_dynamodb_table: { orders: tables.orders }, aws_backup_selection: { s: selection({ selection_tag: { type: 'STRINGEQUALS', key: 'Backup', value: 'weekly' } }) } });
    expect(only(evaluateDynamodb005(wrongTag)).status).toBe('NON_COMPLIANT');
    const excluded = stackJson({
      aws_dynamodb_table: { orders: tables.orders },
      aws_backup_selection: { s: selection({ resources: ['*'], not_resources: ['${aws_dynamodb_table.orders.arn}'] }) },
    });
    expect(only(evaluateDynamodb005(excluded)).status).toBe('NON_COMPLIANT');
  });
});
