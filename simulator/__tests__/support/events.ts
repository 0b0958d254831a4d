import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EVENT_FIELD_NAMES } from "@hotspots/core";

export const HEADER = EVENT_FIELD_NAMES.join(",");

/** A valid CSV row for event i: 7 players, times 10 ms apart. */
export function eventRow(i: number, player = `player-${i % 7}`): string {
  const time = new Date(Date.UTC(2026, 5, 1, 18, 0, 0) + i * 10).toISOString();
  return [
    `ev-${i}`,
    time,
    player,
    "move",
    (47.5 + i / 1e5).toFixed(6),
    (-122.3 - i / 1e5).toFixed(6),
    String(i),
    "100",
    "1.5",
  ].join(",");
}

/** The JSON record the simulator should put for eventRow(i). */
export function eventRecord(i: number, player = `player-${i % 7}`): Record<string, string | number> {
  const [event_id, event_time, player_id, event_type, latitude, longitude, score, health, speed] = eventRow(
    i,
    player,
  ).split(",");
  return {
    event_id,
    event_time,
    player_id,
    event_type,
    latitude: +latitude,
    longitude: +longitude,
    score: +score,
    health: +health,
    speed: +speed,
  };
}

export function eventCsv(count: number, eol = "\n"): string {
  return [HEADER, ...Array.from({ length: count }, (_, i) => eventRow(i))].join(eol) + eol;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "simulator-test-"));
}

export function writeTemp(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
