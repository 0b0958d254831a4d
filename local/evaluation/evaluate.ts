import type { HotspotsParameters } from "@hotspots/core";
import type { GroundTruth, TruthHotspot } from "../data/ground-truth";
import { boxCentre, createBoxReader, type HotspotBox } from "./hotspot-boxes";
import { WindowState } from "./window-state";

/** One output record of the detector, in the order the detector emitted it. */
export interface OutputPoint {
  /** 0-based data row of the input CSV this record came from (via its event_id). */
  readonly row: number;
  /** Event time, epoch milliseconds. */
  readonly time: number;
  readonly longitude: number;
  readonly latitude: number;
  /** The HOTSPOTS_RESULT string. */
  readonly result: string;
}

export interface TruthOutcome {
  readonly id: string;
  readonly name: string;
  readonly found: boolean;
  /** Output position of the first detection that matched it. */
  readonly firstDetection?: number;
  /** Records of the hotspot's interval or later that the detector had read before the one it first matched it at. */
  readonly delayRecords?: number;
  /** The same in event time: the time of the row that many rows after the start, minus the start time. */
  readonly delaySeconds?: number;
  /** Share of the records of its active interval at which it was detected, 0..1. */
  readonly coverage: number;
}

export interface DetectedTrack {
  readonly id: number;
  readonly firstPosition: number;
  readonly lastPosition: number;
  readonly maxDensity: number;
  readonly longitude: number;
  readonly latitude: number;
  /** Truth hotspot that one of its detections matched, if any. */
  readonly truthId?: string;
}

export interface Evaluation {
  readonly records: number;
  /** False when the analysed columns are not longitude and latitude: nothing can be placed on the map. */
  readonly spatial: boolean;
  /** Detections: hotspot boxes summed over all output records. */
  readonly detections: number;
  /** Hotspots as a person sees them: boxes followed from record to record. */
  readonly tracks: readonly DetectedTrack[];
  /** Present when a ground truth was given and the analysed columns include longitude and latitude. */
  readonly truth?: {
    readonly matchedDetections: number;
    /** matchedDetections / detections (1 when nothing was detected). */
    readonly precision: number;
    /** found truth hotspots / truth hotspots. */
    readonly recall: number;
    readonly meanDelayRecords?: number;
    readonly meanDelaySeconds?: number;
    readonly hotspots: readonly TruthOutcome[];
  };
}

/**
 * Scores the detector's output against the ground truth. The matching, per output record p whose
 * window holds the last `windowSize` records:
 * - a truth hotspot is live at p when p's window holds a record of its active rows [startRow, endRow]
 *   (the window keeps a hotspot's records for up to windowSize records after it ends);
 * - a detected box matches it when the box centre lies within the truth radius of the truth centre,
 *   taken over the part of its (linear) path that falls in the window's time span;
 * - precision counts boxes over all records: matched boxes / all boxes;
 * - recall counts truth hotspots: those with at least one matching box / all;
 * - delay: at the first matching box, the records from the hotspot's start row on that the detector
 *   had read (counted, not taken from positions: records of two shards reach the detector slightly out
 *   of order), and in seconds the event time of the row that many rows after the start minus the start time.
 */
export function evaluate(points: readonly OutputPoint[], params: HotspotsParameters, truth?: GroundTruth): Evaluation {
  const reader = createBoxReader(params.columns);
  const window = params.windowSize;
  const truths = truth?.hotspots ?? [];
  const found: (number | undefined)[] = truths.map(() => undefined);
  const hits = truths.map(() => 0);
  const tracker = new TrackFollower(params.scanRadius);
  let detections = 0;
  let matched = 0;

  const state = new WindowState(points, truths, window);
  const counts = new Map<string, number>();
  for (let p = 0; p < points.length; p++) {
    state.advance();
    if (!reader) {
      detections += countHotspots(points[p].result, counts);
      continue;
    }
    const boxes = reader.read(points[p].result);
    const matchedHere = new Set<number>();
    const labels: (string | undefined)[] = [];
    for (const box of boxes) {
      detections++;
      const t = matchTruth(box, truths, state);
      labels.push(t >= 0 ? truths[t].id : undefined);
      if (t < 0) continue;
      matched++;
      matchedHere.add(t);
      if (found[t] === undefined) found[t] = p;
    }
    for (const t of matchedHere) {
      if (points[p].row >= truths[t].startRow && points[p].row <= truths[t].endRow) hits[t]++;
    }
    tracker.step(p, boxes, labels);
  }

  const tracks = tracker.finish();
  // Boxes over other columns cannot be compared with places on the map: no score rather than a wrong one.
  if (!truth || !reader) return { records: points.length, spatial: reader !== undefined, detections, tracks };

  const rowTime = new Map<number, number>();
  for (const pt of points) rowTime.set(pt.row, pt.time);
  const outcomes: TruthOutcome[] = truths.map((h, t) => {
    const activeRecords = points.filter((pt) => pt.row >= h.startRow && pt.row <= h.endRow).length;
    const coverage = activeRecords > 0 ? hits[t] / activeRecords : 0;
    const at = found[t];
    if (at === undefined) return { id: h.id, name: h.name, found: false, coverage };
    const delayRecords = countRowsFrom(points, at, h.startRow);
    const reached = rowTime.get(h.startRow + delayRecords) ?? points[at].time;
    return {
      id: h.id,
      name: h.name,
      found: true,
      firstDetection: at,
      delayRecords,
      delaySeconds: (reached - Date.parse(h.startTime)) / 1000,
      coverage,
    };
  });
  const foundOnes = outcomes.filter((o) => o.found);
  return {
    records: points.length,
    spatial: reader !== undefined,
    detections,
    tracks,
    truth: {
      matchedDetections: matched,
      precision: detections > 0 ? matched / detections : 1,
      recall: truths.length > 0 ? foundOnes.length / truths.length : 1,
      meanDelayRecords: mean(foundOnes.map((o) => o.delayRecords!)),
      meanDelaySeconds: mean(foundOnes.map((o) => o.delaySeconds!)),
      hotspots: outcomes,
    },
  };
}

/** Index of the truth hotspot a box matches (the nearest live one in the window), or -1. */
export function matchTruth(box: HotspotBox, truths: readonly TruthHotspot[], window: WindowState): number {
  const [x, y] = boxCentre(box);
  let best = -1;
  let bestDistance = Infinity;
  truths.forEach((h, t) => {
    if (!window.live[t]) return;
    const d = distanceToPath(x, y, h, window.timeLo, window.timeHi);
    if (d <= h.radius && d < bestDistance) {
      best = t;
      bestDistance = d;
    }
  });
  return best;
}

/** Truth centre at a time, moving linearly over the active interval and resting outside it. */
export function truthCentreAt(h: TruthHotspot, time: number): [number, number] {
  const start = Date.parse(h.startTime);
  const end = Date.parse(h.endTime);
  const f = end > start ? Math.min(1, Math.max(0, (time - start) / (end - start))) : 0;
  return [h.longitude + (h.endLongitude - h.longitude) * f, h.latitude + (h.endLatitude - h.latitude) * f];
}

/** Distance from (x, y) to the segment the truth centre covers during [timeLo, timeHi]. */
function distanceToPath(x: number, y: number, h: TruthHotspot, timeLo: number, timeHi: number): number {
  const [ax, ay] = truthCentreAt(h, timeLo);
  const [bx, by] = truthCentreAt(h, timeHi);
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  const f = length2 > 0 ? Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / length2)) : 0;
  return Math.hypot(x - (ax + f * dx), y - (ay + f * dy));
}

/** Hotspots in one HOTSPOTS_RESULT, whatever its columns (cached: runs repeat few strings). */
function countHotspots(result: string, cache: Map<string, number>): number {
  let n = cache.get(result);
  if (n === undefined) {
    n = ((JSON.parse(result) as { hotspots?: unknown[] }).hotspots ?? []).length;
    if (cache.size > 10_000) cache.clear();
    cache.set(result, n);
  }
  return n;
}

/** Output records before position `at` whose row is `row` or later. */
function countRowsFrom(points: readonly OutputPoint[], at: number, row: number): number {
  let n = 0;
  for (let p = 0; p < at; p++) if (points[p].row >= row) n++;
  return n;
}

function mean(values: number[]): number | undefined {
  return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
}

/**
 * Follows boxes from record to record: a box continues the track whose last box, grown by the
 * scan radius, holds its centre; otherwise it starts a new track. A track ends when a record
 * no longer has a box for it.
 */
class TrackFollower {
  private active: { id: number; box: HotspotBox; first: number; last: number; maxDensity: number; truthId?: string }[] =
    [];
  private readonly done: DetectedTrack[] = [];
  private nextId = 1;

  constructor(private readonly margin: number) {}

  step(position: number, boxes: readonly HotspotBox[], labels: readonly (string | undefined)[]): void {
    const next: typeof this.active = [];
    const open = [...this.active];
    boxes.forEach((box, i) => {
      const [x, y] = boxCentre(box);
      const k = open.findIndex(
        (t) =>
          x >= t.box.minLongitude - this.margin &&
          x <= t.box.maxLongitude + this.margin &&
          y >= t.box.minLatitude - this.margin &&
          y <= t.box.maxLatitude + this.margin,
      );
      const track =
        k >= 0 ? open.splice(k, 1)[0] : { id: this.nextId++, box, first: position, last: position, maxDensity: 0 };
      track.box = box;
      track.last = position;
      track.maxDensity = Math.max(track.maxDensity, box.density);
      track.truthId ??= labels[i];
      next.push(track);
    });
    for (const t of open) this.close(t);
    this.active = next;
  }

  finish(): DetectedTrack[] {
    for (const t of this.active) this.close(t);
    this.active = [];
    return this.done.sort((a, b) => a.id - b.id);
  }

  private close(t: (typeof this.active)[number]): void {
    const [longitude, latitude] = boxCentre(t.box);
    this.done.push({
      id: t.id,
      firstPosition: t.first,
      lastPosition: t.last,
      maxDensity: t.maxDensity,
      longitude,
      latitude,
      truthId: t.truthId,
    });
  }
}
