/**
 * Request batching within a batch API's limits, shared by the simulator (Kinesis PutRecords) and
 * the detector (Firehose PutRecordBatch): the entry type, each API's limits (entries and bytes per
 * request, bytes per entry, partition key length, from core/src/aws-limits.ts), the check that tells
 * why an entry can never be sent, and the accumulator that closes a batch when the next entry would
 * not fit. Pure logic; sending and retrying are in core/src/batched-put.ts.
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
