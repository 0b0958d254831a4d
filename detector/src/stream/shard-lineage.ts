/** Resharding: which shards may be read now. Pure, so it is tested without a stream. */

export interface ShardInfo {
  readonly shardId: string;
  readonly parentShardId?: string;
  readonly adjacentParentShardId?: string;
}

/**
 * Shards that may start: not finished, not already being read, and every parent either finished
 * or gone from the listing (trimmed after the retention period). A child therefore starts only
 * once its parents were read to their end, so a key's records are processed in order across a split or merge.
 */
export function startableShards(
  shards: readonly ShardInfo[],
  finished: ReadonlySet<string>,
  reading: ReadonlySet<string>,
): ShardInfo[] {
  const listed = new Set(shards.map((s) => s.shardId));
  const parentDone = (id: string | undefined) => id === undefined || finished.has(id) || !listed.has(id);
  return shards.filter(
    (s) =>
      !finished.has(s.shardId) &&
      !reading.has(s.shardId) &&
      parentDone(s.parentShardId) &&
      parentDone(s.adjacentParentShardId),
  );
}
