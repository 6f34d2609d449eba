/** Plain Terraform modules generated from the constructs (issue 9): see help/modules-for-other-teams.md. */
export * from './generate';
export * from './examples';
export * from './dynamodb-table';
export * from './dynamodb-access-policy';
export * from './vpc-endpoint';
export * from './dax-cluster';
export { policyExpression, policyVariants } from './policy-expression';
