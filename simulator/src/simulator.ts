import type { Readable } from "node:stream";
import { finished, pipeline } from "node:stream";
import { parse, type CsvError } from "csv-parse";
import { DescribeStreamSummaryCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import type { S3Client } from "@aws-sdk/client-s3";
import {
  DEFAULT_PARTITION_KEY_FIELD,
  DEFAULT_PUT_BACKOFF,
  DEFAULT_PUT_MAX_ATTEMPTS,
  ECS_DEFAULT_STOP_TIMEOUT_SECONDS,
  KINESIS_MAX_BYTES_PER_RECORD,
  KINESIS_MAX_RECORDS_PER_PUT,
  sleep,
  type BackoffSettings,
} from "@hotspots/core";
import { CongestionWindow } from "./congestion-window";
import { SimulatorInputError } from "./errors";
import { EventRows } from "./event-rows";
import { kinesisPutRecords } from "./kinesis-put-records";
import { describeInput, parseInput, resolveSources, type CsvSource, type InputSpec } from "./input-source";
import { LaneSender } from "./lane-sender";
import { LineGuard } from "./line-guard";
import { RatePacer, ReplayPacer, type Pacer } from "./pacing";

/** The seed's BUFFER_SIZE: records per PutRecords request. */
export const DEFAULT_BATCH_SIZE = 200;
/** Batches in flight: a PutRecords round trip of ~50 ms keeps 2 shards x 1000 records/s busy with 2; 4 leaves room. */
export const DEFAULT_MAX_IN_FLIGHT = 4;
/** Stop deadline: well inside ECS's 30 s between SIGTERM and SIGKILL, leaving time to print the summary. */
export const DEFAULT_DRAIN_TIMEOUT_MS = (ECS_DEFAULT_STOP_TIMEOUT_SECONDS - 10) * 1000;
export const DEFAULT_PROGRESS_INTERVAL_MS = 10_000;
/** How many skipped rows the summary lists by line number. */
export const SKIPPED_ROW_EXAMPLES = 10;
/** A paced batch waits at most this long for more rows before it is sent. */
const PACED_LINGER_MS = 200;
/** Pacing waits shorter than this are not worth a timer: the rows go out together. */
const MIN_PACING_SLEEP_MS = 10;

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
  /** Records per second; default as fast as the stream takes them. */
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

export interface SkippedRow {
  readonly source: string;
  readonly line: number;
  readonly reason: string;
}

export interface SimulatorProgress {
  readonly elapsedMs: number;
  readonly pass: number;
  readonly source: string;
  readonly rowsRead: number;
  readonly recordsSent: number;
  readonly rowsSkipped: number;
  readonly retriedEntries: number;
  readonly requestRetries: number;
  readonly unsent: number;
  /** Records accepted per second since the previous report. */
  readonly recordsPerSecond: number;
  readonly inFlight: number;
  /** Batches allowed in flight now (shrinks while the stream throttles). */
  readonly window: number;
  /** Bytes of the current pass read so far, and in all (when every size is known). */
  readonly bytesRead: number;
  readonly totalBytes?: number;
  /** Seconds to the end of the current pass, from the read rate so far. */
  readonly etaSeconds?: number;
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
  const inputName = describeInput(spec);
  await checkStream(options.kinesis, options.streamName);
  let sources = await resolveSources(spec, options.s3);

  const started = Date.now();
  const stopReading = new AbortController();
  const deadline = new AbortController();
  let deadlineTimer: NodeJS.Timeout | undefined;
  let stoppedBy: SimulatorSummary["stoppedBy"] = "end";
  const onStop = () => {
    if (stopReading.signal.aborted) return;
    stoppedBy = "signal";
    stopReading.abort();
    deadlineTimer = setTimeout(() => deadline.abort(), settings.drainTimeoutMs);
  };
  if (options.signal?.aborted) onStop();
  options.signal?.addEventListener("abort", onStop, { once: true });

  const window = new CongestionWindow(settings.maxInFlight);
  const sender = new LaneSender(
    kinesisPutRecords(options.kinesis, options.streamName),
    settings.maxInFlight,
    settings.batchSize,
    window,
    { maxAttempts: settings.maxAttempts, backoff: options.backoff ?? DEFAULT_PUT_BACKOFF },
    deadline.signal,
  );
  const counts = { rowsRead: 0, rowsSkipped: 0, passes: 0 };
  // The line guard reports broken lines a chunk ahead of the parser: examples are sorted by source and line at the end.
  const skipped: Array<SkippedRow & { readonly sourceNumber: number }> = [];
  let sourceNumber = 0;
  const skip = (source: string, line: number, reason: string) => {
    counts.rowsRead++;
    counts.rowsSkipped++;
    if (skipped.length < SKIPPED_ROW_EXAMPLES) skipped.push({ source, line, reason, sourceNumber });
  };

  // What the progress reports look at.
  const current = { source: "", passStarted: started, bytesDone: 0, guard: undefined as LineGuard | undefined, totalBytes: undefined as number | undefined };
  let lastReport = { at: started, sent: 0 };
  const snapshot = (): SimulatorProgress => {
    const now = Date.now();
    const bytesRead = current.bytesDone + (current.guard?.bytesRead ?? 0);
    const passSeconds = (now - current.passStarted) / 1000;
    const etaSeconds =
      current.totalBytes !== undefined && bytesRead > 0 && passSeconds > 0
        ? Math.max(0, (current.totalBytes - bytesRead) / (bytesRead / passSeconds))
        : undefined;
    const recordsPerSecond = ((sender.totals.sent - lastReport.sent) * 1000) / Math.max(1, now - lastReport.at);
    lastReport = { at: now, sent: sender.totals.sent };
    return {
      elapsedMs: now - started,
      pass: counts.passes,
      source: current.source,
      rowsRead: counts.rowsRead,
      recordsSent: sender.totals.sent,
      rowsSkipped: counts.rowsSkipped,
      retriedEntries: sender.totals.retriedEntries,
      requestRetries: sender.totals.requestRetries,
      unsent: sender.totals.unsent,
      recordsPerSecond: Math.round(recordsPerSecond),
      inFlight: window.inFlight,
      window: window.size,
      bytesRead,
      totalBytes: current.totalBytes,
      etaSeconds: etaSeconds === undefined ? undefined : Math.round(etaSeconds),
    };
  };
  const progressTimer = options.onProgress ? setInterval(() => options.onProgress!(snapshot()), settings.progressIntervalMs) : undefined;

  /** Reads one CSV source to its end (or until stopped); returns how many valid rows it had. */
  const streamSource = async (source: CsvSource): Promise<number> => {
    current.source = source.name;
    sourceNumber++;
    const body: Readable = await source.open(stopReading.signal);
    const guard = new LineGuard((line, reason) => skip(source.name, line, reason), KINESIS_MAX_BYTES_PER_RECORD);
    current.guard = guard;
    // The guard leaves one record per line, so a record's line number is its count: no per-record
    // info objects (they halve csv-parse's speed). An empty line comes out as [""] and is passed over.
    const parser = parse({ bom: true, relax_column_count: true, record_delimiter: ["\r\n", "\n"], skip_records_with_error: true });
    let line = 0;
    parser.on("skip", (error: CsvError) => skip(source.name, ++line, `unreadable CSV: ${error.message}`));
    pipeline(body, guard, parser, () => undefined); // errors surface in the loop below
    const stop = () => body.destroy();
    stopReading.signal.addEventListener("abort", stop, { once: true });
    const rows = new EventRows(source.name, settings.partitionKey);
    const pacer = settings.pacer;
    let header = true;
    let valid = 0;
    // Records are taken from the parser's buffer in a plain loop, a chunk's worth at a time: an
    // async iterator would cost a promise per record. `wake` ends the wait for the next chunk.
    let wake: (() => void) | undefined;
    const poke = () => {
      const resume = wake;
      wake = undefined;
      resume?.();
    };
    let ended = false;
    let parseError: unknown;
    parser.on("readable", poke);
    finished(parser, { writable: false }, (error) => {
      ended = true;
      parseError = error;
      poke();
    });
    try {
      for (;;) {
        // Checked before each row, so a run stopped before it starts sends nothing.
        if (sender.failure || stopReading.signal.aborted) break;
        const record = parser.read() as string[] | null;
        if (record === null) {
          if (ended) {
            if (parseError) throw parseError;
            break;
          }
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        line++;
        if (record.length === 1 && record[0] === "") continue;
        if (header) {
          rows.setHeader(record);
          header = false;
          continue;
        }
        const entry = rows.toEntry(record);
        if (!entry) {
          skip(source.name, line, rows.problem);
          continue;
        }
        counts.rowsRead++;
        valid++;
        let now = 0;
        if (pacer) {
          now = Date.now();
          const due = pacer.dueAt(rows.eventTime(record), now);
          if (due - now > MIN_PACING_SLEEP_MS) {
            await sender.flush(due - PACED_LINGER_MS);
            await sleep(due - Date.now(), stopReading.signal);
            now = Date.now();
          }
        }
        const wait = sender.add(entry, now);
        if (wait) await wait;
      }
    } catch (error) {
      if (!stopReading.signal.aborted) throw error;
    } finally {
      stopReading.signal.removeEventListener("abort", stop);
      body.destroy();
      current.bytesDone += guard.bytesRead;
      current.guard = undefined;
    }
    return valid;
  };

  let error: unknown;
  try {
    for (;;) {
      counts.passes++;
      settings.pacer?.restart();
      current.passStarted = Date.now();
      current.bytesDone = 0;
      current.totalBytes = sources.every((s) => s.size !== undefined) ? sources.reduce((n, s) => n + s.size!, 0) : undefined;
      let valid = 0;
      for (const source of sources) {
        valid += await streamSource(source);
        if (sender.failure || stopReading.signal.aborted) break;
      }
      if (!options.loop || sender.failure || stopReading.signal.aborted) break;
      if (valid === 0) throw new SimulatorInputError(`input ${inputName}: no valid rows to send again and again (--loop)`);
      sources = await resolveSources(spec, options.s3);
    }
  } catch (e) {
    error = e;
  } finally {
    await sender.drain();
    clearTimeout(deadlineTimer);
    if (progressTimer) clearInterval(progressTimer);
    options.signal?.removeEventListener("abort", onStop);
  }
  if (options.onProgress) options.onProgress(snapshot());

  const failure = error ?? sender.failure;
  const totals = sender.totals;
  const exitCode = error instanceof SimulatorInputError ? 2 : failure || totals.unsent > 0 ? 1 : 0;
  return {
    input: inputName,
    streamName: options.streamName,
    passes: counts.passes,
    rowsRead: counts.rowsRead,
    recordsSent: totals.sent,
    rowsSkipped: counts.rowsSkipped,
    skipped: skipped.sort((a, b) => a.sourceNumber - b.sourceNumber || a.line - b.line).map(({ source, line, reason }) => ({ source, line, reason })),
    retriedEntries: totals.retriedEntries,
    requestRetries: totals.requestRetries,
    throttledAttempts: totals.throttledAttempts,
    unsent: totals.unsent,
    unsentByError: totals.unsentByError,
    elapsedMs: Date.now() - started,
    stoppedBy: failure ? "error" : stoppedBy,
    error: failure ? (failure instanceof Error ? failure.message : String(failure)) : undefined,
    exitCode,
  };
}

function checkOptions(options: SimulatorOptions): Settings {
  const int = (name: string, value: number | undefined, fallback: number, min: number, max: number): number => {
    const v = value ?? fallback;
    if (!Number.isInteger(v) || v < min || v > max) throw new SimulatorInputError(`${name} must be an integer from ${min} to ${max}, got ${v}`);
    return v;
  };
  const positive = (name: string, value: number): number => {
    if (!Number.isFinite(value) || value <= 0) throw new SimulatorInputError(`${name} must be a number > 0, got ${value}`);
    return value;
  };
  if (!options.streamName) throw new SimulatorInputError("stream name is missing; give --stream NAME or STREAM_NAME");
  if (options.replay && options.rate !== undefined) throw new SimulatorInputError("--rate and --replay exclude each other; give one");
  if (options.speed !== undefined && !options.replay) throw new SimulatorInputError("--speed goes with --replay");
  const drainTimeoutMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
  if (!Number.isFinite(drainTimeoutMs) || drainTimeoutMs < 0 || drainTimeoutMs >= ECS_DEFAULT_STOP_TIMEOUT_SECONDS * 1000) {
    throw new SimulatorInputError(`drain timeout (--drain-timeout) must be from 0 to under ${ECS_DEFAULT_STOP_TIMEOUT_SECONDS} s (the ECS stop timeout), got ${drainTimeoutMs / 1000} s`);
  }
  return {
    batchSize: int("batch size (--batch-size)", options.batchSize, DEFAULT_BATCH_SIZE, 1, KINESIS_MAX_RECORDS_PER_PUT),
    maxInFlight: int("batches in flight (--max-in-flight)", options.maxInFlight, DEFAULT_MAX_IN_FLIGHT, 1, 64),
    maxAttempts: int("attempts (--max-attempts)", options.maxAttempts, DEFAULT_PUT_MAX_ATTEMPTS, 1, 100),
    partitionKey: options.partitionKey || DEFAULT_PARTITION_KEY_FIELD,
    drainTimeoutMs,
    progressIntervalMs: positive("progress interval (--progress-interval)", options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS),
    pacer: options.replay
      ? new ReplayPacer(positive("speed (--speed)", options.speed ?? 1))
      : options.rate !== undefined
        ? new RatePacer(positive("rate (--rate)", options.rate))
        : undefined,
  };
}

/** A missing stream is a one-line error before anything is read. */
async function checkStream(kinesis: KinesisClient, streamName: string): Promise<void> {
  try {
    const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    const status = StreamDescriptionSummary?.StreamStatus;
    if (status === "DELETING") throw new SimulatorInputError(`stream ${streamName}: being deleted`);
  } catch (error) {
    if (error instanceof SimulatorInputError) throw error;
    const e = error as { name?: string; message?: string };
    if (e.name === "ResourceNotFoundException") throw new SimulatorInputError(`stream ${streamName}: not found; create it or give another --stream`);
    throw new SimulatorInputError(`stream ${streamName}: cannot describe it (${e.name ?? "Error"}: ${e.message ?? String(error)})`);
  }
}
