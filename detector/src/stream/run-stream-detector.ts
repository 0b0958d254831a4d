import { ListShardsCommand, type KinesisClient, type ListShardsCommandOutput } from "@aws-sdk/client-kinesis";
import {
  fullJitterDelay,
  KINESIS_MAX_RECORDS_PER_GET,
  NUMERIC_FIELD_NAMES,
  sleep,
  validateHotspotsParameters,
  type HotspotsParameters,
} from "@hotspots/core";
import { HotspotDetector } from "../engine";
import { serializeOutputLine } from "../output-record";
import { nextInArrivalOrder } from "./arrival-order";
import type { CheckpointedState, CheckpointStore, ShardCheckpoint } from "./checkpoint-store";
import { MetricsReporter } from "./metrics-reporter";
import type { OutputSink } from "./output-sink";
import { startableShards, type ShardInfo } from "./shard-lineage";
import { ShardReader } from "./shard-reader";
import { decodeStreamRecord } from "./stream-record";
import { StreamTracker, type StreamTracking } from "./stream-tracking";
import { WindowOrigins } from "./window-origins";
import { replayWindow } from "./window-replay";

/** Deliver and checkpoint every 5 s by default: at most this much output is delivered again after a crash. */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 5000;

export interface StreamDetectorOptions {
  /** Created once by the caller (core's createKinesisClient), AWS or a local endpoint. */
  readonly kinesis: KinesisClient;
  readonly streamName: string;
  /** Analysed columns must be numeric fields of the event record. */
  readonly params: HotspotsParameters;
  readonly sink: OutputSink;
  readonly checkpoints: CheckpointStore;
  /** Abort to stop: the run delivers what it processed, saves the checkpoints and resolves. */
  readonly signal?: AbortSignal;
  /** Wait between polls once every shard is at its tip. Default 1000 ms. */
  readonly pollIntervalMs?: number;
  /** Deliver (sink.flush) and checkpoint at least this often. Default DEFAULT_CHECKPOINT_INTERVAL_MS. */
  readonly checkpointIntervalMs?: number;
  /** One embedded-metric-format log line this often; 0 turns metrics off. Default 60000 ms. */
  readonly metricsIntervalMs?: number;
  /** Where metric lines go. Default: stdout (the container's log stream). */
  readonly log?: (line: string) => void;
  /** Look for new shards (resharding) at least this often. Default 30000 ms. */
  readonly shardRefreshIntervalMs?: number;
  /** Called after every batch of records was written to the sink. */
  readonly onProgress?: (stats: DetectorStats) => void;
  /** Hotspot tracking: stable ids and lifecycle events, handed to onEvents and put to eventSink after each batch. */
  readonly tracking?: StreamTracking;
  /** Records per GetRecords call, 1..KINESIS_MAX_RECORDS_PER_GET (the default). */
  readonly getRecordsLimit?: number;
  /** State kept in the checkpoint beside the window and handed back on restart (the tracker's). */
  readonly state?: CheckpointedState;
  /** Where one-line warnings go (a shard's window records lost). Default: stderr. */
  readonly warn?: (line: string) => void;
}

/** Running totals since the start of this run. */
export interface DetectorStats {
  /** Stream records read and processed (malformed ones included). */
  recordsIn: number;
  /** Output records written to the sink, one per valid input record. */
  recordsOut: number;
  /** Records that were not JSON or failed the event record definition, skipped. */
  malformedRecords: number;
  /** Hotspots in the current window. */
  hotspots: number;
  /** Shards being read now, and shards read to their end (closed by resharding). */
  shardsReading: number;
  shardsFinished: number;
  /** Checkpoints saved. */
  checkpointsSaved: number;
  /** Records re-read at start to rebuild the window: pushed through the engine, not output, not in recordsIn. */
  recordsReplayed: number;
  /** Valid records processed on this stream, across restarts (from the checkpoint): the last one's stream position. */
  position: number;
}

export interface DetectorSummary extends DetectorStats {
  /** The checkpoint of each shard as last saved (as loaded when none was saved). */
  readonly checkpoints: Readonly<Record<string, ShardCheckpoint>>;
}

/**
 * The HOTSPOTS detector on a Kinesis stream. Reads every shard (ListShards, GetShardIterator,
 * GetRecords at most 5 calls/s/shard), starting a child shard only when its parents are read to
 * their end; merges records across shards by ApproximateArrivalTimestamp, then sequence number;
 * writes one output record (input fields + HOTSPOTS_RESULT) per valid input record to the sink; and,
 * after each delivery (sink.flush), checkpoints each shard's last processed sequence number and
 * its oldest record still in the window.
 * On restart it first re-reads the window's records (replayWindow) and pushes them through the
 * engine without output, then each shard resumes AFTER_SEQUENCE_NUMBER of its checkpoint: no gap,
 * and the records processed after the last checkpoint come out again (at-least-once), with the
 * same results as the first time.
 *
 * Arrival order across shards holds within what was fetched: a shard at its tip does not hold back the others.
 */
export async function runStreamDetector(options: StreamDetectorOptions): Promise<DetectorSummary> {
  const { kinesis, streamName, sink, checkpoints, signal } = options;
  const params = validateHotspotsParameters(options.params, NUMERIC_FIELD_NAMES);
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const checkpointIntervalMs = options.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS;
  const metricsIntervalMs = options.metricsIntervalMs ?? 60_000;
  const shardRefreshIntervalMs = options.shardRefreshIntervalMs ?? 30_000;
  const metrics = new MetricsReporter(streamName, options.log ?? ((line) => process.stdout.write(`${line}\n`)));
  const warn = options.warn ?? ((line: string) => process.stderr.write(`detect: warning: ${line}\n`));
  const limit = options.getRecordsLimit ?? KINESIS_MAX_RECORDS_PER_GET;
  if (!Number.isInteger(limit) || limit < 1 || limit > KINESIS_MAX_RECORDS_PER_GET) {
    throw new Error(`getRecordsLimit must be an integer from 1 to ${KINESIS_MAX_RECORDS_PER_GET}, got ${limit}`);
  }

  const detector = new HotspotDetector(params);
  const tracker = options.tracking ? new StreamTracker(detector, params, options.tracking) : undefined;
  // The tracker's state is the checkpointed state, unless the caller keeps its own.
  const state = options.state ?? tracker;
  const origins = new WindowOrigins(params.windowSize);
  const values = new Float64Array(params.columns.length);
  const stats: DetectorStats = {
    recordsIn: 0,
    recordsOut: 0,
    malformedRecords: 0,
    hotspots: 0,
    shardsReading: 0,
    shardsFinished: 0,
    checkpointsSaved: 0,
    recordsReplayed: 0,
    position: 0,
  };

  const loaded = await checkpoints.load();
  const saved: Record<string, ShardCheckpoint> = { ...(loaded?.shards ?? {}) };
  let lastSaved: Readonly<Record<string, ShardCheckpoint>> = { ...saved };
  const finished = new Set(
    Object.entries(saved)
      .filter(([, c]) => c.finished)
      .map(([id]) => id),
  );
  const readers = new Map<string, ShardReader>();
  /** Finished since the last checkpoint: marked finished once their last output is delivered. */
  const finishedPending: string[] = [];
  let lastShardRefresh = 0;

  const refreshShards = async (listing?: ShardInfo[]) => {
    lastShardRefresh = Date.now();
    const shards = listing ?? (await listShards(kinesis, streamName));
    for (const shard of startableShards(shards, finished, new Set(readers.keys()))) {
      const after = saved[shard.shardId]?.sequenceNumber;
      readers.set(shard.shardId, new ShardReader(kinesis, streamName, shard.shardId, { after, limit }));
    }
    stats.shardsReading = readers.size;
  };

  const checkpoint = async () => {
    await sink.flush();
    // The events of the records before this checkpoint are accepted before it is saved (at least once).
    await options.tracking?.eventSink?.flush();
    for (const reader of readers.values()) {
      if (reader.lastProcessed !== undefined)
        saved[reader.shardId] = { ...saved[reader.shardId], sequenceNumber: reader.lastProcessed };
    }
    for (const shardId of finishedPending.splice(0)) saved[shardId] = { ...saved[shardId], finished: true };
    const windowStarts = origins.oldestByShard();
    const shards = Object.fromEntries(
      Object.entries(saved).map(([id, c]) => [id, { ...c, windowStart: windowStarts.get(id) ?? null }]),
    );
    const tracked = state?.save();
    lastSaved = shards;
    await checkpoints.save({
      streamName,
      updatedAt: new Date().toISOString(),
      position: stats.position,
      windowLength: detector.windowLength,
      shards,
      ...(tracked === undefined ? {} : { tracker: tracked }),
    });
    stats.checkpointsSaved++;
  };

  // Rebuild the window the checkpoint describes: its records, pushed without output, before any new record.
  const listing = await listShards(kinesis, streamName);
  let windowRebuilt = false;
  if (loaded?.windowLength !== undefined) {
    const replay = await replayWindow({
      kinesis,
      streamName,
      listing,
      checkpoints: loaded,
      limit,
      signal,
      warn,
      onRecord: (record, shardId) => {
        if (decodeStreamRecord(record.Data ?? new Uint8Array(0), params.columns, values) === undefined) return;
        detector.push(values);
        origins.add(shardId, record.SequenceNumber ?? "");
      },
    });
    // Stopped while replaying: the checkpoint on file still holds; saving one now would shrink its window.
    if (signal?.aborted) return { ...stats, checkpoints: lastSaved };
    stats.recordsReplayed = replay.records;
    // A smaller windowSize than at the checkpoint keeps the newest records of its window.
    const expected = Math.min(loaded.windowLength, params.windowSize);
    windowRebuilt = replay.lostShards.length === 0 && origins.size === expected;
    if (replay.lostShards.length === 0 && !windowRebuilt) {
      warn(`the window was rebuilt with ${origins.size} records where ${expected} were expected`);
    }
  }
  stats.position = loaded?.position ?? 0;
  state?.restore(loaded?.tracker, { position: stats.position, windowRebuilt });

  await refreshShards(listing);
  let lastCheckpoint = Date.now();
  let lastMetrics = Date.now();
  while (!signal?.aborted) {
    const hungry = [...readers.values()].filter((r) => r.pending === 0 && !r.closed);
    const fetched = (await Promise.all(hungry.map((r) => r.fetch(signal)))).reduce((a, b) => a + b, 0);
    if (signal?.aborted) break;
    for (const reader of readers.values()) metrics.lag(reader.lagMs);

    const lines: string[] = [];
    let malformed = 0;
    for (
      let reader = nextInArrivalOrder(readers.values());
      reader !== undefined;
      reader = nextInArrivalOrder(readers.values())
    ) {
      const record = reader.take();
      const event = decodeStreamRecord(record.Data ?? new Uint8Array(0), params.columns, values);
      if (event === undefined) {
        malformed++;
        continue;
      }
      detector.push(values);
      origins.add(reader.shardId, record.SequenceNumber ?? "");
      stats.position++;
      if (tracker) {
        tracker.afterPush(event, reader.shardId, record.SequenceNumber ?? "");
        lines.push(serializeOutputLine(event, tracker.resultJson));
      } else lines.push(serializeOutputLine(event, detector.hotspotsResultJson));
    }
    const processed = lines.length + malformed;
    if (processed > 0) {
      await sink.write(lines);
      stats.recordsIn += processed;
      stats.recordsOut += lines.length;
      stats.malformedRecords += malformed;
      stats.hotspots = detector.hotspots.length;
      metrics.add(processed, lines.length, malformed);
      await tracker?.batchDone();
    }

    let shardsClosed = false;
    for (const reader of [...readers.values()]) {
      if (!reader.finished) continue;
      readers.delete(reader.shardId);
      finished.add(reader.shardId);
      finishedPending.push(reader.shardId);
      if (reader.lastProcessed !== undefined)
        saved[reader.shardId] = { ...saved[reader.shardId], sequenceNumber: reader.lastProcessed };
      stats.shardsFinished++;
      shardsClosed = true;
    }
    if (shardsClosed || Date.now() - lastShardRefresh >= shardRefreshIntervalMs) await refreshShards();
    if (processed > 0) options.onProgress?.({ ...stats });

    const now = Date.now();
    if (now - lastCheckpoint >= checkpointIntervalMs || shardsClosed) {
      await checkpoint();
      lastCheckpoint = Date.now();
    }
    if (metricsIntervalMs > 0 && now - lastMetrics >= metricsIntervalMs) {
      metrics.emit(detector.hotspots.length, now);
      lastMetrics = now;
    }
    const idle = fetched === 0 && processed === 0 && [...readers.values()].every((r) => r.caughtUp || r.closed);
    if (idle) await sleep(pollIntervalMs, signal);
  }

  await checkpoint();
  if (metricsIntervalMs > 0) metrics.emit(detector.hotspots.length);
  stats.shardsReading = readers.size;
  return { ...stats, checkpoints: lastSaved };
}

/** ListShards answers LimitExceededException when called too often: back off and try again, this many times. */
const LIST_SHARDS_ATTEMPTS = 8;

async function listShards(kinesis: KinesisClient, streamName: string): Promise<ShardInfo[]> {
  const shards: ShardInfo[] = [];
  let nextToken: string | undefined;
  do {
    // With NextToken, ListShards must not name the stream.
    const request = new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName });
    let response: ListShardsCommandOutput | undefined;
    for (let attempt = 1; response === undefined; attempt++) {
      try {
        response = await kinesis.send(request);
      } catch (error) {
        if ((error as { name?: string }).name !== "LimitExceededException" || attempt >= LIST_SHARDS_ATTEMPTS)
          throw error;
        await sleep(fullJitterDelay(attempt, { baseDelayMs: 250, maxDelayMs: 5_000 }));
      }
    }
    for (const s of response.Shards ?? []) {
      if (!s.ShardId) continue;
      shards.push({
        shardId: s.ShardId,
        parentShardId: s.ParentShardId,
        adjacentParentShardId: s.AdjacentParentShardId,
      });
    }
    nextToken = response.NextToken;
  } while (nextToken);
  return shards;
}
