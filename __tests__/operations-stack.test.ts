/**
 * The operations stack inside the real app: alarms on the names the other stacks create, the
 * results table projected on the prefix the delivery stream really writes, the thresholds and the
 * switch from the typed config, and the cost estimate's count of alarm metrics.
 */
import "cdktf/lib/testing/adapters/jest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { AthenaWorkgroup } from "@cdktf/provider-aws/lib/athena-workgroup";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { ConfigError, type EnvironmentConfig, resolveConfig } from "../stacks/config";
import { DEFAULT_OPERATIONS_SETTINGS } from "../stacks/operations";
import { unsubscribedAlarmsWarning } from "../stacks/operations/operations-stack";
import { REPO_ROOT } from "../stacks/paths";
import { operationsMonitoring } from "../cost/config-inputs";
import {
  onlyResource,
  resourcesOf,
  statementsOf,
  type SynthesizedApp,
  type SynthesizedStack,
  synthApp,
  type TfJson,
} from "./helpers/synth-app";
import { decodeJsonAttribute } from "./helpers/terraform-json-value";
import { formatJavaDate } from "./helpers/firehose-dates";

Testing.setupJest();

let container: SynthesizedApp;
let kda: SynthesizedApp;
let ops: SynthesizedStack;
let data: SynthesizedStack;
const dev = resolveConfig("dev", {});

beforeAll(() => {
  container = synthApp([dev]);
  kda = synthApp([resolveConfig("dev", { HOTSPOTS_ENGINE: "kda-sql" })]);
  ops = container.stacks["hotspots-dev-operations"];
  data = container.stacks["hotspots-dev-data"];
});
afterAll(() => {
  container?.cleanup();
  kda?.cleanup();
});

const alarms = (stack: SynthesizedStack) => Object.values(resourcesOf(stack, "aws_cloudwatch_metric_alarm"));
const alarm = (stack: SynthesizedStack, name: string): TfJson => {
  const found = alarms(stack).find((a) => a.alarm_name === name);
  if (!found) throw new Error(`no alarm ${name}`);
  return found;
};
const nameOf = (stack: SynthesizedStack, type: string) => onlyResource(stack, type).name as string;

describe("the operations stack of dev (engine container)", () => {
  it("sits beside the other three stacks of the environment", () => {
    expect(Object.keys(container.stacks).sort()).toEqual([
      "hotspots-dev-analytics",
      "hotspots-dev-data",
      "hotspots-dev-operations",
      "hotspots-dev-simulator",
    ]);
  });

  it("alarms on the stream, delivery streams, cluster and services the other stacks create", () => {
    const streamName = nameOf(data, "aws_kinesis_stream");
    const clusterName = nameOf(data, "aws_ecs_cluster");
    const [delivery, archive] = ["delivery", "archive"].map((label) => `${dev.prefix}-${label}`);
    const deliveryNames = Object.values(resourcesOf(data, "aws_kinesis_firehose_delivery_stream")).map((d) => d.name);
    expect(deliveryNames.sort()).toEqual([archive, delivery]);

    expect(alarm(ops, `${dev.prefix}-stream-iterator-age`).dimensions).toEqual({ StreamName: streamName });
    expect(alarm(ops, `${dev.prefix}-detector-lag`).dimensions).toEqual({ StreamName: streamName });
    expect(alarm(ops, `${dev.prefix}-delivery-freshness`).dimensions).toEqual({ DeliveryStreamName: delivery });
    expect(alarm(ops, `${dev.prefix}-archive-failing`).dimensions).toEqual({ DeliveryStreamName: archive });

    const services = {
      simulator: nameOf(container.stacks["hotspots-dev-simulator"], "aws_ecs_service"),
      detector: nameOf(container.stacks["hotspots-dev-analytics"], "aws_ecs_service"),
    };
    for (const [label, serviceName] of Object.entries(services)) {
      const queries = alarm(ops, `${dev.prefix}-${label}-tasks-missing`).metric_query as TfJson[];
      for (const q of queries.filter((m) => m.metric))
        expect(q.metric.dimensions).toEqual({ ClusterName: clusterName, ServiceName: serviceName });
    }
  });

  it("takes every threshold from the typed config, and notifies the encrypted topic", () => {
    const t = dev.operations.thresholds;
    expect(alarm(ops, `${dev.prefix}-stream-iterator-age`).threshold).toBe(t.iteratorAgeMilliseconds);
    expect(alarm(ops, `${dev.prefix}-stream-write-throttled`).evaluation_periods).toBe(t.throttledPeriods);
    expect(alarm(ops, `${dev.prefix}-delivery-freshness`).threshold).toBe(t.deliveryFreshnessSeconds);
    expect(alarm(ops, `${dev.prefix}-detector-lag`).threshold).toBe(t.detectorLagMilliseconds);
    expect(alarm(ops, `${dev.prefix}-detector-malformed-records`).threshold).toBe(t.malformedRecordsPer5Minutes);
    expect(alarm(ops, `${dev.prefix}-simulator-tasks-missing`).evaluation_periods).toBe(t.missingTaskMinutes);
    const [topic] = Object.keys(resourcesOf(ops, "aws_sns_topic"));
    for (const a of alarms(ops)) expect(a.alarm_actions).toEqual([`\${aws_sns_topic.${topic}.arn}`]);
    expect(ops.text).toHaveResourceWithProperties(SnsTopic, {
      name: `${dev.prefix}-alarms`,
      kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\./),
    });
    // No e-mail in the default config: no subscription.
    expect(resourcesOf(ops, "aws_sns_topic_subscription")).toEqual({});
  });

  it("graphs each delivery stream's intake by its source: Direct PUT IncomingRecords, the archive's DataReadFromKinesisStream.Records", () => {
    const body = JSON.parse(
      JSON.stringify(decodeJsonAttribute(onlyResource(ops, "aws_cloudwatch_dashboard").dashboard_body)),
    );
    const lines: unknown[][] = body.widgets.flatMap((w: TfJson) => (w.properties.metrics ?? []) as unknown[][]);
    const firehose = (name: string) => lines.filter((l) => l[0] === "AWS/Firehose" && l[1] === name).map((l) => l[3]);
    expect(firehose("IncomingRecords")).toEqual([`${dev.prefix}-delivery`]);
    expect(firehose("DataReadFromKinesisStream.Records")).toEqual([`${dev.prefix}-archive`]);
    // The archive reads the stream in the data stack: that is what makes its metric the Kinesis one.
    const archive = Object.values(resourcesOf(data, "aws_kinesis_firehose_delivery_stream")).find(
      (d) => d.name === `${dev.prefix}-archive`,
    );
    expect(archive?.kinesis_source_configuration).toBeDefined();
  });

  it("lets CloudWatch use the topic's key with the documented statement; the key encrypts the topic alone", () => {
    const [keyName] = Object.keys(resourcesOf(ops, "aws_kms_key"));
    const key = onlyResource(ops, "aws_kms_key");
    const cloudwatch = statementsOf(key.policy).find(
      (s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: "cloudwatch.amazonaws.com" }),
    );
    expect(cloudwatch).toEqual({
      Sid: "CloudWatchAlarmsEncryptNotifications",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
    });
    expect(ops.text).toHaveResourceWithProperties(SnsTopic, { kms_master_key_id: `\${aws_kms_key.${keyName}.arn}` });
    const users = Object.entries(ops.json.resource as Record<string, Record<string, TfJson>>).flatMap(
      ([type, byName]) =>
        Object.values(byName)
          .filter((r) => JSON.stringify(r).includes(`aws_kms_key.${keyName}.`))
          .map(() => type),
    );
    expect(users.sort()).toEqual(["aws_kms_alias", "aws_sns_topic"]);
  });

  it("outputs the alarm topic's ARN, to subscribe anything besides e-mail", () => {
    const [topic] = Object.keys(resourcesOf(ops, "aws_sns_topic"));
    expect(ops.json.output.alarm_topic_arn).toMatchObject({ value: `\${aws_sns_topic.${topic}.arn}` });
  });

  it("warns at synth that the alarms notify nobody when no alarmEmail is set", () => {
    expect(ops.warnings).toEqual([unsubscribedAlarmsWarning("dev", `${dev.prefix}-alarms`)]);
    expect(ops.warnings[0]).toContain("alarm_topic_arn");
    // The other stacks have nothing to warn about.
    for (const id of ["hotspots-dev-data", "hotspots-dev-analytics", "hotspots-dev-simulator"])
      expect(container.stacks[id].warnings).toEqual([]);
  });

  it("projects the results table on the prefix the delivery stream really writes", () => {
    const delivery = Object.values(resourcesOf(data, "aws_kinesis_firehose_delivery_stream")).find(
      (d) => d.name === `${dev.prefix}-delivery`,
    );
    const firehosePrefix: string = delivery?.extended_s3_configuration.prefix;
    const table = onlyResource(ops, "aws_glue_catalog_table");
    const template: string = table.parameters["storage.location.template"].replace("$${", "${");
    const at = new Date(Date.UTC(2026, 10, 25, 21));
    // Both sides after the bucket: what Firehose writes for `at`, what Athena reads for `at`.
    const written = firehosePrefix.replace(/!\{timestamp:([^}]+)\}/, (_, p: string) => formatJavaDate(p, at));
    const read = template.replace("${dt}", formatJavaDate(table.parameters["projection.dt.format"], at));
    expect(read.endsWith(`/${written}`)).toBe(true);
    expect(table.parameters["projection.dt.range"]).toBe(`NOW-${dev.retention.resultsDays}DAYS,NOW`);
    // The bucket is the data stack's results bucket, referenced across stacks.
    expect(table.storage_descriptor.location).toMatch(/^s3:\/\/\$\{data\.terraform_remote_state\.\S+\}\/hotspots\/$/);
  });

  it("writes Athena results under a prefix of the results bucket that its lifecycle expires", () => {
    const workgroup = onlyResource(ops, "aws_athena_workgroup");
    expect(workgroup.configuration.result_configuration.output_location).toMatch(
      /^s3:\/\/\$\{data\.terraform_remote_state\.\S+\}\/athena-results\/$/,
    );
    const rules = Object.values(resourcesOf(data, "aws_s3_bucket_lifecycle_configuration")).flatMap(
      (l) => l.rule as TfJson[],
    );
    expect(rules).toContainEqual(
      expect.objectContaining({
        id: "expire-athena-results",
        filter: [{ prefix: "athena-results/" }],
        expiration: [{ days: 7 }],
      }),
    );
  });

  it("encrypts Athena results with the data stack's key", () => {
    expect(ops.text).toHaveResourceWithProperties(AthenaWorkgroup, {
      name: `${dev.prefix}-results`,
      configuration: expect.objectContaining({
        enforce_workgroup_configuration: true,
        bytes_scanned_cutoff_per_query: dev.operations.athenaBytesScannedCutoffPerQuery,
        result_configuration: expect.objectContaining({
          encryption_configuration: {
            encryption_option: "SSE_KMS",
            kms_key_arn: expect.stringMatching(/^\$\{data\.terraform_remote_state\./),
          },
        }),
      }),
    });
  });

  it("docs/operations.md shows the saved query exactly as the stack deploys it", () => {
    const query: string = onlyResource(ops, "aws_athena_named_query").query;
    const body = query
      .split("\n")
      .filter((line) => !line.startsWith("--"))
      .join("\n");
    expect(readFileSync(join(REPO_ROOT, "docs", "operations.md"), "utf8")).toContain(`\`\`\`sql\n${body}\n\`\`\``);
  });

  it("the cost estimate counts the alarm metrics the stack creates", () => {
    const metricsOf = (stack: SynthesizedStack) =>
      alarms(stack).reduce(
        (n, a) => n + (a.metric_name ? 1 : (a.metric_query as TfJson[]).filter((q) => q.metric).length),
        0,
      );
    expect(metricsOf(ops)).toBe(operationsMonitoring(true).alarmMetrics);
    expect(metricsOf(kda.stacks["hotspots-dev-operations"])).toBe(operationsMonitoring(false).alarmMetrics);
  });
});

describe("with engine kda-sql", () => {
  it("has no detector alarms, and the dashboard no detector metrics", () => {
    const stack = kda.stacks["hotspots-dev-operations"];
    const names = alarms(stack).map((a) => a.alarm_name);
    expect(names.filter((n: string) => n.includes("detector"))).toEqual([]);
    expect(names).toContain(`${dev.prefix}-simulator-tasks-missing`);
    expect(onlyResource(stack, "aws_cloudwatch_dashboard").dashboard_body).not.toContain("Hotspots/Detector");
  });
});

describe("operations settings in the typed config", () => {
  const withOperations = (operations: EnvironmentConfig["operations"]) => resolveConfig("dev", {}, { operations });

  it("defaults to enabled, without e-mail", () => {
    expect(dev.operations).toEqual(DEFAULT_OPERATIONS_SETTINGS);
  });

  it("switched off, the environment has no operations stack", () => {
    const app = synthApp([withOperations({ ...DEFAULT_OPERATIONS_SETTINGS, enabled: false })]);
    try {
      expect(Object.keys(app.stacks)).not.toContain("hotspots-dev-operations");
      expect(Object.keys(app.stacks)).toHaveLength(3);
      // No alarms, so nothing notifies nobody.
      expect(Object.values(app.stacks).flatMap((st) => st.warnings)).toEqual([]);
    } finally {
      app.cleanup();
    }
  });

  it("an alarm e-mail subscribes that address, and synth has no warning", () => {
    const app = synthApp([withOperations({ ...DEFAULT_OPERATIONS_SETTINGS, alarmEmail: "oncall@example.com" })]);
    try {
      const subscription = onlyResource(app.stacks["hotspots-dev-operations"], "aws_sns_topic_subscription");
      expect(subscription).toMatchObject({ protocol: "email", endpoint: "oncall@example.com" });
      expect(Object.values(app.stacks).flatMap((st) => st.warnings)).toEqual([]);
    } finally {
      app.cleanup();
    }
  });

  it("an invalid threshold fails synth with a ConfigError naming the field", () => {
    const bad = {
      ...DEFAULT_OPERATIONS_SETTINGS,
      thresholds: { ...DEFAULT_OPERATIONS_SETTINGS.thresholds, missingTaskMinutes: 0 },
    };
    expect(() => withOperations(bad)).toThrow(ConfigError);
    expect(() => withOperations(bad)).toThrow(
      "operations.thresholds.missingTaskMinutes: must be an integer from 1 to 60, got 0",
    );
  });
});
