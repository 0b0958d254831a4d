import { createReadStream, existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { HOTSPOTS_RESULT_COLUMN } from "@hotspots/core";
import type { OutputPoint } from "../evaluation/evaluate";

export interface DeliveredOutput {
  /** Files under the delivery folder, in delivery order (Firehose names sort by time). */
  readonly files: readonly string[];
  /** Output records read, in the order the detector wrote them. */
  readonly points: OutputPoint[];
  /** Output records whose event_id is not a row of the input. */
  readonly unknownIds: number;
  /** Output records whose event_id was seen before. */
  readonly duplicateIds: number;
}

/**
 * Every file below `dir`, recursively, in delivery order. Object names carry the second they were
 * started and then a random id, so two objects of one second do not sort by name; the time of
 * their last write does (the sink writes one object at a time), with the name to break ties.
 */
export function listDeliveredFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: { path: string; written: bigint }[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push({ path, written: statSync(path, { bigint: true }).mtimeNs });
    }
  };
  walk(dir);
  return out
    .sort((a, b) =>
      a.written < b.written ? -1 : a.written > b.written ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
    )
    .map((f) => f.path);
}

/**
 * Reads the NDJSON the detector delivered, one output record per line, and places each on its
 * input row by event_id. Throws a one-line error naming the file and line of a record that is not
 * JSON or lacks a field the evaluation needs.
 */
export async function readDeliveredOutput(dir: string, rowOf: ReadonlyMap<string, number>): Promise<DeliveredOutput> {
  const files = listDeliveredFiles(dir);
  const points: OutputPoint[] = [];
  const seen = new Set<string>();
  let unknownIds = 0;
  let duplicateIds = 0;
  for (const file of files) {
    let line = 0;
    for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      line++;
      if (text.trim() === "") continue;
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw new Error(`${file}:${line}: not a JSON record`);
      }
      const id = record.event_id;
      const result = record[HOTSPOTS_RESULT_COLUMN];
      if (typeof id !== "string" || typeof result !== "string") {
        throw new Error(`${file}:${line}: an output record needs event_id and ${HOTSPOTS_RESULT_COLUMN} strings`);
      }
      if (seen.has(id)) duplicateIds++;
      seen.add(id);
      const row = rowOf.get(id);
      if (row === undefined) {
        unknownIds++;
        continue;
      }
      points.push({
        row,
        time: Date.parse(String(record.event_time)),
        longitude: Number(record.longitude),
        latitude: Number(record.latitude),
        result,
      });
    }
  }
  return { files, points, unknownIds, duplicateIds };
}
