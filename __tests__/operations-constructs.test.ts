/**
 * The operations constructs in a test stack built from plain values: each alarm's metric, threshold,
 * dimensions and action; the alarm topic's encryption; the dashboard's widgets; the results table's
 * columns and partition projection; the Athena workgroup and the saved query.
 */
import "cdktf/lib/testing/adapters/jest";
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AthenaNamedQuery } from "@cdktf/provider-aws/lib/athena-named-query";
import { AthenaWorkgroup } from "@cdktf/provider-aws/lib/athena-workgroup";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { GlueCatalogTable } from "@cdktf/provider-aws/lib/glue-catalog-table";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { DETECTOR_METRICS, DETECTOR_METRICS_DIMENSION, DETECTOR_METRICS_NAMESPACE, EVENT_FIELDS } from "@hotspots/core";
import {
  AlarmTopic,
  type DashboardBody,
  type OperationsThresholds,
  PipelineAlarms,
  PipelineDashboard,
  ResultsQuery,
  parseDatePartitionedPrefix,
  sqlDateFormat,
} from "../stacks/operations";
import { decodeJsonAttribute } from "./helpers/terraform-json-value";
import { formatJavaDate } from "./helpers/firehose-dates";

Testing.setupJest();

const REGION = "us-east-1";
const PREFIX = "pipe";
const STREAM = "pipe-stream";
const DELIVERY = "pipe-delivery";
const ARCHIVE = "pipe-archive";
const CLUSTER = "pipe-cluster";
const FIREHOSE_PREFIX = "hotspots/!{timestamp:yyyy/MM/dd/HH}/";
const THRESHOLDS: OperationsThresholds = {
  throttledPeriods: 4,
  iteratorAgeMilliseconds: 45_000,
  deliveryFreshnessSeconds: 1_200,
  detectorLagMilliseconds: 30_000,
  malformedRecordsPer5Minutes: 3,
  missingTaskMinutes: 7,
};

type Synth = Record<string, Record<string, Record<string, Record<string, unknown>>>>;

interface BuildOptions {
  detector?: boolean;
  email?: string;
  withTopic?: boolean;
}

function build(options: BuildOptions = {}) {
  const { detector = true, withTopic = true } = options;
  const email = "email" in options ? options.email : "ops@example.com";
  const stack = new TerraformStack(Testing.app(), "operations");
  new AwsProvider(stack, "aws", { region: REGION });
  const topic = withTopic
    ? new AlarmTopic(stack, "alarm-topic", { name: `${PREFIX}-alarms`, region: REGION, alarmNamePrefix: PREFIX, email })
    : undefined;
  const services = [
    { label: "simulator", serviceName: "pipe-simulator" },
    ...(detector ? [{ label: "detector", serviceName: "pipe-detector" }] : []),
  ];
  const deliveryStreams = [
    { label: "delivery", name: DELIVERY },
    { label: "archive", name: ARCHIVE, source: "kinesis-stream" as const },
  ];
  const alarms = new PipelineAlarms(stack, "alarms", {
    namePrefix: PREFIX,
    streamName: STREAM,
    deliveryStreams,
    clusterName: CLUSTER,
    services,
    detectorMetrics: detector,
    thresholds: THRESHOLDS,
    alarmActions: topic ? [topic.topic.arn] : [],
  });
  new PipelineDashboard(stack, "dashboard", {
    dashboardName: `${PREFIX}-pipeline`,
    region: REGION,
    streamName: STREAM,
    deliveryStreams,
    clusterName: CLUSTER,
    services,
    detectorMetrics: detector,
    alarmArns: alarms.alarmArns,
  });
  new ResultsQuery(stack, "results", {
    databaseName: "pipe_results",
    workgroupName: `${PREFIX}-results`,
    resultsBucketName: "pipe-results-bucket",
    firehosePrefix: FIREHOSE_PREFIX,
    kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/data-key",
    retentionDays: 30,
    bytesScannedCutoffPerQuery: 1_000_000_000,
  });
  const synth = Testing.synth(stack);
  return { synth, json: JSON.parse(synth) as Synth, alarms };
}

function resources(json: Synth, type: string): Record<string, unknown>[] {
  return Object.values(json.resource[type] ?? {});
}

function alarmNamed(json: Synth, name: string): Record<string, unknown> {
  const found = resources(json, "aws_cloudwatch_metric_alarm").find((a) => a.alarm_name === name);
  if (!found) throw new Error(`no alarm ${name}`);
  return found;
}

function dashboard(json: Synth): DashboardBody {
  const [only] = resources(json, "aws_cloudwatch_dashboard");
  return decodeJsonAttribute(only.dashboard_body as string) as DashboardBody;
}

describe("PipelineAlarms", () => {
  const { synth, json } = build();
  const topicArn = `\${aws_sns_topic.${Object.keys(json.resource.aws_sns_topic)[0]}.arn}`;

  it.each([
    ["pipe-stream-write-throttled", "WriteProvisionedThroughputExceeded"],
    ["pipe-stream-read-throttled", "ReadProvisionedThroughputExceeded"],
  ])("%s fires on any throttled %s for the configured number of minutes", (name, metric) => {
    expect(synth).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: name,
      namespace: "AWS/Kinesis",
      metric_name: metric,
      dimensions: { StreamName: STREAM },
      statistic: "Sum",
      period: 60,
      evaluation_periods: THRESHOLDS.throttledPeriods,
      datapoints_to_alarm: THRESHOLDS.throttledPeriods,
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
      alarm_actions: [topicArn],
      ok_actions: [topicArn],
    });
  });

  it("fires when the stream's iterator age passes its bound", () => {
    expect(synth).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: "pipe-stream-iterator-age",
      namespace: "AWS/Kinesis",
      metric_name: "GetRecords.IteratorAgeMilliseconds",
      dimensions: { StreamName: STREAM },
      statistic: "Maximum",
      comparison_operator: "GreaterThanThreshold",
      threshold: THRESHOLDS.iteratorAgeMilliseconds,
      alarm_actions: [topicArn],
    });
  });

  it.each([
    ["delivery", DELIVERY],
    ["archive", ARCHIVE],
  ])("watches the %s delivery stream's freshness and success", (label, name) => {
    expect(alarmNamed(json, `pipe-${label}-freshness`)).toMatchObject({
      namespace: "AWS/Firehose",
      metric_name: "DeliveryToS3.DataFreshness",
      dimensions: { DeliveryStreamName: name },
      statistic: "Maximum",
      comparison_operator: "GreaterThanThreshold",
      threshold: THRESHOLDS.deliveryFreshnessSeconds,
      alarm_actions: [topicArn],
    });
    expect(alarmNamed(json, `pipe-${label}-failing`)).toMatchObject({
      namespace: "AWS/Firehose",
      metric_name: "DeliveryToS3.Success",
      dimensions: { DeliveryStreamName: name },
      statistic: "Average",
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      alarm_actions: [topicArn],
    });
  });

  it.each(["simulator", "detector"])(
    "fires when the %s service runs fewer tasks than desired (Container Insights)",
    (label) => {
      const alarm = alarmNamed(json, `pipe-${label}-tasks-missing`);
      const dims = { ClusterName: CLUSTER, ServiceName: `pipe-${label}` };
      expect(alarm).toMatchObject({
        comparison_operator: "GreaterThanThreshold",
        threshold: 0,
        evaluation_periods: THRESHOLDS.missingTaskMinutes,
        alarm_actions: [topicArn],
      });
      const queries = alarm.metric_query as Record<string, unknown>[];
      expect(queries).toEqual([
        expect.objectContaining({
          id: "desired",
          return_data: false,
          metric: expect.objectContaining({
            namespace: "ECS/ContainerInsights",
            metric_name: "DesiredTaskCount",
            dimensions: dims,
          }),
        }),
        expect.objectContaining({
          id: "running",
          return_data: false,
          metric: expect.objectContaining({
            namespace: "ECS/ContainerInsights",
            metric_name: "RunningTaskCount",
            dimensions: dims,
          }),
        }),
        expect.objectContaining({ id: "missing", expression: "desired - running", return_data: true }),
      ]);
      // A metric-math alarm must not also name a single metric.
      expect(alarm.metric_name).toBeUndefined();
    },
  );

  it("alarms on the detector's own lag and malformed records, by the names the detector publishes", () => {
    expect(alarmNamed(json, "pipe-detector-lag")).toMatchObject({
      namespace: DETECTOR_METRICS_NAMESPACE,
      metric_name: DETECTOR_METRICS.lagMilliseconds,
      dimensions: { [DETECTOR_METRICS_DIMENSION]: STREAM },
      statistic: "Maximum",
      threshold: THRESHOLDS.detectorLagMilliseconds,
      alarm_actions: [topicArn],
    });
    expect(alarmNamed(json, "pipe-detector-malformed-records")).toMatchObject({
      namespace: DETECTOR_METRICS_NAMESPACE,
      metric_name: DETECTOR_METRICS.malformedRecords,
      dimensions: { [DETECTOR_METRICS_DIMENSION]: STREAM },
      statistic: "Sum",
      period: 300,
      threshold: THRESHOLDS.malformedRecordsPer5Minutes,
    });
  });

  it("names every alarm under the prefix the topic's policy admits, and no two alike", () => {
    const names = resources(json, "aws_cloudwatch_metric_alarm").map((a) => a.alarm_name as string);
    expect(names).toHaveLength(11);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name.startsWith(`${PREFIX}-`)).toBe(true);
  });

  it("without the detector (engine kda-sql) drops its alarms, and without a topic has no actions", () => {
    const { json: bare } = build({ detector: false, withTopic: false });
    const names = resources(bare, "aws_cloudwatch_metric_alarm").map((a) => a.alarm_name);
    expect(names).not.toContain("pipe-detector-lag");
    expect(names).not.toContain("pipe-detector-malformed-records");
    expect(names).not.toContain("pipe-detector-tasks-missing");
    expect(names).toContain("pipe-simulator-tasks-missing");
    for (const alarm of resources(bare, "aws_cloudwatch_metric_alarm")) expect(alarm.alarm_actions).toEqual([]);
    expect(bare.resource.aws_sns_topic).toBeUndefined();
  });
});

describe("AlarmTopic", () => {
  const { synth, json } = build();

  it("encrypts the topic with its own rotating key", () => {
    const [keyId] = Object.keys(json.resource.aws_kms_key);
    expect(synth).toHaveResourceWithProperties(SnsTopic, {
      name: "pipe-alarms",
      kms_master_key_id: `\${aws_kms_key.${keyId}.arn}`,
    });
    expect(synth).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true });
  });

  it("lets CloudWatch use its key with AWS's documented statement, and only this account's pipeline alarms publish", () => {
    const keyPolicy = decodeJsonAttribute(resources(json, "aws_kms_key")[0].policy as string);
    const cloudwatch = keyPolicy.Statement.find(
      (s: { Principal: { Service?: string } }) => s.Principal.Service === "cloudwatch.amazonaws.com",
    );
    // "Allow_CloudWatch_for_CMK": no condition keys, which CloudWatch's KMS call might not carry.
    expect(cloudwatch).toEqual({
      Sid: "CloudWatchAlarmsEncryptNotifications",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
    });

    const topicPolicy = decodeJsonAttribute(resources(json, "aws_sns_topic_policy")[0].policy as string);
    const [publish, tls] = topicPolicy.Statement;
    expect(publish).toMatchObject({
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "sns:Publish",
    });
    expect(publish.Condition.StringEquals["aws:SourceAccount"]).toMatch(/^\$\{data\.aws_caller_identity\./);
    expect(publish.Condition.ArnLike["aws:SourceArn"]).toMatch(/:cloudwatch:us-east-1:.*:alarm:pipe-\*$/);
    expect(tls).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  it("subscribes the configured e-mail address, and nothing when none is set", () => {
    expect(build().synth).toHaveResourceWithProperties(SnsTopicSubscription, {
      protocol: "email",
      endpoint: "ops@example.com",
    });
    expect(build({ email: undefined }).json.resource.aws_sns_topic_subscription).toBeUndefined();
  });
});

describe("PipelineDashboard", () => {
  const { json, alarms } = build();
  const body = dashboard(json);
  const metricWidgets = body.widgets.filter((w) => w.type === "metric");
  const lines = metricWidgets.flatMap((w) => w.properties.metrics as unknown[][]);
  const has = (namespace: string, name: string, dimValue: string) =>
    lines.some((l) => l[0] === namespace && l[1] === name && l.includes(dimValue));

  it("shows the state of every alarm at the top", () => {
    const [first] = body.widgets;
    expect(first.type).toBe("alarm");
    expect(first.y).toBe(0);
    expect((first.properties.alarms as string[]).length).toBe(Object.keys(alarms.alarms).length);
    expect(first.properties.alarms).toEqual(
      Object.values(json.resource.aws_cloudwatch_metric_alarm).map(() =>
        expect.stringMatching(/^\$\{aws_cloudwatch_metric_alarm\.\S+\.arn\}$/),
      ),
    );
  });

  it("graphs the stream's incoming records and the delivery streams' records, each by its source's metric", () => {
    expect(has("AWS/Kinesis", "IncomingRecords", STREAM)).toBe(true);
    // Direct PUT reports IncomingRecords; a stream reading Kinesis reports DataReadFromKinesisStream.Records.
    expect(has("AWS/Firehose", "IncomingRecords", DELIVERY)).toBe(true);
    expect(has("AWS/Firehose", "DataReadFromKinesisStream.Records", DELIVERY)).toBe(false);
    expect(has("AWS/Firehose", "DataReadFromKinesisStream.Records", ARCHIVE)).toBe(true);
    expect(has("AWS/Firehose", "IncomingRecords", ARCHIVE)).toBe(false);
    for (const name of [DELIVERY, ARCHIVE]) expect(has("AWS/Firehose", "DeliveryToS3.Records", name)).toBe(true);
    // Firehose publishes every five minutes: its widgets use that period, the others one minute.
    for (const w of metricWidgets) {
      const firehose = (w.properties.metrics as unknown[][]).some((l) => l[0] === "AWS/Firehose");
      expect(w.properties.period).toBe(firehose ? 300 : 60);
    }
  });

  it("graphs every alarmed metric", () => {
    for (const metric of [
      "WriteProvisionedThroughputExceeded",
      "ReadProvisionedThroughputExceeded",
      "GetRecords.IteratorAgeMilliseconds",
    ]) {
      expect(has("AWS/Kinesis", metric, STREAM)).toBe(true);
    }
    expect(has("AWS/Firehose", "DeliveryToS3.DataFreshness", DELIVERY)).toBe(true);
    for (const metric of Object.values(DETECTOR_METRICS))
      expect(has(DETECTOR_METRICS_NAMESPACE, metric, STREAM)).toBe(true);
    for (const service of ["pipe-simulator", "pipe-detector"]) {
      expect(has("ECS/ContainerInsights", "RunningTaskCount", service)).toBe(true);
      expect(has("ECS/ContainerInsights", "DesiredTaskCount", service)).toBe(true);
    }
  });

  it("lays the widgets out side by side on the 24-column grid, each with its region", () => {
    for (const w of metricWidgets) {
      expect(w.properties.region).toBe(REGION);
      expect(w.x + w.width).toBeLessThanOrEqual(24);
    }
    const rows = new Map<number, number[]>();
    for (const w of metricWidgets) rows.set(w.y, [...(rows.get(w.y) ?? []), w.x]);
    for (const xs of rows.values()) expect(xs.sort((a, b) => a - b)).toEqual([0, 12]);
  });

  it("without the detector graphs no detector metric", () => {
    const bare = dashboard(build({ detector: false }).json);
    const bareLines = bare.widgets.flatMap((w) => (w.properties.metrics as unknown[][] | undefined) ?? []);
    expect(bareLines.some((l) => l[0] === DETECTOR_METRICS_NAMESPACE)).toBe(false);
  });
});

/** What Firehose writes for an arrival time: the prefix with !{timestamp:pattern} expanded (UTC). */
function firehoseKeyPrefix(prefix: string, at: Date): string {
  return prefix.replace(/!\{timestamp:([^}]+)\}/, (_, pattern: string) => formatJavaDate(pattern, at));
}

describe("ResultsQuery", () => {
  const { synth, json } = build();
  const table = resources(json, "aws_glue_catalog_table")[0] as {
    parameters: Record<string, string>;
    partition_keys: { name: string; type: string }[];
    storage_descriptor: {
      location: string;
      columns: { name: string; type: string }[];
      ser_de_info: { serialization_library: string };
    };
  };

  it("has one column per field of the detector's output record: the event fields, then hotspots_result", () => {
    const expected = [...EVENT_FIELDS.map((f) => f.name), "hotspots_result"];
    expect(table.storage_descriptor.columns.map((c) => c.name)).toEqual(expected);
    const types = Object.fromEntries(table.storage_descriptor.columns.map((c) => [c.name, c.type]));
    for (const f of EVENT_FIELDS)
      expect(types[f.name]).toBe({ string: "string", number: "double", integer: "int" }[f.kind]);
    expect(types.hotspots_result).toBe("string");
    expect(table.storage_descriptor.ser_de_info.serialization_library).toBe("org.openx.data.jsonserde.JsonSerDe");
  });

  it("projects the dt partition onto exactly the keys Firehose writes", () => {
    const p = table.parameters;
    expect(p["projection.enabled"]).toBe("true");
    expect(p["projection.dt.type"]).toBe("date");
    expect(p["projection.dt.interval.unit"]).toBe("HOURS");
    expect(table.partition_keys).toEqual([expect.objectContaining({ name: "dt", type: "string" })]);
    // Terraform turns "$${dt}" into the literal "${dt}" that Athena fills with the partition value.
    const template = p["storage.location.template"].replace("$${", "${");
    for (const at of [new Date(Date.UTC(2026, 0, 2, 3)), new Date(Date.UTC(2026, 11, 31, 23))]) {
      const athena = template.replace("${dt}", formatJavaDate(p["projection.dt.format"], at));
      const firehose = `s3://pipe-results-bucket/${firehoseKeyPrefix(FIREHOSE_PREFIX, at)}`;
      expect(athena).toBe(firehose);
    }
    expect(table.storage_descriptor.location).toBe("s3://pipe-results-bucket/hotspots/");
    expect(p["projection.dt.range"]).toBe("NOW-30DAYS,NOW");
  });

  it("filters partitions with a date_format() pattern that prints what the projection format prints", () => {
    expect(sqlDateFormat("yyyy/MM/dd/HH")).toBe("%Y/%m/%d/%H");
    expect(sqlDateFormat("yyyy-MM-dd")).toBe("%Y-%m-%d");
  });

  it("refuses a Firehose prefix it cannot project", () => {
    expect(() => parseDatePartitionedPrefix("hotspots/")).toThrow(/Firehose prefix "hotspots\/" is not of the form/);
    expect(() => parseDatePartitionedPrefix("h/!{partitionKeyFromQuery:id}/!{timestamp:yyyy}/")).toThrow(
      /not of the form/,
    );
    expect(parseDatePartitionedPrefix("r/!{timestamp:yyyy/MM/dd}/")).toEqual({
      basePrefix: "r/",
      dateFormat: "yyyy/MM/dd",
      intervalUnit: "DAYS",
    });
  });

  it("runs queries in a workgroup that enforces KMS-encrypted results", () => {
    expect(synth).toHaveResourceWithProperties(AthenaWorkgroup, {
      name: "pipe-results",
      configuration: expect.objectContaining({
        enforce_workgroup_configuration: true,
        bytes_scanned_cutoff_per_query: 1_000_000_000,
        result_configuration: {
          output_location: "s3://pipe-results-bucket/athena-results/",
          encryption_configuration: {
            encryption_option: "SSE_KMS",
            kms_key_arn: "arn:aws:kms:us-east-1:111122223333:key/data-key",
          },
        },
      }),
    });
  });

  it("saves a query for the densest hotspots of the last hour that unnests HOTSPOTS_RESULT", () => {
    expect(synth).toHaveResourceWithProperties(AthenaNamedQuery, { name: "densest-hotspots-last-hour" });
    const query = resources(json, "aws_athena_named_query")[0];
    expect(query.workgroup).toMatch(/^\$\{aws_athena_workgroup\./);
    expect(query.database).toMatch(/^\$\{aws_glue_catalog_database\./);
    const sql = query.query as string;
    expect(sql).toContain('FROM "pipe_results"."hotspots"');
    expect(sql).toMatch(
      /CROSS JOIN UNNEST\(CAST\(json_extract\(recent\.hotspots_result, '\$\.hotspots'\) AS ARRAY\(JSON\)\)\)/,
    );
    expect(sql).toMatch(/WHERE r\.dt >= date_format\(current_timestamp - INTERVAL '1' HOUR, '%Y\/%m\/%d\/%H'\)/);
    expect(sql).toMatch(/ORDER BY density DESC/);
    expect(synth).toHaveResource(GlueCatalogTable);
  });
});
