import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  type _Record as KinesisRecord,
} from "@aws-sdk/client-kinesis";
import { fullJitterDelay, KINESIS_GET_RECORDS_PER_SECOND_PER_SHARD, KINESIS_MAX_RECORDS_PER_GET, sleep } from "@hotspots/core";

/** Kinesis allows 5 GetRecords per second per shard: at least this long between two calls on one shard. */
export const GET_RECORDS_MIN_INTERVAL_MS = Math.ceil(1000 / KINESIS_GET_RECORDS_PER_SECOND_PER_SHARD);
const THROTTLE_BACKOFF = { baseDelayMs: 250, maxDelayMs: 5_000 };
/** Errors after which the same call is tried again later: the shard or the account is over its rate. */
const THROTTLING_ERRORS = new Set(["ProvisionedThroughputExceededException", "LimitExceededException", "ThrottlingException"]);

/**
 * Reads one shard: holds its iterator and a queue of records fetched but not yet processed, paces
 * GetRecords to the per-shard limit, renews an expired iterator after the last record fetched, and
 * notices the end of a closed shard (no NextShardIterator).
 */
export class ShardReader {
  private iterator: string | undefined;
  private queue: KinesisRecord[] = [];
  private head = 0;
  private nextCallAt = 0;
  private throttledCalls = 0;
  private lastFetched: string | undefined;
  /** Sequence number of the last record handed out by `take` (checkpointed once delivered). */
  lastProcessed: string | undefined;
  /** The shard is closed and every record was fetched. */
  closed = false;
  /** The last GetRecords found the tip of the shard: an empty queue does not hold back other shards. */
  caughtUp = false;
  /** MillisBehindLatest of the last GetRecords. */
  lagMs = 0;

  constructor(
    private readonly kinesis: KinesisClient,
    private readonly streamName: string,
    readonly shardId: string,
    /** Resume after this sequence number (a checkpoint), else from TRIM_HORIZON. */
    startAfter: string | undefined,
    private readonly limit: number = KINESIS_MAX_RECORDS_PER_GET,
  ) {
    this.lastProcessed = startAfter;
    this.lastFetched = startAfter;
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
    if (this.iterator === undefined) this.iterator = await this.shardIterator();
    this.nextCallAt = Date.now() + GET_RECORDS_MIN_INTERVAL_MS;
    let response;
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
    const records = response.Records ?? [];
    if (records.length > 0) {
      this.queue.push(...records);
      this.lastFetched = records[records.length - 1].SequenceNumber;
    }
    this.lagMs = response.MillisBehindLatest ?? 0;
    this.caughtUp = this.lagMs === 0 && records.length < this.limit;
    this.iterator = response.NextShardIterator ?? undefined;
    if (this.iterator === undefined) this.closed = true;
    return records.length;
  }

  private async shardIterator(): Promise<string> {
    const request = this.lastFetched
      ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER" as const, StartingSequenceNumber: this.lastFetched }
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
