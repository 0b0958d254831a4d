/**
 * The long-lived data and streaming resources of one environment: the KMS key, the source and
 * results buckets, the Kinesis stream, the Firehose delivery streams (results, and the raw-event
 * archive unless switched off), the ECS cluster and the ECR repositories. The engine and simulator
 * stacks come and go around them.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { Construct } from "constructs";
import { AssetType, Fn, TerraformAsset, TerraformOutput } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogStream } from "@cdktf/provider-aws/lib/cloudwatch-log-stream";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { KinesisFirehoseDeliveryStream } from "@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream";
import { KinesisStream } from "@cdktf/provider-aws/lib/kinesis-stream";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { ConfigError, EnvironmentConfig } from "./config";
import { EnvironmentStack } from "./environment-stack";
import { ServiceRole } from "./iam";
import { IMAGE_PACKAGES, ImagePackage } from "./image-tag";
import { REPO_ROOT } from "./paths";
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

/** Firehose expands these at delivery: one folder per hour, and one per error kind. */
const HOURLY = "!{timestamp:yyyy/MM/dd/HH}/";
const ERROR_KIND_DAILY = "!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/";

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

    // Delivery of the engine's output: DirectPut (the detector or the SQL application writes to it).
    const delivery = this.firehoseToS3({
      id: "delivery",
      name: `${prefix}-delivery`,
      description: "Firehose delivery of hotspot results to the results bucket",
      bucket: this.resultsBucket,
      prefix: RESULTS_PREFIX,
      errorPrefix: RESULTS_ERROR_PREFIX,
    });
    this.delivery = delivery.stream;
    this.deliveryRole = delivery.role;
    this.deliveryLogGroup = delivery.logGroup;

    // Archive of the raw events, read from the stream (a Kinesis source: the stream's KMS
    // encryption protects the data at rest; Firehose server-side encryption is for DirectPut only).
    // Off when archive.enabled is false; the raw/ lifecycle rules stay, they cost nothing.
    if (config.archive.enabled) {
      const archive = this.firehoseToS3({
        id: "archive",
        name: `${prefix}-archive`,
        description: "Firehose archive of the raw events from the stream to the source bucket",
        bucket: this.sourceBucket,
        prefix: RAW_EVENTS_PREFIX,
        errorPrefix: RAW_EVENTS_ERROR_PREFIX,
        readStatements: [
          {
            Sid: "ReadTheStream",
            Action: ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards"],
            Resource: this.stream.arn,
          },
          {
            Sid: "DecryptTheStream",
            Action: ["kms:Decrypt"],
            Resource: this.key.arn,
            Condition: { StringEquals: { "kms:ViaService": `kinesis.${config.region}.amazonaws.com` } },
          },
        ],
        sourceStream: this.stream,
      });
      this.archive = archive.stream;
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
      throw new ConfigError("sourceDataFile", `${config.sourceDataFile} does not exist; run \`npm run generate-data\` or point the config at the event CSV`);
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
    });
  }

  private logGroup(id: string, name: string): CloudwatchLogGroup {
    return new CloudwatchLogGroup(this, id, { name, retentionInDays: this.config.retention.logDays });
  }

  /**
   * A Firehose delivery stream into `bucket` under an hourly `prefix`, with its own role, error
   * log group and error prefix: GZIP, KMS, and one JSON record per line. DirectPut unless
   * `sourceStream` is given.
   */
  private firehoseToS3(props: {
    id: string;
    name: string;
    description: string;
    bucket: SecureBucket;
    prefix: string;
    errorPrefix: string;
    readStatements?: ReturnType<DataStack["firehoseWriteStatements"]>;
    sourceStream?: KinesisStream;
  }): { stream: KinesisFirehoseDeliveryStream; role: ServiceRole; logGroup: CloudwatchLogGroup } {
    const { id, name, bucket, sourceStream } = props;
    const logGroup = this.logGroup(`${id}-logs`, `/aws/kinesisfirehose/${name}`);
    const logStream = new CloudwatchLogStream(this, `${id}-log-stream`, { name: "DestinationDelivery", logGroupName: logGroup.name });
    const role = new ServiceRole(this, `${id}-role`, {
      name,
      description: props.description,
      service: "firehose.amazonaws.com",
      account: this.account,
      statements: [...(props.readStatements ?? []), ...this.firehoseWriteStatements(bucket, [props.prefix, props.errorPrefix], logGroup)],
    });
    const stream = new KinesisFirehoseDeliveryStream(this, id, {
      name,
      destination: "extended_s3",
      kinesisSourceConfiguration: sourceStream ? { kinesisStreamArn: sourceStream.arn, roleArn: role.role.arn } : undefined,
      // Server-side encryption applies to DirectPut; a Kinesis source is encrypted by its stream.
      serverSideEncryption: sourceStream ? undefined : { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: this.key.arn },
      extendedS3Configuration: {
        roleArn: role.role.arn,
        bucketArn: bucket.bucket.arn,
        prefix: `${props.prefix}${HOURLY}`,
        errorOutputPrefix: `${props.errorPrefix}${ERROR_KIND_DAILY}`,
        bufferingSize: this.config.delivery.bufferingSizeMiB,
        bufferingInterval: this.config.delivery.bufferingIntervalSeconds,
        compressionFormat: "GZIP",
        fileExtension: ".json.gz",
        kmsKeyArn: this.key.arn,
        cloudwatchLoggingOptions: { enabled: true, logGroupName: logGroup.name, logStreamName: logStream.name },
        // Without a delimiter Firehose concatenates the JSON records and no line reader can split them.
        processingConfiguration: { enabled: true, processors: [{ type: "AppendDelimiterToRecord" }] },
      },
      dependsOn: [role.policy],
    });
    return { stream, role, logGroup };
  }

  /** What a Firehose role needs to write into `bucket` under `prefixes` and log its errors. */
  private firehoseWriteStatements(bucket: SecureBucket, prefixes: readonly string[], logGroup: CloudwatchLogGroup) {
    const arn = bucket.bucket.arn;
    return [
      { Sid: "LocateTheBucket", Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"], Resource: arn },
      {
        Sid: "WriteItsPrefixes",
        Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
        Resource: prefixes.map((p) => `${arn}/${p}*`),
      },
      {
        Sid: "EncryptObjects",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: this.key.arn,
        Condition: { StringEquals: { "kms:ViaService": `s3.${this.config.region}.amazonaws.com` } },
      },
      { Sid: "LogDeliveryErrors", Action: ["logs:PutLogEvents"], Resource: `${logGroup.arn}:log-stream:*` },
    ];
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
            selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: ECR_UNTAGGED_EXPIRY_DAYS },
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
    new TerraformOutput(this, "stream_name", { value: this.stream.name, description: "Kinesis Data Stream the simulator writes" });
    new TerraformOutput(this, "delivery_stream_name", { value: this.delivery.name, description: "Firehose delivering hotspot results" });
    if (this.archive) {
      new TerraformOutput(this, "archive_stream_name", { value: this.archive.name, description: "Firehose archiving raw events" });
    }
    new TerraformOutput(this, "source_bucket", { value: this.sourceBucket.bucket.bucket, description: "Source data and raw event archive" });
    new TerraformOutput(this, "results_bucket", { value: this.resultsBucket.bucket.bucket, description: "Hotspot results (hotspots/) and checkpoints" });
    new TerraformOutput(this, "source_data_uri", {
      value: `s3://${this.sourceBucket.bucket.bucket}/${this.sourceData.key}`,
      description: "The uploaded event file",
    });
    new TerraformOutput(this, "cluster_name", { value: this.cluster.name, description: "ECS cluster of the simulator and detector" });
    for (const pkg of IMAGE_PACKAGES) {
      new TerraformOutput(this, `${pkg}_repository_url`, {
        value: this.repositories[pkg].repositoryUrl,
        description: `ECR repository of the ${pkg} image (npm run image:push)`,
      });
    }
  }
}
