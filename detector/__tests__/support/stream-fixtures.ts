import { PutRecordsCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { PlayerEvent } from "@hotspots/core";
import { seededRandom } from "./synthetic-points";

/** Player events: half of them gathered in one spot, the rest spread over a city. */
export function playerEvents(count: number, firstId: number, seed: number): PlayerEvent[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, n) => {
    const i = firstId + n;
    const gathered = i % 2 === 0;
    return {
      event_id: `ev-${String(i).padStart(6, "0")}`,
      event_time: new Date(Date.UTC(2026, 5, 1, 18) + i * 20).toISOString(),
      player_id: `player-${i % 37}`,
      event_type: "move",
      latitude: gathered ? 47.6 + random() * 0.001 : 47.5 + random() * 0.2,
      longitude: gathered ? -122.3 + random() * 0.001 : -122.4 + random() * 0.2,
      score: i,
      health: 100,
      speed: 1.5,
    };
  });
}

/** Where a record went: its shard and sequence number. */
export interface PutPosition {
  readonly shardId: string;
  readonly sequenceNumber: string;
}

/**
 * Puts raw record bodies, partitioned by player so each player's events stay in one shard, in order.
 * Returns where each one went, in the order given.
 */
export async function putRaw(
  kinesis: KinesisClient,
  streamName: string,
  entries: { key: string; data: string }[],
): Promise<PutPosition[]> {
  const positions: PutPosition[] = [];
  for (let i = 0; i < entries.length; i += 500) {
    const chunk = entries.slice(i, i + 500);
    const response = await kinesis.send(
      new PutRecordsCommand({
        StreamName: streamName,
        Records: chunk.map((e) => ({ PartitionKey: e.key, Data: Buffer.from(e.data) })),
      }),
    );
    if (response.FailedRecordCount) throw new Error(`${response.FailedRecordCount} records failed`);
    for (const r of response.Records ?? [])
      positions.push({ shardId: r.ShardId ?? "", sequenceNumber: r.SequenceNumber ?? "" });
  }
  return positions;
}

export async function putEvents(
  kinesis: KinesisClient,
  streamName: string,
  events: PlayerEvent[],
): Promise<PutPosition[]> {
  return putRaw(
    kinesis,
    streamName,
    events.map((e) => ({ key: e.player_id, data: JSON.stringify(e) })),
  );
}

/** Every delivered object under `<dir>/hotspots/` (the Firehose layout). */
export async function deliveredObjects(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(join(dir, "hotspots"), { recursive: true, withFileTypes: true });
    return entries.filter((f) => f.isFile()).map((f) => join(f.parentPath, f.name));
  } catch {
    return [];
  }
}

/** The records of the given objects, in the given order. */
export async function recordsOf(objects: readonly string[]): Promise<Record<string, unknown>[]> {
  const records: Record<string, unknown>[] = [];
  for (const file of objects) {
    for (const line of (await readFile(file, "utf8")).split("\n")) if (line !== "") records.push(JSON.parse(line));
  }
  return records;
}
