/**
 * Compliance evidence from the synthesized artifact: a registry of requirements dynamodb:001–015, one pure rule per
 * requirement over a stack's Terraform JSON, waivers from the environment settings, the prod hard stop, and
 * markdown / JSON / SARIF reports written next to each stack's cdk.tf.json. See help/compliance.md.
 */
export * from './types';
export { REQUIREMENTS, requirement } from './registry';
export type { ConstructReference, RequirementDefinition } from './registry';
export * from './rules';
export { parseWaivers, utcDate, isWaiverActive, waiverCovers, findWaiver, MIN_WAIVER_REASON_LENGTH, WAIVER_FIELDS } from './waivers';
export type { Waiver, WaiverSource } from './waivers';
export { evaluateStack, enforceCompliance, unwaivedFailures, describeFailure, ComplianceError } from './evaluate';
export type { EvaluatedFinding, ComplianceSummary, StackComplianceReport, EvaluateOptions, ComplianceFailure } from './evaluate';
export { renderMarkdown, renderJson, renderSarif, writeComplianceReports, locateResources, displayStatus, REPORT_FILES, TOOL_NAME } from './reports';
export { checkSynthesizedStacks } from './gate';
export type { StackComplianceSettings, SynthesizedComplianceOptions, SynthesizedComplianceResult } from './gate';
export { renderRequirementsMatrix } from './matrix';
