import { DETECTOR_METRICS, DETECTOR_METRICS_DIMENSION, DETECTOR_METRICS_NAMESPACE } from "@hotspots/core";

export interface IntervalCounts {
  recordsIn: number;
  recordsOut: number;
  malformedRecords: number;
  hotspots: number;
  lagMilliseconds: number;
}

/**
 * One log line in CloudWatch embedded metric format: CloudWatch Logs turns it into the detector's
 * metrics (names from core's detector-metrics, which the alarms use too) without any API call.
 */
export function embeddedMetricLine(streamName: string, counts: IntervalCounts, timestampMs: number): string {
  return JSON.stringify({
    _aws: {
      Timestamp: timestampMs,
      CloudWatchMetrics: [
        {
          Namespace: DETECTOR_METRICS_NAMESPACE,
          Dimensions: [[DETECTOR_METRICS_DIMENSION]],
          Metrics: [
            { Name: DETECTOR_METRICS.recordsIn, Unit: "Count" },
            { Name: DETECTOR_METRICS.recordsOut, Unit: "Count" },
            { Name: DETECTOR_METRICS.hotspots, Unit: "Count" },
            { Name: DETECTOR_METRICS.malformedRecords, Unit: "Count" },
            { Name: DETECTOR_METRICS.lagMilliseconds, Unit: "Milliseconds" },
          ],
        },
      ],
    },
    [DETECTOR_METRICS_DIMENSION]: streamName,
    [DETECTOR_METRICS.recordsIn]: counts.recordsIn,
    [DETECTOR_METRICS.recordsOut]: counts.recordsOut,
    [DETECTOR_METRICS.hotspots]: counts.hotspots,
    [DETECTOR_METRICS.malformedRecords]: counts.malformedRecords,
    [DETECTOR_METRICS.lagMilliseconds]: counts.lagMilliseconds,
  });
}

/** Counts per interval; `emit` logs them and starts the next interval. */
export class MetricsReporter {
  private counts: IntervalCounts = {
    recordsIn: 0,
    recordsOut: 0,
    malformedRecords: 0,
    hotspots: 0,
    lagMilliseconds: 0,
  };

  constructor(
    private readonly streamName: string,
    private readonly log: (line: string) => void,
  ) {}

  add(recordsIn: number, recordsOut: number, malformed: number): void {
    this.counts.recordsIn += recordsIn;
    this.counts.recordsOut += recordsOut;
    this.counts.malformedRecords += malformed;
  }

  lag(ms: number): void {
    if (ms > this.counts.lagMilliseconds) this.counts.lagMilliseconds = ms;
  }

  emit(hotspots: number, now = Date.now()): void {
    this.counts.hotspots = hotspots;
    this.log(embeddedMetricLine(this.streamName, this.counts, now));
    this.counts = { recordsIn: 0, recordsOut: 0, malformedRecords: 0, hotspots: 0, lagMilliseconds: 0 };
  }
}
