import {
  ADMIN_ACTIONS,
  ITEM_DELETE_ACTIONS,
  ITEM_WRITE_ACTIONS,
  READER_ACTIONS,
  STREAM_READ_ACTIONS,
} from './actions';
import { unique } from './policy-document';

export interface WriterOptions {
  /**
   * Adds dynamodb:DeleteItem and dynamodb:BatchWriteItem (a batch write can delete items, so it comes only with
   * delete rights).
   * @default false
   */
  readonly allowDelete?: boolean;
  /** Adds dynamodb:Scan (reads every partition). @default false */
  readonly allowScan?: boolean;
}

export interface StreamConsumerOptions {
  /**
   * Adds dynamodb:ListStreams, which Lambda event source mappings use. It has no resource type, so AWS only honours it
   * with `"Resource": "*"`; it lists stream ARNs and returns no data.
   * @default true
   */
  readonly listStreams?: boolean;
}

/**
 * What a role may do to a table: seed 001's permission matrix as factories. Build it with `AccessProfile.reader()`,
 * `.writer()`, `.streamConsumer()`, `.admin()`, or `.custom()` for a function-specific action list. No factory ever
 * grants CreateTable or DeleteTable; `custom` may, and the role's validation still forbids wildcards.
 */
export class AccessProfile {
  /** GetItem, Query, BatchGetItem, DescribeTable. */
  static reader(): AccessProfile {
    return new AccessProfile('Read', READER_ACTIONS);
  }

  /** Reader plus PutItem, UpdateItem, ConditionCheckItem; no Scan and no deletes unless asked. */
  static writer(options: WriterOptions = {}): AccessProfile {
    const actions = [...READER_ACTIONS, ...ITEM_WRITE_ACTIONS];
    if (options.allowDelete) actions.push(...ITEM_DELETE_ACTIONS);
    if (options.allowScan) actions.push('dynamodb:Scan');
    return new AccessProfile('ReadWrite', actions);
  }

  /** DescribeStream, GetRecords, GetShardIterator on the table's streams only (plus ListStreams, see options). */
  static streamConsumer(options: StreamConsumerOptions = {}): AccessProfile {
    const actions = [...STREAM_READ_ACTIONS];
    if (options.listStreams ?? true) actions.push('dynamodb:ListStreams');
    return new AccessProfile('StreamRead', actions);
  }

  /** Scan, Query, DeleteItem, ExportTableToPointInTime; never CreateTable or DeleteTable. */
  static admin(): AccessProfile {
    return new AccessProfile('Admin', ADMIN_ACTIONS);
  }

  /** An explicit action list, e.g. seed 001's message handler (GetItem, Query, PutItem, UpdateItem). */
  static custom(name: string, actions: readonly string[]): AccessProfile {
    return new AccessProfile(name, actions);
  }

  readonly actions: readonly string[];

  private constructor(
    /** Used in statement ids: `DynamoDB<name>`. */
    readonly name: string,
    actions: readonly string[],
  ) {
    this.actions = unique(actions);
  }
}
