import { blocks, globMatch, isExpression, literalName, parseReference, ResourceEntry, StackView, stringList } from '../terraform';
import { ComplianceRule, Finding, TerraformJson } from '../types';
import { compliant, forEachTable, nonCompliant } from './support';

const FIX =
  'add the table to an AWS Backup plan: an aws_backup_selection whose resources list the table ARN (modules/backup), or whose selection_tag/condition matches the table tags';

interface TableFacts {
  readonly entry: ResourceEntry;
  readonly name?: string;
  readonly region?: string;
  readonly account?: string;
  readonly tags: Record<string, string>;
}

/**
 * dynamodb:005 — every table is in an AWS Backup plan: some `aws_backup_selection` selects it by ARN
 * (`${aws_dynamodb_table.<name>.arn}`, the literal ARN, or a matching ARN pattern) or by tag (`selection_tag` —
 * any one must match — and `condition` — all must match — against the table tags including provider
 * `default_tags`), and no `not_resources` entry excludes it.
 */
export function evaluateDynamodb005(json: TerraformJson): Finding[] {
  const view = new StackView(json);
  const selections = view.resources('aws_backup_selection');
  return forEachTable('dynamodb:005', view, (entry) => {
    const table: TableFacts = {
      entry,
      name: literalName(entry.config),
      region: view.regionOf(entry.config),
      account: view.accountId(),
      tags: view.effectiveTags(entry.config),
    };
    const covering = selections.map((s) => coverage(s, table)).filter((c): c is string => c !== undefined);
    if (covering.length > 0) return compliant('dynamodb:005', entry.address, `in a backup plan: ${covering.join('; ')}`);
    const reason =
      selections.length === 0
        ? 'the stack has no aws_backup_selection, so the table is in no backup plan'
        : `none of ${selections.map((s) => s.address).join(', ')} selects the table by ARN or by tag`;
    return nonCompliant('dynamodb:005', entry.address, reason, FIX);
  });
}

/** How the selection selects the table (`aws_backup_selection.x by ARN …`), or undefined when it does not. */
function coverage(selection: ResourceEntry, table: TableFacts): string | undefined {
  const c = selection.config;
  const resources = stringList(c.resources);
  const tagRules = blocks(c.selection_tag);
  const conditions = blocks(c.condition);
  const byTag = tagRules.length > 0 || conditions.length > 0;
  if (resources.length === 0 && !byTag) return undefined;

  const arnHit = resources.find((pattern) => arnMatches(pattern, table));
  if (resources.length > 0 && arnHit === undefined) return undefined;
  if (stringList(c.not_resources).some((pattern) => arnMatches(pattern, table))) return undefined;

  const matchedTags: string[] = [];
  if (tagRules.length > 0) {
    const hit = tagRules.find((rule) => rule.type === 'STRINGEQUALS' && typeof rule.key === 'string' && table.tags[rule.key] === rule.value);
    if (!hit) return undefined;
    matchedTags.push(`${hit.key}=${hit.value}`);
  }
  for (const condition of conditions) {
    const result = conditionMatches(condition, table.tags);
    if (result === undefined) return undefined;
    matchedTags.push(...result);
  }

  const plan = parseReference(c.plan_id);
  const planText = plan ? ` (plan ${plan.address})` : '';
  if (byTag) {
    const within = arnHit === undefined || arnHit === '*' ? '' : ` within ${arnHit}`;
    return `${selection.address} by tag ${matchedTags.join(', ')}${within}${planText}`;
  }
  return `${selection.address} by ARN ${arnHit}${planText}`;
}

function arnMatches(pattern: string, table: TableFacts): boolean {
  if (pattern === '*') return true;
  const reference = parseReference(pattern);
  if (reference) return reference.address === table.entry.key && reference.attribute === 'arn';
  if (isExpression(pattern) || table.name === undefined) return false;
  const parts = pattern.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return false;
  const [, , service, region, account] = parts;
  const resource = parts.slice(5).join(':');
  return (
    globMatch(service, 'dynamodb') &&
    (table.region === undefined || globMatch(region, table.region)) &&
    (table.account === undefined || globMatch(account, table.account)) &&
    globMatch(resource, `table/${table.name}`)
  );
}

/** All parts of one `condition` block must hold; returns the matched tags, or undefined when one fails. */
function conditionMatches(condition: Record<string, unknown>, tags: Record<string, string>): string[] | undefined {
  const matched: string[] = [];
  const tests: Array<[string, (actual: string | undefined, expected: string) => boolean]> = [
    ['string_equals', (a, e) => a === e],
    ['string_like', (a, e) => a !== undefined && globMatch(e, a)],
    ['string_not_equals', (a, e) => a !== e],
    ['string_not_like', (a, e) => a === undefined || !globMatch(e, a)],
  ];
  for (const [operator, test] of tests) {
    for (const part of blocks(condition[operator])) {
      const key = String(part.key).replace(/^aws:ResourceTag\//, '');
      const expected = String(part.value);
      if (!test(tags[key], expected)) return undefined;
      matched.push(`${key} ${operator} ${expected}`);
    }
  }
  return matched;
}

export const dynamodb005: ComplianceRule = { requirement: 'dynamodb:005', evaluate: evaluateDynamodb005 };
