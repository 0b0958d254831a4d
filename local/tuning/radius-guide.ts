import type { GroundTruth } from "../data/ground-truth";
import { truthCentreAt } from "../evaluation/evaluate";
import type { InputIndex } from "../pipeline/input-index";

/** An event on the map: row in the file, epoch ms, position. */
export interface MapEvent {
  readonly row: number;
  readonly time: number;
  readonly longitude: number;
  readonly latitude: number;
}

/** The events of an input file, in file order. */
export function mapEventsOf(input: InputIndex): MapEvent[] {
  return Array.from({ length: input.rows }, (_, row) => ({
    row,
    time: input.time[row],
    longitude: input.longitude[row],
    latitude: input.latitude[row],
  }));
}

export interface RadiusRow {
  readonly radius: number;
  /** Share of the gathered players' events that are core points at this radius. */
  readonly gatheredCoreShare: number;
  /** Events farther than AWAY_DEGREES from every gathering that are core points at this radius: false hotspots. */
  readonly awayCorePoints: number;
}

export interface RadiusGuide {
  readonly k: number;
  readonly windows: number;
  readonly gatheredEvents: number;
  readonly awayEvents: number;
  /** Quantiles (5%, 50%, 95%, 99%) of the distance to the (k-1)-th nearest other event of the window. */
  readonly gatheredQuantiles: readonly number[];
  readonly awayQuantiles: readonly number[];
  readonly rows: readonly RadiusRow[];
  /** Between the smallest radius that keeps 99% of gathered events core and the largest with no away core point. */
  readonly suggested?: number;
}

/** An event this far (degrees, about 1 km) from every gathering's path is background for sure. */
export const AWAY_DEGREES = 0.01;
export const CANDIDATE_RADII = [0.001, 0.0015, 0.002, 0.0025, 0.003, 0.0035, 0.004, 0.005, 0.006, 0.008, 0.01, 0.013];

/**
 * The k-distance heuristic of DBSCAN (Ester et al., 1996) applied to HOTSPOTS windows: in windows of
 * `windowSize` consecutive events, the distance from each event to its (k-1)-th nearest neighbour
 * (k = minimumPoints, the event itself counting as one) is the smallest radius at which it is a core
 * point. With a ground truth the events split into gathered players and background far from any
 * gathering, and a good radius lies between the two distributions.
 */
export function radiusGuide(
  events: readonly MapEvent[],
  truth: GroundTruth,
  windowSize: number,
  k: number,
  windowStep = 2000,
): RadiusGuide {
  const gathered: number[] = [];
  const away: number[] = [];
  const distances = new Float64Array(windowSize);
  let windows = 0;
  for (let end = windowSize; end <= events.length; end += windowStep) {
    windows++;
    const w = events.slice(end - windowSize, end);
    for (const e of w) {
      for (let j = 0; j < w.length; j++)
        distances[j] = Math.hypot(w[j].longitude - e.longitude, w[j].latitude - e.latitude);
      const kd = distances.sort()[k - 1];
      const place = classify(e, truth);
      if (place === "gathered") gathered.push(kd);
      else if (place === "away") away.push(kd);
    }
  }
  gathered.sort((a, b) => a - b);
  away.sort((a, b) => a - b);
  const rows = CANDIDATE_RADII.map((radius) => ({
    radius,
    gatheredCoreShare: countAtMost(gathered, radius) / Math.max(1, gathered.length),
    awayCorePoints: countAtMost(away, radius),
  }));
  const low = rows.find((r) => r.gatheredCoreShare >= 0.99)?.radius;
  const high = [...rows].reverse().find((r) => r.awayCorePoints === 0)?.radius;
  const suggested =
    low !== undefined && high !== undefined && low <= high ? Math.round(((low + high) / 2) * 1e4) / 1e4 : undefined;
  const q = (a: number[]) => [0.05, 0.5, 0.95, 0.99].map((f) => a[Math.floor(f * (a.length - 1))] ?? NaN);
  return {
    k,
    windows,
    gatheredEvents: gathered.length,
    awayEvents: away.length,
    gatheredQuantiles: q(gathered),
    awayQuantiles: q(away),
    rows,
    suggested,
  };
}

function classify(e: MapEvent, truth: GroundTruth): "gathered" | "away" | "near" {
  let near = false;
  for (const h of truth.hotspots) {
    const [cx, cy] = truthCentreAt(h, e.time);
    const d = Math.hypot(e.longitude - cx, e.latitude - cy);
    if (e.row >= h.startRow && e.row <= h.endRow && d <= h.radius) return "gathered";
    // Anywhere along the whole path, at any time: crowds arrive and leave around it.
    const path = distanceToSegment(e.longitude, e.latitude, h.longitude, h.latitude, h.endLongitude, h.endLatitude);
    if (path <= AWAY_DEGREES) near = true;
  }
  return near ? "near" : "away";
}

function distanceToSegment(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const l2 = dx * dx + dy * dy;
  const f = l2 > 0 ? Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / l2)) : 0;
  return Math.hypot(x - ax - f * dx, y - ay - f * dy);
}

function countAtMost(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
