import { ResourceEntry, StackView } from '../terraform';
import { Finding, RequirementId, STACK_RESOURCE } from '../types';
import { notApplicable } from './support';

/** Runs `check` for every `aws_dax_cluster`; a stack without DAX gets one NOT_APPLICABLE finding. */
export function forEachDaxCluster(requirement: RequirementId, view: StackView, check: (cluster: ResourceEntry) => Finding): Finding[] {
  const clusters = view.resources('aws_dax_cluster');
  if (clusters.length === 0) return [notApplicable(requirement, STACK_RESOURCE, 'the stack has no aws_dax_cluster')];
  return clusters.map(check);
}
