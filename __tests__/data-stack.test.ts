/**
 * The data/streaming stack as synthesized: key, buckets and the uploaded event file, the stream,
 * both Firehose delivery streams, the cluster, the repositories, provider, backend and outputs.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { KinesisFirehoseDeliveryStream } from "@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream";
import { KinesisStream } from "@cdktf/provider-aws/lib/kinesis-stream";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { ENVIRONMENTS, type EnvironmentConfig } from "../stacks/config";
import { REPO_ROOT } from "../stacks/paths";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import {
  onlyResource,
  outputNames,
  resourcesOf,
  roleStatements,
  statementsOf,
  type SynthesizedApp,
  type SynthesizedStack,
  synthApp,
} from "./helpers/synth-app";

Testing.setupJest();

const DATA_FILE = join(REPO_ROOT, "data/data-simu.csv");
const dev = ENVIRONMENTS.dev;
/** A second environment exercising the other settings: on-demand stream, S3 state with locking. */
const teamProd: EnvironmentConfig = {
  ...ENVIRONMENTS.prod,
  region: "eu-west-1",
  stream: { mode: "on-demand", shards: 2, retentionHours: 168 },
  stateBackend: {
    type: "s3",
    bucket: "team-tf-state",
    keyPrefix: "hotspots",
    region: "eu-central-1",
    useLockfile: true,
  },
};

let app: SynthesizedApp;
let data: SynthesizedStack;
let prodData: SynthesizedStack;

beforeAll(() => {
  app = synthApp([dev, teamProd]);
  data = app.stacks["hotspots-dev-data"];
  prodData = app.stacks["hotspots-prod-data"];
});
afterAll(() => app?.cleanup());

function firehose(stack: SynthesizedStack, name: string) {
  const found = Object.values(resourcesOf(stack, "aws_kinesis_firehose_delivery_stream")).find((f) => f.name === name);
  if (!found) throw new Error(`no delivery stream ${name}`);
  return found;
}

describe("stacks", () => {
  it("one data, analytics, simulator and operations stack per environment, named for `cdktf deploy 'hotspots-dev*'`", () => {
    expect(Object.keys(app.stacks).sort()).toEqual([
      "hotspots-dev-analytics",
      "hotspots-dev-data",
      "hotspots-dev-operations",
      "hotspots-dev-simulator",
      "hotspots-prod-analytics",
      "hotspots-prod-data",
      "hotspots-prod-operations",
      "hotspots-prod-simulator",
    ]);
  });
});

describe("provider and state", () => {
  it("takes the region from config and tags every resource with project and environment", () => {
    expect(data.text).toHaveProviderWithProperties(AwsProvider, {
      region: "us-east-1",
      default_tags: [{ tags: { project: "ubiquitous-octo-spoon", environment: "dev" } }],
    });
    expect(prodData.json.provider.aws[0]).toMatchObject({
      region: "eu-west-1",
      default_tags: [{ tags: { environment: "prod" } }],
    });
  });

  it("keeps state locally by default, one file per stack at the repository root", () => {
    expect(data.json.terraform.backend).toEqual({ local: { path: "../../../terraform.hotspots-dev-data.tfstate" } });
  });

  it("uses the S3 backend with use_lockfile and encryption when configured, one key per stack", () => {
    expect(prodData.json.terraform.backend).toEqual({
      s3: {
        bucket: "team-tf-state",
        key: "hotspots/hotspots-prod-data.tfstate",
        region: "eu-central-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  it("writes no account id anywhere: trust conditions read it from aws_caller_identity", () => {
    for (const stack of Object.values(app.stacks)) {
      expect(stack.text).not.toMatch(/(?<![0-9a-f])\d{12}(?![0-9a-f])/);
    }
    expect(Object.keys(data.json.data.aws_caller_identity)).toHaveLength(1);
  });
});

describe("KMS key", () => {
  it("rotates", () => {
    expect(data.text).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, deletion_window_in_days: 30 });
  });
});

describe("buckets", () => {
  const buckets = () => resourcesOf(data, "aws_s3_bucket");

  it("a source and a results bucket, with unique names from the prefix", () => {
    expect(
      Object.values(buckets())
        .map((b) => b.bucket_prefix)
        .sort(),
    ).toEqual(["ubiquitous-octo-spoon-results-", "ubiquitous-octo-spoon-source-"]);
  });

  it("the results lifecycle expires results and errors after resultsDays, non-current versions after their days", () => {
    const lifecycles = Object.values(resourcesOf(data, "aws_s3_bucket_lifecycle_configuration"));
    const results = lifecycles.find((l) => l.rule.some((r: { id: string }) => r.id === "expire-results"));
    expect(results!.rule).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: "expire-results",
          status: "Enabled",
          filter: [{ prefix: "hotspots/" }],
          expiration: [{ days: 30 }],
        }),
        expect.objectContaining({
          id: "expire-result-errors",
          filter: [{ prefix: "errors/hotspots/" }],
          expiration: [{ days: 30 }],
        }),
        expect.objectContaining({
          id: "noncurrent-versions-and-uploads",
          noncurrent_version_expiration: [{ noncurrent_days: 7 }],
          abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }],
        }),
      ]),
    );
    const prodLifecycles = Object.values(resourcesOf(prodData, "aws_s3_bucket_lifecycle_configuration"));
    const prodResults = prodLifecycles.find((l) => l.rule.some((r: { id: string }) => r.id === "expire-results"));
    expect(prodResults!.rule.find((r: { id: string }) => r.id === "expire-results").expiration).toEqual([
      { days: 365 },
    ]);
  });

  it("the source lifecycle expires the raw event archive but never the event file", () => {
    const lifecycles = Object.values(resourcesOf(data, "aws_s3_bucket_lifecycle_configuration"));
    const source = lifecycles.find((l) => l.rule.some((r: { id: string }) => r.id === "expire-raw-events"));
    const prefixes = source!.rule
      .filter((r: { expiration?: unknown }) => r.expiration)
      .map((r: { filter: [{ prefix: string }] }) => r.filter[0].prefix);
    expect(prefixes.sort()).toEqual(["errors/raw/", "raw/"]);
  });
});

describe("the event file", () => {
  it("exists (data/data-simu.csv)", () => {
    expect(existsSync(DATA_FILE)).toBe(true);
  });

  it("is uploaded only once the source bucket's SSE-KMS default and versioning apply", () => {
    const object = onlyResource(data, "aws_s3_object");
    const sourceBucket = Object.keys(resourcesOf(data, "aws_s3_bucket")).find((n) => n.startsWith("source_"))!;
    const ofSourceBucket = (type: string) =>
      Object.entries(resourcesOf(data, type))
        .filter(([, r]) => r.bucket === `\${aws_s3_bucket.${sourceBucket}.id}`)
        .map(([n]) => `${type}.${n}`);
    const [encryption] = ofSourceBucket("aws_s3_bucket_server_side_encryption_configuration");
    const [versioning] = ofSourceBucket("aws_s3_bucket_versioning");
    expect(
      data.json.resource.aws_s3_bucket_server_side_encryption_configuration[encryption.split(".")[1]].rule[0]
        .apply_server_side_encryption_by_default.sse_algorithm,
    ).toBe("aws:kms");
    expect(object.depends_on).toEqual(expect.arrayContaining([encryption, versioning]));
  });

  it("is uploaded from an asset under data/, re-uploaded when its MD5 changes", () => {
    const object = onlyResource(data, "aws_s3_object");
    expect(object.key).toBe("data/data-simu.csv");
    expect(object.bucket).toMatch(/^\$\{aws_s3_bucket\.source_bucket_[0-9A-F]+\.id\}$/);
    expect(object.source).toMatch(/^assets\/source-data-asset\/[0-9A-F]+\/data-simu\.csv$/);
    expect(object.source_hash).toBe(`\${filemd5("${object.source}")}`);
    expect(data.text).toHaveResourceWithProperties(S3Object, { content_type: "text/csv" });
    // The asset in the synth output is the file itself.
    const copied = readFileSync(join(app.outdir, "stacks", "hotspots-dev-data", object.source));
    const md5 = (b: Buffer) => createHash("md5").update(b).digest("hex");
    expect(md5(copied)).toBe(md5(readFileSync(DATA_FILE)));
  });
});

describe("stream", () => {
  it("<prefix>-stream: 2 provisioned shards, KMS-encrypted with the project key, retention from config", () => {
    expect(data.text).toHaveResourceWithProperties(KinesisStream, {
      name: "ubiquitous-octo-spoon-stream",
      shard_count: 2,
      stream_mode_details: { stream_mode: "PROVISIONED" },
      encryption_type: "KMS",
      kms_key_id: "${aws_kms_key.key.arn}",
      retention_period: 24,
    });
  });

  it("on demand when configured, without a shard count", () => {
    const stream = onlyResource(prodData, "aws_kinesis_stream");
    expect(stream).toMatchObject({
      name: "ubiquitous-octo-spoon-prod-stream",
      stream_mode_details: { stream_mode: "ON_DEMAND" },
      retention_period: 168,
    });
    expect(stream.shard_count).toBeUndefined();
  });
});

describe("delivery stream <prefix>-delivery", () => {
  it("delivers to the results bucket: GZIP, buffering hints, hourly prefix, separate error prefix, KMS", () => {
    const delivery = firehose(data, "ubiquitous-octo-spoon-delivery");
    expect(delivery.destination).toBe("extended_s3");
    expect(delivery.server_side_encryption).toEqual({
      enabled: true,
      key_type: "CUSTOMER_MANAGED_CMK",
      key_arn: "${aws_kms_key.key.arn}",
    });
    expect(delivery.kinesis_source_configuration).toBeUndefined();
    const s3 = delivery.extended_s3_configuration;
    expect(s3.bucket_arn).toMatch(/^\$\{aws_s3_bucket\.results_bucket_[0-9A-F]+\.arn\}$/);
    expect(s3).toMatchObject({
      compression_format: "GZIP",
      buffering_size: 5,
      buffering_interval: 60,
      prefix: "hotspots/!{timestamp:yyyy/MM/dd/HH}/",
      error_output_prefix: "errors/hotspots/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/",
      kms_key_arn: "${aws_kms_key.key.arn}",
    });
  });

  it("logs delivery errors to CloudWatch and appends a newline to each record (one JSON record per line)", () => {
    const s3 = firehose(data, "ubiquitous-octo-spoon-delivery").extended_s3_configuration;
    expect(s3.cloudwatch_logging_options).toMatchObject({
      enabled: true,
      log_stream_name: "${aws_cloudwatch_log_stream.delivery-log-stream.name}",
    });
    expect(s3.processing_configuration).toEqual({ enabled: true, processors: [{ type: "AppendDelimiterToRecord" }] });
    expect(data.text).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/aws/kinesisfirehose/ubiquitous-octo-spoon-delivery",
      retention_in_days: 30,
    });
  });

  it("its role writes only the results and error prefixes and the error log", () => {
    const statements = roleStatements(data, "ubiquitous-octo-spoon-delivery");
    const write = statements.find((s) => s.Sid === "WriteItsPrefixes")!;
    expect(write.Action).toEqual(["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"]);
    expect(write.Resource).toEqual([
      expect.stringMatching(/\.arn\}\/hotspots\/\*$/),
      expect.stringMatching(/\.arn\}\/errors\/hotspots\/\*$/),
    ]);
    expect(statements.find((s) => s.Sid === "EncryptObjects")!.Condition).toEqual({
      StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" },
    });
    expect(statements.find((s) => s.Sid === "LogDeliveryErrors")!.Resource).toBe(
      "${aws_cloudwatch_log_group.delivery-logs.arn}:log-stream:*",
    );
  });
});

describe("archive stream <prefix>-archive", () => {
  it("reads the raw events from the stream and archives them under raw/ in the source bucket", () => {
    const archive = firehose(data, "ubiquitous-octo-spoon-archive");
    expect(archive.kinesis_source_configuration).toEqual({
      kinesis_stream_arn: "${aws_kinesis_stream.stream.arn}",
      role_arn: expect.stringMatching(/^\$\{aws_iam_role\.archive-role_[0-9A-F]+\.arn\}$/),
    });
    expect(archive.extended_s3_configuration).toMatchObject({
      bucket_arn: expect.stringMatching(/source_bucket/),
      prefix: "raw/!{timestamp:yyyy/MM/dd/HH}/",
      error_output_prefix: "errors/raw/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/",
      compression_format: "GZIP",
      processing_configuration: { enabled: true, processors: [{ type: "AppendDelimiterToRecord" }] },
    });
  });

  it("its role reads the stream with the actions Firehose documents for a Kinesis source, and decrypts it only through Kinesis", () => {
    const statements = roleStatements(data, "ubiquitous-octo-spoon-archive");
    expect(statements.find((s) => s.Sid === "ReadTheStream")).toMatchObject({
      Action: ["kinesis:DescribeStream", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards"],
      Resource: "${aws_kinesis_stream.stream.arn}",
    });
    expect(statements.find((s) => s.Sid === "DecryptTheStream")).toMatchObject({
      Action: ["kms:Decrypt"],
      Condition: { StringEquals: { "kms:ViaService": "kinesis.us-east-1.amazonaws.com" } },
    });
  });
});

describe("both Firehose roles", () => {
  it("trust firehose.amazonaws.com on sts:ExternalId = this account's id, the condition Firehose documents", () => {
    for (const stack of [data, prodData]) {
      for (const name of ["delivery", "archive"]) {
        const roleName = `${stack === data ? "ubiquitous-octo-spoon" : ENVIRONMENTS.prod.prefix}-${name}`;
        expect(stack.text).toHaveResourceWithProperties(IamRole, { name: roleName });
        const role = Object.values(resourcesOf(stack, "aws_iam_role")).find((r) => r.name === roleName)!;
        expect(statementsOf(role.assume_role_policy)).toEqual([
          {
            Sid: "TrustServiceOfThisAccount",
            Effect: "Allow",
            Principal: { Service: "firehose.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "sts:ExternalId": "${data.aws_caller_identity.account.account_id}" } },
          },
        ]);
      }
    }
  });

  it("are created before their delivery streams, which Firehose checks at creation", () => {
    for (const name of ["delivery", "archive"]) {
      expect(data.json.resource.aws_kinesis_firehose_delivery_stream[name].depends_on).toEqual([
        expect.stringMatching(new RegExp(`^aws_iam_role_policy\\.${name}-role_policy_[0-9A-F]+$`)),
      ]);
    }
  });
});

describe("containers", () => {
  it("an ECS cluster with Container Insights", () => {
    expect(data.text).toHaveResourceWithProperties(EcsCluster, {
      name: "ubiquitous-octo-spoon-cluster",
      setting: [{ name: "containerInsights", value: "enabled" }],
    });
  });

  it.each(["simulator", "detector"])(
    "an ECR repository for the %s: immutable tags, scan on push, KMS, lifecycle",
    (pkg) => {
      expect(data.text).toHaveResourceWithProperties(EcrRepository, {
        name: `ubiquitous-octo-spoon-${pkg}`,
        image_tag_mutability: "IMMUTABLE",
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: "KMS", kms_key: "${aws_kms_key.key.arn}" }],
      });
      const policy = Object.values(resourcesOf(data, "aws_ecr_lifecycle_policy")).find((p) =>
        String(p.repository).includes(`repository-${pkg}`),
      );
      const rules = JSON.parse(policy!.policy).rules;
      expect(rules.map((r: { selection: { tagStatus: string } }) => r.selection.tagStatus)).toEqual([
        "untagged",
        "any",
      ]);
    },
  );
});

describe("outputs", () => {
  it("names what a person needs after deploy", () => {
    expect(outputNames(data)).toEqual(
      expect.arrayContaining([
        "stream_name",
        "delivery_stream_name",
        "archive_stream_name",
        "source_bucket",
        "results_bucket",
        "cluster_name",
        "simulator_repository_url",
        "detector_repository_url",
      ]),
    );
    expect(data.json.output.stream_name.value).toBe("${aws_kinesis_stream.stream.name}");
  });
});

describe("public fields for the operations stack", () => {
  it("exposes the stream, delivery streams, buckets, key, cluster and log groups", () => {
    const stack = app.environments[0].data;
    expect(stack.stream).toBeInstanceOf(KinesisStream);
    expect(stack.delivery).toBeInstanceOf(KinesisFirehoseDeliveryStream);
    expect(stack.archive).toBeInstanceOf(KinesisFirehoseDeliveryStream);
    expect(stack.key).toBeInstanceOf(KmsKey);
    expect(stack.cluster).toBeInstanceOf(EcsCluster);
    expect(stack.deliveryLogGroup).toBeInstanceOf(CloudwatchLogGroup);
    expect(stack.archiveLogGroup).toBeInstanceOf(CloudwatchLogGroup);
    expect(stack.resultsBucket.bucket.node.id).toBe("bucket");
    expect(stack.sourceBucket.bucket.node.id).toBe("bucket");
  });
});
