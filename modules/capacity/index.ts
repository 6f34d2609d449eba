import { GuardrailError, isResolved } from '../validation';

export { TableAutoscaling } from './autoscaling';
export type { TableAutoscalingProps, ScalableCapacity } from './autoscaling';
export { scheduledActionName } from './autoscaling';
export { LiveTableCapacity, creationUnitsOf, liveIndexUnits, liveTableUnits } from './live-capacity';

export type BillingMode = 'PAY_PER_REQUEST' | 'PROVISIONED';

/** Application Auto Scaling accepts target utilization from 20 % to 90 % for DynamoDB. */
export const MIN_TARGET_UTILIZATION = 20;
export const MAX_TARGET_UTILIZATION = 90;
export const DEFAULT_TARGET_UTILIZATION = 70;
/**
 * DynamoDB's default per-table quota: 40,000 read and 40,000 write capacity units (provisioned) or request units
 * (on-demand maximum) per table and Region. It is adjustable through Service Quotas; values above it are refused as
 * almost certainly a typo (Developer Guide, "Quotas in Amazon DynamoDB", read/write throughput).
 */
export const MAX_CAPACITY_UNITS = 40_000;
/** A waiver reason must say something. */
export const MIN_WAIVER_REASON_LENGTH = 10;

/** Cooldowns longer than a day are almost certainly minutes or milliseconds given as seconds. */
export const MAX_COOLDOWN_SECONDS = 86_400;
/** Application Auto Scaling's limit on scheduled action names. */
export const MAX_SCHEDULE_NAME_LENGTH = 256;
/** Scheduled action names: no ':', '/' or '|' (they are part of the action's ARN). */
export const SCHEDULE_NAME_PATTERN = /^[^:/|]+$/;
/**
 * Application Auto Scaling schedule expressions (API Reference, "PutScheduledAction", Schedule): a one-time
 * `at(yyyy-mm-ddThh:mm:ss)`, a `rate(value unit)` or a six-field `cron(minutes hours day-of-month month day-of-week year)`.
 */
export const SCHEDULE_PATTERN = /^(at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)|rate\([1-9]\d* (minute|minutes|hour|hours|day|days)\)|cron\(\S+( \S+){5}\))$/;
/** Start and end times of a schedule, in UTC. */
export const SCHEDULE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** A change of the autoscaling range at known times, e.g. a higher minimum before a daily peak. */
export interface ScheduledCapacity {
  /** Unique per table dimension; becomes the scheduled action's name `<table dimension>-<name>`. */
  readonly name: string;
  /** `cron(0 8 * * ? *)`, `rate(1 day)` or `at(2026-12-24T06:00:00)`. */
  readonly schedule: string;
  /** IANA time zone the schedule is read in. @default 'UTC' */
  readonly timezone?: string;
  /** The new minimum; at least one of min and max. */
  readonly min?: number;
  /** The new maximum. */
  readonly max?: number;
  /** First time the schedule may run, `2026-12-01T00:00:00Z`. @default now */
  readonly startTime?: string;
  /** Last time the schedule may run. @default no end */
  readonly endTime?: string;
}

export interface AutoscalingOptions {
  /** Lowest provisioned capacity; also the value Terraform creates the table with. */
  readonly min: number;
  readonly max: number;
  /** Percent of provisioned capacity autoscaling keeps consumed. @default 70 */
  readonly targetUtilization?: number;
  /** Seconds after a scale-in before the next scale-in. @default Application Auto Scaling's default */
  readonly scaleInCooldown?: number;
  /** Seconds after a scale-out before the next scale-out. @default Application Auto Scaling's default */
  readonly scaleOutCooldown?: number;
  /**
   * Scheduled changes of min and max. Once a schedule has run, the schedules own the range, so Terraform ignores
   * later differences in the target's min and max (an apply during a peak must not lower its floor). See
   * help/capacity.md, "Scheduled scaling".
   * @default []
   */
  readonly schedules?: readonly ScheduledCapacity[];
}

/** Autoscaling options with the defaults applied. */
export type ResolvedAutoscaling = Required<Pick<AutoscalingOptions, 'min' | 'max' | 'targetUtilization' | 'schedules'>> &
  Pick<AutoscalingOptions, 'scaleInCooldown' | 'scaleOutCooldown'>;

/** Provisioned read or write capacity: autoscaled (dynamodb:004) or, with a waiver, fixed. */
export class Capacity {
  static autoscaled(options: AutoscalingOptions): Capacity {
    return new Capacity(undefined, {
      min: options.min,
      max: options.max,
      targetUtilization: options.targetUtilization ?? DEFAULT_TARGET_UTILIZATION,
      ...(options.scaleInCooldown !== undefined ? { scaleInCooldown: options.scaleInCooldown } : {}),
      ...(options.scaleOutCooldown !== undefined ? { scaleOutCooldown: options.scaleOutCooldown } : {}),
      schedules: options.schedules ?? [],
    });
  }

  /** Fixed capacity does not follow demand: `Billing.provisioned` accepts it only with `fixedCapacityWaiver`. */
  static fixed(units: number): Capacity {
    return new Capacity(units, undefined);
  }

  private constructor(
    readonly fixedUnits: number | undefined,
    readonly autoscaling: ResolvedAutoscaling | undefined,
  ) {}

  /** What Terraform writes as read/write capacity: the fixed value, or the autoscaling minimum. */
  get initialUnits(): number {
    return this.autoscaling ? this.autoscaling.min : this.fixedUnits!;
  }

  validate(subject: string, field: string): void {
    if (this.fixedUnits !== undefined) {
      requireUnits(subject, field, this.fixedUnits);
      return;
    }
    const { min, max, targetUtilization } = this.autoscaling!;
    requireUnits(subject, `${field}.min`, min);
    requireUnits(subject, `${field}.max`, max);
    if (isResolved(min) && isResolved(max) && min > max) {
      throw new GuardrailError(subject, `${field}.min`, min, `must not exceed max (${max})`);
    }
    if (isResolved(targetUtilization) && !(targetUtilization >= MIN_TARGET_UTILIZATION && targetUtilization <= MAX_TARGET_UTILIZATION)) {
      throw new GuardrailError(subject, `${field}.targetUtilization`, targetUtilization, `must be from ${MIN_TARGET_UTILIZATION} to ${MAX_TARGET_UTILIZATION} percent`);
    }
    for (const key of ['scaleInCooldown', 'scaleOutCooldown'] as const) {
      const seconds = this.autoscaling![key];
      if (seconds !== undefined && isResolved(seconds) && (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_COOLDOWN_SECONDS)) {
        throw new GuardrailError(subject, `${field}.${key}`, seconds, `must be a whole number of seconds from 0 to ${MAX_COOLDOWN_SECONDS.toLocaleString('en-US')} (one day)`);
      }
    }
    validateSchedules(subject, `${field}.schedules`, this.autoscaling!.schedules);
  }
}

function validateSchedules(subject: string, field: string, schedules: readonly ScheduledCapacity[]): void {
  const names = new Set<string>();
  for (const [index, schedule] of schedules.entries()) {
    const at = `${field}[${index}]`;
    if (!isResolved(schedule.name)) continue;
    if (schedule.name.length === 0 || schedule.name.length > MAX_SCHEDULE_NAME_LENGTH || !SCHEDULE_NAME_PATTERN.test(schedule.name)) {
      throw new GuardrailError(subject, `${at}.name`, schedule.name, `must be 1 to ${MAX_SCHEDULE_NAME_LENGTH} characters without ':', '/' or '|'`);
    }
    if (names.has(schedule.name)) throw new GuardrailError(subject, `${at}.name`, schedule.name, 'is used by another schedule of the same capacity');
    names.add(schedule.name);
    if (isResolved(schedule.schedule) && !SCHEDULE_PATTERN.test(schedule.schedule)) {
      throw new GuardrailError(subject, `${at}.schedule`, schedule.schedule, "must be at(yyyy-mm-ddThh:mm:ss), rate(<n> minutes|hours|days) or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>), e.g. 'cron(0 8 * * ? *)'");
    }
    if (schedule.timezone !== undefined && isResolved(schedule.timezone) && !isTimeZone(schedule.timezone)) {
      throw new GuardrailError(subject, `${at}.timezone`, schedule.timezone, "must be an IANA time zone such as 'UTC' or 'Europe/Berlin'");
    }
    if (schedule.min === undefined && schedule.max === undefined) {
      throw new GuardrailError(subject, `${at}`, schedule.name, 'sets neither min nor max; give at least one');
    }
    requireOptionalUnits(subject, `${at}.min`, schedule.min);
    requireOptionalUnits(subject, `${at}.max`, schedule.max);
    if (schedule.min !== undefined && schedule.max !== undefined && isResolved(schedule.min) && isResolved(schedule.max) && schedule.min > schedule.max) {
      throw new GuardrailError(subject, `${at}.min`, schedule.min, `must not exceed max (${schedule.max})`);
    }
    for (const key of ['startTime', 'endTime'] as const) {
      const time = schedule[key];
      if (time !== undefined && isResolved(time) && (!SCHEDULE_TIME_PATTERN.test(time) || Number.isNaN(Date.parse(time)))) {
        throw new GuardrailError(subject, `${at}.${key}`, time, "must be a UTC time such as '2026-12-01T00:00:00Z'");
      }
    }
    if (schedule.startTime && schedule.endTime && isResolved(schedule.startTime) && isResolved(schedule.endTime) && Date.parse(schedule.startTime) >= Date.parse(schedule.endTime)) {
      throw new GuardrailError(subject, `${at}.endTime`, schedule.endTime, `must be after startTime (${schedule.startTime})`);
    }
  }
}

/** Whether the JavaScript engine's time zone database (IANA, as Application Auto Scaling uses) knows the name. */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export interface WarmThroughputOptions {
  readonly readUnitsPerSecond?: number;
  readonly writeUnitsPerSecond?: number;
}

export interface OnDemandOptions {
  /** Cost guard: the most read request units per second the table (or index) may consume. @default no limit */
  readonly maxReadRequestUnits?: number;
  /** Cost guard: the most write request units per second the table (or index) may consume. @default no limit */
  readonly maxWriteRequestUnits?: number;
  /** Pre-warmed throughput for an expected peak. @default none */
  readonly warmThroughput?: WarmThroughputOptions;
}

export interface ProvisionedOptions {
  readonly readCapacity: Capacity;
  readonly writeCapacity: Capacity;
  /** Required when any capacity (table or index) is `Capacity.fixed`: why dynamodb:004 does not apply. */
  readonly fixedCapacityWaiver?: string;
  /** @default none */
  readonly warmThroughput?: WarmThroughputOptions;
}

/** Per-index capacity settings; which ones are allowed depends on the table's billing mode. */
export interface IndexCapacityOptions {
  /** On-demand tables only. @default no limit */
  readonly maxReadRequestUnits?: number;
  /** On-demand tables only. @default no limit */
  readonly maxWriteRequestUnits?: number;
  /** Provisioned tables only. @default the table's read capacity (including its autoscaling) */
  readonly readCapacity?: Capacity;
  /** Provisioned tables only. @default the table's write capacity (including its autoscaling) */
  readonly writeCapacity?: Capacity;
  /** @default none */
  readonly warmThroughput?: WarmThroughputOptions;
}

/** How a table pays for throughput: `Billing.onDemand()` or `Billing.provisioned({ readCapacity, writeCapacity })`. */
export class Billing {
  /** Pay per request: capacity follows demand (dynamodb:004). Optional max request units cap the cost. */
  static onDemand(options: OnDemandOptions = {}): Billing {
    return new Billing('PAY_PER_REQUEST', options, undefined);
  }

  /** Provisioned capacity, normally `Capacity.autoscaled(...)` for both read and write. */
  static provisioned(options: ProvisionedOptions): Billing {
    return new Billing('PROVISIONED', {}, options);
  }

  private constructor(
    readonly mode: BillingMode,
    readonly onDemand: OnDemandOptions,
    readonly provisioned: ProvisionedOptions | undefined,
  ) {}

  /** The capacity of a table (no index given) or of an index, after inheritance from the table. */
  capacityOf(index: IndexCapacityOptions = {}): { read: Capacity; write: Capacity } | undefined {
    if (!this.provisioned) return undefined;
    return { read: index.readCapacity ?? this.provisioned.readCapacity, write: index.writeCapacity ?? this.provisioned.writeCapacity };
  }

  /** Throws when the table's or an index's settings cannot be used with this billing mode. */
  validate(subject: string, indexes: Array<{ field: string; options: IndexCapacityOptions }>): void {
    validateWarmThroughput(subject, 'billing.warmThroughput', (this.provisioned ?? this.onDemand).warmThroughput);
    if (this.provisioned) {
      this.provisioned.readCapacity.validate(subject, 'billing.readCapacity');
      this.provisioned.writeCapacity.validate(subject, 'billing.writeCapacity');
    } else {
      requireOptionalUnits(subject, 'billing.maxReadRequestUnits', this.onDemand.maxReadRequestUnits);
      requireOptionalUnits(subject, 'billing.maxWriteRequestUnits', this.onDemand.maxWriteRequestUnits);
    }
    for (const { field, options } of indexes) this.validateIndex(subject, field, options);
    this.validateFixedCapacityWaiver(subject, indexes.map((index) => index.options));
  }

  private validateIndex(subject: string, field: string, options: IndexCapacityOptions): void {
    validateWarmThroughput(subject, `${field}.warmThroughput`, options.warmThroughput);
    if (this.mode === 'PAY_PER_REQUEST') {
      for (const key of ['readCapacity', 'writeCapacity'] as const) {
        if (options[key] !== undefined) {
          throw new GuardrailError(subject, `${field}.${key}`, describeCapacity(options[key]!), 'provisioned capacity cannot be set on an index of an on-demand (PAY_PER_REQUEST) table; use maxReadRequestUnits/maxWriteRequestUnits or Billing.provisioned()');
        }
      }
      requireOptionalUnits(subject, `${field}.maxReadRequestUnits`, options.maxReadRequestUnits);
      requireOptionalUnits(subject, `${field}.maxWriteRequestUnits`, options.maxWriteRequestUnits);
      return;
    }
    for (const key of ['maxReadRequestUnits', 'maxWriteRequestUnits'] as const) {
      if (options[key] !== undefined) {
        throw new GuardrailError(subject, `${field}.${key}`, options[key], 'max request units apply only to on-demand tables; this table uses Billing.provisioned()');
      }
    }
    options.readCapacity?.validate(subject, `${field}.readCapacity`);
    options.writeCapacity?.validate(subject, `${field}.writeCapacity`);
  }

  private validateFixedCapacityWaiver(subject: string, indexes: IndexCapacityOptions[]): void {
    if (!this.provisioned) return;
    const all = [this.capacityOf()!, ...indexes.map((index) => this.capacityOf(index)!)].flatMap((c) => [c.read, c.write]);
    const waiver = this.provisioned.fixedCapacityWaiver;
    if (all.some((capacity) => capacity.fixedUnits !== undefined)) {
      if (waiver === undefined || waiver.trim().length < MIN_WAIVER_REASON_LENGTH) {
        throw new GuardrailError(subject, 'billing.fixedCapacityWaiver', waiver, `fixed capacity does not scale with demand (dynamodb:004); use Capacity.autoscaled(...) or give a waiver reason of at least ${MIN_WAIVER_REASON_LENGTH} characters`);
      }
    } else if (waiver !== undefined) {
      throw new GuardrailError(subject, 'billing.fixedCapacityWaiver', waiver, 'every capacity is autoscaled, so there is nothing to waive; remove the waiver');
    }
  }
}

function describeCapacity(capacity: Capacity): unknown {
  return capacity.autoscaling ? { autoscaled: capacity.autoscaling } : { fixed: capacity.fixedUnits };
}

function requireUnits(subject: string, field: string, value: number): void {
  if (isResolved(value) && (!Number.isInteger(value) || value < 1 || value > MAX_CAPACITY_UNITS)) {
    throw new GuardrailError(subject, field, value, `must be a whole number from 1 to ${MAX_CAPACITY_UNITS.toLocaleString('en-US')} (DynamoDB's default per-table quota)`);
  }
}

function requireOptionalUnits(subject: string, field: string, value: number | undefined): void {
  if (value !== undefined) requireUnits(subject, field, value);
}

function validateWarmThroughput(subject: string, field: string, warm: WarmThroughputOptions | undefined): void {
  if (!warm) return;
  requireOptionalUnits(subject, `${field}.readUnitsPerSecond`, warm.readUnitsPerSecond);
  requireOptionalUnits(subject, `${field}.writeUnitsPerSecond`, warm.writeUnitsPerSecond);
}
