/**
 * The calls after creation that can take a guardrail away from a table: deletion protection (UpdateTable), PITR
 * (UpdateContinuousBackups), the resource policy (Put/DeleteResourcePolicy) and required tags (UntagResource). The
 * EventBridge rule listens for them and the Lambda re-applies the guardrails after them. Dependency-free, because the
 * Lambda bundle imports it too.
 */
export const GOVERNANCE_CHANGE_EVENTS = ['UpdateTable', 'UpdateContinuousBackups', 'PutResourcePolicy', 'DeleteResourcePolicy', 'UntagResource'] as const;
