import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DETECTOR_METRICS, DETECTOR_METRICS_DIMENSION, DETECTOR_METRICS_NAMESPACE } from "@hotspots/core";
import { fail, pass, type Check } from "../check";

/** Looked back over: the detector logs its metrics every minute, CloudWatch shows them within minutes. */
export const LAG_METRIC_LOOKBACK_MINUTES = 15;

/** The detector's lag metric (embedded metric format in its log lines) reaches CloudWatch. */
export const lagMetricCheck: Check = {
  name: "lag-metric",
  plan: [
    `CloudWatch GetMetricData ${DETECTOR_METRICS_NAMESPACE} ${DETECTOR_METRICS.lagMilliseconds} ` +
      `{${DETECTOR_METRICS_DIMENSION}=<stream_name>}, Maximum per minute, last ${LAG_METRIC_LOOKBACK_MINUTES} min: at least one datapoint`,
  ],
  async run({ clients, names, config, now }) {
    if (names.detectorService === undefined) return pass(`no detector metrics (engine ${config.engine})`);
    const end = new Date(now());
    const start = new Date(end.getTime() - LAG_METRIC_LOOKBACK_MINUTES * 60_000);
    const answer = await clients.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        ScanBy: "TimestampDescending",
        MetricDataQueries: [
          {
            Id: "lag",
            MetricStat: {
              Metric: {
                Namespace: DETECTOR_METRICS_NAMESPACE,
                MetricName: DETECTOR_METRICS.lagMilliseconds,
                Dimensions: [{ Name: DETECTOR_METRICS_DIMENSION, Value: names.streamName }],
              },
              Period: 60,
              Stat: "Maximum",
            },
          },
        ],
      }),
    );
    const values = answer.MetricDataResults?.[0]?.Values ?? [];
    if (values.length === 0) {
      return fail(
        `no ${DETECTOR_METRICS_NAMESPACE} ${DETECTOR_METRICS.lagMilliseconds} for ${names.streamName} in the last ${LAG_METRIC_LOOKBACK_MINUTES} min: ` +
          "is the detector running and logging (its log group), with --metrics-interval > 0?",
      );
    }
    return pass(
      `${DETECTOR_METRICS.lagMilliseconds}: ${values.length} datapoints in the last ${LAG_METRIC_LOOKBACK_MINUTES} min, latest ${Math.round(values[0])} ms`,
    );
  },
};
