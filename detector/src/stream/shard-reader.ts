import {
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type KinesisClient,
  type _Record as KinesisRecord,
} from "@aws-sdk/client-kinesis";
import {
  fullJitterDelay,
  KINESIS_GET_RECORDS_PER_SECOND_PER_SHARD,
  KINESIS_MAX_RECORDS_PER_GET,
  sleep,
} from "@hotspots/core";
import { compareSequenceNumbers } from "./arrival-order";

/** Kinesis allows 5 GetRecords per second per shard: at least this long between two calls on one shard. */
export const GET_RECORDS_MIN_INTERVAL_MS = Math.ceil(1000 / KINESIS_GET_RECORDS_PER_SECOND_PER_SHARD);
const THROTTLE_BACKOFF = { baseDelayMs: 250, maxDelayMs: 5_000 };
/** Errors after which the same call is tried again later: the shard or the account is over its rate. */
const THROTTLING_ERRORS = new Set([
  "ProvisionedThroughputExceededException",
  "LimitExceededException",
  "ThrottlingException",
]);
/** GetShardIterator's answers for a shard or a sequence number it no longer has (trimmed, or from another stream). */
const GONE_ERRORS = new Set(["ResourceNotFoundException", "InvalidArgumentException"]);

/** Where a reader starts and stops; without `after` or `at` it starts at TRIM_HORIZON. */
export interface ShardRange {
  /** Resume after this sequence number (a checkpoint). */
  readonly after?: string;
  /**
   * Start exactly at this record (a window's oldest record). When the shard no longer holds it
   * (expired from the stream's retention, or the shard is gone), the reader reads nothing and sets `startLost`.
   */
  readonly at?: string;
  /** Stop after this record (inclusive): the reader is `closed` once it fetched it. */
  readonly through?: string;
  /** Records per GetRecords, 1..KINESIS_MAX_RECORDS_PER_GET. */
  readonly limit?: number;
}

/**
 * Reads one shard: holds its iterator and a queue of records fetched but not yet processed, paces
 * GetRecords to the per-shard limit, renews an expired iterator after the last record fetched, and
 * notices the end of a closed shard (no NextShardIterator) or of its range (`through`).
 */
export class ShardReader {
  private iterator: string | undefined;
  private queue: KinesisRecord[] = [];
  private head = 0;
  private nextCallAt = 0;
  private throttledCalls = 0;
  private lastFetched: string | undefined;
  private readonly at: string | undefined;
  private readonly through: string | undefined;
  private readonly limit: number;
  /** Sequence number of the last record handed out by `take` (checkpointed once delivered). */
  lastProcessed: string | undefined;
  /** The shard is closed (or the range ended, or its start was lost) and every record was fetched. */
  closed = false;
  /** The last GetRecords found the tip of the shard: an empty queue does not hold back other shards. */
  caughtUp = false;
  /** MillisBehindLatest of the last GetRecords. */
  lagMs = 0;
  /** The record `at` is no longer in the shard (or the shard is gone): nothing was read. Why, for a log line. */
  startLost: string | undefined;

  constructor(
    private readonly kinesis: KinesisClient,
    private readonly streamName: string,
    readonly shardId: string,
    range: ShardRange = {},
  ) {
    this.lastProcessed = range.after;
    this.lastFetched = range.after;
    this.at = range.after === undefined ? range.at : undefined;
    this.through = range.through;
    this.limit = range.limit ?? KINESIS_MAX_RECORDS_PER_GET;
  }

  get pending(): number {
    return this.queue.length - this.head;
  }

  /** The next record in shard order, or undefined when the queue is empty. */
  peek(): KinesisRecord | undefined {
    return this.head < this.queue.length ? this.queue[this.head] : undefined;
  }

  take(): KinesisRecord {
    const record = this.queue[this.head++];
    this.lastProcessed = record.SequenceNumber;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    }
    return record;
  }

  /** The shard is closed and everything in it was processed. */
  get finished(): boolean {
    return this.closed && this.pending === 0;
  }

  /** One GetRecords (after the pacing delay); returns how many records arrived. */
  async fetch(signal?: AbortSignal): Promise<number> {
    if (this.closed) return 0;
    const wait = this.nextCallAt - Date.now();
    if (wait > 0) await sleep(wait, signal);
    if (signal?.aborted) return 0;
    if (this.iterator === undefined) {
      try {
        this.iterator = await this.shardIterator();
      } catch (error) {
        const name = (error as { name?: string }).name ?? "";
        if (!this.mustStartAt || !GONE_ERRORS.has(name)) throw error;
        return this.loseStart(`GetShardIterator answered ${name}`);
      }
    }
    this.nextCallAt = Date.now() + GET_RECORDS_MIN_INTERVAL_MS;
    let response: GetRecordsCommandOutput;
    try {
      response = await this.kinesis.send(new GetRecordsCommand({ ShardIterator: this.iterator, Limit: this.limit }));
    } catch (error) {
      const name = (error as { name?: string }).name ?? "";
      if (name === "ExpiredIteratorException") {
        this.iterator = undefined;
        return 0;
      }
      if (THROTTLING_ERRORS.has(name)) {
        this.nextCallAt = Date.now() + fullJitterDelay(++this.throttledCalls, THROTTLE_BACKOFF);
        return 0;
      }
      throw error;
    }
    this.throttledCalls = 0;
    let records = response.Records ?? [];
    this.lagMs = response.MillisBehindLatest ?? 0;
    this.caughtUp = this.lagMs === 0 && records.length < this.limit;
    this.iterator = response.NextShardIterator ?? undefined;
    if (this.mustStartAt) {
      // GetRecords may answer empty before it reaches the first record; the first one must be `at` itself.
      if (records.length === 0 && this.iterator !== undefined && !this.caughtUp) return 0;
      if (records[0]?.SequenceNumber !== this.at) {
        return this.loseStart(
          records.length === 0
            ? "the shard has no record from there"
            : `the shard now starts at ${records[0].SequenceNumber}`,
        );
      }
    }
    if (this.through !== undefined) {
      const through = this.through;
      const end = records.findIndex((r) => compareSequenceNumbers(r.SequenceNumber ?? "", through) >= 0);
      if (end >= 0) {
        records = records.slice(0, records[end].SequenceNumber === through ? end + 1 : end);
        this.iterator = undefined;
      } else if (this.caughtUp) {
        // At the tip without meeting `through`: nothing more of the range can come.
        this.iterator = undefined;
      }
    }
    if (records.length > 0) {
      this.queue.push(...records);
      this.lastFetched = records[records.length - 1].SequenceNumber;
    }
    if (this.iterator === undefined) this.closed = true;
    return records.length;
  }

  /** Still to check that the first record fetched is `at`. */
  private get mustStartAt(): boolean {
    return this.at !== undefined && this.lastFetched === undefined && this.startLost === undefined;
  }

  private loseStart(reason: string): number {
    this.startLost = reason;
    this.iterator = undefined;
    this.closed = true;
    return 0;
  }

  private async shardIterator(): Promise<string> {
    const request = this.lastFetched
      ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER" as const, StartingSequenceNumber: this.lastFetched }
      : this.at
        ? { ShardIteratorType: "AT_SEQUENCE_NUMBER" as const, StartingSequenceNumber: this.at }
        : { ShardIteratorType: "TRIM_HORIZON" as const };
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.kinesis.send(
          new GetShardIteratorCommand({ StreamName: this.streamName, ShardId: this.shardId, ...request }),
        );
        if (!response.ShardIterator) throw new Error(`GetShardIterator returned no iterator for ${this.shardId}`);
        return response.ShardIterator;
      } catch (error) {
        if (!THROTTLING_ERRORS.has((error as { name?: string }).name ?? "") || attempt >= 8) throw error;
        await sleep(fullJitterDelay(attempt, THROTTLE_BACKOFF));
      }
    }
  }
}
