/**
 * A Firehose delivery stream into an S3 bucket, with everything it needs beside it: its own role
 * (trusting Firehose of this account only, writing only its two prefixes), a log group for its
 * delivery errors, GZIP'd objects of one JSON record per line under an hourly prefix, and KMS
 * encryption. Its source is Direct PUT, or a Kinesis data stream when `sourceStream` is given.
 */
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogStream } from "@cdktf/provider-aws/lib/cloudwatch-log-stream";
import type { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { KinesisFirehoseDeliveryStream } from "@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream";
import type { KinesisStream } from "@cdktf/provider-aws/lib/kinesis-stream";
import type { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import {
  FIREHOSE_BUFFER_MIB_MAX,
  FIREHOSE_BUFFER_MIB_MIN,
  FIREHOSE_BUFFER_SECONDS_MAX,
  FIREHOSE_BUFFER_SECONDS_MIN,
} from "../config";
import { deliverToBucket, readStreamAsSource } from "../grants";
import { ServiceRole } from "../iam";

/** Firehose expands these at delivery: one folder per hour, and one per error kind and day. */
export const HOURLY_PREFIX = "!{timestamp:yyyy/MM/dd/HH}/";
export const ERROR_KIND_DAILY_PREFIX = "!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/";

/** Firehose's own buffering defaults (Firehose API Reference, BufferingHints: SizeInMBs 5, IntervalInSeconds 300). */
export const DEFAULT_BUFFERING_SIZE_MIB = 5;
export const DEFAULT_BUFFERING_INTERVAL_SECONDS = 300;

/** Delivery stream names: 1 to 64 of these characters (Firehose API Reference, CreateDeliveryStream). */
const DELIVERY_STREAM_NAME = /^[a-zA-Z0-9_.-]{1,64}$/;
/** A key prefix of ours: path segments of safe characters, ending with "/". */
const KEY_PREFIX = /^([A-Za-z0-9_.-]+\/)+$/;

export interface FirehoseToS3Props {
  /** Names the delivery stream, its role and its log group (`/aws/kinesisfirehose/<name>`). */
  readonly name: string;
  /** Says what is delivered; becomes the role's description. */
  readonly description: string;
  /** The destination bucket. */
  readonly bucket: S3Bucket;
  /** Where delivered objects go, e.g. `hotspots/`; Firehose adds the hour `yyyy/MM/dd/HH/`. */
  readonly prefix: string;
  /** Where records that failed delivery go, e.g. `errors/hotspots/`; Firehose adds the error kind and day. */
  readonly errorPrefix: string;
  /** Encrypts the delivered objects, and the buffered records of a Direct PUT stream. */
  readonly key: KmsKey;
  /** The Region of the stream, for the kms:ViaService conditions. */
  readonly region: string;
  /** This account, for the role's trust condition. */
  readonly account: DataAwsCallerIdentity;
  /** Retention of the error log group, one of the values CloudWatch Logs accepts. */
  readonly logRetentionDays: number;
  /**
   * The Kinesis data stream to read (KMS-encrypted with `key`).
   * @default Direct PUT: producers call PutRecordBatch, and Firehose encrypts the buffered records with `key`.
   */
  readonly sourceStream?: KinesisStream;
  /**
   * Deliver when this much is buffered, 1 to 128 MiB.
   * @default 5 (Firehose's default)
   */
  readonly bufferingSizeMiB?: number;
  /**
   * ... or when this many seconds have passed since the first buffered record, 0 to 900.
   * @default 300 (Firehose's default)
   */
  readonly bufferingIntervalSeconds?: number;
}

/** A bad prop: one line naming it and what is accepted. */
export class FirehoseToS3PropsError extends Error {
  constructor(prop: string, accepted: string, got: unknown) {
    super(`FirehoseToS3 ${prop} must be ${accepted}, got ${JSON.stringify(got)}`);
    this.name = "FirehoseToS3PropsError";
  }
}

export function validateFirehoseToS3Props(props: FirehoseToS3Props): void {
  if (!DELIVERY_STREAM_NAME.test(props.name))
    throw new FirehoseToS3PropsError("name", "1-64 letters, digits, '_', '.' or '-'", props.name);
  for (const prop of ["prefix", "errorPrefix"] as const) {
    if (!KEY_PREFIX.test(props[prop]))
      throw new FirehoseToS3PropsError(
        prop,
        'a key prefix like "hotspots/" (no leading "/", ending with "/")',
        props[prop],
      );
  }
  if (props.errorPrefix.startsWith(props.prefix)) {
    throw new FirehoseToS3PropsError(
      "errorPrefix",
      `outside prefix ${JSON.stringify(props.prefix)}, so failed records never mix with delivered ones`,
      props.errorPrefix,
    );
  }
  const integerIn = (prop: "bufferingSizeMiB" | "bufferingIntervalSeconds", min: number, max: number) => {
    const v = props[prop];
    if (v !== undefined && (!Number.isInteger(v) || v < min || v > max))
      throw new FirehoseToS3PropsError(prop, `an integer from ${min} to ${max}`, v);
  };
  integerIn("bufferingSizeMiB", FIREHOSE_BUFFER_MIB_MIN, FIREHOSE_BUFFER_MIB_MAX);
  integerIn("bufferingIntervalSeconds", FIREHOSE_BUFFER_SECONDS_MIN, FIREHOSE_BUFFER_SECONDS_MAX);
}

/**
 * Terraform addresses: the stream is `<id>`, its log group `<id>-logs`, its log stream
 * `<id>-log-stream` and its role the sibling ServiceRole `<id>-role`, flat and readable in a plan
 * (and the addresses these resources had before this construct existed, so nothing is replaced).
 */
export class FirehoseToS3 extends Construct {
  public readonly deliveryStream: KinesisFirehoseDeliveryStream;
  public readonly role: ServiceRole;
  public readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: FirehoseToS3Props) {
    super(scope, id);
    validateFirehoseToS3Props(props);
    const { name, bucket, key, region, sourceStream } = props;

    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/kinesisfirehose/${name}`,
      retentionInDays: props.logRetentionDays,
    });
    this.logGroup.overrideLogicalId(`${id}-logs`);
    const logStream = new CloudwatchLogStream(this, "log-stream", {
      name: "DestinationDelivery",
      logGroupName: this.logGroup.name,
    });
    logStream.overrideLogicalId(`${id}-log-stream`);

    this.role = new ServiceRole(scope, `${id}-role`, {
      name,
      description: props.description,
      service: "firehose.amazonaws.com",
      account: props.account,
      statements: [
        ...(sourceStream ? readStreamAsSource(sourceStream, key, region) : []),
        ...deliverToBucket(bucket.arn, [props.prefix, props.errorPrefix], key, region, this.logGroup.arn),
      ],
    });

    // "Default": the construct's main resource takes the construct's own address, `<id>`.
    this.deliveryStream = new KinesisFirehoseDeliveryStream(this, "Default", {
      name,
      destination: "extended_s3",
      kinesisSourceConfiguration: sourceStream
        ? { kinesisStreamArn: sourceStream.arn, roleArn: this.role.role.arn }
        : undefined,
      // Server-side encryption is for Direct PUT; a Kinesis source is encrypted by its stream
      // (the security baseline checks that the stream is).
      serverSideEncryption: sourceStream
        ? undefined
        : { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: key.arn },
      extendedS3Configuration: {
        roleArn: this.role.role.arn,
        bucketArn: bucket.arn,
        prefix: `${props.prefix}${HOURLY_PREFIX}`,
        errorOutputPrefix: `${props.errorPrefix}${ERROR_KIND_DAILY_PREFIX}`,
        bufferingSize: props.bufferingSizeMiB ?? DEFAULT_BUFFERING_SIZE_MIB,
        bufferingInterval: props.bufferingIntervalSeconds ?? DEFAULT_BUFFERING_INTERVAL_SECONDS,
        compressionFormat: "GZIP",
        fileExtension: ".json.gz",
        kmsKeyArn: key.arn,
        cloudwatchLoggingOptions: { enabled: true, logGroupName: this.logGroup.name, logStreamName: logStream.name },
        // Without a delimiter Firehose concatenates the JSON records and no line reader can split them.
        processingConfiguration: { enabled: true, processors: [{ type: "AppendDelimiterToRecord" }] },
      },
      // Firehose checks the role when the stream is created: its policy must exist first.
      dependsOn: [this.role.policy],
    });
  }
}
