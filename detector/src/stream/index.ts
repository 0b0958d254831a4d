export { runStreamDetector, type DetectorStats, type DetectorSummary, type StreamDetectorOptions } from "./run-stream-detector";
export type { CheckpointStore, Checkpoints, ShardCheckpoint } from "./checkpoint-store";
export { FileCheckpointStore } from "./file-checkpoint-store";
export { S3CheckpointStore } from "./s3-checkpoint-store";
export type { OutputSink } from "./output-sink";
export { FirehoseSink } from "./firehose-sink";
export { NdjsonFileSink, type NdjsonFileSinkOptions } from "./ndjson-file-sink";
export { embeddedMetricLine } from "./metrics-reporter";
