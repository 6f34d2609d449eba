import { createHash } from 'crypto';

/**
 * Terraform references in a synthesized stack (`${aws_iam_role.msg_role.arn}`) are known only after apply. The access
 * proof replaces each with a stable, realistic stand-in built from the resource's own configuration: role ARNs from
 * their names, table ARNs from table names and Regions, key ids and endpoint ids derived from the address (the same
 * address always gets the same id). Only the shape of the value matters to policy evaluation, and these are the
 * shapes AWS uses.
 */

export type TerraformResources = Record<string, Record<string, Record<string, unknown>>>;

export interface StackLocation {
  readonly partition: string;
  readonly accountId: string;
  /** The provider's Region; a resource's own `region` argument overrides it. */
  readonly region: string;
}

const REFERENCE = /\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}/g;

/** Hex digits derived from a text: the same address always gets the same id. */
export function hexOf(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

function uuidOf(text: string): string {
  const hex = hexOf(text, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export class StandIns {
  constructor(
    private readonly resources: TerraformResources,
    readonly location: StackLocation,
  ) {}

  /** `value` with every reference replaced, recursively through strings, lists and objects. */
  resolve<T>(value: T, depth = 0): T {
    if (typeof value === 'string') return value.replace(REFERENCE, (_match, type: string, name: string, attribute: string) => this.attribute(type, name, attribute, depth)) as T;
    if (Array.isArray(value)) return value.map((item) => this.resolve(item, depth)) as T;
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.resolve(item, depth)])) as T;
    return value;
  }

  regionOf(type: string, name: string): string {
    const region = this.resources[type]?.[name]?.region;
    return typeof region === 'string' ? region : this.location.region;
  }

  /** A resource's configured string argument, itself resolved. */
  private argument(type: string, name: string, key: string, depth: number): string | undefined {
    const value = this.resources[type]?.[name]?.[key];
    return typeof value === 'string' ? this.resolve(value, depth + 1) : undefined;
  }

  private attribute(type: string, name: string, attribute: string, depth: number): string {
    if (depth > 8) return `standin-${type}-${name}-${attribute}`;
    const { partition, accountId } = this.location;
    const region = this.regionOf(type, name);
    const arg = (key: string) => this.argument(type, name, key, depth) ?? name;
    switch (`${type}.${attribute}`) {
      case 'aws_iam_role.arn': {
        const path = this.argument(type, name, 'path', depth) ?? '/';
        return `arn:${partition}:iam::${accountId}:role${path}${arg('name')}`;
      }
      case 'aws_iam_role.name':
      case 'aws_iam_role.id':
      case 'aws_iam_role_policy.name':
      case 'aws_backup_vault.name':
      case 'aws_backup_vault.id':
      case 'aws_cloudwatch_log_group.name':
      case 'aws_cloudwatch_event_rule.name':
      case 'aws_dax_subnet_group.name':
      case 'aws_dax_parameter_group.name':
        return arg('name');
      case 'aws_lambda_function.function_name':
        return arg('function_name');
      case 'aws_kms_key.key_id':
      case 'aws_kms_key.id':
        return this.keyId(name);
      case 'aws_kms_key.arn':
        return `arn:${partition}:kms:${region}:${accountId}:key/${this.keyId(name)}`;
      case 'aws_kms_replica_key.arn': {
        const primary = /\$\{aws_kms_key\.([A-Za-z0-9_-]+)\.arn\}/.exec(String(this.resources[type]?.[name]?.primary_key_arn ?? ''));
        return `arn:${partition}:kms:${region}:${accountId}:key/${primary ? this.keyId(primary[1]) : `mrk-${hexOf(name, 32)}`}`;
      }
      case 'aws_dynamodb_table.arn':
        return `arn:${partition}:dynamodb:${region}:${accountId}:table/${arg('name')}`;
      case 'aws_dynamodb_table.stream_arn':
        return `arn:${partition}:dynamodb:${region}:${accountId}:table/${arg('name')}/stream/2026-01-01T00:00:00.000`;
      case 'aws_vpc_endpoint.id':
        return `vpce-${hexOf(`${type}.${name}`, 17)}`;
      case 'aws_security_group.id':
        return `sg-${hexOf(`${type}.${name}`, 17)}`;
      case 'aws_sns_topic.arn':
        return `arn:${partition}:sns:${region}:${accountId}:${arg('name')}`;
      case 'aws_sqs_queue.arn':
        return `arn:${partition}:sqs:${region}:${accountId}:${arg('name')}`;
      case 'aws_sqs_queue.url':
        return `https://sqs.${region}.amazonaws.com/${accountId}/${arg('name')}`;
      case 'aws_backup_vault.arn':
        return `arn:${partition}:backup:${region}:${accountId}:backup-vault:${arg('name')}`;
      case 'aws_backup_plan.id':
        return uuidOf(`${type}.${name}`);
      case 'aws_cloudwatch_log_group.arn':
        return `arn:${partition}:logs:${region}:${accountId}:log-group:${arg('name')}`;
      case 'aws_lambda_function.arn':
        return `arn:${partition}:lambda:${region}:${accountId}:function:${arg('function_name')}`;
      case 'aws_cloudwatch_event_rule.arn':
        return `arn:${partition}:events:${region}:${accountId}:rule/${arg('name')}`;
      case 'aws_s3_bucket.arn':
        return `arn:${partition}:s3:::${arg('bucket')}`;
      case 'aws_s3_bucket.id':
      case 'aws_s3_bucket.bucket':
        return arg('bucket');
      case 'aws_iam_policy.arn':
        return `arn:${partition}:iam::${accountId}:policy${this.argument(type, name, 'path', depth) ?? '/'}${arg('name')}`;
      case 'aws_cloudtrail.arn':
        return `arn:${partition}:cloudtrail:${region}:${accountId}:trail/${arg('name')}`;
      case 'aws_cloudwatch_metric_alarm.arn':
        return `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:${arg('alarm_name')}`;
      case 'aws_dax_cluster.arn':
        return `arn:${partition}:dax:${region}:${accountId}:cache/${arg('cluster_name')}`;
      default:
        return `standin-${type}-${name}-${attribute}`;
    }
  }

  /** Multi-Region keys have `mrk-` ids; replicas share the primary's id. */
  private keyId(name: string): string {
    return this.resources.aws_kms_key?.[name]?.multi_region === true ? `mrk-${hexOf(`aws_kms_key.${name}`, 32)}` : uuidOf(`aws_kms_key.${name}`);
  }
}
