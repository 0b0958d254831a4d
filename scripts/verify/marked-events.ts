/**
 * The burst of marked test events the round-trip check puts into the stream, and how it
 * recognizes their results: pure, so the local test and a real run share it.
 */
import { eventField, HOTSPOTS_RESULT_COLUMN, type HotspotsParameters, type PlayerEvent } from "@hotspots/core";

/** Where the burst gathers: one spot of the open sea (0.5° N, 0.5° E), with in-range values for every field. */
const SPOT: Readonly<Record<string, number>> = { latitude: 0.5, longitude: 0.5, score: 0, health: 50, speed: 1 };
/** Distinct offsets of the points, spread over at most 0.4 scan radius so every point neighbours every other. */
const OFFSET_STEPS = 5;

/** `verify-20261129T150102Z-3f9a`: sortable, and unique enough for one environment. */
export function newRunId(now: Date, random: () => number = Math.random): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const suffix = Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, "0");
  return `verify-${stamp}-${suffix}`;
}

/** Each analysed column's range over the burst: [min, max] per column, in the order of `params.columns`. */
export interface BurstBox {
  readonly min: readonly number[];
  readonly max: readonly number[];
}

export interface MarkedBurst {
  readonly events: readonly PlayerEvent[];
  readonly box: BurstBox;
}

/** The default size: twice the points a hotspot needs, and never more than the window holds. */
export function defaultBurstSize(params: HotspotsParameters): number {
  return Math.min(params.windowSize, 2 * params.minimumPoints);
}

/**
 * `count` events marked with the run id (event_id `<run id>-<n>`, player_id the run id,
 * event_type "verify"), gathered within 0.4 scan radius of one spot in every analysed column
 * (integer columns keep one value), so together they form one hotspot.
 */
export function markedBurst(runId: string, count: number, params: HotspotsParameters, now: Date): MarkedBurst {
  if (count < params.minimumPoints)
    throw new Error(`a burst of ${count} events cannot form a hotspot of ${params.minimumPoints} points`);
  const step = (0.4 * params.scanRadius) / (OFFSET_STEPS - 1);
  const jitters = (column: string) => eventField(column)?.kind === "number";
  const events = Array.from({ length: count }, (_, n): PlayerEvent => {
    const values: Record<string, number> = { ...SPOT };
    for (const column of params.columns) if (jitters(column)) values[column] = SPOT[column] + (n % OFFSET_STEPS) * step;
    return {
      event_id: `${runId}-${String(n).padStart(4, "0")}`,
      event_time: new Date(now.getTime() + n).toISOString(),
      player_id: runId,
      event_type: "verify",
      latitude: values.latitude,
      longitude: values.longitude,
      score: values.score,
      health: values.health,
      speed: values.speed,
    };
  });
  const spread = (column: string) => (jitters(column) ? (OFFSET_STEPS - 1) * step : 0);
  return {
    events,
    box: { min: params.columns.map((c) => SPOT[c]), max: params.columns.map((c) => SPOT[c] + spread(c)) },
  };
}

interface Hotspot {
  readonly density?: number;
  readonly minValues?: readonly number[];
  readonly maxValues?: readonly number[];
}

/** The hotspots of an output record's HOTSPOTS_RESULT (a JSON string, as the detector and KDA write it). */
export function hotspotsOf(record: Record<string, unknown>): Hotspot[] {
  const raw = record[HOTSPOTS_RESULT_COLUMN];
  let value: unknown = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      return [];
    }
  }
  const hotspots = (value as { hotspots?: unknown } | null)?.hotspots;
  return Array.isArray(hotspots) ? (hotspots as Hotspot[]) : [];
}

/** A hotspot whose box overlaps the burst's in every analysed column: the one the burst formed. */
export function burstHotspot(record: Record<string, unknown>, box: BurstBox): Hotspot | undefined {
  return hotspotsOf(record).find(
    (h) =>
      h.minValues?.length === box.min.length &&
      h.maxValues?.length === box.max.length &&
      box.min.every((lo, i) => h.minValues![i] <= box.max[i] && h.maxValues![i] >= lo),
  );
}
