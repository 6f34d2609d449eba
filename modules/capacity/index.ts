import { GuardrailError, isResolved } from '../validation';

export type BillingMode = 'PAY_PER_REQUEST' | 'PROVISIONED';

export interface OnDemandOptions {
  /**
   * Cost guard: the most read request units per second the table (or index) may consume.
   * @default no limit
   */
  readonly maxReadRequestUnits?: number;
  /**
   * Cost guard: the most write request units per second the table (or index) may consume.
   * @default no limit
   */
  readonly maxWriteRequestUnits?: number;
}

export interface ProvisionedOptions {
  readonly readCapacity: number;
  readonly writeCapacity: number;
}

/** Per-index capacity settings; which ones are allowed depends on the table's billing mode. */
export interface IndexCapacityOptions extends OnDemandOptions {
  /** Provisioned tables only. @default the table's read capacity */
  readonly readCapacity?: number;
  /** Provisioned tables only. @default the table's write capacity */
  readonly writeCapacity?: number;
}

/** How a table pays for throughput. Build it with `Billing.onDemand()` or `Billing.provisioned()`. */
export class Billing {
  /** Pay per request (dynamodb:004 is met: capacity follows demand). Optional max request units cap the cost. */
  static onDemand(options: OnDemandOptions = {}): Billing {
    return new Billing('PAY_PER_REQUEST', options, undefined);
  }

  /** Fixed provisioned capacity. */
  static provisioned(options: ProvisionedOptions): Billing {
    return new Billing('PROVISIONED', {}, options);
  }

  private constructor(
    readonly mode: BillingMode,
    readonly onDemand: OnDemandOptions,
    readonly provisioned: ProvisionedOptions | undefined,
  ) {}

  /** Throws when a table or index setting cannot be used with this billing mode. */
  validate(subject: string, fieldPrefix: string, options: IndexCapacityOptions): void {
    if (this.mode === 'PAY_PER_REQUEST') {
      for (const field of ['readCapacity', 'writeCapacity'] as const) {
        if (options[field] !== undefined) {
          throw new GuardrailError(subject, `${fieldPrefix}${field}`, options[field], 'provisioned capacity cannot be set on an on-demand (PAY_PER_REQUEST) table; use maxReadRequestUnits/maxWriteRequestUnits or Billing.provisioned()');
        }
      }
    } else {
      for (const field of ['maxReadRequestUnits', 'maxWriteRequestUnits'] as const) {
        if (options[field] !== undefined) {
          throw new GuardrailError(subject, `${fieldPrefix}${field}`, options[field], 'max request units apply only to on-demand tables; this table uses Billing.provisioned()');
        }
      }
    }
    for (const field of ['readCapacity', 'writeCapacity', 'maxReadRequestUnits', 'maxWriteRequestUnits'] as const) {
      const value = options[field];
      if (value !== undefined && isResolved(value) && (!Number.isInteger(value) || value < 1)) {
        throw new GuardrailError(subject, `${fieldPrefix}${field}`, value, 'must be a whole number of at least 1');
      }
    }
  }
}
