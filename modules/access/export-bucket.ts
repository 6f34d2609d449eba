import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { useStableAddress } from '../naming';
import { policyJson } from '../rendering';
import { partitionForRegion } from './arns';
import { PolicyStatement, oneOrMany, policyDocument } from './policy-document';

/** What DynamoDB's ExportTableToPointInTime needs on the destination (DynamoDB Developer Guide, "Requesting a table export"). */
export const EXPORT_WRITE_ACTIONS = ['s3:PutObject', 's3:AbortMultipartUpload', 's3:PutObjectAcl'];

export interface TableExportBucketProps {
  /** `<stack>-dynamodb-exports-<account>` (S3 names are global; the account keeps them unique). */
  readonly bucketName: string;
  readonly accountId: string;
  readonly region: string;
  /** Roles that export tables here; every other principal but these and `exemptPrincipalArns` is denied. */
  readonly exporterArns: readonly string[];
  /** The deployer and break-glass roles: never locked out of the bucket Terraform manages. */
  readonly exemptPrincipalArns: readonly string[];
  readonly tags?: Record<string, string>;
}

/**
 * The destination of table exports (seed 001's admin role may ExportTableToPointInTime): private (public access
 * blocked, bucket-owner-enforced ownership), versioned, encrypted at rest (SSE-S3: the table keys may be used only
 * through DynamoDB, and S3 is another service), TLS only, and readable and writable only by the exporting roles and
 * the deployers.
 */
export class TableExportBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly objectsArn: string;

  constructor(scope: Construct, id: string, props: TableExportBucketProps) {
    super(scope, id);
    const partition = partitionForRegion(props.region);
    const bucketArn = `arn:${partition}:s3:::${props.bucketName}`;
    this.objectsArn = `${bucketArn}/*`;
    this.bucket = useStableAddress(new S3Bucket(this, 'bucket', { bucket: props.bucketName, forceDestroy: false, tags: props.tags }), { primary: true });
    const publicAccess = useStableAddress(
      new S3BucketPublicAccessBlock(this, 'public_access', { bucket: this.bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
    );
    useStableAddress(new S3BucketOwnershipControls(this, 'ownership', { bucket: this.bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }));
    useStableAddress(new S3BucketVersioningA(this, 'versioning', { bucket: this.bucket.id, versioningConfiguration: { status: 'Enabled' } }));
    useStableAddress(new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', { bucket: this.bucket.id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] }));
    useStableAddress(
      new S3BucketLifecycleConfiguration(this, 'lifecycle', {
        bucket: this.bucket.id,
        rule: [{ id: 'abort-incomplete-uploads', status: 'Enabled', filter: [{}], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] }],
      }),
    );
    const statements: PolicyStatement[] = [
      {
        Sid: 'DenyUnlistedPrincipals',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [bucketArn, this.objectsArn],
        Condition: { ArnNotLike: { 'aws:PrincipalArn': oneOrMany([...props.exporterArns, ...props.exemptPrincipalArns]) } },
      },
      { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [bucketArn, this.objectsArn], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ];
    useStableAddress(new S3BucketPolicy(this, 'policy', { bucket: this.bucket.id, policy: policyJson(policyDocument(statements)), dependsOn: [publicAccess] }));
  }
}
