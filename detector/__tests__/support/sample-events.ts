import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";

const DATA = join(__dirname, "..", "..", "..", "data");

/** One row of data/data-simu.csv, as the tracker tests read it. */
export interface SampleRow {
  readonly eventTime: string;
  readonly playerId: string;
  readonly longitude: number;
  readonly latitude: number;
}

/** An injected hotspot of data/data-simu.truth.json. */
export interface InjectedHotspot {
  readonly id: string;
  readonly longitude: number;
  readonly latitude: number;
  readonly endLongitude: number;
  readonly endLatitude: number;
  readonly radius: number;
  readonly startTime: string;
  readonly endTime: string;
  readonly startRow: number;
  readonly endRow: number;
}

/** The first `count` rows of the sample (all when omitted). */
export function sampleRows(count?: number): SampleRow[] {
  const records = parse(readFileSync(join(DATA, "data-simu.csv"), "utf8"), { columns: true, to: count }) as Record<
    string,
    string
  >[];
  return records.map((r) => ({
    eventTime: r.event_time,
    playerId: r.player_id,
    longitude: Number(r.longitude),
    latitude: Number(r.latitude),
  }));
}

export function injectedHotspots(): InjectedHotspot[] {
  return (JSON.parse(readFileSync(join(DATA, "data-simu.truth.json"), "utf8")) as { hotspots: InjectedHotspot[] })
    .hotspots;
}

/** Where an injected hotspot's centre is at `time` (it moves linearly from start to end). */
export function centreAt(h: InjectedHotspot, time: number): [number, number] {
  const t0 = Date.parse(h.startTime);
  const t1 = Date.parse(h.endTime);
  const a = Math.min(1, Math.max(0, (time - t0) / (t1 - t0)));
  return [h.longitude + a * (h.endLongitude - h.longitude), h.latitude + a * (h.endLatitude - h.latitude)];
}

/** The injected hotspot a row belongs to: within its rows and its radius of its centre at the row's time. */
export function injectedHotspotOf(
  hotspots: readonly InjectedHotspot[],
  row: SampleRow,
  index: number,
): InjectedHotspot | undefined {
  return hotspots.find((h) => {
    if (index < h.startRow || index > h.endRow) return false;
    const [x, y] = centreAt(h, Date.parse(row.eventTime));
    return Math.hypot(row.longitude - x, row.latitude - y) <= h.radius;
  });
}
