export {
  DEFAULT_CHECKPOINT_INTERVAL_MS,
  runStreamDetector,
  type DetectorStats,
  type DetectorSummary,
  type StreamDetectorOptions,
} from "./run-stream-detector";
export type {
  CheckpointedState,
  CheckpointStore,
  Checkpoints,
  RestartPoint,
  ShardCheckpoint,
} from "./checkpoint-store";
export { FileCheckpointStore } from "./file-checkpoint-store";
export { S3CheckpointStore } from "./s3-checkpoint-store";
export type { OutputSink } from "./output-sink";
export { FirehoseSink } from "./firehose-sink";
export { FIREHOSE_BILLING_UNIT_BYTES, FIREHOSE_PACKED_RECORD_TARGET_BYTES, LinePacker } from "./firehose-packing";
export type { HotspotEventSink, StreamTracking, TrackedWindow } from "./stream-tracking";
export { NdjsonFileSink, type NdjsonFileSinkOptions } from "./ndjson-file-sink";
export {
  EventBridgeSink,
  type BusEvent,
  type EventBridgeSinkOptions,
  type EventBridgeSinkStats,
} from "./eventbridge-sink";
export { embeddedMetricLine } from "./metrics-reporter";
