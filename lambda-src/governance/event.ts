/**
 * Parsing of the EventBridge events CloudTrail emits for a DynamoDB CreateTable call, and for the later calls that can
 * weaken a table's guardrails (CHANGE_EVENT_NAMES). Only the handful of fields the handler needs are read; the rest of
 * the event (request parameters, caller identity, source IP) is never copied, logged or returned. CloudTrail lower-cases the first letter of every request/response member name, so
 * `SSESpecification.KMSMasterKeyId` arrives as `sSESpecification.kMSMasterKeyId`.
 */

import { GOVERNANCE_CHANGE_EVENTS } from '../../modules/governance/change-events';

export const EVENT_SOURCE = 'aws.dynamodb';
export const DETAIL_TYPE = 'AWS API Call via CloudTrail';
export const CLOUDTRAIL_EVENT_SOURCE = 'dynamodb.amazonaws.com';
export const EVENT_NAME = 'CreateTable';
/** Calls after creation that can take a guardrail away; the first two name the table, the others its ARN. */
export const CHANGE_EVENT_NAMES = GOVERNANCE_CHANGE_EVENTS;
/** A table's ARN, or its stream's (a stream policy change is answered by checking the table). */
const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/([A-Za-z0-9_.-]{3,255})(\/stream\/[^/]+)?$/;

/** DynamoDB's own rule for table names. */
export const TABLE_NAME_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;
/** Longest event id we echo back into logs and results (EventBridge ids are 36-character UUIDs). */
const MAX_ID_LENGTH = 128;

/**
 * What the CreateTable request asked for, used only to tell an AWS-managed key (`alias/aws/dynamodb`, chosen by
 * `SSEType: KMS` without a key id) from a customer-managed one: DescribeTable reports both as a key ARN.
 */
export type RequestedEncryption = 'aws-owned' | 'aws-managed' | 'customer-key';

export interface CreateTableEvent {
  /** EventBridge event id. */
  readonly eventId: string;
  /** `CreateTable`, or one of CHANGE_EVENT_NAMES for a change to an existing table. */
  readonly eventName: string;
  /** CloudTrail event id (`detail.eventID`), when present. */
  readonly cloudTrailEventId?: string;
  readonly tableName: string;
  readonly account: string;
  readonly region: string;
  readonly requestedEncryption: RequestedEncryption;
  /** CloudTrail `errorCode`: the CreateTable call itself failed, so there is no table to govern. */
  readonly errorCode?: string;
  /**
   * Who created the table: the role ARN behind an assumed-role session, or the user ARN. Used only to recognise
   * Terraform's deployer; never logged.
   */
  readonly creatorArn?: string;
}

export type ParseResult = { readonly ok: true; readonly event: CreateTableEvent } | { readonly ok: false; readonly eventId?: string; readonly field: string; readonly problem: string };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isShortString = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;

/** Validates the envelope and the few fields the handler uses. Never throws. */
export function parseCreateTableEvent(event: unknown): ParseResult {
  if (!isObject(event)) return reject(undefined, 'event', 'must be a JSON object');
  const eventId = isShortString(event.id) ? event.id : undefined;
  if (eventId === undefined) return reject(undefined, 'id', 'must be a non-empty string of at most 128 characters');
  if (event.source !== EVENT_SOURCE) return reject(eventId, 'source', `must be '${EVENT_SOURCE}'`);
  if (event['detail-type'] !== DETAIL_TYPE) return reject(eventId, 'detail-type', `must be '${DETAIL_TYPE}'`);
  if (!/^\d{12}$/.test(String(event.account))) return reject(eventId, 'account', 'must be a 12-digit account id');
  if (typeof event.region !== 'string' || !/^[a-z0-9-]{1,32}$/.test(event.region)) return reject(eventId, 'region', 'must be a region name');
  const detail = event.detail;
  if (!isObject(detail)) return reject(eventId, 'detail', 'must be an object');
  if (detail.eventSource !== CLOUDTRAIL_EVENT_SOURCE) return reject(eventId, 'detail.eventSource', `must be '${CLOUDTRAIL_EVENT_SOURCE}'`);
  const eventName = detail.eventName;
  const isChange = (CHANGE_EVENT_NAMES as readonly unknown[]).includes(eventName);
  if (eventName !== EVENT_NAME && !isChange) return reject(eventId, 'detail.eventName', `must be '${EVENT_NAME}' or one of ${CHANGE_EVENT_NAMES.join(', ')}`);
  const request = detail.requestParameters;
  if (!isObject(request)) return reject(eventId, 'detail.requestParameters', 'must be an object');
  const named = tableNameOf(request);
  if (!named.ok) return reject(eventId, named.field, named.problem);
  const tableName = named.tableName;
  const errorCode = detail.errorCode;
  return {
    ok: true,
    event: {
      eventId,
      eventName: String(eventName),
      ...(isShortString(detail.eventID) ? { cloudTrailEventId: detail.eventID } : {}),
      tableName,
      account: String(event.account),
      region: event.region,
      // Only CreateTable says which kind of key was asked for. After a change, a KMS key (AWS-managed or not) is
      // treated as someone's customer-managed key: reported, never switched (switching could widen who can decrypt);
      // a table on the AWS-owned key is still moved to the project key.
      requestedEncryption: isChange ? 'customer-key' : requestedEncryption(request),
      ...(isShortString(errorCode) ? { errorCode } : {}),
      ...creator(detail.userIdentity),
    },
  };
}

/** `sessionContext.sessionIssuer.arn` (the role) for assumed roles, `arn` for IAM users and the root user. */
function creator(identity: unknown): { creatorArn?: string } {
  if (!isObject(identity)) return {};
  const issuer = isObject(identity.sessionContext) && isObject(identity.sessionContext.sessionIssuer) ? identity.sessionContext.sessionIssuer.arn : undefined;
  const arn = identity.type === 'AssumedRole' ? issuer : identity.arn;
  return typeof arn === 'string' && arn.length <= 2048 ? { creatorArn: arn } : {};
}

/** The table a request is about: `tableName`, or the table ARN in `resourceArn` (not a stream's or an index's). */
function tableNameOf(request: Json): { ok: true; tableName: string } | { ok: false; field: string; problem: string } {
  if (request.tableName !== undefined) {
    const name = request.tableName;
    if (typeof name === 'string' && TABLE_NAME_PATTERN.test(name)) return { ok: true, tableName: name };
    // DynamoDB also takes the table's ARN as TableName.
    const byArn = typeof name === 'string' ? TABLE_ARN.exec(name) : null;
    if (byArn) return { ok: true, tableName: byArn[1] };
    return { ok: false, field: 'detail.requestParameters.tableName', problem: 'must be a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ . -) or a table ARN' };
  }
  const arn = typeof request.resourceArn === 'string' ? TABLE_ARN.exec(request.resourceArn) : null;
  if (arn) return { ok: true, tableName: arn[1] };
  return { ok: false, field: 'detail.requestParameters.tableName', problem: 'must be a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ . -), or resourceArn a table ARN' };
}

function reject(eventId: string | undefined, field: string, problem: string): ParseResult {
  return { ok: false, ...(eventId !== undefined ? { eventId } : {}), field, problem };
}

/** Reads `sSESpecification` (CloudTrail casing) or `SSESpecification` (hand-written test events). */
function requestedEncryption(request: Json): RequestedEncryption {
  const sse = request.sSESpecification ?? request.SSESpecification;
  if (!isObject(sse)) return 'aws-owned';
  const enabled = sse.enabled ?? sse.Enabled;
  if (enabled !== true && enabled !== 'true') return 'aws-owned';
  const keyId = sse.kMSMasterKeyId ?? sse.KMSMasterKeyId;
  if (keyId === undefined || keyId === null || keyId === '') return 'aws-managed';
  return typeof keyId === 'string' && /(^|:)alias\/aws\/dynamodb$/.test(keyId) ? 'aws-managed' : 'customer-key';
}
