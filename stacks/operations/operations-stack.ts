/**
 * The operations layer of one environment: alarms (with an encrypted topic, e-mail optional), one dashboard,
 * and the Athena table over the results. Its own stack, because it watches the others and can be
 * changed or switched off without touching the pipeline.
 */
import type { Construct } from "constructs";
import { Annotations, TerraformOutput } from "cdktf";
import type { KinesisFirehoseDeliveryStream } from "@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream";
import type { AnalyticsStack } from "../analytics-stack";
import type { EnvironmentConfig } from "../config";
import type { DataStack } from "../data-stack";
import { EnvironmentStack } from "../environment-stack";
import type { SimulatorStack } from "../simulator-stack";
import { AlarmTopic } from "./alarm-topic";
import { LargeHotspotAlert } from "./large-hotspot-alert";
import type { OperationsSettings } from "./operations-settings";
import { type DeliveryStreamRef, type EcsServiceRef, type HotspotEventsRef, PipelineAlarms } from "./pipeline-alarms";
import { PipelineDashboard } from "./pipeline-dashboard";
import { ResultsQuery } from "./results-query";

export interface OperationsStackProps {
  readonly data: DataStack;
  readonly analytics: AnalyticsStack;
  readonly simulator: SimulatorStack;
  readonly settings: OperationsSettings;
}

/** The synth warning of an environment whose alarms notify a topic nobody is subscribed to. */
export function unsubscribedAlarmsWarning(environment: string, topicName: string): string {
  return (
    `operations of "${environment}": the alarms notify the SNS topic ${topicName}, which has no subscription ` +
    `(operations.alarmEmail is not set), so they notify nobody. Set alarmEmail, or subscribe any endpoint ` +
    `to the topic ARN in the stack output alarm_topic_arn (docs/operations.md).`
  );
}

/** Glue database names allow lower-case letters, digits and underscores only. */
export function glueDatabaseName(prefix: string): string {
  return `${prefix.replace(/-/g, "_")}_results`;
}

/** The value a resource was configured with, or its reference when it was computed. */
function configured(input: string | undefined, reference: string): string {
  return input ?? reference;
}

export class OperationsStack extends EnvironmentStack {
  public readonly topic: AlarmTopic;
  public readonly alarms: PipelineAlarms;
  public readonly dashboard: PipelineDashboard;
  public readonly results: ResultsQuery;
  /** Set when the analytics stack has the hotspot event bus (engine "container"). */
  public readonly largeHotspotAlert?: LargeHotspotAlert;

  constructor(scope: Construct, id: string, config: EnvironmentConfig, props: OperationsStackProps) {
    super(scope, id, config);
    const { data, analytics, simulator, settings } = props;
    const { prefix, region } = config;

    const deliveryPrefix = data.delivery.extendedS3Configuration.prefixInput;
    if (deliveryPrefix === undefined)
      throw new Error(`${prefix}-delivery has no S3 prefix to project the results table on`);

    // The hotspot event bus (engine "container"): names as the analytics stack sets them.
    const bus = analytics.hotspotEvents;
    const busName = bus ? configured(bus.bus.nameInput, bus.bus.name) : undefined;
    if (bus && busName) {
      // The rule goes on the bus by name (no cross-stack lookup), so the order must be said:
      // `cdktf deploy 'hotspots-<env>*'` creates the analytics stack, and its bus, first.
      this.addDependency(analytics);
      this.largeHotspotAlert = new LargeHotspotAlert(this, "large-hotspots", {
        name: `${prefix}-large-hotspots`,
        busName,
        minMembers: config.hotspotEvents.largeHotspotMembers,
      });
    }
    // Always there, so other subscribers (chat, paging) can be added by hand; e-mail only when configured.
    this.topic = new AlarmTopic(this, "alarm-topic", {
      name: `${prefix}-alarms`,
      region,
      alarmNamePrefix: prefix,
      email: settings.alarmEmail,
      accountId: this.account.accountId,
      eventRuleArns: this.largeHotspotAlert ? [this.largeHotspotAlert.rule.arn] : [],
    });
    this.largeHotspotAlert?.notify(this.topic.topic.arn);
    const hotspotEvents: HotspotEventsRef | undefined =
      bus && busName && this.largeHotspotAlert
        ? {
            busName,
            rules: [
              { label: "events-queue", name: configured(bus.queueRule.nameInput, bus.queueRule.name) },
              {
                label: "large-hotspots",
                name: configured(this.largeHotspotAlert.rule.nameInput, this.largeHotspotAlert.rule.name),
              },
            ],
            queueName: configured(bus.queue.nameInput, bus.queue.name),
            deadLetterQueueName: configured(bus.deadLetterQueue.nameInput, bus.deadLetterQueue.name),
          }
        : undefined;
    if (settings.alarmEmail === undefined)
      Annotations.of(this).addWarning(unsubscribedAlarmsWarning(config.environment, `${prefix}-alarms`));
    // Names as the other stacks set them: plain strings in the alarms, no cross-stack lookup needed.
    const streamName = configured(data.stream.nameInput, data.stream.name);
    const clusterName = configured(data.cluster.nameInput, data.cluster.name);
    const deliveryStream = (label: string, stream: KinesisFirehoseDeliveryStream): DeliveryStreamRef => ({
      label,
      name: configured(stream.nameInput, stream.name),
      source: stream.kinesisSourceConfigurationInput ? "kinesis-stream" : "direct-put",
    });
    const deliveryStreams: DeliveryStreamRef[] = [
      deliveryStream("delivery", data.delivery),
      // No archive alarms or dashboard lines when the archive is switched off (archive.enabled).
      ...(data.archive ? [deliveryStream("archive", data.archive)] : []),
    ];
    const service = (s: { nameInput?: string; name: string }) => configured(s.nameInput, s.name);
    const services: EcsServiceRef[] = [
      { label: "simulator", serviceName: service(simulator.simulator.service) },
      ...(analytics.detector ? [{ label: "detector", serviceName: service(analytics.detector.service) }] : []),
    ];
    const detectorMetrics = analytics.detector !== undefined;

    this.alarms = new PipelineAlarms(this, "alarms", {
      namePrefix: prefix,
      streamName,
      deliveryStreams,
      streamReaders: data.archive ? ["analytics", "archive"] : ["analytics"],
      clusterName,
      services,
      detectorMetrics,
      hotspotEvents,
      thresholds: settings.thresholds,
      alarmActions: [this.topic.topic.arn],
    });
    this.dashboard = new PipelineDashboard(this, "dashboard", {
      dashboardName: `${prefix}-pipeline`,
      region,
      streamName,
      deliveryStreams,
      clusterName,
      services,
      detectorMetrics,
      hotspotEvents,
      alarmArns: this.alarms.alarmArns,
    });
    this.results = new ResultsQuery(this, "results", {
      databaseName: glueDatabaseName(prefix),
      workgroupName: `${prefix}-results`,
      resultsBucketName: data.resultsBucket.bucket.bucket,
      firehosePrefix: deliveryPrefix,
      kmsKeyArn: data.key.arn,
      retentionDays: config.retention.resultsDays,
      bytesScannedCutoffPerQuery: settings.athenaBytesScannedCutoffPerQuery,
    });

    new TerraformOutput(this, "dashboard_name", {
      value: this.dashboard.dashboard.dashboardName,
      description: "CloudWatch dashboard of the pipeline",
    });
    new TerraformOutput(this, "athena_workgroup", {
      value: this.results.workgroup.name,
      description: "Athena workgroup for the results",
    });
    new TerraformOutput(this, "results_table", {
      value: `${this.results.database.name}.${this.results.table.name}`,
      description: "Glue table over the delivered results (partition projection on dt)",
    });
    // Subscribe anything besides alarmEmail to this ARN (docs/operations.md).
    new TerraformOutput(this, "alarm_topic_arn", {
      value: this.topic.topic.arn,
      description: "SNS topic the alarms notify",
    });
  }
}
