/**
 * Batched puts with partial-failure retry, shared by the simulator (Kinesis PutRecords) and the
 * detector (Firehose PutRecordBatch). Pure logic: the request itself is a `send` function passed
 * in (each package's adapter sends its SDK client's command: simulator/src/kinesis-put-records.ts,
 * detector/src/stream/firehose-put-record-batch.ts), so it is tested without a network.
 *
 * Both APIs answer a batch with one result per entry, in request order; a failed entry carries an
 * error code while the others were written. Retrying the whole batch would write those again, so
 * only the failed entries are sent again, matched by index. Cutting entries into batches within a
 * service's limits is in ./put-batching, telling retryable errors from permanent ones in
 * ./put-error-classification; both are re-exported here, with ./backoff, for the callers of this module.
 */
import { type BackoffSettings, fullJitterDelay, sleep as timerSleep } from "./backoff";
import type { PutEntry } from "./put-batching";
import {
  describeError,
  isRetryableEntryCode,
  isRetryablePutError,
  isThrottlingCode,
  isThrottlingError,
} from "./put-error-classification";

export * from "./backoff";
export * from "./put-batching";
export * from "./put-error-classification";

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
