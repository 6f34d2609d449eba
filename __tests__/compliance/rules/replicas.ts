import { stackJson, tableResource } from '../fixtures';

/** A table in us-east-1 (multi-Region primary key) with replicas in eu-west-1 and ap-south-1. */
export function globalTableStack(replicas: Record<string, unknown>[], extraKeys: Record<string, Record<string, unknown>> = {}) {
  return stackJson({
    aws_kms_key: { primary: { enable_key_rotation: true, multi_region: true } },
    aws_kms_replica_key: {
      eu_west_1: { primary_key_arn: '${aws_kms_key.primary.arn}', region: 'eu-west-1' },
      ap_south_1: { primary_key_arn: '${aws_kms_key.primary.arn}', region: 'ap-south-1' },
      ...extraKeys,
    },
    aws_dynamodb_table: {
      sessions: tableResource({
        name: 'Sessions',
        server_side_encryption: { enabled: true, kms_key_arn: '${aws_kms_key.primary.arn}' },
        replica: replicas,
      }),
    },
  });
}

export const GOOD_REPLICAS = [
  { region_name: 'eu-west-1', kms_key_arn: '${aws_kms_replica_key.eu_west_1.arn}', point_in_time_recovery: true, propagate_tags: true },
  { region_name: 'ap-south-1', kms_key_arn: '${aws_kms_replica_key.ap_south_1.arn}', point_in_time_recovery: true, propagate_tags: true },
];
