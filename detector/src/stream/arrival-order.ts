/** Order of records across shards: ApproximateArrivalTimestamp, then sequence number. Pure. */

export interface ArrivingRecord {
  readonly arrivalMs: number;
  readonly sequenceNumber: string;
}

/** Compares Kinesis sequence numbers (decimal strings of up to 128 bits) without BigInt. */
export function compareSequenceNumbers(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareArrival(a: ArrivingRecord, b: ArrivingRecord): number {
  if (a.arrivalMs !== b.arrivalMs) return a.arrivalMs - b.arrivalMs;
  return compareSequenceNumbers(a.sequenceNumber, b.sequenceNumber);
}

/** A shard's queue of fetched records, as the merge sees it (a ShardReader). */
export interface QueuedShard {
  peek(): { ApproximateArrivalTimestamp?: Date; SequenceNumber?: string } | undefined;
  /** Nothing more will be fetched. */
  readonly closed: boolean;
  /** The last fetch found the tip: an empty queue does not hold the others back. */
  readonly caughtUp: boolean;
}

/**
 * The shard whose next record arrived first, or undefined when none may go yet: a shard that is
 * behind and has nothing queued could still hold an earlier record.
 */
export function nextInArrivalOrder<S extends QueuedShard>(shards: Iterable<S>): S | undefined {
  let best: S | undefined;
  let bestKey: ArrivingRecord | undefined;
  for (const shard of shards) {
    const record = shard.peek();
    if (record === undefined) {
      if (!shard.closed && !shard.caughtUp) return undefined;
      continue;
    }
    const key = {
      arrivalMs: record.ApproximateArrivalTimestamp?.getTime() ?? 0,
      sequenceNumber: record.SequenceNumber ?? "",
    };
    if (bestKey === undefined || compareArrival(key, bestKey) < 0) {
      best = shard;
      bestKey = key;
    }
  }
  return best;
}
