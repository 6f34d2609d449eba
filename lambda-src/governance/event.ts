/**
 * Parsing of the EventBridge event CloudTrail emits for a DynamoDB CreateTable call. Only the handful of fields the
 * handler needs are read; the rest of the event (request parameters, caller identity, source IP) is never copied,
 * logged or returned. CloudTrail lower-cases the first letter of every request/response member name, so
 * `SSESpecification.KMSMasterKeyId` arrives as `sSESpecification.kMSMasterKeyId`.
 */

export const EVENT_SOURCE = 'aws.dynamodb';
export const DETAIL_TYPE = 'AWS API Call via CloudTrail';
export const CLOUDTRAIL_EVENT_SOURCE = 'dynamodb.amazonaws.com';
export const EVENT_NAME = 'CreateTable';

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
  if (detail.eventName !== EVENT_NAME) return reject(eventId, 'detail.eventName', `must be '${EVENT_NAME}'`);
  const request = detail.requestParameters;
  if (!isObject(request)) return reject(eventId, 'detail.requestParameters', 'must be an object');
  const tableName = request.tableName;
  if (typeof tableName !== 'string' || !TABLE_NAME_PATTERN.test(tableName)) {
    return reject(eventId, 'detail.requestParameters.tableName', 'must be a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ . -)');
  }
  const errorCode = detail.errorCode;
  return {
    ok: true,
    event: {
      eventId,
      ...(isShortString(detail.eventID) ? { cloudTrailEventId: detail.eventID } : {}),
      tableName,
      account: String(event.account),
      region: event.region,
      requestedEncryption: requestedEncryption(request),
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
