import { block, blocks, describe, isExpression, literalName, ResourceEntry, StackView } from '../terraform';
import { ComplianceRule, Finding, TerraformJson } from '../types';
import { compliant, forEachTable, nonCompliant } from './support';

interface Need {
  readonly label: string;
  readonly resourceIds: readonly string[];
  readonly dimension: string;
  readonly metric: string;
}

const FIX =
  'use on-demand billing (Billing.onDemand()), or add an aws_appautoscaling_target and a TargetTrackingScaling aws_appautoscaling_policy for read and write capacity of the table and of every GSI (modules/capacity)';

/**
 * dynamodb:004 — capacity follows demand: PAY_PER_REQUEST, or PROVISIONED with target-tracking auto scaling of
 * read and write capacity for the table and every global secondary index.
 */
export function evaluateDynamodb004(json: TerraformJson): Finding[] {
  const view = new StackView(json);
  const targets = view.resources('aws_appautoscaling_target').filter((t) => t.config.service_namespace === 'dynamodb');
  const policies = view.resources('aws_appautoscaling_policy');
  return forEachTable('dynamodb:004', view, (table) => {
    const mode = table.config.billing_mode ?? 'PROVISIONED';
    if (mode === 'PAY_PER_REQUEST') {
      return compliant('dynamodb:004', table.address, 'billing_mode = "PAY_PER_REQUEST": on-demand capacity follows demand');
    }
    if (mode !== 'PROVISIONED') {
      const why = isExpression(mode) ? 'is an expression, so the capacity mode is not in the artifact' : 'is not a DynamoDB billing mode';
      return nonCompliant('dynamodb:004', table.address, `billing_mode = ${describe(mode)} ${why}`, FIX);
    }
    const tableRegion = view.regionOf(table.config);
    const missing: string[] = [];
    const used = new Set<string>();
    // A provisioned global table needs auto scaling in every Region: each replica's capacity is scaled there.
    const replicaRegions = blocks(table.config.replica).map((replica) => replica.region_name).filter((r): r is string => typeof r === 'string');
    for (const region of [undefined, ...replicaRegions]) {
      const inRegion = (t: ResourceEntry) =>
        region === undefined
          ? t.config.region === undefined || tableRegion === undefined || t.config.region === tableRegion
          : t.config.region === region;
      const where = region === undefined ? '' : ` in replica Region ${region}`;
      for (const need of needsOf(table)) {
        const target = targets.find((t) => need.resourceIds.includes(String(t.config.resource_id)) && t.config.scalable_dimension === need.dimension && inRegion(t));
        if (!target) {
          missing.push(`${need.label}${where} (no aws_appautoscaling_target with resource_id "${need.resourceIds[0]}" and scalable_dimension "${need.dimension}"${region ? ` and region "${region}"` : ''})`);
          continue;
        }
        const policy = policies.find((p) => tracks(p, target, need));
        if (!policy) {
          missing.push(`${need.label}${where} (${target.address} has no TargetTrackingScaling aws_appautoscaling_policy on ${need.metric})`);
          continue;
        }
        used.add(target.address);
        used.add(policy.address);
      }
    }
    if (missing.length > 0) {
      return nonCompliant('dynamodb:004', table.address, `billing_mode = "PROVISIONED" without auto scaling for: ${missing.join('; ')}`, FIX);
    }
    const gsiCount = blocks(table.config.global_secondary_index).length;
    const regions = blocks(table.config.replica).length;
    const scope = `${gsiCount > 0 ? `the table and its ${gsiCount} global secondary index${gsiCount === 1 ? '' : 'es'}` : 'the table'}${regions > 0 ? ` in its Region and in each of its ${regions} replica Region${regions === 1 ? '' : 's'}` : ''}`;
    return compliant(
      'dynamodb:004',
      table.address,
      `billing_mode = "PROVISIONED" with target-tracking auto scaling of read and write capacity for ${scope} (${[...used].sort().join(', ')})`,
    );
  });
}

function needsOf(table: ResourceEntry): Need[] {
  const bases = [`table/\${${table.address}.name}`, `table/\${${table.address}.id}`];
  const name = literalName(table.config);
  if (name !== undefined) bases.unshift(`table/${name}`);
  const needs: Need[] = [];
  const add = (label: string, resourceIds: string[], scope: 'table' | 'index') => {
    needs.push({ label: `${label} read`, resourceIds, dimension: `dynamodb:${scope}:ReadCapacityUnits`, metric: 'DynamoDBReadCapacityUtilization' });
    needs.push({ label: `${label} write`, resourceIds, dimension: `dynamodb:${scope}:WriteCapacityUnits`, metric: 'DynamoDBWriteCapacityUtilization' });
  };
  add('table', bases, 'table');
  for (const gsi of blocks(table.config.global_secondary_index)) {
    const index = String(gsi.name);
    add(`GSI '${index}'`, bases.map((base) => `${base}/index/${index}`), 'index');
  }
  return needs;
}

/** The policy scales this target (by reference or by equal literal values) with the right predefined metric. */
function tracks(policy: ResourceEntry, target: ResourceEntry, need: Need): boolean {
  const c = policy.config;
  if (c.policy_type !== 'TargetTrackingScaling') return false;
  const same = (attribute: string, literal: unknown) =>
    c[attribute] === `\${${target.key}.${attribute}}` || (c[attribute] !== undefined && c[attribute] === literal);
  if (!same('resource_id', target.config.resource_id)) return false;
  if (!same('scalable_dimension', target.config.scalable_dimension)) return false;
  if (!same('service_namespace', target.config.service_namespace)) return false;
  const configuration = block(c.target_tracking_scaling_policy_configuration);
  const metric = block(configuration?.predefined_metric_specification);
  return metric?.predefined_metric_type === need.metric;
}

export const dynamodb004: ComplianceRule = { requirement: 'dynamodb:004', evaluate: evaluateDynamodb004 };
