import { AccessProfile, ResourcePolicySpec, RoleSpec, RoleTrust } from '../../../modules/access';
import { Billing } from '../../../modules/capacity';
import { EndpointSpec } from '../../../modules/network/catalog-endpoints';
import { Catalog, CatalogTable, AccessPattern } from '../types';

/**
 * Cost guard on top of the seeds' PAY_PER_REQUEST: the seeds size the system for 1000 requests/second; the caps allow
 * a few KB per request at that rate and stop a runaway loop from scaling the bill without limit.
 */
const throughputGuard = Billing.onDemand({ maxReadRequestUnits: 4000, maxWriteRequestUnits: 2000 });
/**
 * Caps on every index too: all four access patterns query a GSI, and an index without `on_demand_throughput` scales
 * without limit even when its table is capped (DynamoDB Developer Guide, "DynamoDB maximum throughput for on-demand
 * tables": the maximum is set per table and per GSI). A write that changes an index key costs that index a delete and
 * a put, and a table write whose index write is throttled is throttled too, so the index write cap is twice the
 * table's: the table cap stays the one that binds.
 */
const indexGuard = { maxReadRequestUnits: 4000, maxWriteRequestUnits: 4000 };

/**
 * The prod tables exist already (seed 003's AWS CLI script created them): the first prod plan imports them instead of
 * creating them. Remove this once the import is applied (help/importing.md).
 */
const adoptInProd = { prod: { importExisting: true } };

/**
 * AuditFlow data (loan documents with PII) stays in ap-south-1 with no replicas: cross-Region copies would move
 * personal data out of its home Region, which the seeds do not allow for. Backups give recovery instead.
 *
 * AuditFlow-Pro's loan-document tables exactly as seeds 002/003 define them: UUID partition keys, five GSIs with
 * projection ALL, PAY_PER_REQUEST, TTL on `ttl`, PITR for 35 days, KMS encryption.
 */
const documents: CatalogTable = {
  id: 'documents',
  baseName: 'AuditFlow-Documents',
  partitionKey: { name: 'document_id', type: 'S' },
  billing: throughputGuard,
  timeToLiveAttribute: 'ttl',
  pointInTimeRecoveryDays: 35,
  environmentOverrides: adoptInProd,
  globalSecondaryIndexes: [
    {
      indexName: 'loan_application_id-upload_timestamp-index',
      partitionKey: { name: 'loan_application_id', type: 'S' },
      sortKey: { name: 'upload_timestamp', type: 'S' },
      projection: 'ALL',
      ...indexGuard,
    },
    {
      indexName: 'processing_status-upload_timestamp-index',
      partitionKey: { name: 'processing_status', type: 'S' },
      sortKey: { name: 'upload_timestamp', type: 'S' },
      projection: 'ALL',
      ...indexGuard,
    },
  ],
};

const auditRecords: CatalogTable = {
  id: 'audit_records',
  baseName: 'AuditFlow-AuditRecords',
  partitionKey: { name: 'audit_record_id', type: 'S' },
  billing: throughputGuard,
  timeToLiveAttribute: 'ttl',
  pointInTimeRecoveryDays: 35,
  environmentOverrides: adoptInProd,
  globalSecondaryIndexes: [
    {
      indexName: 'loan_application_id-audit_timestamp-index',
      partitionKey: { name: 'loan_application_id', type: 'S' },
      sortKey: { name: 'audit_timestamp', type: 'S' },
      projection: 'ALL',
      ...indexGuard,
    },
    {
      // The seed's name says audit_timestamp, but its key schema is status + risk_score: the key schema wins.
      indexName: 'risk_score-audit_timestamp-index',
      partitionKey: { name: 'status', type: 'S' },
      sortKey: { name: 'risk_score', type: 'N' },
      projection: 'ALL',
      ...indexGuard,
    },
    {
      indexName: 'status-audit_timestamp-index',
      partitionKey: { name: 'status', type: 'S' },
      sortKey: { name: 'audit_timestamp', type: 'S' },
      projection: 'ALL',
      ...indexGuard,
    },
  ],
};

/** Seed 002's query patterns 1-4. `status` is a DynamoDB reserved word, so pattern 3 needs a name placeholder. */
const accessPatterns: AccessPattern[] = [
  {
    id: 'auditflow-1',
    description: 'All documents of a loan application, oldest upload first',
    table: 'documents',
    indexName: 'loan_application_id-upload_timestamp-index',
    keyConditionExpression: 'loan_application_id = :loan_id',
    expressionAttributeValues: { ':loan_id': 'abc-123' },
  },
  {
    id: 'auditflow-2',
    description: 'Pending documents (audit queue), oldest upload first',
    table: 'documents',
    indexName: 'processing_status-upload_timestamp-index',
    keyConditionExpression: 'processing_status = :status',
    expressionAttributeValues: { ':status': 'PENDING' },
  },
  {
    id: 'auditflow-3',
    description: 'Completed audits with a risk score above 50, lowest score first',
    table: 'audit_records',
    indexName: 'risk_score-audit_timestamp-index',
    keyConditionExpression: '#status = :status AND risk_score > :threshold',
    expressionAttributeNames: { '#status': 'status' },
    expressionAttributeValues: { ':status': 'COMPLETED', ':threshold': 50 },
  },
  {
    id: 'auditflow-4',
    description: 'Audit history of a loan application, most recent first',
    table: 'audit_records',
    indexName: 'loan_application_id-audit_timestamp-index',
    keyConditionExpression: 'loan_application_id = :loan_id',
    expressionAttributeValues: { ':loan_id': 'abc-123' },
    scanIndexForward: false,
  },
];

/**
 * Seed 002's Lambda permissions (PutItem, GetItem, Query, UpdateItem) on both tables and their indexes, through the
 * VPC endpoint only. KMS use for the tables' key is added by the access module (Decrypt/GenerateDataKey through
 * DynamoDB); the seed's `kms:Encrypt` is for application-level field encryption with the application's own key,
 * which is outside this catalog.
 */
const auditFlowAccess = AccessProfile.custom('AuditFlowAccess', ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
const roles: RoleSpec[] = [
  {
    id: 'lambda_role',
    roleName: 'auditflow-lambda-role',
    description: 'AuditFlow document and audit Lambdas: read and write, no Scan or Delete (seed 002)',
    trust: RoleTrust.lambda(),
    grants: [
      { table: 'documents', profile: auditFlowAccess, sid: 'DocumentsAccess' },
      { table: 'audit_records', profile: auditFlowAccess, sid: 'AuditRecordsAccess' },
    ],
    vpcEndpointOnly: true,
    // Its DynamoDB access works only through the VPC endpoint, so the functions run in the VPC: Lambda needs the
    // network-interface and log permissions of this AWS managed policy (Lambda Developer Guide, VPC configuration).
    awsManagedPolicies: ['service-role/AWSLambdaVPCAccessExecutionRole'],
  },
];

/** "No cross-account; access denied by default" (seed 002): only the Lambda role, through the VPC endpoint. */
const resourcePolicies: ResourcePolicySpec[] = [
  { table: 'documents', roles: ['lambda_role'], requireVpcEndpoint: true },
  { table: 'audit_records', roles: ['lambda_role'], requireVpcEndpoint: true },
];

const endpoint: EndpointSpec = { tableNamePrefixes: ['AuditFlow-'] };

export const auditFlowCatalog: Catalog = {
  name: 'auditflow',
  project: 'auditflow',
  defaultRegion: 'ap-south-1',
  tables: [documents, auditRecords],
  accessPatterns,
  roles,
  resourcePolicies,
  endpoint,
};
