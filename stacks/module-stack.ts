import { Construct } from 'constructs';
import {
  TerraformBackend,
  TerraformLocal,
  TerraformOutput,
  TerraformProvider,
  TerraformRemoteState,
  TerraformStack,
  TerraformVariable,
  TerraformVariableValidationConfig,
} from 'cdktf';

/** Provider requirement of every generated module: any 6.x release from the one the bindings were generated for. */
export const MODULE_AWS_PROVIDER_SOURCE = 'hashicorp/aws';
export const MODULE_AWS_PROVIDER_VERSION = '>= 6.25.0, < 7.0.0';
/**
 * Terraform 1.9 is the first release whose variable validations may refer to other variables (the modules check
 * e.g. "deletion protection off needs a waiver reason" at plan time); `optional(type, default)` needs 1.3.
 */
export const MODULE_TERRAFORM_VERSION = '>= 1.9.0';

export interface ModuleVariableSpec {
  /** Stable input name (snake_case); renaming one breaks every caller. */
  readonly name: string;
  /** Terraform type expression, e.g. `list(object({ name = string, type = optional(string, "S") }))`. */
  readonly type: string;
  readonly description: string;
  /** Absent: the input is required. `null` is a real default (the feature is off). */
  readonly default?: unknown;
  /** @default Terraform's default (nullable) */
  readonly nullable?: boolean;
  readonly validations?: readonly TerraformVariableValidationConfig[];
}

export interface ModuleOutputSpec {
  readonly name: string;
  readonly description: string;
  readonly value: string;
}

export interface ModuleStackProps {
  /** One sentence for the README. */
  readonly description: string;
}

/**
 * The `required_providers` entry of a module. It exists as a provider construct so that cdktf's "every resource needs
 * its provider construct" validation passes, but it renders no `provider` block: a module inherits its providers
 * from the caller (Terraform discourages provider blocks in shared modules; they also break `count`/`for_each` on the
 * module call).
 */
class ProviderRequirement extends TerraformProvider {
  constructor(scope: Construct) {
    super(scope, 'aws', {
      terraformResourceType: 'aws',
      terraformGeneratorMetadata: { providerName: 'aws', providerVersionConstraint: MODULE_AWS_PROVIDER_VERSION },
      terraformProviderSource: MODULE_AWS_PROVIDER_SOURCE,
    });
  }

  private requirement() {
    return {
      terraform: {
        required_version: MODULE_TERRAFORM_VERSION,
        required_providers: { aws: { source: MODULE_AWS_PROVIDER_SOURCE, version: MODULE_AWS_PROVIDER_VERSION } },
      },
    };
  }

  override toTerraform(): any {
    return this.requirement();
  }

  override toHclTerraform(): any {
    // cdktf 0.21's HCL writer renders non-block `terraform` attributes as `0 = "<name>"`; the module generator writes
    // required_version in a `terraform` block of its own for the HCL form.
    const { required_version: _version, ...terraform } = this.requirement().terraform;
    return { terraform };
  }
}

/**
 * Stands in for a backend so that cdktf does not add its implicit `backend "local"`: the caller's root module owns
 * state, a module must not declare a backend (Terraform ignores or rejects it).
 */
class NoBackend extends TerraformBackend {
  constructor(scope: Construct) {
    super(scope, 'no_backend', 'none');
  }

  override toTerraform(): any {
    return {};
  }

  override toHclTerraform(): any {
    return {};
  }

  override toMetadata(): any {
    return { backend: 'none' };
  }

  getRemoteStateDataSource(_scope: Construct, _name: string, _fromStack: string): TerraformRemoteState {
    throw new Error('generated modules have no backend; a module cannot be referenced as remote state');
  }
}

/**
 * A `variable` block that renders every default as Terraform reads it. cdktf 0.21 cannot express `default = null`
 * (its JSON writer fails on null, its HCL writer drops it, which would make the input required) and its HCL writer
 * also drops `default = false` and `nullable = false`; this subclass writes those values itself. The offline
 * `terraform validate` of both forms covers the result.
 */
class ModuleVariable extends TerraformVariable {
  constructor(
    scope: Construct,
    private readonly spec: ModuleVariableSpec,
  ) {
    super(scope, `var_${spec.name}`, {
      type: spec.type,
      description: spec.description,
      default: spec.default === null ? undefined : spec.default,
      nullable: spec.nullable,
      validation: spec.validations ? [...spec.validations] : undefined,
    });
  }

  override toTerraform(): any {
    const result = super.toTerraform();
    if ('default' in this.spec) result.variable[this.friendlyUniqueId].default = this.spec.default;
    return result;
  }

  override toHclTerraform(): any {
    const result = super.toHclTerraform();
    const attributes = result.variable[this.friendlyUniqueId];
    // The HCL writer prints plain values (null, booleans, lists, objects) as HCL literals.
    if ('default' in this.spec) attributes.default = this.spec.default;
    if (this.spec.nullable !== undefined) attributes.nullable = this.spec.nullable;
    return result;
  }
}

/**
 * A TerraformStack that synthesizes a reusable Terraform module: typed `variable`s and `output`s with stable names, a
 * `required_providers` entry (`hashicorp/aws`, `>= 6.25.0, < 7.0.0`), and no provider or backend block. The variables
 * and outputs are recorded so the README generator and the tests see exactly what Terraform sees.
 */
export class ModuleStack extends TerraformStack {
  readonly moduleName: string;
  readonly description: string;
  private readonly variableSpecs: ModuleVariableSpec[] = [];
  private readonly outputSpecs: ModuleOutputSpec[] = [];

  constructor(scope: Construct, moduleName: string, props: ModuleStackProps) {
    super(scope, moduleName);
    this.moduleName = moduleName;
    this.description = props.description;
    new ProviderRequirement(this);
    new NoBackend(this);
  }

  /** Declares an input variable under its exact name (no cdktf hash suffix). */
  variable(spec: ModuleVariableSpec): TerraformVariable {
    if (this.variableSpecs.some((v) => v.name === spec.name)) throw new Error(`${this.moduleName}: variable '${spec.name}' declared twice`);
    const variable = new ModuleVariable(this, spec);
    variable.overrideLogicalId(spec.name);
    this.variableSpecs.push(spec);
    return variable;
  }

  /** Declares an output under its exact name. `value` is a Terraform expression string (`${...}`). */
  output(name: string, value: string, description: string): TerraformOutput {
    const output = new TerraformOutput(this, `output_${name}`, { value, description });
    output.overrideLogicalId(name);
    this.outputSpecs.push({ name, value, description });
    return output;
  }

  /** A `locals` entry under its exact name; `expression` is a Terraform expression or a value with expressions. */
  local(name: string, expression: unknown): TerraformLocal {
    const local = new TerraformLocal(this, `local_${name}`, expression);
    local.overrideLogicalId(name);
    return local;
  }

  get variables(): readonly ModuleVariableSpec[] {
    return this.variableSpecs;
  }

  get outputs(): readonly ModuleOutputSpec[] {
    return this.outputSpecs;
  }
}
