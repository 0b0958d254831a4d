/**
 * Batched puts with partial-failure retry, shared by the simulator (Kinesis PutRecords) and the
 * detector (Firehose PutRecordBatch). Pure logic: the request itself is a `send` function passed
 * in (each package's adapter sends its SDK client's command: simulator/src/kinesis-put-records.ts,
 * detector/src/stream/firehose-put-record-batch.ts), so it is tested without a network.
 *
 * Both APIs answer a batch with one result per entry, in request order; a failed entry carries an
 * error code while the others were written. Retrying the whole batch would write those again, so
 * only the failed entries are sent again, matched by index.
 */
import {
  FIREHOSE_MAX_BYTES_PER_BATCH,
  FIREHOSE_MAX_BYTES_PER_RECORD,
  FIREHOSE_MAX_RECORDS_PER_BATCH,
  KINESIS_MAX_BYTES_PER_PUT,
  KINESIS_MAX_BYTES_PER_RECORD,
  KINESIS_MAX_PARTITION_KEY_LENGTH,
  KINESIS_MAX_RECORDS_PER_PUT,
} from "./aws-limits";
import { type BackoffSettings, fullJitterDelay, sleep as timerSleep } from "./backoff";

export * from "./backoff";

/** One record to put: its bytes and, for Kinesis, its partition key. */
export interface PutEntry {
  readonly data: Uint8Array;
  readonly partitionKey?: string;
}

/** A Kinesis record: its bytes and the partition key that picks its shard. */
export interface KinesisPutEntry extends PutEntry {
  readonly partitionKey: string;
}

/** The limits of one batch API. */
export interface BatchLimits {
  /** Name used in messages, e.g. "Kinesis PutRecords". */
  readonly api: string;
  readonly maxEntries: number;
  /** Per request, partition keys included. */
  readonly maxBytes: number;
  /** Per entry, partition key included. */
  readonly maxEntryBytes: number;
  /** When set, every entry needs a partition key of 1 to this many characters. */
  readonly maxPartitionKeyLength?: number;
}

export const KINESIS_PUT_RECORDS_LIMITS: BatchLimits = {
  api: "Kinesis PutRecords",
  maxEntries: KINESIS_MAX_RECORDS_PER_PUT,
  maxBytes: KINESIS_MAX_BYTES_PER_PUT,
  maxEntryBytes: KINESIS_MAX_BYTES_PER_RECORD,
  maxPartitionKeyLength: KINESIS_MAX_PARTITION_KEY_LENGTH,
};

export const FIREHOSE_PUT_RECORD_BATCH_LIMITS: BatchLimits = {
  api: "Firehose PutRecordBatch",
  maxEntries: FIREHOSE_MAX_RECORDS_PER_BATCH,
  maxBytes: FIREHOSE_MAX_BYTES_PER_BATCH,
  maxEntryBytes: FIREHOSE_MAX_BYTES_PER_RECORD,
};

/** Bytes an entry counts against the limits: data plus the UTF-8 partition key. */
export function entryBytes(entry: PutEntry): number {
  return entry.data.byteLength + (entry.partitionKey === undefined ? 0 : Buffer.byteLength(entry.partitionKey, "utf8"));
}

/** Why an entry can never be sent under these limits, or undefined when it can. */
export function entryProblem(entry: PutEntry, limits: BatchLimits): string | undefined {
  const bytes = entryBytes(entry);
  if (bytes > limits.maxEntryBytes) {
    return `record of ${bytes} bytes is over the ${limits.api} limit of ${limits.maxEntryBytes} bytes per record`;
  }
  if (limits.maxPartitionKeyLength !== undefined) {
    const key = entry.partitionKey;
    if (key === undefined || key.length === 0)
      return `empty partition key; ${limits.api} needs 1 to ${limits.maxPartitionKeyLength} characters`;
    if (key.length > limits.maxPartitionKeyLength) {
      return `partition key of ${key.length} characters is over the ${limits.api} limit of ${limits.maxPartitionKeyLength}`;
    }
  }
  return undefined;
}

/** Checks a requested batch size against the API's maximum; returns it or throws a one-line RangeError. */
export function checkBatchSize(size: number, limits: BatchLimits): number {
  if (!Number.isInteger(size) || size < 1 || size > limits.maxEntries) {
    throw new RangeError(`batch size must be an integer from 1 to ${limits.maxEntries} (${limits.api}), got ${size}`);
  }
  return size;
}

/**
 * Collects entries into batches of at most `maxEntries` entries and `limits.maxBytes` bytes.
 * `add` hands back the current batch when the new entry does not fit in it; `take` empties it.
 * Entries must have passed `entryProblem` (an entry over the per-entry limit throws).
 */
export class BatchAccumulator<T extends PutEntry> {
  private entries: T[] = [];
  private bytes = 0;
  private readonly maxEntries: number;

  constructor(
    private readonly limits: BatchLimits,
    maxEntries: number = limits.maxEntries,
  ) {
    this.maxEntries = checkBatchSize(maxEntries, limits);
  }

  get size(): number {
    return this.entries.length;
  }

  add(entry: T): T[] | undefined {
    const bytes = entryBytes(entry);
    if (bytes > this.limits.maxEntryBytes) throw new RangeError(entryProblem(entry, this.limits));
    let closed: T[] | undefined;
    if (
      this.entries.length >= this.maxEntries ||
      (this.entries.length > 0 && this.bytes + bytes > this.limits.maxBytes)
    ) {
      closed = this.take();
    }
    this.entries.push(entry);
    this.bytes += bytes;
    return closed;
  }

  /** The batch collected so far (possibly empty); the accumulator starts a new one. */
  take(): T[] {
    const batch = this.entries;
    this.entries = [];
    this.bytes = 0;
    return batch;
  }
}

export interface RejectedEntry<T> {
  readonly index: number;
  readonly entry: T;
  readonly reason: string;
}

/** Cuts a list of entries into batches within the limits; entries that can never be sent are returned apart. */
export function chunkEntries<T extends PutEntry>(
  entries: Iterable<T>,
  limits: BatchLimits,
  maxEntries: number = limits.maxEntries,
): { batches: T[][]; rejected: RejectedEntry<T>[] } {
  const accumulator = new BatchAccumulator<T>(limits, maxEntries);
  const batches: T[][] = [];
  const rejected: RejectedEntry<T>[] = [];
  let index = 0;
  for (const entry of entries) {
    const reason = entryProblem(entry, limits);
    if (reason) rejected.push({ index, entry, reason });
    else {
      const closed = accumulator.add(entry);
      if (closed) batches.push(closed);
    }
    index++;
  }
  const last = accumulator.take();
  if (last.length > 0) batches.push(last);
  return { batches, rejected };
}

/** The outcome of one entry of a batch request, in request order. */
export type PutEntryResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly errorCode: string; readonly errorMessage?: string };

/**
 * Sends one request. Resolves with one result per entry in request order, or rejects when the
 * whole request failed (throttling, 5xx, a dropped connection, a missing stream...).
 */
export type SendBatch<T> = (entries: readonly T[], signal?: AbortSignal) => Promise<readonly PutEntryResult[]>;

/** What happened on one attempt; lets a caller slow down while the service throttles. */
export interface PutAttemptReport {
  readonly attempt: number;
  readonly sent: number;
  readonly failed: number;
  /** The service pushed back (throttling codes on entries or on the request). */
  readonly throttled: boolean;
  /** The error of a whole-request failure. */
  readonly error?: unknown;
}

export interface PutRetryOptions {
  /** Attempts in total, the first included. Default 8. */
  readonly maxAttempts?: number;
  /** Default: first delay below 100 ms, none above 5 s. */
  readonly backoff?: BackoffSettings;
  /** Aborting stops further attempts (and is passed to `send`); the pending entries are reported unsent. */
  readonly signal?: AbortSignal;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  readonly isRetryableError?: (error: unknown) => boolean;
  readonly isRetryableEntry?: (errorCode: string) => boolean;
  /** Awaited before each request: a caller's limit on requests in flight (released in onAttempt). */
  readonly beforeAttempt?: () => Promise<void> | void;
  /** Called once after each request that `beforeAttempt` let through, whatever its outcome. */
  readonly onAttempt?: (report: PutAttemptReport) => void;
}

export interface PutOutcome {
  /** Requests made, the first included. */
  readonly attempts: number;
  /** Entries sent again after the service failed them individually. */
  readonly retriedEntries: number;
  /** Whole requests sent again after a request-level failure. */
  readonly requestRetries: number;
  /** Attempts on which the service throttled. */
  readonly throttledAttempts: number;
}

export interface UnsentEntry<T> {
  readonly entry: T;
  readonly errorCode: string;
  readonly errorMessage?: string;
}

export type BatchPutFailure = "attempts-exhausted" | "not-retryable" | "aborted";

/** Entries that could not be put; `unsent` lists each with its last error. */
export class BatchPutError<T = PutEntry> extends Error {
  constructor(
    readonly failure: BatchPutFailure,
    readonly unsent: readonly UnsentEntry<T>[],
    readonly total: number,
    readonly outcome: PutOutcome,
  ) {
    super(describeUnsent(failure, unsent, total, outcome.attempts));
    this.name = "BatchPutError";
  }
}

export const DEFAULT_PUT_MAX_ATTEMPTS = 8;
export const DEFAULT_PUT_BACKOFF: BackoffSettings = { baseDelayMs: 100, maxDelayMs: 5_000 };

/**
 * Puts `entries` with `send`, retrying only what failed: failed entries (by index) and whole
 * requests that failed for a transient reason, with exponential backoff and full jitter, up to
 * `maxAttempts` requests. Throws BatchPutError listing what could not be sent.
 */
export async function putWithRetry<T>(
  entries: readonly T[],
  send: SendBatch<T>,
  options: PutRetryOptions = {},
): Promise<PutOutcome> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_PUT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new RangeError(`maxAttempts must be an integer >= 1, got ${maxAttempts}`);
  const backoff = options.backoff ?? DEFAULT_PUT_BACKOFF;
  const sleep = options.sleep ?? timerSleep;
  const random = options.random ?? Math.random;
  const isRetryableError = options.isRetryableError ?? isRetryablePutError;
  const isRetryableEntry = options.isRetryableEntry ?? isRetryableEntryCode;
  const signal = options.signal;

  let pending: number[] = entries.map((_, i) => i);
  const lastError = new Map<number, { errorCode: string; errorMessage?: string }>();
  const permanent: number[] = [];
  let attempts = 0;
  let retriedEntries = 0;
  let requestRetries = 0;
  let throttledAttempts = 0;
  const outcome = (): PutOutcome => ({ attempts, retriedEntries, requestRetries, throttledAttempts });
  const fail = (failure: BatchPutFailure, indices: number[]): never => {
    const unsent = indices
      .sort((a, b) => a - b)
      .map((i) => ({
        entry: entries[i],
        ...(lastError.get(i) ?? { errorCode: "Aborted", errorMessage: "not attempted before the deadline" }),
      }));
    throw new BatchPutError<T>(failure, unsent, entries.length, outcome());
  };

  while (pending.length > 0) {
    if (signal?.aborted) fail("aborted", pending.concat(permanent));
    await options.beforeAttempt?.();
    if (signal?.aborted) {
      options.onAttempt?.({ attempt: attempts, sent: 0, failed: 0, throttled: false });
      fail("aborted", pending.concat(permanent));
    }
    attempts++;
    const batch = pending.map((i) => entries[i]);
    let results: readonly PutEntryResult[];
    try {
      results = await send(batch, signal);
    } catch (error) {
      const { errorCode, errorMessage } = describeError(error);
      for (const i of pending) lastError.set(i, { errorCode, errorMessage });
      const throttled = isThrottlingError(error);
      if (throttled) throttledAttempts++;
      options.onAttempt?.({ attempt: attempts, sent: batch.length, failed: batch.length, throttled, error });
      if (signal?.aborted) fail("aborted", pending.concat(permanent));
      if (!isRetryableError(error)) fail("not-retryable", pending.concat(permanent));
      if (attempts >= maxAttempts) fail("attempts-exhausted", pending.concat(permanent));
      requestRetries++;
      await sleep(fullJitterDelay(attempts, backoff, random), signal);
      continue;
    }
    if (!Array.isArray(results) || results.length !== batch.length) {
      options.onAttempt?.({ attempt: attempts, sent: batch.length, failed: batch.length, throttled: false });
      for (const i of pending) {
        lastError.set(i, {
          errorCode: "InvalidResponse",
          errorMessage: `expected ${batch.length} results, got ${results?.length}`,
        });
      }
      fail("not-retryable", pending.concat(permanent));
    }
    const retry: number[] = [];
    let throttled = false;
    for (let j = 0; j < results.length; j++) {
      const result = results[j];
      if (result.ok) continue;
      const index = pending[j];
      lastError.set(index, { errorCode: result.errorCode, errorMessage: result.errorMessage });
      if (isThrottlingCode(result.errorCode)) throttled = true;
      (isRetryableEntry(result.errorCode) ? retry : permanent).push(index);
    }
    if (throttled) throttledAttempts++;
    options.onAttempt?.({
      attempt: attempts,
      sent: batch.length,
      failed: results.length - countOk(results),
      throttled,
    });
    pending = retry;
    if (pending.length === 0) break;
    if (attempts >= maxAttempts) fail("attempts-exhausted", pending.concat(permanent));
    retriedEntries += pending.length;
    await sleep(fullJitterDelay(attempts, backoff, random), signal);
  }
  if (permanent.length > 0) fail("not-retryable", permanent);
  return outcome();
}

function countOk(results: readonly PutEntryResult[]): number {
  let n = 0;
  for (const r of results) if (r.ok) n++;
  return n;
}

/** Error codes with which AWS APIs say "slow down" (as the AWS SDK classifies them). */
const THROTTLING_CODES = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "LimitExceededException",
  "SlowDown",
  "KMSThrottlingException",
  "BandwidthLimitExceeded",
]);

/** Service-side failures that a later attempt may not meet. */
const TRANSIENT_CODES = new Set([
  "InternalFailure",
  "InternalFailureException",
  "InternalServerError",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
]);

/** Socket-level failures: the connection dropped, was refused or timed out. */
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/** Entry error codes that will fail the same way again (access, encryption key, validation). */
const PERMANENT_ENTRY_CODES = new Set([
  "AccessDeniedException",
  "InvalidArgumentException",
  "ValidationException",
  "ResourceNotFoundException",
  "KMSAccessDeniedException",
  "KMSDisabledException",
  "KMSInvalidStateException",
  "KMSNotFoundException",
  "KMSOptInRequired",
]);

export function isThrottlingCode(code: string): boolean {
  return THROTTLING_CODES.has(code);
}

/** Kinesis entries fail with ProvisionedThroughputExceededException or InternalFailure, Firehose's with ServiceUnavailableException or InternalFailure: all worth another try. */
export function isRetryableEntryCode(code: string): boolean {
  return !PERMANENT_ENTRY_CODES.has(code);
}

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  /** clockSkewCorrected: the SDK's signer moved its clock to the server's Date on this error answer. */
  $metadata?: { httpStatusCode?: number; clockSkewCorrected?: boolean };
  $retryable?: unknown;
}

export function isThrottlingError(error: unknown): boolean {
  const e = error as ErrorLike | undefined;
  return (
    !!e &&
    (THROTTLING_CODES.has(e.name ?? "") ||
      e.$metadata?.httpStatusCode === 429 ||
      !!(e.$retryable as { throttling?: boolean } | undefined)?.throttling)
  );
}

/**
 * Whether a whole-request failure may succeed on another attempt: throttling, 5xx, timeouts,
 * dropped connections and a request refused for a clock the SDK has since corrected are (as the
 * SDK's own retry strategy has them); a missing stream, a validation error or denied access are not.
 */
export function isRetryablePutError(error: unknown, depth = 0): boolean {
  const e = error as ErrorLike | undefined;
  if (!e || typeof e !== "object") return false;
  if (e.name === "AbortError") return false;
  if (isThrottlingError(e)) return true;
  if (TRANSIENT_CODES.has(e.name ?? "") || NETWORK_CODES.has(e.code ?? "")) return true;
  if (e.$retryable !== undefined || e.$metadata?.clockSkewCorrected) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  if (typeof e.message === "string" && /socket hang up|ECONNRESET|EPIPE|timed? ?out/i.test(e.message)) return true;
  return e.cause !== undefined && depth < 5 && isRetryablePutError(e.cause, depth + 1);
}

/** The code and message an error is reported with: the AWS error name, or the socket error code. */
export function describeError(error: unknown): { errorCode: string; errorMessage?: string } {
  const e = error as ErrorLike | undefined;
  if (!e || typeof e !== "object") return { errorCode: "Error", errorMessage: String(error) };
  const errorCode =
    e.code && NETWORK_CODES.has(e.code) ? e.code : e.name && e.name !== "Error" ? e.name : (e.code ?? "Error");
  return { errorCode, errorMessage: e.message };
}

function describeUnsent<T>(
  failure: BatchPutFailure,
  unsent: readonly UnsentEntry<T>[],
  total: number,
  attempts: number,
): string {
  const counts = new Map<string, number>();
  for (const u of unsent) counts.set(u.errorCode, (counts.get(u.errorCode) ?? 0) + 1);
  const codes = [...counts].map(([code, n]) => `${code} x${n}`).join(", ");
  const why =
    failure === "aborted"
      ? "stopped before they were accepted"
      : failure === "not-retryable"
        ? "failed with an error that retrying cannot fix"
        : `still failing after ${attempts} attempts`;
  const first = unsent[0]?.errorMessage ? ` (first: ${unsent[0].errorMessage})` : "";
  return `${unsent.length} of ${total} records not sent, ${why}: ${codes}${first}`;
}
