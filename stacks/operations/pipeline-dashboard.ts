import { Construct } from "constructs";
import { Fn } from "cdktf";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { DETECTOR_METRICS, DETECTOR_METRICS_DIMENSION, DETECTOR_METRICS_NAMESPACE } from "@hotspots/core";
import {
  CONTAINER_INSIGHTS_NAMESPACE,
  type DeliveryStreamRef,
  type EcsServiceRef,
  EVENTS_NAMESPACE,
  FIREHOSE_NAMESPACE,
  type HotspotEventsRef,
  KINESIS_NAMESPACE,
  SQS_NAMESPACE,
} from "./pipeline-alarms";

export interface PipelineDashboardProps {
  readonly dashboardName: string;
  /** Metric widgets must name their region (CloudWatch dashboard body structure). */
  readonly region: string;
  readonly streamName: string;
  readonly deliveryStreams: readonly DeliveryStreamRef[];
  readonly clusterName: string;
  readonly services: readonly EcsServiceRef[];
  readonly detectorMetrics: boolean;
  /**
   * The hotspot event bus: a row of rule deliveries and queue depths.
   * @default none
   */
  readonly hotspotEvents?: HotspotEventsRef;
  /** Shown in an alarm status widget at the top when not empty. */
  readonly alarmArns: readonly string[];
}

/** One metric line of a widget: [namespace, name, dimension, value, ..., options] (dashboard body syntax). */
export type MetricLine = (string | Record<string, string | number>)[];

export interface DashboardWidget {
  readonly type: "metric" | "alarm";
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, unknown>;
}

export interface DashboardBody {
  readonly widgets: DashboardWidget[];
}

/** The dashboard grid is 24 units wide; two widgets of 12 side by side per row. */
const GRID_WIDTH = 24;
const HALF = GRID_WIDTH / 2;
const ROW_HEIGHT = 6;
const PERIOD_SECONDS = 60;
/** Firehose sends its metrics to CloudWatch every five minutes; a shorter period draws gaps. */
const FIREHOSE_PERIOD_SECONDS = 300;

/**
 * The records a delivery stream takes in, by its source. IncomingRecords is a Direct PUT metric;
 * a stream reading Kinesis reports DataReadFromKinesisStream.Records instead ("Data ingestion
 * through Kinesis Data Streams", https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html).
 */
export function firehoseIngestionMetric(delivery: DeliveryStreamRef): string {
  return delivery.source === "kinesis-stream" ? "DataReadFromKinesisStream.Records" : "IncomingRecords";
}

/**
 * The dashboard body, pure, so a test can read the widgets. Rows follow the data flow:
 * stream in, analytics, delivery, containers; each row puts volume beside health.
 */
export function pipelineDashboardBody(props: PipelineDashboardProps): DashboardBody {
  const widgets: DashboardWidget[] = [];
  let y = 0;
  if (props.alarmArns.length > 0) {
    widgets.push({
      type: "alarm",
      x: 0,
      y,
      width: GRID_WIDTH,
      height: 3,
      properties: { title: "Alarms", alarms: [...props.alarmArns], sortBy: "stateUpdatedTimestamp" },
    });
    y += 3;
  }
  const row = (left: [string, MetricLine[]], right: [string, MetricLine[]], period = PERIOD_SECONDS) => {
    widgets.push(metricWidget(props.region, left[0], left[1], 0, y, period));
    widgets.push(metricWidget(props.region, right[0], right[1], HALF, y, period));
    y += ROW_HEIGHT;
  };
  const kinesis = (name: string, stat: string, label: string): MetricLine => [
    KINESIS_NAMESPACE,
    name,
    "StreamName",
    props.streamName,
    { stat, label },
  ];
  const detector = (name: string, stat: string): MetricLine => [
    DETECTOR_METRICS_NAMESPACE,
    name,
    DETECTOR_METRICS_DIMENSION,
    props.streamName,
    { stat, label: `Detector ${name}` },
  ];
  const firehoseLine = (d: DeliveryStreamRef, name: string, stat: string): MetricLine => [
    FIREHOSE_NAMESPACE,
    name,
    "DeliveryStreamName",
    d.name,
    { stat, label: `${d.label} ${name}` },
  ];
  const firehose = (name: string, stat: string) => props.deliveryStreams.map((d) => firehoseLine(d, name, stat));
  const firehoseIngestion = () => props.deliveryStreams.map((d) => firehoseLine(d, firehoseIngestionMetric(d), "Sum"));
  const ecs = (namespace: string, name: string, stat: string) =>
    props.services.map(
      (s): MetricLine => [
        namespace,
        name,
        "ClusterName",
        props.clusterName,
        "ServiceName",
        s.serviceName,
        { stat, label: `${s.label} ${name}` },
      ],
    );

  row(
    [
      `Stream ${props.streamName}: records in`,
      [
        kinesis("IncomingRecords", "Sum", "IncomingRecords"),
        kinesis("GetRecords.Records", "Sum", "GetRecords.Records"),
      ],
    ],
    [
      "Stream throttling",
      [
        kinesis("WriteProvisionedThroughputExceeded", "Sum", "Write throttled"),
        kinesis("ReadProvisionedThroughputExceeded", "Sum", "Read throttled"),
      ],
    ],
  );
  row(
    [
      "Analytics: records",
      props.detectorMetrics
        ? [
            detector(DETECTOR_METRICS.recordsIn, "Sum"),
            detector(DETECTOR_METRICS.recordsOut, "Sum"),
            detector(DETECTOR_METRICS.malformedRecords, "Sum"),
            detector(DETECTOR_METRICS.hotspots, "Maximum"),
          ]
        : [kinesis("GetRecords.Records", "Sum", "Records read")],
    ],
    [
      "Analytics: how far behind (ms)",
      [
        kinesis("GetRecords.IteratorAgeMilliseconds", "Maximum", "Iterator age"),
        ...(props.detectorMetrics ? [detector(DETECTOR_METRICS.lagMilliseconds, "Maximum")] : []),
      ],
    ],
  );
  row(
    ["Delivery: records", [...firehoseIngestion(), ...firehose("DeliveryToS3.Records", "Sum")]],
    ["Delivery: freshness (s)", firehose("DeliveryToS3.DataFreshness", "Maximum")],
    FIREHOSE_PERIOD_SECONDS,
  );
  const events = props.hotspotEvents;
  if (events) {
    const rule = (metric: string, r: { label: string; name: string }): MetricLine => [
      EVENTS_NAMESPACE,
      metric,
      "EventBusName",
      events.busName,
      "RuleName",
      r.name,
      { stat: "Sum", label: `${r.label} ${metric}` },
    ];
    const queue = (name: string, label: string): MetricLine => [
      SQS_NAMESPACE,
      "ApproximateNumberOfMessagesVisible",
      "QueueName",
      name,
      { stat: "Maximum", label },
    ];
    row(
      [
        "Hotspot events: rule deliveries",
        events.rules.flatMap((r) => [rule("MatchedEvents", r), rule("Invocations", r), rule("FailedInvocations", r)]),
      ],
      [
        "Hotspot events: messages waiting",
        [queue(events.queueName, "events queue"), queue(events.deadLetterQueueName, "dead letters")],
      ],
      FIREHOSE_PERIOD_SECONDS,
    );
  }
  if (props.services.length > 0) {
    row(
      [
        "ECS: running vs desired tasks",
        [
          ...ecs(CONTAINER_INSIGHTS_NAMESPACE, "RunningTaskCount", "Average"),
          ...ecs(CONTAINER_INSIGHTS_NAMESPACE, "DesiredTaskCount", "Average"),
        ],
      ],
      [
        "ECS: CPU and memory (%)",
        [...ecs("AWS/ECS", "CPUUtilization", "Average"), ...ecs("AWS/ECS", "MemoryUtilization", "Average")],
      ],
    );
  }
  return { widgets };
}

function metricWidget(
  region: string,
  title: string,
  metrics: MetricLine[],
  x: number,
  y: number,
  period: number,
): DashboardWidget {
  return {
    type: "metric",
    x,
    y,
    width: HALF,
    height: ROW_HEIGHT,
    properties: { title, region, view: "timeSeries", stacked: false, period, metrics },
  };
}

/** One CloudWatch dashboard per environment with the pipeline's metrics side by side. */
export class PipelineDashboard extends Construct {
  public readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: PipelineDashboardProps) {
    super(scope, id);
    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: props.dashboardName,
      // jsonencode(), not a JSON string: the alarm ARNs are references, and `cdktf synth --hcl` must stay valid.
      dashboardBody: Fn.jsonencode(pipelineDashboardBody(props)),
    });
  }
}
