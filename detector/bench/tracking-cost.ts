import type { HotspotsParameters } from "@hotspots/core";
import { HotspotDetector } from "../src/engine";
import { HotspotTracker, type HotspotEventType } from "../src/tracking";

/** Tracking may add at most this share to the engine's cost (issue 14). */
export const TARGET_TRACKING_OVERHEAD = 0.1;

/** One record as the tracker takes it: analysed values, event time, member value. */
export interface TrackedRecord {
  readonly values: readonly number[];
  readonly eventTime: string;
  readonly member: string;
}

export interface TrackingCost {
  /** Median CPU milliseconds over the runs, engine alone and engine with a tracker attached. */
  readonly engineMs: number;
  readonly trackedMs: number;
  readonly overhead: number;
  readonly runs: number;
  readonly events: Partial<Record<HotspotEventType, number>>;
}

/** CPU time of this process (all threads, so garbage collection counts): steadier than wall time on a shared machine. */
function cpuMs(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The engine alone and the engine with a HotspotTracker attached, over the same records, alternated
 * `runs` times in one sitting (each run on a fresh engine): what tracking adds, from the medians.
 */
export function measureTrackingCost(
  params: HotspotsParameters,
  records: readonly TrackedRecord[],
  runs = 7,
): TrackingCost {
  let sink = 0;
  const events: Partial<Record<HotspotEventType, number>> = {};
  const engineAlone = () => {
    const detector = new HotspotDetector(params);
    return cpuMs(() => {
      for (const r of records) sink += detector.push(r.values).length;
    });
  };
  const tracked = (count: boolean) => {
    const detector = new HotspotDetector(params);
    const tracker = new HotspotTracker(detector, params);
    detector.observeComponents(tracker);
    return cpuMs(() => {
      for (const r of records) {
        sink += detector.push(r.values).length;
        const out = tracker.afterPush(r.eventTime, r.member);
        if (count) for (const e of out) events[e.type] = (events[e.type] ?? 0) + 1;
      }
    });
  };
  // Warm-up of both, then alternated runs.
  engineAlone();
  tracked(true);
  const engine: number[] = [];
  const withTracker: number[] = [];
  for (let r = 0; r < runs; r++) {
    engine.push(engineAlone());
    withTracker.push(tracked(false));
  }
  if (sink === 0) console.log("(nothing pushed)");
  const engineMs = median(engine);
  const trackedMs = median(withTracker);
  if (process.env.TRACKING_COST_DETAIL)
    console.log("engine", engine.map(Math.round).join(" "), "tracked", withTracker.map(Math.round).join(" "));
  return { engineMs, trackedMs, overhead: trackedMs / engineMs - 1, runs, events };
}
