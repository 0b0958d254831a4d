/**
 * The long-lived data and streaming resources of one environment: the KMS key, the source and
 * results buckets, the Kinesis stream, the Firehose delivery streams (results, and the raw-event
 * archive unless switched off), the ECS cluster and the ECR repositories. The engine and simulator
 * stacks come and go around them.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Construct } from "constructs";
import { AssetType, Fn, TerraformAsset, TerraformOutput } from "cdktf";
import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import type { KinesisFirehoseDeliveryStream } from "@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream";
import { KinesisStream } from "@cdktf/provider-aws/lib/kinesis-stream";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { ConfigError, type EnvironmentConfig } from "./config";
import { EnvironmentStack } from "./environment-stack";
import type { ServiceRole } from "./iam";
import { IMAGE_PACKAGES, type ImagePackage } from "./image-tag";
import { REPO_ROOT } from "./paths";
import { FirehoseToS3, type FirehoseToS3Props } from "./constructs/firehose-to-s3";
import { SecureBucket } from "./constructs/secure-bucket";
import { ATHENA_RESULTS_EXPIRY_DAYS, ATHENA_RESULTS_PREFIX } from "./operations/athena-results";

/** Key layout of the results bucket. */
export const RESULTS_PREFIX = "hotspots/";
export const RESULTS_ERROR_PREFIX = "errors/hotspots/";
export const CHECKPOINTS_PREFIX = "checkpoints/";
/** Key layout of the source bucket. */
export const SOURCE_DATA_PREFIX = "data/";
export const RAW_EVENTS_PREFIX = "raw/";
export const RAW_EVENTS_ERROR_PREFIX = "errors/raw/";

/** Untagged images are layers of failed pushes; tagged ones are kept up to this many. */
const ECR_KEEP_TAGGED_IMAGES = 20;
const ECR_UNTAGGED_EXPIRY_DAYS = 1;

export class DataStack extends EnvironmentStack {
  public readonly key: KmsKey;
  public readonly sourceBucket: SecureBucket;
  public readonly resultsBucket: SecureBucket;
  public readonly sourceData: S3Object;
  public readonly stream: KinesisStream;
  /** `<prefix>-delivery`: what the engine writes, delivered to the results bucket. */
  public readonly delivery: KinesisFirehoseDeliveryStream;
  public readonly deliveryRole: ServiceRole;
  public readonly deliveryLogGroup: CloudwatchLogGroup;
  /**
   * `<prefix>-archive`: the raw events read from the stream, archived to the source bucket.
   * Undefined when `archive.enabled` is false (and so are its role and log group).
   */
  public readonly archive?: KinesisFirehoseDeliveryStream;
  public readonly archiveRole?: ServiceRole;
  public readonly archiveLogGroup?: CloudwatchLogGroup;
  public readonly cluster: EcsCluster;
  public readonly repositories: Readonly<Record<ImagePackage, EcrRepository>>;

  constructor(scope: Construct, id: string, config: EnvironmentConfig) {
    super(scope, id, config);
    const { prefix, retention } = config;

    this.key = new KmsKey(this, "key", {
      description: `${prefix}: encrypts the stream, the buckets and the images`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    new KmsAlias(this, "key-alias", { name: `alias/${prefix}`, targetKeyId: this.key.keyId });

    this.sourceBucket = new SecureBucket(this, "source", {
      bucketPrefix: `${prefix}-source-`,
      key: this.key,
      noncurrentVersionDays: retention.noncurrentVersionDays,
      expiringPrefixes: [
        { id: "expire-raw-events", prefix: RAW_EVENTS_PREFIX, days: retention.rawEventsDays },
        { id: "expire-raw-errors", prefix: RAW_EVENTS_ERROR_PREFIX, days: retention.rawEventsDays },
      ],
    });
    this.resultsBucket = new SecureBucket(this, "results", {
      bucketPrefix: `${prefix}-results-`,
      key: this.key,
      noncurrentVersionDays: retention.noncurrentVersionDays,
      expiringPrefixes: [
        { id: "expire-results", prefix: RESULTS_PREFIX, days: retention.resultsDays },
        { id: "expire-result-errors", prefix: RESULTS_ERROR_PREFIX, days: retention.resultsDays },
        { id: "expire-athena-results", prefix: ATHENA_RESULTS_PREFIX, days: ATHENA_RESULTS_EXPIRY_DAYS },
      ],
    });

    this.sourceData = this.uploadSourceData(config);

    this.stream = new KinesisStream(this, "stream", {
      name: `${prefix}-stream`,
      retentionPeriod: config.stream.retentionHours,
      shardCount: config.stream.mode === "provisioned" ? config.stream.shards : undefined,
      streamModeDetails: { streamMode: config.stream.mode === "provisioned" ? "PROVISIONED" : "ON_DEMAND" },
      encryptionType: "KMS",
      kmsKeyId: this.key.arn,
    });

    // Both delivery streams share the key, the account, the log retention and the buffering.
    const firehose = (
      id: string,
      props: Pick<FirehoseToS3Props, "name" | "description" | "bucket" | "prefix" | "errorPrefix" | "sourceStream">,
    ) =>
      new FirehoseToS3(this, id, {
        ...props,
        key: this.key,
        region: config.region,
        account: this.account,
        logRetentionDays: retention.logDays,
        bufferingSizeMiB: config.delivery.bufferingSizeMiB,
        bufferingIntervalSeconds: config.delivery.bufferingIntervalSeconds,
      });
    // Delivery of the engine's output: Direct PUT (the detector or the SQL application writes to it).
    const delivery = firehose("delivery", {
      name: `${prefix}-delivery`,
      description: "Firehose delivery of hotspot results to the results bucket",
      bucket: this.resultsBucket.bucket,
      prefix: RESULTS_PREFIX,
      errorPrefix: RESULTS_ERROR_PREFIX,
    });
    this.delivery = delivery.deliveryStream;
    this.deliveryRole = delivery.role;
    this.deliveryLogGroup = delivery.logGroup;

    // Archive of the raw events, read from the stream. Off when archive.enabled is false; the
    // raw/ lifecycle rules stay, they cost nothing.
    if (config.archive.enabled) {
      const archive = firehose("archive", {
        name: `${prefix}-archive`,
        description: "Firehose archive of the raw events from the stream to the source bucket",
        bucket: this.sourceBucket.bucket,
        prefix: RAW_EVENTS_PREFIX,
        errorPrefix: RAW_EVENTS_ERROR_PREFIX,
        sourceStream: this.stream,
      });
      this.archive = archive.deliveryStream;
      this.archiveRole = archive.role;
      this.archiveLogGroup = archive.logGroup;
    }

    this.cluster = new EcsCluster(this, "cluster", {
      name: `${prefix}-cluster`,
      setting: [{ name: "containerInsights", value: "enabled" }],
    });

    const repositories = {} as Record<ImagePackage, EcrRepository>;
    for (const pkg of IMAGE_PACKAGES) repositories[pkg] = this.repository(pkg, `${prefix}-${pkg}`);
    this.repositories = repositories;

    this.outputs();
  }

  private uploadSourceData(config: EnvironmentConfig): S3Object {
    const file = resolve(REPO_ROOT, config.sourceDataFile);
    if (!existsSync(file)) {
      throw new ConfigError(
        "sourceDataFile",
        `${config.sourceDataFile} does not exist; run \`npm run generate-data\` or point the config at the event CSV`,
      );
    }
    const asset = new TerraformAsset(this, "source-data-asset", { path: file, type: AssetType.FILE });
    return new S3Object(this, "source-data", {
      bucket: this.sourceBucket.bucket.id,
      key: `${SOURCE_DATA_PREFIX}${asset.fileName}`,
      source: asset.path,
      // Re-upload when the file changes. `etag` would be the MD5, which an SSE-KMS object's
      // ETag never equals (a permanent diff), so the provider's source_hash is the right trigger.
      sourceHash: Fn.filemd5(asset.path),
      contentType: "text/csv",
      // Uploaded before the bucket's default SSE-KMS and versioning apply, it would stay SSE-S3.
      dependsOn: this.sourceBucket.ready,
    });
  }

  private repository(pkg: ImagePackage, name: string): EcrRepository {
    const repo = new EcrRepository(this, `repository-${pkg}`, {
      name,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: this.key.arn }],
      forceDelete: false,
    });
    new EcrLifecyclePolicy(this, `repository-${pkg}-lifecycle`, {
      repository: repo.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: "Drop untagged layers of failed pushes",
            selection: {
              tagStatus: "untagged",
              countType: "sinceImagePushed",
              countUnit: "days",
              countNumber: ECR_UNTAGGED_EXPIRY_DAYS,
            },
            action: { type: "expire" },
          },
          {
            rulePriority: 2,
            description: `Keep the last ${ECR_KEEP_TAGGED_IMAGES} images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: ECR_KEEP_TAGGED_IMAGES },
            action: { type: "expire" },
          },
        ],
      }),
    });
    return repo;
  }

  private outputs(): void {
    new TerraformOutput(this, "stream_name", {
      value: this.stream.name,
      description: "Kinesis Data Stream the simulator writes",
    });
    new TerraformOutput(this, "delivery_stream_name", {
      value: this.delivery.name,
      description: "Firehose delivering hotspot results",
    });
    if (this.archive) {
      new TerraformOutput(this, "archive_stream_name", {
        value: this.archive.name,
        description: "Firehose archiving raw events",
      });
    }
    new TerraformOutput(this, "source_bucket", {
      value: this.sourceBucket.bucket.bucket,
      description: "Source data and raw event archive",
    });
    new TerraformOutput(this, "results_bucket", {
      value: this.resultsBucket.bucket.bucket,
      description: "Hotspot results (hotspots/) and checkpoints",
    });
    new TerraformOutput(this, "source_data_uri", {
      value: `s3://${this.sourceBucket.bucket.bucket}/${this.sourceData.key}`,
      description: "The uploaded event file",
    });
    new TerraformOutput(this, "cluster_name", {
      value: this.cluster.name,
      description: "ECS cluster of the simulator and detector",
    });
    for (const pkg of IMAGE_PACKAGES) {
      new TerraformOutput(this, `${pkg}_repository_url`, {
        value: this.repositories[pkg].repositoryUrl,
        description: `ECR repository of the ${pkg} image (npm run image:push)`,
      });
    }
  }
}
