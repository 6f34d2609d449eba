import { stackJson } from '../fixtures';

/** An aws_dax_cluster as modules/dax writes it, with overrides. */
export function daxStack(overrides: Record<string, unknown> = {}) {
  return stackJson({
    aws_dax_cluster: {
      cache: {
        cluster_name: 'orders-cache',
        iam_role_arn: '${aws_iam_role.dax.arn}',
        node_type: 'dax.r5.large',
        replication_factor: 3,
        availability_zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
        server_side_encryption: { enabled: true },
        cluster_endpoint_encryption_type: 'TLS',
        subnet_group_name: '${aws_dax_subnet_group.cache.name}',
        ...overrides,
      },
    },
  });
}
