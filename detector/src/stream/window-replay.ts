import type { KinesisClient, _Record as KinesisRecord } from "@aws-sdk/client-kinesis";
import { nextInArrivalOrder } from "./arrival-order";
import type { Checkpoints } from "./checkpoint-store";
import { startableShards, type ShardInfo } from "./shard-lineage";
import { ShardReader } from "./shard-reader";

export interface WindowReplayOptions {
  readonly kinesis: KinesisClient;
  readonly streamName: string;
  /** The stream's shards now (ListShards): parents and children, and which shards are gone. */
  readonly listing: readonly ShardInfo[];
  readonly checkpoints: Checkpoints;
  /** Records per GetRecords. */
  readonly limit?: number;
  readonly signal?: AbortSignal;
  /** Each record of the window, in the order it was processed before the restart. */
  readonly onRecord: (record: KinesisRecord, shardId: string) => void;
  /** One line per shard whose records in the window cannot be read again. */
  readonly warn: (line: string) => void;
}

export interface WindowReplay {
  /** Records re-read (malformed ones included). */
  readonly records: number;
  /** Shards whose window records were lost: the window lacks them (a cold start for those shards). */
  readonly lostShards: readonly string[];
}

/**
 * Re-reads the records of the window saved in a checkpoint: each shard from its `windowStart`
 * (AT_SEQUENCE_NUMBER) through its checkpointed `sequenceNumber`, merged across shards as the
 * stream detector merged them (ApproximateArrivalTimestamp, then sequence number), a child shard
 * after its parents (as when they were first read). These are exactly the records the window held:
 * the window is the last records processed, so from a shard's oldest record in it on, every record
 * processed from that shard is in it too.
 *
 * The caller replays before reading anything new: every record replayed was processed before the
 * checkpoint and every new one after it. A record's place in the arrival order alone would not
 * say so, as a shard at its tip does not hold the others back: a record can arrive in it, stamped
 * a little earlier than one already processed from another shard, and be processed after it.
 *
 * A shard no longer listed (closed and expired after resharding), or whose `windowStart` record
 * is no longer in it (expired from the stream's retention), is left out with a warning.
 */
export async function replayWindow(options: WindowReplayOptions): Promise<WindowReplay> {
  const { kinesis, streamName, checkpoints, signal } = options;
  const listed = new Map(options.listing.map((s) => [s.shardId, s]));
  const ranges = new Map<string, { at: string; through: string }>();
  const lostShards: string[] = [];
  for (const [shardId, shard] of Object.entries(checkpoints.shards)) {
    if (typeof shard.windowStart !== "string" || shard.sequenceNumber === undefined) continue;
    if (!listed.has(shardId)) {
      options.warn(
        `${shardId} is no longer in ${streamName}: its records in the window are lost, the window starts without them`,
      );
      lostShards.push(shardId);
      continue;
    }
    ranges.set(shardId, { at: shard.windowStart, through: shard.sequenceNumber });
  }

  const toReplay = [...ranges.keys()].map((id) => listed.get(id) as ShardInfo);
  const done = new Set<string>();
  const readers = new Map<string, ShardReader>();
  const startReaders = () => {
    for (const shard of startableShards(toReplay, done, new Set(readers.keys()))) {
      const range = ranges.get(shard.shardId) as { at: string; through: string };
      readers.set(
        shard.shardId,
        new ShardReader(kinesis, streamName, shard.shardId, { ...range, limit: options.limit }),
      );
    }
  };

  let records = 0;
  startReaders();
  while (readers.size > 0 && !signal?.aborted) {
    const hungry = [...readers.values()].filter((r) => r.pending === 0 && !r.closed);
    await Promise.all(hungry.map((r) => r.fetch(signal)));
    for (const reader of readers.values()) {
      if (reader.startLost === undefined) continue;
      const at = ranges.get(reader.shardId)?.at;
      options.warn(
        `${reader.shardId}: record ${at}, the oldest of the window, is no longer in the stream (${reader.startLost}): the window starts without this shard's records`,
      );
      lostShards.push(reader.shardId);
    }
    for (
      let reader = nextInArrivalOrder(readers.values());
      reader !== undefined;
      reader = nextInArrivalOrder(readers.values())
    ) {
      options.onRecord(reader.take(), reader.shardId);
      records++;
    }
    let someDone = false;
    for (const reader of [...readers.values()]) {
      if (!reader.finished) continue;
      readers.delete(reader.shardId);
      done.add(reader.shardId);
      someDone = true;
    }
    if (someDone) startReaders();
  }
  return { records, lostShards };
}
