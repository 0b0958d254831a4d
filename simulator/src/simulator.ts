import { DescribeStreamSummaryCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import type { S3Client } from "@aws-sdk/client-s3";
import {
  DEFAULT_PARTITION_KEY_FIELD,
  DEFAULT_PUT_BACKOFF,
  DEFAULT_PUT_MAX_ATTEMPTS,
  ECS_DEFAULT_STOP_TIMEOUT_SECONDS,
  KINESIS_MAX_RECORDS_PER_PUT,
  type BackoffSettings,
} from "@hotspots/core";
import { CongestionWindow } from "./congestion-window";
import { SimulatorInputError } from "./errors";
import { kinesisPutRecords } from "./kinesis-put-records";
import { describeInput, parseInput, resolveSources, type CsvSource, type InputSpec } from "./input-source";
import { LaneSender } from "./lane-sender";
import { RatePacer, ReplayPacer, type Pacer } from "./pacing";
import { RunState, type SimulatorProgress, type SkippedRow } from "./run-state";
import { streamSource, type SourceReading } from "./source-reader";

export { SKIPPED_ROW_EXAMPLES, type SimulatorProgress, type SkippedRow } from "./run-state";

/** The seed's BUFFER_SIZE: records per PutRecords request. */
export const DEFAULT_BATCH_SIZE = 200;
/** Batches in flight: a PutRecords round trip of ~50 ms keeps 2 shards x 1000 records/s busy with 2; 4 leaves room. */
export const DEFAULT_MAX_IN_FLIGHT = 4;
/** Stop deadline: well inside ECS's 30 s between SIGTERM and SIGKILL, leaving time to print the summary. */
export const DEFAULT_DRAIN_TIMEOUT_MS = (ECS_DEFAULT_STOP_TIMEOUT_SECONDS - 10) * 1000;
export const DEFAULT_PROGRESS_INTERVAL_MS = 10_000;
export const MAX_IN_FLIGHT_LIMIT = 64;
export const MAX_ATTEMPTS_LIMIT = 100;

export interface SimulatorOptions {
  /** A CSV file path, `s3://bucket/key`, `s3://bucket/prefix/`, or an InputSpec (SRC_DATA_BUCKET + PREFIX). */
  readonly input: string | InputSpec;
  readonly streamName: string;
  /** Created once by the caller; give it `maxAttempts: 1` (see createSimulatorClients) so retries are counted once. */
  readonly kinesis: KinesisClient;
  /** Needed for s3:// inputs. */
  readonly s3?: S3Client;
  /** Records per PutRecords request, 1..500. Default 200. */
  readonly batchSize?: number;
  /** Records per second; undefined or 0: as fast as the stream takes them. */
  readonly rate?: number;
  /** Follow the rows' event_time, divided by `speed` (default 1). Not with `rate`. */
  readonly replay?: boolean;
  readonly speed?: number;
  /** Stream the input again and again until stopped (the ECS service mode). */
  readonly loop?: boolean;
  /** CSV column whose value is the partition key. Default player_id. */
  readonly partitionKey?: string;
  /** Batches in flight at most. Default 4. */
  readonly maxInFlight?: number;
  /** Requests per batch, the first included. Default 8. */
  readonly maxAttempts?: number;
  readonly backoff?: BackoffSettings;
  /** After `signal` aborts, how long the batches in flight get to finish. Default 20 s. */
  readonly drainTimeoutMs?: number;
  /** Aborting stops reading; what was read is sent (within drainTimeoutMs) and the summary returned. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SimulatorProgress) => void;
  readonly progressIntervalMs?: number;
}

export interface SimulatorSummary {
  readonly input: string;
  readonly streamName: string;
  /** Passes over the input started (more than 1 with --loop). */
  readonly passes: number;
  /** Data rows read (header lines and empty lines not counted). */
  readonly rowsRead: number;
  /** Records the stream accepted. */
  readonly recordsSent: number;
  readonly rowsSkipped: number;
  /** The first skipped rows, with line numbers and reasons. */
  readonly skipped: readonly SkippedRow[];
  /** Records sent again after PutRecords failed them individually. */
  readonly retriedEntries: number;
  /** Requests sent again after a whole request failed (throttling, 5xx, dropped connection). */
  readonly requestRetries: number;
  readonly throttledAttempts: number;
  /** Records read and valid but not accepted by the stream. */
  readonly unsent: number;
  readonly unsentByError: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
  readonly stoppedBy: "end" | "signal" | "error";
  /** Why the run stopped early, when it did. */
  readonly error?: string;
  /** 0: every valid row accepted; 1: records left unsent or a failure; 2: bad input. */
  readonly exitCode: 0 | 1 | 2;
}

interface Settings {
  batchSize: number;
  maxInFlight: number;
  maxAttempts: number;
  partitionKey: string;
  drainTimeoutMs: number;
  progressIntervalMs: number;
  pacer?: Pacer;
}

/**
 * Streams the rows of the input into the Kinesis stream and resolves with a summary.
 *
 * Rows are read as a stream (memory stays flat whatever the input size), typed by the event record
 * definition and put as one JSON record each, keyed by the partition key column. Batches go out
 * over lanes chosen by partition key, one request per lane at a time, so one key's records are
 * written in the order read; only the entries a PutRecords fails are sent again. Throws a
 * SimulatorInputError (before sending anything) for bad options, a missing stream, file, bucket,
 * object or an empty prefix; problems found later end up in the summary (`error`, `exitCode`).
 */
export async function runSimulator(options: SimulatorOptions): Promise<SimulatorSummary> {
  const settings = checkOptions(options);
  const spec = typeof options.input === "string" ? parseInput(options.input) : options.input;
  await checkStream(options.kinesis, options.streamName);
  const sources = await resolveSources(spec, options.s3);

  const started = Date.now();
  const stop = stopControl(options.signal, settings.drainTimeoutMs);
  const window = new CongestionWindow(settings.maxInFlight);
  const sender = new LaneSender(
    kinesisPutRecords(options.kinesis, options.streamName),
    settings.maxInFlight,
    settings.batchSize,
    window,
    { maxAttempts: settings.maxAttempts, backoff: options.backoff ?? DEFAULT_PUT_BACKOFF },
    stop.deadline,
  );
  const state = new RunState(started, sender, window);
  const progressTimer = options.onProgress
    ? setInterval(() => options.onProgress!(state.snapshot()), settings.progressIntervalMs)
    : undefined;

  let error: unknown;
  try {
    await streamPasses(
      { sender, state, partitionKey: settings.partitionKey, pacer: settings.pacer, stop: stop.reading },
      spec,
      sources,
      options,
    );
  } catch (e) {
    error = e;
  } finally {
    await sender.drain();
    stop.dispose();
    if (progressTimer) clearInterval(progressTimer);
  }
  if (options.onProgress) options.onProgress(state.snapshot());
  return summarize(options.streamName, describeInput(spec), state, sender, stop.stoppedBy(), error);
}

/**
 * Aborting `signal` stops the reading at once and gives the batches in flight `drainTimeoutMs`
 * to finish before `deadline` aborts them.
 */
function stopControl(signal: AbortSignal | undefined, drainTimeoutMs: number) {
  const reading = new AbortController();
  const deadline = new AbortController();
  let deadlineTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  const onStop = () => {
    if (reading.signal.aborted) return;
    stopped = true;
    reading.abort();
    deadlineTimer = setTimeout(() => deadline.abort(), drainTimeoutMs);
  };
  if (signal?.aborted) onStop();
  signal?.addEventListener("abort", onStop, { once: true });
  return {
    reading: reading.signal,
    deadline: deadline.signal,
    stoppedBy: (): SimulatorSummary["stoppedBy"] => (stopped ? "signal" : "end"),
    dispose: () => {
      clearTimeout(deadlineTimer);
      signal?.removeEventListener("abort", onStop);
    },
  };
}

/** One pass over the sources, or (with `loop`) pass after pass until stopped or failed. */
async function streamPasses(
  run: SourceReading,
  spec: InputSpec,
  sources: CsvSource[],
  options: SimulatorOptions,
): Promise<void> {
  const { sender, state, stop } = run;
  for (;;) {
    run.pacer?.restart();
    state.startPass(sources.every((s) => s.size !== undefined) ? sources.reduce((n, s) => n + s.size!, 0) : undefined);
    let valid = 0;
    for (const source of sources) {
      valid += await streamSource(run, source);
      if (sender.failure || stop.aborted) break;
    }
    if (!options.loop || sender.failure || stop.aborted) return;
    if (valid === 0)
      throw new SimulatorInputError(`input ${describeInput(spec)}: no valid rows to send again and again (--loop)`);
    sources = await resolveSources(spec, options.s3);
  }
}

function summarize(
  streamName: string,
  input: string,
  state: RunState,
  sender: LaneSender,
  stoppedBy: SimulatorSummary["stoppedBy"],
  error: unknown,
): SimulatorSummary {
  const failure = error ?? sender.failure;
  const totals = sender.totals;
  return {
    input,
    streamName,
    passes: state.passes,
    rowsRead: state.rowsRead,
    recordsSent: totals.sent,
    rowsSkipped: state.rowsSkipped,
    skipped: state.skipped(),
    retriedEntries: totals.retriedEntries,
    requestRetries: totals.requestRetries,
    throttledAttempts: totals.throttledAttempts,
    unsent: totals.unsent,
    unsentByError: totals.unsentByError,
    elapsedMs: Date.now() - state.started,
    stoppedBy: failure ? "error" : stoppedBy,
    error: failure ? (failure instanceof Error ? failure.message : String(failure)) : undefined,
    exitCode: error instanceof SimulatorInputError ? 2 : failure || totals.unsent > 0 ? 1 : 0,
  };
}

function checkOptions(options: SimulatorOptions): Settings {
  const int = (name: string, value: number | undefined, fallback: number, min: number, max: number): number => {
    const v = value ?? fallback;
    if (!Number.isInteger(v) || v < min || v > max)
      throw new SimulatorInputError(`${name} must be an integer from ${min} to ${max}, got ${v}`);
    return v;
  };
  const positive = (name: string, value: number): number => {
    if (!Number.isFinite(value) || value <= 0)
      throw new SimulatorInputError(`${name} must be a number > 0, got ${value}`);
    return value;
  };
  if (!options.streamName) throw new SimulatorInputError("stream name is missing; give --stream NAME or STREAM_NAME");
  if (options.replay && options.rate) throw new SimulatorInputError("--rate and --replay exclude each other; give one");
  if (options.speed !== undefined && !options.replay) throw new SimulatorInputError("--speed goes with --replay");
  const drainTimeoutMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
  if (
    !Number.isFinite(drainTimeoutMs) ||
    drainTimeoutMs < 0 ||
    drainTimeoutMs >= ECS_DEFAULT_STOP_TIMEOUT_SECONDS * 1000
  ) {
    throw new SimulatorInputError(
      `drain timeout (--drain-timeout) must be from 0 to under ${ECS_DEFAULT_STOP_TIMEOUT_SECONDS} s (the ECS stop timeout), got ${drainTimeoutMs / 1000} s`,
    );
  }
  return {
    batchSize: int("batch size (--batch-size)", options.batchSize, DEFAULT_BATCH_SIZE, 1, KINESIS_MAX_RECORDS_PER_PUT),
    maxInFlight: int(
      "batches in flight (--max-in-flight)",
      options.maxInFlight,
      DEFAULT_MAX_IN_FLIGHT,
      1,
      MAX_IN_FLIGHT_LIMIT,
    ),
    maxAttempts: int("attempts (--max-attempts)", options.maxAttempts, DEFAULT_PUT_MAX_ATTEMPTS, 1, MAX_ATTEMPTS_LIMIT),
    partitionKey: options.partitionKey || DEFAULT_PARTITION_KEY_FIELD,
    drainTimeoutMs,
    progressIntervalMs: positive(
      "progress interval (--progress-interval)",
      options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS,
    ),
    pacer: options.replay
      ? new ReplayPacer(positive("speed (--speed)", options.speed ?? 1))
      : options.rate !== undefined && options.rate !== 0
        ? new RatePacer(positive("rate (--rate)", options.rate))
        : undefined,
  };
}

/** A missing stream is a one-line error before anything is read. */
async function checkStream(kinesis: KinesisClient, streamName: string): Promise<void> {
  try {
    const { StreamDescriptionSummary } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: streamName }),
    );
    const status = StreamDescriptionSummary?.StreamStatus;
    if (status === "DELETING") throw new SimulatorInputError(`stream ${streamName}: being deleted`);
  } catch (error) {
    if (error instanceof SimulatorInputError) throw error;
    const e = error as { name?: string; message?: string };
    if (e.name === "ResourceNotFoundException")
      throw new SimulatorInputError(`stream ${streamName}: not found; create it or give another --stream`);
    throw new SimulatorInputError(
      `stream ${streamName}: cannot describe it (${e.name ?? "Error"}: ${e.message ?? String(error)})`,
    );
  }
}
