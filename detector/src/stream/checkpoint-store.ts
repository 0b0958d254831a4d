/**
 * Where the stream detector remembers how far it has read each shard. A checkpoint is saved only
 * after the output of the records before it was delivered, so a restart resumes AFTER_SEQUENCE_NUMBER
 * without a gap; records processed after the last checkpoint are read (and delivered) again.
 */

export interface ShardCheckpoint {
  /** Sequence number of the last record processed (and delivered) from this shard. */
  readonly sequenceNumber?: string;
  /** The shard was closed (resharded) and read to its end: never read again, its children may start. */
  readonly finished?: boolean;
}

export interface Checkpoints {
  readonly streamName: string;
  readonly updatedAt: string;
  readonly shards: Readonly<Record<string, ShardCheckpoint>>;
}

export interface CheckpointStore {
  /** The saved checkpoints, or undefined before the first save. */
  load(): Promise<Checkpoints | undefined>;
  save(checkpoints: Checkpoints): Promise<void>;
  /** Where the checkpoints live, for logs. */
  readonly location: string;
}

/** Parses a stored checkpoint document; throws a one-line error naming the location when it is not one. */
export function parseCheckpoints(text: string, location: string, streamName: string): Checkpoints {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`checkpoints at ${location} are not JSON; delete the object to start from TRIM_HORIZON`);
  }
  const doc = value as Partial<Checkpoints>;
  if (typeof doc !== "object" || doc === null || typeof doc.shards !== "object" || doc.shards === null) {
    throw new Error(`checkpoints at ${location} lack a "shards" object`);
  }
  if (doc.streamName !== streamName) {
    throw new Error(`checkpoints at ${location} belong to stream ${JSON.stringify(doc.streamName)}, not ${JSON.stringify(streamName)}`);
  }
  for (const [shardId, shard] of Object.entries(doc.shards)) {
    const s = shard as ShardCheckpoint;
    if (typeof s !== "object" || s === null || (s.sequenceNumber !== undefined && !/^\d+$/.test(s.sequenceNumber))) {
      throw new Error(`checkpoints at ${location}: shard ${shardId} has no valid sequenceNumber`);
    }
  }
  return doc as Checkpoints;
}
