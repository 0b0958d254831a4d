import { PutEventsCommand, type EventBridgeClient } from "@aws-sdk/client-eventbridge";
import {
  BatchPutError,
  EVENTBRIDGE_RETRYABLE_ENTRY_CODES,
  HOTSPOT_EVENT_SOURCE,
  putWithRetry,
  type PutEntryResult,
  type PutRetryOptions,
  type SendBatch,
} from "@hotspots/core";
import { nextBatch, toBusEntry, type BusEntry, type BusEvent } from "./eventbridge-batches";

export type { BusEvent } from "./eventbridge-batches";

export interface EventBridgeSinkOptions {
  /** Give it `maxAttempts: 1`, so retries happen (and are counted) once, in putWithRetry. */
  readonly client: EventBridgeClient;
  /** The bus name (or ARN), e.g. `<prefix>-hotspots`. */
  readonly busName: string;
  /** @default HOTSPOT_EVENT_SOURCE ("hotspots.detector"); the stacks' rules match this source. */
  readonly source?: string;
  /** Attempts, backoff, abort signal... of core's putWithRetry. Entries are retried only on the codes EventBridge documents as retryable. */
  readonly retry?: PutRetryOptions;
}

export interface EventBridgeSinkStats {
  /** Events EventBridge accepted. */
  readonly delivered: number;
  /** PutEvents requests made, retries included. */
  readonly requests: number;
  /** Entries sent again after EventBridge failed them individually. */
  readonly retriedEntries: number;
}

/**
 * PutEvents as a SendBatch for putWithRetry: Entries[i] of the response is the result of entry i
 * (an ErrorCode when EventBridge failed it; FailedEntryCount is their number).
 */
export function eventBridgePutEvents(client: EventBridgeClient, busName: string): SendBatch<BusEntry> {
  return async (entries, signal) => {
    const response = await client.send(
      new PutEventsCommand({
        Entries: entries.map((e) => ({
          EventBusName: busName,
          Source: e.source,
          DetailType: e.detailType,
          Detail: e.detail,
        })),
      }),
      { abortSignal: signal },
    );
    return (response.Entries ?? []).map(
      (r): PutEntryResult =>
        r.ErrorCode ? { ok: false, errorCode: r.ErrorCode, errorMessage: r.ErrorMessage } : { ok: true },
    );
  };
}

/**
 * Hotspot lifecycle events to an EventBridge bus with PutEvents: source `hotspots.detector`,
 * detail-type "Hotspot <type>" (core's HOTSPOT_DETAIL_TYPES), detail the event JSON.
 *
 * `put(events)` queues the events and sends every request that is full (10 entries, or as many as
 * fit below 256 KiB); `flush()` sends the rest and resolves once EventBridge accepted every event put
 * before it, or rejects with core's BatchPutError. The stream detector flushes before each
 * checkpoint, as it does its OutputSink, so an event is either accepted or put again after a restart
 * (at least once; `eventId` is the same on both, for consumers to drop the repeat).
 *
 * Order: a request holds at most one event per hotspot, and the next request goes only after the
 * previous one succeeded entirely (failed entries retried by index, core's putWithRetry), so the
 * events of one hotspot are accepted in the order they were put. A failed flush leaves its events
 * queued, in order, for the next flush. Calls are serialized.
 */
export class EventBridgeSink<E extends BusEvent = BusEvent> {
  readonly busName: string;
  readonly source: string;
  private readonly send: SendBatch<BusEntry>;
  private readonly retry: PutRetryOptions;
  private queue: BusEntry[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private counts = { delivered: 0, requests: 0, retriedEntries: 0 };

  constructor(options: EventBridgeSinkOptions) {
    if (typeof options.busName !== "string" || options.busName === "")
      throw new RangeError(`EventBridgeSink busName must be a bus name or ARN, got ${JSON.stringify(options.busName)}`);
    this.busName = options.busName;
    this.source = options.source ?? HOTSPOT_EVENT_SOURCE;
    this.send = eventBridgePutEvents(options.client, options.busName);
    this.retry = { isRetryableEntry: (code) => EVENTBRIDGE_RETRYABLE_ENTRY_CODES.includes(code), ...options.retry };
  }

  /** Events queued and not yet accepted. */
  get pending(): number {
    return this.queue.length;
  }

  get stats(): EventBridgeSinkStats {
    return { ...this.counts };
  }

  /** Queues the events (in order) and sends the requests that are full. */
  async put(events: readonly E[]): Promise<void> {
    // Entries are built first, so an event no request could carry rejects the call, naming it, and nothing of it is queued.
    const entries = events.map((e) => toBusEntry(e, this.source));
    return this.serialized(async () => {
      this.queue.push(...entries);
      await this.drain(true);
    });
  }

  /** Sends everything queued; resolves once all of it is accepted. */
  flush(): Promise<void> {
    return this.serialized(() => this.drain(false));
  }

  close(): Promise<void> {
    return this.flush();
  }

  private serialized(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async drain(onlyFull: boolean): Promise<void> {
    while (this.queue.length > 0) {
      const { indices, full } = nextBatch(this.queue);
      if (onlyFull && !full) return;
      const taken = new Set(indices);
      const batch = indices.map((i) => this.queue[i]);
      this.queue = this.queue.filter((_, i) => !taken.has(i));
      try {
        const outcome = await putWithRetry(batch, this.send, this.retry);
        this.counts.requests += outcome.attempts;
        this.counts.retriedEntries += outcome.retriedEntries;
        this.counts.delivered += batch.length;
      } catch (error) {
        if (error instanceof BatchPutError) {
          this.counts.requests += error.outcome.attempts;
          this.counts.retriedEntries += error.outcome.retriedEntries;
          const unsent = new Set((error.unsent as readonly { entry: BusEntry }[]).map((u) => u.entry));
          this.counts.delivered += batch.length - unsent.size;
          // Back in front: each is its hotspot's first entry, ahead of any later one still queued.
          this.queue = [...batch.filter((e) => unsent.has(e)), ...this.queue];
        } else {
          this.queue = [...batch, ...this.queue];
        }
        throw error;
      }
    }
  }
}
