/**
 * @hotspots/detector: the HOTSPOTS function as an incremental engine, and its runtimes.
 *
 * - HotspotDetector: the engine (pure): `new HotspotDetector(params).push(values)` -> HOTSPOTS_RESULT string.
 * - runStreamDetector: the engine on a Kinesis stream, output to an OutputSink (FirehoseSink, which
 *   packs lines into Firehose records, or NdjsonFileSink), checkpoints in a CheckpointStore (FileCheckpointStore or S3CheckpointStore).
 * - runOffline: the engine over a CSV or NDJSON file.
 * - serializeOutputLine(record, detector.hotspotsResultJson): an output record as one JSON line.
 * - HotspotTracker: stable hotspot ids and lifecycle events, fed by the engine's component changes (pure).
 */
export * from "./engine";
export * from "./stream";
export * from "./tracking";
export { serializeOutputLine, serializeOutputRecord } from "./output-record";
export { runOffline, type OfflineRunOptions, type OfflineSummary } from "./offline/run-offline";
