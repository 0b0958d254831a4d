import { compareSequenceNumbers } from "./arrival-order";

/**
 * Where the stream detector remembers how far it has read each shard, and where its window begins.
 * A checkpoint is saved only after the output of the records before it was delivered, so a restart
 * resumes AFTER_SEQUENCE_NUMBER without a gap; records processed after the last checkpoint are read
 * (and delivered) again. The window's records are not in the document: a restart re-reads them
 * from the stream, from each shard's `windowStart` through its `sequenceNumber`.
 */

export interface ShardCheckpoint {
  /** Sequence number of the last record processed (and delivered) from this shard. */
  readonly sequenceNumber?: string;
  /** The shard was closed (resharded) and read to its end: never read again, its children may start. */
  readonly finished?: boolean;
  /**
   * The shard's oldest record still in the window, or null when none of its records is in the
   * window. Absent in checkpoints written before the window was kept: the window then starts empty.
   */
  readonly windowStart?: string | null;
}

export interface Checkpoints {
  readonly streamName: string;
  readonly updatedAt: string;
  readonly shards: Readonly<Record<string, ShardCheckpoint>>;
  /**
   * Valid records processed on this stream so far, across restarts: the stream position of the
   * last one. Absent in older checkpoints (counting starts again from 0).
   */
  readonly position?: number;
  /** Records in the window at this checkpoint (the window to rebuild). Absent in older checkpoints. */
  readonly windowLength?: number;
  /** What CheckpointedState.save() returned (the tracker's state): kept, never read by the stream detector. */
  readonly tracker?: unknown;
}

/**
 * State that must survive a restart together with the window (the hotspot tracker's). At every
 * checkpoint the stream detector stores `save()`'s value, a JSON value describing the state as of
 * the last record processed; on start it calls `restore` once, after the window was rebuilt and
 * before the first new record, with that value (undefined on a first start or from an older checkpoint).
 */
export interface CheckpointedState {
  save(): unknown;
  restore(saved: unknown, start: RestartPoint): void;
}

export interface RestartPoint {
  /** Stream position of the last record processed before this start (0 on a first start). */
  readonly position: number;
  /**
   * The engine holds the whole window it held at the checkpoint. False on a first start, from an
   * older checkpoint, or when a shard's records in the window could no longer be read.
   */
  readonly windowRebuilt: boolean;
}

export interface CheckpointStore {
  /** The saved checkpoints, or undefined before the first save. */
  load(): Promise<Checkpoints | undefined>;
  save(checkpoints: Checkpoints): Promise<void>;
  /** Where the checkpoints live, for logs. */
  readonly location: string;
}

const SEQUENCE_NUMBER = /^\d+$/;
const isCount = (n: unknown) => n === undefined || (typeof n === "number" && Number.isInteger(n) && n >= 0);

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
    throw new Error(
      `checkpoints at ${location} belong to stream ${JSON.stringify(doc.streamName)}, not ${JSON.stringify(streamName)}`,
    );
  }
  for (const [shardId, shard] of Object.entries(doc.shards)) {
    const s = shard as ShardCheckpoint;
    if (
      typeof s !== "object" ||
      s === null ||
      (s.sequenceNumber !== undefined && !SEQUENCE_NUMBER.test(s.sequenceNumber))
    ) {
      throw new Error(`checkpoints at ${location}: shard ${shardId} has no valid sequenceNumber`);
    }
    const start = s.windowStart;
    const validStart =
      typeof start === "string" &&
      SEQUENCE_NUMBER.test(start) &&
      s.sequenceNumber !== undefined &&
      compareSequenceNumbers(start, s.sequenceNumber) <= 0;
    if (start !== undefined && start !== null && !validStart) {
      throw new Error(
        `checkpoints at ${location}: shard ${shardId} has an invalid windowStart (null, or a sequence number up to its sequenceNumber)`,
      );
    }
  }
  if (!isCount(doc.position) || !isCount(doc.windowLength)) {
    throw new Error(`checkpoints at ${location}: position and windowLength must be whole numbers >= 0`);
  }
  return doc as Checkpoints;
}
