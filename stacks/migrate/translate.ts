import { isExpression } from '../../modules/compliance/terraform';
import { raw, RawHcl } from '../terraform-modules/hcl';
import { matchingBrace } from './hcl-source';

/**
 * One `module "x" { source = "terraform-aws-modules/dynamodb-table/aws" … }` call (v5: the `this`, `autoscaled` and
 * `autoscaled_gsi_ignore` table variants) translated into a call of the generated `dynamodb-table` module: its
 * arguments, the `moved` blocks that keep every resource's state, the values the caller must supply, and a note for
 * every setting the guardrails change or that cannot be mapped.
 */
export const TERRAFORM_AWS_MODULES_SOURCE = /^(registry\.terraform\.io\/)?terraform-aws-modules\/dynamodb-table\/aws$/;

/** What hcl2json gives for one module block: literals, and `${...}` template strings for expressions. */
export type ModuleInputs = Readonly<Record<string, unknown>>;

export type NoteKind = 'guardrail' | 'unmapped' | 'dropped' | 'supply' | 'replaced';

export interface MigrationNote {
  readonly kind: NoteKind;
  /** The terraform-aws-modules input the note is about. */
  readonly input: string;
  readonly text: string;
  /** What keeps the old behaviour, when anything can. */
  readonly keepOldBehaviour?: string;
}

export interface Move {
  readonly from: string;
  readonly to: string;
}

export interface SuppliedVariable {
  readonly name: string;
  readonly type: string;
  readonly description: string;
}

export interface Migration {
  readonly name: string;
  /** Why the call was left alone; then nothing else is set. */
  readonly skipped?: string;
  readonly arguments: ReadonlyArray<readonly [string, unknown]>;
  readonly moves: readonly Move[];
  readonly variables: readonly SuppliedVariable[];
  readonly notes: readonly MigrationNote[];
}

/** Inputs that only matter when a table is created: the table exists, so they are dropped. */
const CREATE_TIME_INPUTS = ['import_table', 'restore_date_time', 'restore_source_name', 'restore_source_table_arn', 'restore_to_latest_time'];
/** Inputs of terraform-aws-modules this translation reads; anything else is reported as unmapped. */
const KNOWN_INPUTS = new Set([
  'source', 'version', 'providers', 'create_table', 'name', 'attributes', 'hash_key', 'range_key', 'billing_mode', 'read_capacity', 'write_capacity',
  'point_in_time_recovery_enabled', 'point_in_time_recovery_period_in_days', 'ttl_enabled', 'ttl_attribute_name', 'global_secondary_indexes',
  'local_secondary_indexes', 'replica_regions', 'stream_enabled', 'stream_view_type', 'server_side_encryption_enabled', 'server_side_encryption_kms_key_arn',
  'tags', 'timeouts', 'autoscaling_enabled', 'autoscaling_defaults', 'autoscaling_read', 'autoscaling_write', 'autoscaling_indexes', 'table_class',
  'deletion_protection_enabled', 'ignore_changes_global_secondary_index', 'on_demand_throughput', 'warm_throughput', 'resource_policy', 'region',
  'global_table_witness', ...CREATE_TIME_INPUTS,
]);
const DEFAULT_TARGET_UTILIZATION = 70;

class MigrationError extends Error {}

/** hcl2json values back into HCL: templates and expressions as written, plain literals as literals. */
export function hclInput(value: unknown): unknown {
  if (typeof value === 'string') {
    if (!/[$%]\{/.test(value)) return value;
    if (value.startsWith('${') && matchingBrace(value, 1) === value.length - 1) return raw(value.slice(2, -1));
    return raw(quotedTemplate(value));
  }
  if (Array.isArray(value)) return value.map(hclInput);
  if (value && typeof value === 'object' && !(value instanceof RawHcl)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hclInput(v)]));
  return value;
}

/**
 * hcl2json writes strings as Terraform's JSON syntax does, where every string is a template: literal parts unescaped,
 * `${…}`/`%{…}` sequences as written (quotes inside them included) and the escapes `$${` and `%%{` kept. Only the
 * literal parts are escaped again for a quoted HCL string.
 */
function quotedTemplate(template: string): string {
  let quoted = '';
  for (let i = 0; i < template.length; ) {
    if (template.startsWith('$${', i) || template.startsWith('%%{', i)) {
      quoted += template.slice(i, i + 3);
      i += 3;
    } else if (template.startsWith('${', i) || template.startsWith('%{', i)) {
      const end = (matchingBrace(template, i + 1) ?? template.length - 1) + 1;
      quoted += template.slice(i, end);
      i = end;
    } else {
      quoted += LITERAL_ESCAPES[template[i]] ?? template[i];
      i += 1;
    }
  }
  return `"${quoted}"`;
}

const LITERAL_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function translateCall(name: string, inputs: ModuleInputs): Migration {
  const empty = (skipped: string): Migration => ({ name, skipped, arguments: [], moves: [], variables: [], notes: [] });
  if (inputs.count !== undefined || inputs.for_each !== undefined) return empty('the call has count or for_each: every resource address is indexed per instance; migrate it by hand');
  if (inputs.create_table === false) return empty('create_table = false: the call manages nothing');
  if (isExpression(inputs.create_table)) return empty(`create_table = ${inputs.create_table} is decided at plan time; migrate it by hand`);
  try {
    return new CallTranslation(name, inputs).migration();
  } catch (error) {
    if (error instanceof MigrationError) return empty(error.message);
    throw error;
  }
}

class CallTranslation {
  private readonly args: Array<[string, unknown]> = [];
  private readonly moves: Move[] = [];
  private readonly variables: SuppliedVariable[] = [];
  private readonly notes: MigrationNote[] = [];
  private readonly types = new Map<string, string>();

  constructor(
    private readonly name: string,
    private readonly inputs: ModuleInputs,
  ) {}

  migration(): Migration {
    this.readAttributes();
    this.set('name', this.required('name'));
    this.set('partition_key', this.key(this.literalString('hash_key', true)!));
    const rangeKey = this.literalString('range_key');
    if (rangeKey !== undefined) this.set('sort_key', this.key(rangeKey));
    this.indexes();
    this.encryption();
    this.capacity();
    this.recovery();
    this.streamsAndTtl();
    this.replicas();
    this.passThrough();
    this.resourcePolicy();
    this.leftovers();
    return { name: this.name, arguments: this.args, moves: this.moves, variables: this.variables, notes: this.notes };
  }

  private set(argument: string, value: unknown): void {
    this.args.push([argument, hclInput(value)]);
  }

  private note(kind: NoteKind, input: string, text: string, keepOldBehaviour?: string): void {
    this.notes.push({ kind, input, text, keepOldBehaviour });
  }

  private supply(name: string, type: string, description: string): RawHcl {
    const variable = `${this.name}_${name}`.replace(/[^A-Za-z0-9_]/g, '_');
    this.variables.push({ name: variable, type, description });
    return raw(`var.${variable}`);
  }

  private move(from: string, to: string): void {
    this.moves.push({ from: `module.${this.name}.${from}`, to: `module.${this.name}.${to}` });
  }

  private required(input: string): unknown {
    const value = this.inputs[input];
    if (value === undefined || value === null) throw new MigrationError(`${input} is not set`);
    return value;
  }

  private literalString(input: string, required = false): string | undefined {
    const value = this.inputs[input];
    if (value === undefined || value === null || value === '') {
      if (required) throw new MigrationError(`${input} is not set`);
      return undefined;
    }
    if (typeof value !== 'string' || isExpression(value)) throw new MigrationError(`${input} = ${JSON.stringify(value)} is not a literal string; the key schema must be known to write partition_key and sort_key`);
    return value;
  }

  private literalList(input: string): Array<Record<string, unknown>> {
    const value = this.inputs[input];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || item === null)) {
      throw new MigrationError(`${input} = ${JSON.stringify(value)} is not a literal list of objects; migrate this call by hand`);
    }
    return value as Array<Record<string, unknown>>;
  }

  private readAttributes(): void {
    for (const attribute of this.literalList('attributes')) {
      if (typeof attribute.name !== 'string' || typeof attribute.type !== 'string' || isExpression(attribute.name) || isExpression(attribute.type)) {
        throw new MigrationError(`attributes: ${JSON.stringify(attribute)} is not a literal { name, type }`);
      }
      this.types.set(attribute.name, attribute.type);
    }
  }

  /** `{ name, type }` of a key attribute, its type from `attributes` (the generated module derives the definitions). */
  private key(attribute: string): { name: string; type: string } {
    const type = this.types.get(attribute);
    if (!type) throw new MigrationError(`attributes has no definition of key attribute '${attribute}'`);
    return { name: attribute, type };
  }

  private indexes(): void {
    const gsis = this.literalList('global_secondary_indexes').map((index) => {
      const name = String(index.name);
      if (index.read_capacity !== undefined || index.write_capacity !== undefined) {
        this.note('unmapped', 'global_secondary_indexes', `index ${name}: its own read_capacity/write_capacity; the generated module gives every index the table's capacity and autoscaling`, 'per-index capacity is in the TypeScript API (help/capacity.md)');
      }

      return {
        name,
        partition_key: this.key(String(index.hash_key)),
        sort_key: index.range_key ? this.key(String(index.range_key)) : undefined,
        projection_type: index.projection_type,
        non_key_attributes: index.non_key_attributes,
        on_demand_throughput: index.on_demand_throughput,
        warm_throughput: index.warm_throughput,
      };
    });
    if (gsis.length > 0) this.set('global_secondary_indexes', gsis);
    const lsis = this.literalList('local_secondary_indexes').map((index) => ({
      name: index.name,
      sort_key: this.key(String(index.range_key)),
      projection_type: index.projection_type,
      non_key_attributes: index.non_key_attributes,
    }));
    if (lsis.length > 0) this.set('local_secondary_indexes', lsis);
  }

  private encryption(): void {
    const key = this.inputs.server_side_encryption_kms_key_arn;
    if (typeof key === 'string' && key !== '' && this.inputs.server_side_encryption_enabled === true) {
      this.set('kms_key_arn', key);
      return;
    }
    const was = this.inputs.server_side_encryption_enabled === true ? 'the AWS managed key (alias/aws/dynamodb)' : 'an AWS owned key';
    this.set('kms_key_arn', this.supply('kms_key_arn', 'string', `Customer-managed KMS key of table ${this.name} (dynamodb:001); it was encrypted with ${was}.`));
    this.note('guardrail', 'server_side_encryption_enabled', `the table was encrypted with ${was}; it now uses a customer-managed key (dynamodb:001). DynamoDB switches the key in place, without replacing the table. Give var.${this.name}_kms_key_arn.`);
  }

  private capacity(): void {
    const billing = this.inputs.billing_mode ?? 'PAY_PER_REQUEST';
    this.set('billing_mode', billing);
    for (const input of ['autoscaling_enabled', 'ignore_changes_global_secondary_index']) {
      if (isExpression(this.inputs[input])) throw new MigrationError(`${input} = ${this.inputs[input]} decides which table resource exists; migrate this call by hand`);
    }
    const variant = this.inputs.autoscaling_enabled === true ? (this.inputs.ignore_changes_global_secondary_index === true ? 'autoscaled_gsi_ignore' : 'autoscaled') : 'this';
    this.move(`aws_dynamodb_table.${variant}[0]`, 'aws_dynamodb_table.this');
    if (this.inputs.ignore_changes_global_secondary_index === true) {
      this.note('replaced', 'ignore_changes_global_secondary_index', 'the indexes are no longer ignored (the generated module reads autoscaled capacities from the live table instead): any difference between the indexes in the configuration and those of the table is applied by the first plan, including creating or DELETING an index; compare them before applying (aws dynamodb describe-table)');
    }
    if (billing !== 'PROVISIONED') {
      if (this.inputs.on_demand_throughput && Object.keys(this.inputs.on_demand_throughput as object).length > 0) this.set('on_demand_throughput', this.inputs.on_demand_throughput);
      return;
    }
    const defaults = (this.inputs.autoscaling_defaults ?? {}) as Record<string, unknown>;
    const dimension = (kind: 'read' | 'write') => {
      const settings = (this.inputs[`autoscaling_${kind}`] ?? {}) as Record<string, unknown>;
      const min = this.inputs[`${kind}_capacity`];
      if (min === undefined) throw new MigrationError(`billing_mode = PROVISIONED without ${kind}_capacity`);
      for (const cooldown of ['scale_in_cooldown', 'scale_out_cooldown']) {
        const value = settings[cooldown] ?? defaults[cooldown];
        if (value !== undefined && Number(value) !== 0) {
          this.note('unmapped', `autoscaling_${kind}`, `${cooldown} = ${value} is not in the generated module (Application Auto Scaling's default applies)`, 'cooldowns are in the TypeScript API (Capacity.autoscaled scaleInCooldown/scaleOutCooldown)');
        }
      }
      return { min_capacity: min, max_capacity: settings.max_capacity ?? min, target_utilization: settings.target_value ?? defaults.target_value ?? DEFAULT_TARGET_UTILIZATION };
    };
    this.set('autoscaling', { read: dimension('read'), write: dimension('write') });
    if (this.inputs.autoscaling_enabled !== true) {
      this.note('guardrail', 'autoscaling_enabled', 'fixed provisioned capacity becomes autoscaling within min = max = the old capacity (dynamodb:004); raise max_capacity to let it follow demand', 'fixed capacity with a waiver is in the TypeScript API (Capacity.fixed + fixedCapacityWaiver)');
      return;
    }
    const key = (scope: string, kind: string) => `"home/${scope}/${kind}"`;
    for (const kind of ['read', 'write']) {
      if (this.inputs[`autoscaling_${kind}`] !== undefined) {
        this.move(`aws_appautoscaling_target.table_${kind}[0]`, `aws_appautoscaling_target.this[${key('table', kind)}]`);
        this.move(`aws_appautoscaling_policy.table_${kind}_policy[0]`, `aws_appautoscaling_policy.this[${key('table', kind)}]`);
      }
    }
    const indexSettings = (this.inputs.autoscaling_indexes ?? {}) as Record<string, Record<string, unknown>>;
    const gsiArgument = this.args.find(([name]) => name === 'global_secondary_indexes')?.[1] as Array<Record<string, unknown>> | undefined;
    for (const [index, settings] of Object.entries(indexSettings)) {
      const own: Record<string, unknown> = {};
      for (const kind of ['read', 'write']) {
        this.move(`aws_appautoscaling_target.index_${kind}["${index}"]`, `aws_appautoscaling_target.this[${key(`index/${index}`, kind)}]`);
        this.move(`aws_appautoscaling_policy.index_${kind}_policy["${index}"]`, `aws_appautoscaling_policy.this[${key(`index/${index}`, kind)}]`);
        // The old module's index policies track the table's target value.
        const table = (this.inputs[`autoscaling_${kind}`] ?? {}) as Record<string, unknown>;
        own[kind] = { min_capacity: settings[`${kind}_min_capacity`], max_capacity: settings[`${kind}_max_capacity`], target_utilization: table.target_value ?? defaults.target_value ?? DEFAULT_TARGET_UTILIZATION };
      }
      const entry = gsiArgument?.find((gsi) => gsi.name === index);
      if (entry) entry.autoscaling = own;
      else this.note('unmapped', 'autoscaling_indexes', `index ${index} is not in global_secondary_indexes; its autoscaling is dropped`);
    }
    const gsiNames = this.literalList('global_secondary_indexes').map((index) => String(index.name));
    for (const index of gsiNames.filter((gsi) => !(gsi in indexSettings))) {
      this.note('guardrail', 'autoscaling_indexes', `index ${index} had no autoscaling; it now autoscales in the table's range (dynamodb:004)`);
    }
    this.note('replaced', 'autoscaling_read', 'the target-tracking policies get new names (<resource>-<read|write>-target-tracking), so Terraform destroys each policy and creates it again; the scalable targets are moved and kept');
    if (this.literalList('replica_regions').length > 0) this.note('guardrail', 'autoscaling_read', 'the replicas get scalable targets and policies of their own in their Regions');
  }

  private recovery(): void {
    if (this.inputs.point_in_time_recovery_enabled !== true) {
      this.note('guardrail', 'point_in_time_recovery_enabled', 'point-in-time recovery is turned on, 35 days (dynamodb:002)', 'point_in_time_recovery_enabled = false with waiver_reason = "<why>"');
    }
    if (this.inputs.point_in_time_recovery_period_in_days !== undefined) this.set('point_in_time_recovery_period_in_days', this.inputs.point_in_time_recovery_period_in_days);
    if (this.inputs.deletion_protection_enabled !== true) {
      this.note('guardrail', 'deletion_protection_enabled', 'deletion protection is turned on (dynamodb:003)', 'deletion_protection_enabled = false with waiver_reason = "<why>"');
    }
  }

  private streamsAndTtl(): void {
    if (this.inputs.stream_enabled !== true) {
      this.note('guardrail', 'stream_enabled', 'the table stream is turned on, NEW_AND_OLD_IMAGES (dynamodb:013)', 'stream_enabled = false (reported as a dynamodb:013 finding)');
    } else if (this.inputs.stream_view_type !== undefined) {
      this.set('stream_view_type', this.inputs.stream_view_type);
    }
    const ttlEnabled = this.inputs.ttl_enabled;
    const ttlName = this.inputs.ttl_attribute_name;
    if (ttlEnabled === true && ttlName) this.set('ttl_attribute_name', ttlName);
    else if (isExpression(ttlEnabled) && typeof ttlName === 'string' && ttlName !== '') {
      const condition = hclInput(ttlEnabled);
      this.set('ttl_attribute_name', raw(`${condition instanceof RawHcl ? condition.expression : String(condition)} ? ${JSON.stringify(ttlName)} : null`));
    }
  }

  private replicas(): void {
    const replicas = this.literalList('replica_regions').map((replica) => {
      const region = String(replica.region_name);
      const key = replica.kms_key_arn;
      if (replica.point_in_time_recovery !== true) this.note('guardrail', 'replica_regions', `replica ${region}: point-in-time recovery is turned on (dynamodb:011)`);
      if (typeof key !== 'string' || key === '') {
        this.note('guardrail', 'replica_regions', `replica ${region} had no customer-managed key; it now needs one in its own Region (dynamodb:010). DynamoDB cannot change a replica's key in place: the replica is removed and added again (help/global-tables.md describes the procedure). Give var.${this.name}_replica_${region.replace(/-/g, '_')}_kms_key_arn.`);
      }
      if (replica.consistency_mode === 'STRONG') this.set('multi_region_consistency', 'STRONG');
      if (replica.propagate_tags !== true) this.note('guardrail', 'replica_regions', `replica ${region}: the table's tags are propagated to it (propagate_tags = true)`);
      if (replica.deletion_protection_enabled !== true) this.note('guardrail', 'replica_regions', `replica ${region}: deletion protection is turned on`);
      return {
        region_name: region,
        kms_key_arn: typeof key === 'string' && key !== '' ? key : this.supply(`replica_${region}_kms_key_arn`, 'string', `Customer-managed KMS key in ${region} for the replica of table ${this.name} (dynamodb:010).`),
        deletion_protection_enabled: replica.deletion_protection_enabled,
        propagate_tags: replica.propagate_tags,
      };
    });
    if (replicas.length > 0) this.set('replicas', replicas);
    const witness = this.inputs.global_table_witness as Record<string, unknown> | undefined;
    if (witness?.region_name) this.set('witness_region', witness.region_name);
  }

  private passThrough(): void {
    for (const input of ['table_class', 'tags']) if (this.inputs[input] !== undefined && this.inputs[input] !== null) this.set(input, this.inputs[input]);
  }

  private resourcePolicy(): void {
    if (this.inputs.resource_policy === undefined || this.inputs.resource_policy === null) return;
    this.set('resource_policy', {
      allowed_principal_arns: this.supply('allowed_principal_arns', 'list(string)', `IAM roles that may use table ${this.name} (dynamodb:006).`),
      exempt_principal_arns: this.supply('exempt_principal_arns', 'list(string)', `The Terraform deployer role(s) the policy of table ${this.name} exempts, so Terraform keeps access.`),
    });
    this.note('replaced', 'resource_policy', 'the policy JSON is replaced by the restrictive policy of the generated module (aws_dynamodb_resource_policy.this[0], the same address: updated in place). Review what your JSON allowed, and give the roles in allowed_principal_arns and the deployer in exempt_principal_arns.');
  }

  private leftovers(): void {
    for (const input of CREATE_TIME_INPUTS) {
      if (this.inputs[input] !== undefined && !(input === 'import_table' && Object.keys(this.inputs[input] as object).length === 0)) {
        this.note('dropped', input, 'create-time only: the table exists, and the generated module ignores changes to it (lifecycle ignore_changes), so dropping it replaces nothing; import and restore of new tables are in the TypeScript API (help/table-features.md)');
      }
    }
    for (const input of ['timeouts', 'warm_throughput', 'region']) {
      const value = this.inputs[input];
      if (value !== undefined && !(typeof value === 'object' && value !== null && Object.keys(value).length === 0)) this.set(input, value);
    }

    if (this.inputs.providers !== undefined) this.set('providers', this.inputs.providers);
    if (this.inputs.depends_on !== undefined) {
      this.note('dropped', 'depends_on', 'depends_on is not carried over: with it, Terraform defers the module\'s plan-time reads of the live table and the plan of an autoscaled table fails ("Invalid count argument"); order by references instead');
    }
    this.note('replaced', 'tags', 'the module no longer adds the tag Name = <table name>; it is removed in place (set it in tags to keep it)');
    for (const input of Object.keys(this.inputs)) {
      if (!KNOWN_INPUTS.has(input) && !['count', 'for_each', 'depends_on'].includes(input)) this.note('unmapped', input, `${input} is not an input this migration knows; check it by hand`);
    }
  }
}
