/**
 * Least-privilege access (dynamodb:012) and table resource policies (dynamodb:006). The policy builders
 * (identity-policy, resource-policy-document, project-template, actions, arns, policy-lint) are pure and free of
 * cdktf, so the governance Lambda can bundle them; the constructs validate and synthesize.
 */
export * from './actions';
export * from './arns';
export * from './policy-document';
export * from './policy-lint';
export * from './profile';
export * from './trust';
export * from './identity-policy';
export * from './resource-policy-document';
export * from './project-template';
export * from './role';
export * from './resource-policy';
export * from './catalog-access';
