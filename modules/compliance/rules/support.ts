import { Finding, RequirementId, STACK_RESOURCE } from '../types';
import { ResourceEntry, StackView } from '../terraform';

/** Small builders so every rule words its findings the same way. */

export function compliant(requirement: RequirementId, resource: string, reason: string): Finding {
  return { requirement, status: 'COMPLIANT', resource, reason };
}

export function nonCompliant(requirement: RequirementId, resource: string, reason: string, fix: string): Finding {
  return { requirement, status: 'NON_COMPLIANT', resource, reason, fix };
}

export function notApplicable(requirement: RequirementId, resource: string, reason: string): Finding {
  return { requirement, status: 'NOT_APPLICABLE', resource, reason };
}

/** Runs `check` for every `aws_dynamodb_table`; a stack without tables gets one NOT_APPLICABLE finding. */
export function forEachTable(requirement: RequirementId, view: StackView, check: (table: ResourceEntry) => Finding): Finding[] {
  const tables = view.tables();
  if (tables.length === 0) return [notApplicable(requirement, STACK_RESOURCE, 'the stack has no aws_dynamodb_table')];
  return tables.map(check);
}
