import {
  BatchAccumulator,
  BatchPutError,
  KINESIS_PUT_RECORDS_LIMITS,
  putWithRetry,
  type KinesisPutEntry,
  type PutOutcome,
  type PutRetryOptions,
  type SendBatch,
} from "@hotspots/core";
import type { CongestionWindow } from "./congestion-window";

export interface SendTotals {
  /** Records the stream accepted. */
  sent: number;
  retriedEntries: number;
  requestRetries: number;
  throttledAttempts: number;
  /** Records given up on (attempts exhausted, an error retrying cannot fix, or the stop deadline). */
  unsent: number;
  unsentByError: Record<string, number>;
}

interface Lane {
  readonly batch: BatchAccumulator<KinesisPutEntry>;
  /** The lane's request in flight, retries included; never rejects. */
  busy: Promise<void> | undefined;
  /** When the batch being collected got its first entry (ms), for pacing. */
  firstAt: number;
}

/**
 * Sends entries in batches over `laneCount` lanes. The lane of an entry follows from its partition
 * key, and a lane has one request in flight at most, its retries included, so the batches holding
 * one key are written one after the other, in the order they were read. The congestion window
 * limits how many requests (first attempts and retries alike) are in flight at once. `add` only waits when the entry's lane has a full batch
 * and is still busy: that wait is what pauses reading.
 */
export class LaneSender {
  readonly totals: SendTotals = {
    sent: 0,
    retriedEntries: 0,
    requestRetries: 0,
    throttledAttempts: 0,
    unsent: 0,
    unsentByError: {},
  };
  /** The first error that stopped a batch for good (not the stop deadline). */
  failure: Error | undefined;
  private readonly lanes: Lane[];

  constructor(
    private readonly send: SendBatch<KinesisPutEntry>,
    laneCount: number,
    batchSize: number,
    private readonly window: CongestionWindow,
    private readonly retry: PutRetryOptions,
    /** Aborted at the stop deadline: retries end and what is left is counted unsent. */
    private readonly deadline: AbortSignal,
  ) {
    this.lanes = Array.from({ length: laneCount }, () => ({
      batch: new BatchAccumulator<KinesisPutEntry>(KINESIS_PUT_RECORDS_LIMITS, batchSize),
      busy: undefined,
      firstAt: 0,
    }));
  }

  /** Queues an entry; returns a promise only when the caller has to wait. */
  add(entry: KinesisPutEntry, now = 0): Promise<void> | undefined {
    const lane = this.lanes[laneOf(entry.partitionKey, this.lanes.length)];
    if (lane.batch.size === 0) lane.firstAt = now;
    const closed = lane.batch.add(entry);
    if (!closed) return undefined;
    lane.firstAt = now;
    return this.dispatch(lane, closed);
  }

  /** Sends the batches being collected; with `startedBefore`, only those whose first entry is older. */
  async flush(startedBefore = Infinity): Promise<void> {
    for (const lane of this.lanes) {
      if (lane.batch.size > 0 && lane.firstAt <= startedBefore) await this.dispatch(lane, lane.batch.take());
    }
  }

  /** Sends everything collected and waits until every lane is done. */
  async drain(): Promise<void> {
    await this.flush();
    await Promise.all(this.lanes.map((lane) => lane.busy));
  }

  /** Entries collected but not yet handed to a request. */
  get queued(): number {
    let n = 0;
    for (const lane of this.lanes) n += lane.batch.size;
    return n;
  }

  private async dispatch(lane: Lane, batch: KinesisPutEntry[]): Promise<void> {
    if (lane.busy) await lane.busy;
    lane.busy = this.put(batch);
  }

  private async put(batch: KinesisPutEntry[]): Promise<void> {
    try {
      const outcome = await putWithRetry(batch, this.send, {
        ...this.retry,
        signal: this.deadline,
        // Each request, first or retry, takes a slot of the window only while it is in flight.
        beforeAttempt: () => this.window.acquire(),
        onAttempt: (report) => {
          this.window.release();
          if (report.throttled) this.window.report(true);
          else if (report.sent > 0 && report.error === undefined && report.failed === 0) this.window.report(false);
        },
      });
      this.totals.sent += batch.length;
      this.count(outcome);
    } catch (error) {
      if (error instanceof BatchPutError) {
        this.totals.sent += batch.length - error.unsent.length;
        this.totals.unsent += error.unsent.length;
        for (const u of error.unsent)
          this.totals.unsentByError[u.errorCode] = (this.totals.unsentByError[u.errorCode] ?? 0) + 1;
        this.count(error.outcome);
        if (error.failure !== "aborted") this.failure ??= error;
      } else {
        this.totals.unsent += batch.length;
        this.failure ??= error instanceof Error ? error : new Error(String(error));
      }
    }
  }

  private count(outcome: PutOutcome): void {
    this.totals.retriedEntries += outcome.retriedEntries;
    this.totals.requestRetries += outcome.requestRetries;
    this.totals.throttledAttempts += outcome.throttledAttempts;
  }
}

/** FNV-1a over the key's UTF-16 code units: cheap, and spreads player ids evenly over the lanes. */
export function laneOf(key: string, lanes: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % lanes;
}
