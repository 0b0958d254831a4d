/**
 * An S3 bucket that is safe by default: SSE-KMS with the project key (bucket key on, fewer KMS
 * calls), versioning, all four public-access blocks, bucket-owner-enforced ownership (no ACLs),
 * a policy that denies any request not made over TLS, and lifecycle rules given by the caller.
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import type { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";

export interface ExpiringPrefix {
  /** Rule id, e.g. `expire-results`. */
  readonly id: string;
  /** Key prefix the rule applies to, e.g. `hotspots/`. */
  readonly prefix: string;
  readonly days: number;
}

export interface SecureBucketProps {
  /** Bucket names are global: Terraform appends a unique suffix to this prefix. */
  readonly bucketPrefix: string;
  readonly key: KmsKey;
  /** Current objects under these prefixes expire after their days. */
  readonly expiringPrefixes: readonly ExpiringPrefix[];
  /** Days before a non-current (overwritten or deleted) version expires, bucket-wide. */
  readonly noncurrentVersionDays: number;
}

/** Days before an unfinished multipart upload is aborted: its parts are billed until then. */
const ABORT_INCOMPLETE_UPLOAD_DAYS = 1;

export class SecureBucket extends Construct {
  public readonly bucket: S3Bucket;
  /** Objects written before this exists are not SSE-KMS: uploads should depend on it (see `ready`). */
  public readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  public readonly versioning: S3BucketVersioningA;
  public readonly publicAccessBlock: S3BucketPublicAccessBlock;
  public readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, "bucket", { bucketPrefix: props.bucketPrefix, forceDestroy: false });
    const bucket = this.bucket.id;

    this.encryption = new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.key.arn },
          bucketKeyEnabled: true,
        },
      ],
    });
    this.versioning = new S3BucketVersioningA(this, "versioning", {
      bucket,
      versioningConfiguration: { status: "Enabled" },
    });
    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    this.policy = new S3BucketPolicy(this, "policy", {
      bucket,
      policy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
      // The public access block must exist first, or the policy call can race it.
      dependsOn: [this.publicAccessBlock],
    });

    const rules: S3BucketLifecycleConfigurationRule[] = [
      {
        id: "noncurrent-versions-and-uploads",
        status: "Enabled",
        filter: [{ prefix: "" }],
        noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS }],
      },
      ...props.expiringPrefixes.map(
        (p): S3BucketLifecycleConfigurationRule => ({
          id: p.id,
          status: "Enabled",
          filter: [{ prefix: p.prefix }],
          expiration: [{ days: p.days }],
        }),
      ),
    ];
    new S3BucketLifecycleConfiguration(this, "lifecycle", { bucket, rule: rules });
  }

  /**
   * What an object Terraform uploads must wait for. The default encryption applies to new objects
   * only ("Specifies the default server-side encryption to apply to new objects in the bucket",
   * S3 API Reference, ServerSideEncryptionRule), and an object put before versioning is enabled
   * has the null version: uploaded earlier, it would stay SSE-S3 and unversioned.
   */
  get ready(): (S3BucketServerSideEncryptionConfigurationA | S3BucketVersioningA)[] {
    return [this.encryption, this.versioning];
  }
}
