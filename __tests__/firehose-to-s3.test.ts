/**
 * The FirehoseToS3 construct in a test stack: Direct PUT and Kinesis-source variants as
 * synthesized, Firehose's buffering defaults, flat Terraform addresses, and a one-line error for
 * each bad prop.
 */
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { KinesisStream } from "@cdktf/provider-aws/lib/kinesis-stream";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { FirehoseToS3, type FirehoseToS3Props } from "../stacks/constructs/firehose-to-s3";
import { ACTIONS } from "../stacks/grants";
import { statementsOf, type TfJson } from "./helpers/synth-app";

Testing.setupJest();

function build(overrides: Partial<FirehoseToS3Props> = {}, withSource = false): TfJson {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const key = new KmsKey(stack, "key", { enableKeyRotation: true });
  const bucket = new S3Bucket(stack, "bucket", { bucketPrefix: "b-" });
  const sourceStream = withSource
    ? new KinesisStream(stack, "stream", { name: "s", encryptionType: "KMS", kmsKeyId: key.arn })
    : undefined;
  new FirehoseToS3(stack, "out", {
    name: "pipe-out",
    description: "test delivery",
    bucket,
    prefix: "results/",
    errorPrefix: "errors/results/",
    key,
    region: "eu-west-1",
    account: new DataAwsCallerIdentity(stack, "account"),
    logRetentionDays: 14,
    sourceStream,
    ...overrides,
  });
  return JSON.parse(Testing.synth(stack));
}

const roleStatementsOf = (json: TfJson) =>
  Object.values<TfJson>(json.resource.aws_iam_role_policy).flatMap((p) => statementsOf(p.policy));

describe("Direct PUT (no sourceStream)", () => {
  const json = build();
  const stream = json.resource.aws_kinesis_firehose_delivery_stream.out;

  it("keeps flat Terraform addresses: <id>, <id>-logs, <id>-log-stream, <id>-role", () => {
    expect(Object.keys(json.resource.aws_kinesis_firehose_delivery_stream)).toEqual(["out"]);
    expect(Object.keys(json.resource.aws_cloudwatch_log_group)).toEqual(["out-logs"]);
    expect(Object.keys(json.resource.aws_cloudwatch_log_stream)).toEqual(["out-log-stream"]);
    expect(Object.keys(json.resource.aws_iam_role)).toEqual([expect.stringMatching(/^out-role_[0-9A-F]{8}$/)]);
  });

  it("encrypts buffered records with the key, GZIPs one JSON record per line under the hourly prefix", () => {
    expect(stream.server_side_encryption).toEqual({
      enabled: true,
      key_type: "CUSTOMER_MANAGED_CMK",
      key_arn: "${aws_kms_key.key.arn}",
    });
    expect(stream.kinesis_source_configuration).toBeUndefined();
    expect(stream.extended_s3_configuration).toMatchObject({
      bucket_arn: "${aws_s3_bucket.bucket.arn}",
      prefix: "results/!{timestamp:yyyy/MM/dd/HH}/",
      error_output_prefix: "errors/results/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/",
      compression_format: "GZIP",
      kms_key_arn: "${aws_kms_key.key.arn}",
      processing_configuration: { enabled: true, processors: [{ type: "AppendDelimiterToRecord" }] },
    });
    expect(json.resource.aws_cloudwatch_log_group["out-logs"]).toMatchObject({
      name: "/aws/kinesisfirehose/pipe-out",
      retention_in_days: 14,
    });
  });

  it("buffers as Firehose does by default: 5 MiB or 300 s", () => {
    expect(stream.extended_s3_configuration).toMatchObject({ buffering_size: 5, buffering_interval: 300 });
    const tuned = build({ bufferingSizeMiB: 64, bufferingIntervalSeconds: 60 }).resource
      .aws_kinesis_firehose_delivery_stream.out;
    expect(tuned.extended_s3_configuration).toMatchObject({ buffering_size: 64, buffering_interval: 60 });
  });

  it("its role may write its two prefixes and log, and read no stream", () => {
    const statements = roleStatementsOf(json);
    expect(statements.map((s) => s.Sid)).toEqual([
      "LocateTheBucket",
      "WriteItsPrefixes",
      "EncryptObjects",
      "LogDeliveryErrors",
    ]);
    expect(statements.find((s) => s.Sid === "WriteItsPrefixes")!.Resource).toEqual([
      "${aws_s3_bucket.bucket.arn}/results/*",
      "${aws_s3_bucket.bucket.arn}/errors/results/*",
    ]);
    expect(statements.find((s) => s.Sid === "EncryptObjects")!.Condition).toEqual({
      StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" },
    });
    expect(stream.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy\.out-role_policy_/)]);
  });
});

describe("with a sourceStream", () => {
  const json = build({}, true);
  const stream = json.resource.aws_kinesis_firehose_delivery_stream.out;

  it("reads the stream, and leaves encryption at rest to the stream", () => {
    expect(stream.kinesis_source_configuration).toEqual({
      kinesis_stream_arn: "${aws_kinesis_stream.stream.arn}",
      role_arn: expect.stringMatching(/^\$\{aws_iam_role\.out-role_[0-9A-F]+\.arn\}$/),
    });
    expect(stream.server_side_encryption).toBeUndefined();
  });

  it("its role reads the stream with the documented actions and decrypts only through Kinesis", () => {
    const statements = roleStatementsOf(json);
    expect(statements.find((s) => s.Sid === "ReadTheStream")).toMatchObject({
      Action: [...ACTIONS.readStreamAsSource],
      Resource: "${aws_kinesis_stream.stream.arn}",
    });
    expect(statements.find((s) => s.Sid === "DecryptTheStream")).toMatchObject({
      Action: ["kms:Decrypt"],
      Condition: { StringEquals: { "kms:ViaService": "kinesis.eu-west-1.amazonaws.com" } },
    });
  });
});

describe("bad props fail with one line naming the prop", () => {
  it.each([
    [{ name: "pipe out" }, "FirehoseToS3 name must be 1-64 letters, digits, '_', '.' or '-', got \"pipe out\""],
    [
      { name: "x".repeat(65) },
      `FirehoseToS3 name must be 1-64 letters, digits, '_', '.' or '-', got "${"x".repeat(65)}"`,
    ],
    [
      { prefix: "results" },
      'FirehoseToS3 prefix must be a key prefix like "hotspots/" (no leading "/", ending with "/"), got "results"',
    ],
    [{ errorPrefix: "/errors/" }, "FirehoseToS3 errorPrefix must be a key prefix"],
    [{ errorPrefix: "results/errors/" }, 'FirehoseToS3 errorPrefix must be outside prefix "results/"'],
    [{ bufferingSizeMiB: 129 }, "FirehoseToS3 bufferingSizeMiB must be an integer from 1 to 128, got 129"],
    [
      { bufferingIntervalSeconds: 901 },
      "FirehoseToS3 bufferingIntervalSeconds must be an integer from 0 to 900, got 901",
    ],
    [
      { bufferingIntervalSeconds: 1.5 },
      "FirehoseToS3 bufferingIntervalSeconds must be an integer from 0 to 900, got 1.5",
    ],
  ])("%j", (overrides, message) => {
    expect(() => build(overrides as Partial<FirehoseToS3Props>)).toThrow(message);
  });
});
