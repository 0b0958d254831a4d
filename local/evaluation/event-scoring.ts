import type { HotspotsParameters } from "@hotspots/core";
import type { HotspotEvent, HotspotEventType } from "@hotspots/detector";
import type { TruthHotspot } from "../data/ground-truth";
import { matchTruth, truthCentreAt, type OutputPoint } from "./evaluate";
import type { RecordHotspotId } from "./record-hotspot-ids";
import { WindowState } from "./window-state";

/** Goal: an injected hotspot keeps one id for at least this share of its detected records. */
export const ONE_ID_SHARE = 0.9;
/** Goal: at least this share of emerged events match an injected hotspot. */
export const EMERGED_MATCH_SHARE = 0.9;

export interface InjectedIdScore {
  readonly id: string;
  readonly name: string;
  /** Its records: rows of its active interval within its radius of its centre at their time. */
  readonly records: number;
  /** Of them, those an emerged hotspot (one with an id) held. */
  readonly detected: number;
  /** Distinct hotspot ids among its detected records (fragmentation: 1 is ideal). */
  readonly ids: number;
  /** The id holding most of its detected records. */
  readonly mainId?: string;
  /** Detected records under the main id / detected records (0 when none was detected). */
  readonly mainShare: number;
  /** The first emerged event matching it. */
  readonly emerged?: {
    readonly hotspotId: string;
    readonly position: number;
    /** Records of its rows or later the detector had read before the triggering record. */
    readonly delayRecords: number;
    /** Event time of the row that many rows after its start, minus its start time. */
    readonly delaySeconds: number;
  };
}

export interface UnmatchedEmergence {
  readonly hotspotId: string;
  readonly position: number;
  readonly eventTime: string | null;
  readonly longitude: number;
  readonly latitude: number;
  readonly members: number;
}

export interface EventScore {
  readonly events: number;
  readonly byType: Readonly<Record<HotspotEventType, number>>;
  readonly hotspots: readonly InjectedIdScore[];
  /** Injected hotspots with one id for >= ONE_ID_SHARE of their detected records. */
  readonly oneIdHotspots: number;
  readonly emerged: number;
  readonly emergedMatching: number;
  readonly unmatched: readonly UnmatchedEmergence[];
  readonly meanDelayRecords?: number;
  readonly meanDelaySeconds?: number;
  /** Both goals of the sample: every injected hotspot with one id, and the share of emerged events matching. */
  readonly goalsMet: boolean;
}

/**
 * Scores hotspot events against the ground truth (pure). `ids[p]` is the hotspot holding output
 * record p (recordHotspotIds); event positions are output positions (the detector emits one output
 * record per record it analyses, in order). An emerged event matches an injected hotspot when its
 * centroid lies within the hotspot's radius of its centre, over the part of its path the window spans
 * at the triggering record: the rule evaluate() applies to boxes.
 */
export function scoreEvents(
  events: readonly HotspotEvent[],
  ids: readonly RecordHotspotId[],
  points: readonly OutputPoint[],
  truths: readonly TruthHotspot[],
  params: HotspotsParameters,
): EventScore | undefined {
  const lon = params.columns.indexOf("longitude");
  const lat = params.columns.indexOf("latitude");
  if (lon < 0 || lat < 0) return undefined;

  const byType: Record<HotspotEventType, number> = { emerged: 0, changed: 0, merged: 0, split: 0, dissolved: 0 };
  for (const e of events) byType[e.type]++;

  // Emerged events, matched in position order while the window follows the records.
  const emerged = events.filter((e) => e.type === "emerged").sort((a, b) => a.position - b.position);
  const firstMatch: (HotspotEvent | undefined)[] = truths.map(() => undefined);
  const unmatched: UnmatchedEmergence[] = [];
  const state = new WindowState(points, truths, params.windowSize);
  let at = -1;
  for (const e of emerged) {
    const x = e.centroid[lon];
    const y = e.centroid[lat];
    let t = -1;
    if (e.position < points.length) {
      while (at < e.position) at = state.advance();
      t = matchTruth(
        { density: e.density, minLongitude: x, maxLongitude: x, minLatitude: y, maxLatitude: y },
        truths,
        state,
      );
    }
    if (t < 0)
      unmatched.push({
        hotspotId: e.hotspotId,
        position: e.position,
        eventTime: e.eventTime,
        longitude: x,
        latitude: y,
        members: e.members,
      });
    else firstMatch[t] ??= e;
  }

  const rowTime = new Map<number, number>();
  for (const pt of points) rowTime.set(pt.row, pt.time);
  const hotspots = truths.map((h, t): InjectedIdScore => {
    const perId = new Map<string, number>();
    let records = 0;
    let detected = 0;
    for (let p = 0; p < points.length; p++) {
      const pt = points[p];
      if (pt.row < h.startRow || pt.row > h.endRow) continue;
      const [cx, cy] = truthCentreAt(h, pt.time);
      if (Math.hypot(pt.longitude - cx, pt.latitude - cy) > h.radius) continue;
      records++;
      const id = ids[p];
      if (typeof id !== "string") continue;
      detected++;
      perId.set(id, (perId.get(id) ?? 0) + 1);
    }
    let mainId: string | undefined;
    let mainCount = 0;
    for (const [id, n] of perId) {
      if (n > mainCount) [mainId, mainCount] = [id, n];
    }
    const score = {
      id: h.id,
      name: h.name,
      records,
      detected,
      ids: perId.size,
      mainId,
      mainShare: detected > 0 ? mainCount / detected : 0,
    };
    const e = firstMatch[t];
    if (e === undefined) return score;
    let delayRecords = 0;
    for (let p = 0; p < e.position; p++) if (points[p].row >= h.startRow) delayRecords++;
    const reached = rowTime.get(h.startRow + delayRecords) ?? points[e.position].time;
    return {
      ...score,
      emerged: {
        hotspotId: e.hotspotId,
        position: e.position,
        delayRecords,
        delaySeconds: (reached - Date.parse(h.startTime)) / 1000,
      },
    };
  });

  const oneIdHotspots = hotspots.filter((h) => h.detected > 0 && h.mainShare >= ONE_ID_SHARE).length;
  const delays = hotspots.flatMap((h) => (h.emerged ? [h.emerged] : []));
  const emergedMatching = emerged.length - unmatched.length;
  return {
    events: events.length,
    byType,
    hotspots,
    oneIdHotspots,
    emerged: emerged.length,
    emergedMatching,
    unmatched,
    meanDelayRecords: mean(delays.map((d) => d.delayRecords)),
    meanDelaySeconds: mean(delays.map((d) => d.delaySeconds)),
    goalsMet: oneIdHotspots === truths.length && emergedMatching >= EMERGED_MATCH_SHARE * emerged.length,
  };
}

/** The summary line: "hotspot ids: 7 of 7 injected with one id for >= 90 % of their records; emerged events matching: N of M". */
export function formatEventScore(score: EventScore): string {
  return (
    `hotspot ids: ${score.oneIdHotspots} of ${score.hotspots.length} injected with one id for >= ${Math.round(ONE_ID_SHARE * 100)} % of their records; ` +
    `emerged events matching: ${score.emergedMatching} of ${score.emerged}`
  );
}

function mean(values: number[]): number | undefined {
  return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
}
