/**
 * The detector's own CloudWatch metrics, published with the embedded metric format in its log
 * lines. The detector writes them and the operations stack alarms on them: one list of names.
 */
export const DETECTOR_METRICS_NAMESPACE = "Hotspots/Detector";
/** Dimension that tells the environments' detectors apart. */
export const DETECTOR_METRICS_DIMENSION = "StreamName";

export const DETECTOR_METRICS = {
  /** Stream records read, per interval (Count). */
  recordsIn: "RecordsIn",
  /** Output records delivered, one per valid input record (Count). */
  recordsOut: "RecordsOut",
  /** Hotspots in the window at the end of the interval (Count). */
  hotspots: "Hotspots",
  /** Stream records that were not JSON or lacked a field, skipped (Count). */
  malformedRecords: "MalformedRecords",
  /** How far behind the tip of the stream the detector reads, max over shards (Milliseconds). */
  lagMilliseconds: "LagMilliseconds",
} as const;
