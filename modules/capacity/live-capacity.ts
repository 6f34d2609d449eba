import { Construct } from 'constructs';
import { TerraformStack, Token } from 'cdktf';
import { DataAwsDynamodbTable } from '@cdktf/provider-aws/lib/data-aws-dynamodb-table';
import { DataAwsDynamodbTables } from '@cdktf/provider-aws/lib/data-aws-dynamodb-tables';
import { useStableAddress } from '../naming';

const EXISTING_TABLES_ID = 'dynamodb_tables';

export interface LiveTableCapacityProps {
  readonly tableName: string;
}

/**
 * The capacities of an autoscaled table as they are when Terraform plans, so the configuration always says what
 * autoscaling set and Terraform never fights it, with no `ignore_changes` at all:
 * - a table that does not exist yet, or is still on-demand, gets the autoscaling minimum: the value it is created
 *   with, or switched to PROVISIONED with (one apply, the address unchanged);
 * - a provisioned table gets its live capacity, and each index its own (a new index gets its minimum).
 * The table is read through `data.aws_dynamodb_table` only when `data.aws_dynamodb_tables` lists it (a missing table
 * would fail the read). The planner needs dynamodb:ListTables, which a refresh does not use (the table read makes the
 * same calls a refresh of the table does). help/capacity.md, "Terraform does not fight autoscaling".
 */
export class LiveTableCapacity extends Construct {
  /** `one(data.aws_dynamodb_table.<id>[*])`: the live table, or null when it does not exist. */
  private readonly live: string;

  constructor(scope: Construct, id: string, props: LiveTableCapacityProps) {
    super(scope, id);
    const name = JSON.stringify(props.tableName);
    const table = useStableAddress(
      new DataAwsDynamodbTable(this, 'table', {
        name: props.tableName,
        count: Token.asNumber(`\${contains(${existingTables(this)}.names, ${name}) ? 1 : 0}`),
      }),
      { primary: true },
    );
    this.live = `one(data.${table.terraformResourceType}.${table.friendlyUniqueId}[*])`;
  }

  /** The table's read or write capacity: live while provisioned, else `min`. */
  tableUnits(kind: 'read' | 'write', min: number): number {
    return Token.asNumber(`\${${liveTableUnits(this.live, kind, String(min))}}`);
  }

  /** An index's read or write capacity: live while it has one (on-demand indexes report 0), else `min`. */
  indexUnits(indexName: string, kind: 'read' | 'write', min: number): number {
    return Token.asNumber(`\${${liveIndexUnits(this.live, JSON.stringify(indexName), kind, String(min))}}`);
  }
}

/**
 * The HCL expressions both the construct and the generated module write (each argument an HCL expression): `live`
 * is the live table object or null, `min` what a new or on-demand table gets.
 */
export function liveTableUnits(live: string, kind: 'read' | 'write', min: string): string {
  return `try(${live}.billing_mode == "PROVISIONED" ? ${live}.${kind}_capacity : ${min}, ${min})`;
}

export function liveIndexUnits(live: string, indexName: string, kind: 'read' | 'write', min: string): string {
  const attribute = `${kind}_capacity`;
  return `try([for index in ${live}.global_secondary_index : index.${attribute} if index.name == ${indexName} && index.${attribute} > 0][0], ${min})`;
}

/** One `data.aws_dynamodb_tables` per stack: the names of the tables in its Region. */
function existingTables(scope: Construct): string {
  const stack = TerraformStack.of(scope);
  const found = stack.node.tryFindChild(EXISTING_TABLES_ID) as DataAwsDynamodbTables | undefined;
  const tables = found ?? useStableAddress(new DataAwsDynamodbTables(stack, EXISTING_TABLES_ID, {}));
  return `data.${tables.terraformResourceType}.${tables.friendlyUniqueId}`;
}

/** The value a live-capacity expression gives a table that does not exist yet (its last argument). */
export function creationUnitsOf(expression: string): number | undefined {
  const match = /^\$\{try\(.*, (\d+)\)\}$/s.exec(expression);
  return match ? Number(match[1]) : undefined;
}
