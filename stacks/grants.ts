/**
 * What a role may do, by intent: one action list per intent, and the functions that turn an intent
 * into policy statements on exact ARNs. Every role of the stacks takes its statements from here, so
 * two roles that read the stream are granted the same way, and a list changes in one place.
 *
 * Each list is what the calls really made need, from the AWS documentation named beside it:
 * our own programs are granted the calls their code makes; a managed service reading the stream
 * or writing the delivery stream is granted what its own guide documents.
 */
import { PolicyStatement } from "./iam";

/**
 * The Kinesis and Firehose actions of each intent. The Kinesis API Reference names one action per
 * call (ListShards needs kinesis:ListShards, and so on).
 */
export const ACTIONS = {
  /**
   * The detector reading every shard: ListShards, then GetShardIterator and GetRecords per shard
   * (detector/src/stream/run-stream-detector.ts, shard-reader.ts). It never describes the stream.
   */
  readStream: ["kinesis:ListShards", "kinesis:GetShardIterator", "kinesis:GetRecords"],
  /**
   * A managed service reading the stream as its source. Firehose: "Grant Firehose access to an
   * Amazon S3 destination" (https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3);
   * Kinesis Data Analytics for SQL: "Permissions Policy for Reading an Kinesis Stream"
   * (https://docs.aws.amazon.com/kinesisanalytics/latest/dev/iam-role.html). Both list these four.
   */
  readStreamAsSource: ["kinesis:DescribeStream", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards"],
  /**
   * The simulator: PutRecords (simulator/src/kinesis-put-records.ts), and DescribeStreamSummary for its
   * check that the stream exists before it reads any input (simulator/src/simulator.ts).
   */
  writeStream: ["kinesis:PutRecords", "kinesis:DescribeStreamSummary"],
  /** The detector's sink sends PutRecordBatch only (detector/src/stream/firehose-put-record-batch.ts). */
  writeDeliveryStream: ["firehose:PutRecordBatch"],
  /**
   * Kinesis Data Analytics writing its output to the delivery stream: "Permissions Policy for
   * Writing to a Firehose Delivery Stream" (https://docs.aws.amazon.com/kinesisanalytics/latest/dev/iam-role.html).
   */
  writeDeliveryStreamAsService: ["firehose:DescribeDeliveryStream", "firehose:PutRecord", "firehose:PutRecordBatch"],
  /** Checkpoint objects: read at start, replaced whole on each save (detector/src/stream/s3-checkpoint-store.ts). */
  readWriteCheckpoints: ["s3:GetObject", "s3:PutObject"],
  /** The event files the simulator reads (HeadObject is authorized by s3:GetObject). */
  readObjects: ["s3:GetObject"],
  /** Listing keys under one prefix; the grant carries an s3:prefix condition. */
  listPrefix: ["s3:ListBucket"],
  /**
   * Firehose delivering into a bucket: "Grant Firehose access to an Amazon S3 destination"
   * (https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3), split
   * into the bucket-level actions and the object-level ones, which go on its prefixes only.
   */
  deliverToBucket: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
  deliverObjects: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
  /** Firehose's error logging (same page: "logs:PutLogEvents"). */
  logDeliveryErrors: ["logs:PutLogEvents"],
  /**
   * ECS starting a task: log in to the registry, pull the image, and (awslogs driver) create the
   * task's log stream and write to it ("Amazon ECS task execution IAM role",
   * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html).
   */
  registryLogin: ["ecr:GetAuthorizationToken"],
  pullImage: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
  writeContainerLogs: ["logs:CreateLogStream", "logs:PutLogEvents"],
  /** The SQL application's logging: find its log stream, write to it (its CloudWatch logging option). */
  findApplicationLogStream: ["logs:DescribeLogStreams"],
  writeApplicationLogs: ["logs:PutLogEvents"],
} as const;

/**
 * KMS actions on the project key, by what the key protects. Kinesis: producers need
 * kms:GenerateDataKey, consumers kms:Decrypt ("Permissions to use user-generated KMS keys",
 * https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html). SSE-KMS objects:
 * reading needs kms:Decrypt, writing kms:GenerateDataKey (the Firehose S3 page above).
 */
export const KEY_ACTIONS = {
  readStream: ["kms:Decrypt"],
  writeStream: ["kms:GenerateDataKey"],
  readObjects: ["kms:Decrypt"],
  writeObjects: ["kms:GenerateDataKey", "kms:Decrypt"],
} as const;

export interface StreamRef {
  readonly arn: string;
}
export interface KeyRef {
  readonly arn: string;
}

/** The program (our code) reads the stream. Its key use is granted with useKey(). */
export function readStream(stream: StreamRef): PolicyStatement[] {
  return [{ Sid: "ReadTheStream", Action: ACTIONS.readStream, Resource: stream.arn }];
}

/**
 * A managed service reads the KMS-encrypted stream as its source: the documented actions, and
 * kms:Decrypt only through Kinesis in this Region.
 */
export function readStreamAsSource(stream: StreamRef, key: KeyRef, region: string): PolicyStatement[] {
  return [
    { Sid: "ReadTheStream", Action: ACTIONS.readStreamAsSource, Resource: stream.arn },
    {
      Sid: "DecryptTheStream",
      Action: KEY_ACTIONS.readStream,
      Resource: key.arn,
      Condition: { StringEquals: { "kms:ViaService": `kinesis.${region}.amazonaws.com` } },
    },
  ];
}

/** The program writes the stream. Its key use is granted with useKey(). */
export function writeStream(stream: StreamRef): PolicyStatement[] {
  return [{ Sid: "PutIntoTheStream", Action: ACTIONS.writeStream, Resource: stream.arn }];
}

/** The program delivers records to a delivery stream. */
export function writeDeliveryStream(deliveryStreamArn: string): PolicyStatement[] {
  return [{ Sid: "DeliverResults", Action: ACTIONS.writeDeliveryStream, Resource: deliveryStreamArn }];
}

/** A managed service writes its output to a delivery stream. */
export function writeDeliveryStreamAsService(deliveryStreamArn: string): PolicyStatement[] {
  return [{ Sid: "WriteTheDeliveryStream", Action: ACTIONS.writeDeliveryStreamAsService, Resource: deliveryStreamArn }];
}

/** ListBucket limited to one prefix: `prefix` itself and the keys under it. */
function listPrefix(sid: string, bucketArn: string, prefix: string): PolicyStatement {
  return {
    Sid: sid,
    Action: ACTIONS.listPrefix,
    Resource: bucketArn,
    Condition: { StringLike: { "s3:prefix": [prefix, `${prefix}*`] } },
  };
}

/** The detector reads and replaces its checkpoints under `prefix`, and lists that prefix only. */
export function readWriteCheckpoints(bucketArn: string, prefix: string): PolicyStatement[] {
  return [
    { Sid: "ReadWriteCheckpoints", Action: ACTIONS.readWriteCheckpoints, Resource: `${bucketArn}/${prefix}*` },
    listPrefix("ListCheckpoints", bucketArn, prefix),
  ];
}

/** The simulator reads the event files under `prefix`, and lists that prefix only. */
export function readEventFiles(bucketArn: string, prefix: string): PolicyStatement[] {
  return [
    { Sid: "ReadTheEventFiles", Action: ACTIONS.readObjects, Resource: `${bucketArn}/${prefix}*` },
    listPrefix("ListTheEventFiles", bucketArn, prefix),
  ];
}

/**
 * Firehose writes into `bucketArn` under `prefixes` only, encrypting with `key` through S3 in this
 * Region, and logs its delivery errors to the log group.
 */
export function deliverToBucket(bucketArn: string, prefixes: readonly string[], key: KeyRef, region: string, logGroupArn: string): PolicyStatement[] {
  return [
    { Sid: "LocateTheBucket", Action: ACTIONS.deliverToBucket, Resource: bucketArn },
    { Sid: "WriteItsPrefixes", Action: ACTIONS.deliverObjects, Resource: prefixes.map((p) => `${bucketArn}/${p}*`) },
    {
      Sid: "EncryptObjects",
      Action: KEY_ACTIONS.writeObjects,
      Resource: key.arn,
      Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
    },
    { Sid: "LogDeliveryErrors", Action: ACTIONS.logDeliveryErrors, Resource: `${logGroupArn}:log-stream:*` },
  ];
}

/**
 * What ECS needs to start a task from `repositoryArn` and ship its output to the log group.
 * ecr:GetAuthorizationToken is account-wide: AWS offers no narrower resource for it.
 */
export function startTask(repositoryArn: string, logGroupArn: string): PolicyStatement[] {
  return [
    { Sid: "RegistryLogin", Action: ACTIONS.registryLogin, Resource: "*" },
    { Sid: "PullTheImage", Action: ACTIONS.pullImage, Resource: repositoryArn },
    { Sid: "WriteTheLogs", Action: ACTIONS.writeContainerLogs, Resource: `${logGroupArn}:log-stream:*` },
  ];
}

/** The SQL application writes its log stream in its log group. */
export function writeApplicationLogs(logGroupArn: string, logStreamArn: string): PolicyStatement[] {
  return [
    { Sid: "FindTheLogStream", Action: ACTIONS.findApplicationLogStream, Resource: `${logGroupArn}:log-stream:*` },
    { Sid: "WriteTheLogs", Action: ACTIONS.writeApplicationLogs, Resource: logStreamArn },
  ];
}

/**
 * One statement for a program's use of the project key: the union of what each use needs, in a
 * fixed order. `uses` are keys of KEY_ACTIONS, e.g. ["readStream", "writeObjects"].
 */
export function useKey(key: KeyRef, uses: readonly (keyof typeof KEY_ACTIONS)[]): PolicyStatement {
  const actions = [...new Set(uses.flatMap((u) => KEY_ACTIONS[u]))].sort();
  return { Sid: "UseTheProjectKey", Action: actions, Resource: key.arn };
}
