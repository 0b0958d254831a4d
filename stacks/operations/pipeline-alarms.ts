import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DETECTOR_METRICS, DETECTOR_METRICS_DIMENSION, DETECTOR_METRICS_NAMESPACE } from "@hotspots/core";
import type { OperationsThresholds } from "./operations-settings";

/** CloudWatch namespaces and metric names of the services, as AWS publishes them. */
export const KINESIS_NAMESPACE = "AWS/Kinesis";
export const FIREHOSE_NAMESPACE = "AWS/Firehose";
/**
 * EventBridge rule metrics; on a custom bus they carry the EventBusName and RuleName dimensions
 * ("Monitoring Amazon EventBridge", https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html).
 */
export const EVENTS_NAMESPACE = "AWS/Events";
/** SQS queue metrics, dimension QueueName ("Available CloudWatch metrics for Amazon SQS", SQS Developer Guide). */
export const SQS_NAMESPACE = "AWS/SQS";
/** Container Insights service metrics (RunningTaskCount, DesiredTaskCount); the cluster must have it on. */
export const CONTAINER_INSIGHTS_NAMESPACE = "ECS/ContainerInsights";

/** Stream-level Kinesis metrics arrive every minute (Kinesis Data Streams, monitoring with CloudWatch). */
const ONE_MINUTE = 60;
/** Firehose sends its metrics to CloudWatch every five minutes (Firehose, monitoring with CloudWatch metrics). */
const FIVE_MINUTES = 300;

export interface DeliveryStreamRef {
  /** Short word used in the alarm name: "delivery", "archive". */
  readonly label: string;
  readonly name: string;
  /**
   * Where its records come from, which decides its ingestion metric.
   * @default "direct-put"
   */
  readonly source?: "direct-put" | "kinesis-stream";
}

export interface EcsServiceRef {
  /** Short word used in the alarm name: "simulator", "detector". */
  readonly label: string;
  readonly serviceName: string;
}

/** The hotspot event bus: its rules (each alarmed on failed deliveries) and its dead-letter queue. */
export interface HotspotEventsRef {
  readonly busName: string;
  /** label: short word in the alarm name ("events-queue", "large-hotspots"); name: the rule name. */
  readonly rules: readonly { readonly label: string; readonly name: string }[];
  readonly queueName: string;
  readonly deadLetterQueueName: string;
}

export interface PipelineAlarmsProps {
  /** Every alarm name starts with `<namePrefix>-` (the alarm topic's policy relies on it). */
  readonly namePrefix: string;
  readonly streamName: string;
  readonly deliveryStreams: readonly DeliveryStreamRef[];
  /**
   * Who reads the stream, named in the read-throttle alarm.
   * @default ["analytics"]
   */
  readonly streamReaders?: readonly string[];
  readonly clusterName: string;
  readonly services: readonly EcsServiceRef[];
  /** True when the detector runs (engine "container"): alarm on its own metrics, keyed by the stream name. */
  readonly detectorMetrics: boolean;
  /**
   * The hotspot event bus (engine "container").
   * @default none: no event alarms
   */
  readonly hotspotEvents?: HotspotEventsRef;
  readonly thresholds: OperationsThresholds;
  /** ARNs notified on ALARM and on OK; empty = alarms without actions (dashboard only). */
  readonly alarmActions: readonly string[];
}

/**
 * The pipeline's alarms, each answering one question: are events flowing in (throttles), do the
 * analytics keep up (iterator age, detector lag), are results landing in S3 (freshness, success),
 * are the containers up (tasks missing), is the input sane (malformed records).
 */
export class PipelineAlarms extends Construct {
  /** Every alarm by a stable key, e.g. "stream-write-throttled", "delivery-freshness", "detector-tasks-missing". */
  public readonly alarms: Readonly<Record<string, CloudwatchMetricAlarm>>;

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);
    const t = props.thresholds;
    const alarms: Record<string, CloudwatchMetricAlarm> = {};
    const actions = [...props.alarmActions];
    const add = (key: string, description: string, config: AlarmShape) => {
      alarms[key] = new CloudwatchMetricAlarm(this, key, {
        alarmName: `${props.namePrefix}-${key}`,
        alarmDescription: description,
        alarmActions: actions,
        okActions: actions,
        ...config,
      });
    };
    const stream = { StreamName: props.streamName };

    for (const [key, metric, direction] of [
      ["stream-write-throttled", "WriteProvisionedThroughputExceeded", "Producers (the simulator) are throttled"],
      [
        "stream-read-throttled",
        "ReadProvisionedThroughputExceeded",
        `Consumers (${(props.streamReaders ?? ["analytics"]).join(", ")}) are throttled`,
      ],
    ] as const) {
      add(
        key,
        `${direction} on ${props.streamName} for ${t.throttledPeriods} minutes: add shards or switch to on-demand.`,
        {
          namespace: KINESIS_NAMESPACE,
          metricName: metric,
          dimensions: stream,
          statistic: "Sum",
          period: ONE_MINUTE,
          evaluationPeriods: t.throttledPeriods,
          datapointsToAlarm: t.throttledPeriods,
          comparisonOperator: "GreaterThanThreshold",
          threshold: 0,
          treatMissingData: "notBreaching",
        },
      );
    }
    add(
      "stream-iterator-age",
      `The oldest unread record of ${props.streamName} is older than ${t.iteratorAgeMilliseconds} ms: the analytics fall behind.`,
      {
        namespace: KINESIS_NAMESPACE,
        metricName: "GetRecords.IteratorAgeMilliseconds",
        dimensions: stream,
        statistic: "Maximum",
        period: ONE_MINUTE,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        comparisonOperator: "GreaterThanThreshold",
        threshold: t.iteratorAgeMilliseconds,
        treatMissingData: "notBreaching",
      },
    );

    for (const delivery of props.deliveryStreams) {
      const dims = { DeliveryStreamName: delivery.name };
      add(
        `${delivery.label}-freshness`,
        `Records wait in ${delivery.name} for more than ${t.deliveryFreshnessSeconds} s before reaching S3.`,
        {
          namespace: FIREHOSE_NAMESPACE,
          metricName: "DeliveryToS3.DataFreshness",
          dimensions: dims,
          statistic: "Maximum",
          period: FIVE_MINUTES,
          evaluationPeriods: 1,
          comparisonOperator: "GreaterThanThreshold",
          threshold: t.deliveryFreshnessSeconds,
          treatMissingData: "notBreaching",
        },
      );
      // Success is 1 per successful put and 0 per failed one; an average below 1 means some failed.
      add(
        `${delivery.label}-failing`,
        `Deliveries from ${delivery.name} to S3 failed for 15 minutes: see its error log group; Firehose drops data after 24 h of retries.`,
        {
          namespace: FIREHOSE_NAMESPACE,
          metricName: "DeliveryToS3.Success",
          dimensions: dims,
          statistic: "Average",
          period: FIVE_MINUTES,
          evaluationPeriods: 3,
          datapointsToAlarm: 3,
          comparisonOperator: "LessThanThreshold",
          threshold: 1,
          treatMissingData: "notBreaching",
        },
      );
    }

    for (const service of props.services) {
      const dims = { ClusterName: props.clusterName, ServiceName: service.serviceName };
      const metric = (metricName: string) => ({
        namespace: CONTAINER_INSIGHTS_NAMESPACE,
        metricName,
        dimensions: dims,
        period: ONE_MINUTE,
        stat: "Average",
      });
      add(
        `${service.label}-tasks-missing`,
        `${service.serviceName} ran fewer tasks than desired for ${t.missingTaskMinutes} minutes: check its stopped tasks and logs.`,
        {
          metricQuery: [
            { id: "desired", metric: metric("DesiredTaskCount"), returnData: false },
            { id: "running", metric: metric("RunningTaskCount"), returnData: false },
            { id: "missing", expression: "desired - running", label: "Tasks missing", returnData: true },
          ],
          evaluationPeriods: t.missingTaskMinutes,
          datapointsToAlarm: t.missingTaskMinutes,
          comparisonOperator: "GreaterThanThreshold",
          threshold: 0,
          treatMissingData: "notBreaching",
        },
      );
    }

    if (props.detectorMetrics) {
      const dims = { [DETECTOR_METRICS_DIMENSION]: props.streamName };
      add(
        "detector-lag",
        `The detector reads more than ${t.detectorLagMilliseconds} ms behind the tip of ${props.streamName}.`,
        {
          namespace: DETECTOR_METRICS_NAMESPACE,
          metricName: DETECTOR_METRICS.lagMilliseconds,
          dimensions: dims,
          statistic: "Maximum",
          period: ONE_MINUTE,
          evaluationPeriods: 5,
          datapointsToAlarm: 5,
          comparisonOperator: "GreaterThanThreshold",
          threshold: t.detectorLagMilliseconds,
          treatMissingData: "notBreaching",
        },
      );
      add(
        "detector-malformed-records",
        `The detector skipped more than ${t.malformedRecordsPer5Minutes} malformed records in 5 minutes: something else writes to ${props.streamName}.`,
        {
          namespace: DETECTOR_METRICS_NAMESPACE,
          metricName: DETECTOR_METRICS.malformedRecords,
          dimensions: dims,
          statistic: "Sum",
          period: FIVE_MINUTES,
          evaluationPeriods: 1,
          comparisonOperator: "GreaterThanThreshold",
          threshold: t.malformedRecordsPer5Minutes,
          treatMissingData: "notBreaching",
        },
      );
    }
    const events = props.hotspotEvents;
    for (const rule of events?.rules ?? []) {
      // FailedInvocations: invocations that failed permanently (not retried ones); EventBridge sends it only when it is not zero.
      add(
        `${rule.label}-failed-deliveries`,
        `EventBridge failed for good to deliver events of rule ${rule.name} on ${events!.busName}: check the target's policy and key.`,
        {
          namespace: EVENTS_NAMESPACE,
          metricName: "FailedInvocations",
          dimensions: { EventBusName: events!.busName, RuleName: rule.name },
          statistic: "Sum",
          period: FIVE_MINUTES,
          evaluationPeriods: 1,
          comparisonOperator: "GreaterThanThreshold",
          threshold: 0,
          treatMissingData: "notBreaching",
        },
      );
    }
    if (events) {
      add(
        "hotspot-events-dead-letters",
        `Hotspot events wait in ${events.deadLetterQueueName}: undelivered, unencryptable or failing their consumers (docs/operations.md).`,
        {
          namespace: SQS_NAMESPACE,
          metricName: "ApproximateNumberOfMessagesVisible",
          dimensions: { QueueName: events.deadLetterQueueName },
          statistic: "Maximum",
          period: FIVE_MINUTES,
          evaluationPeriods: 1,
          comparisonOperator: "GreaterThanThreshold",
          threshold: 0,
          treatMissingData: "notBreaching",
        },
      );
    }
    this.alarms = alarms;
  }

  /** The alarms' ARNs, for the dashboard's alarm status widget. */
  get alarmArns(): string[] {
    return Object.values(this.alarms).map((a) => a.arn);
  }
}

type AlarmShape = Omit<
  ConstructorParameters<typeof CloudwatchMetricAlarm>[2],
  "alarmName" | "alarmDescription" | "alarmActions" | "okActions"
>;
