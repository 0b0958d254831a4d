import { DEFAULT_HOTSPOTS_PARAMETERS } from "@hotspots/core";
import { HotspotDetector } from "../src/engine";
import { HotspotTracker, type HotspotEvent, type TrackerState } from "../src/tracking";
import { centreAt, injectedHotspotOf, injectedHotspots, sampleRows, type SampleRow } from "./support/sample-events";

const params = DEFAULT_HOTSPOTS_PARAMETERS;
/** Rows 0..19999 of the sample: hotspots H1 to H5, H4 the moving parade. */
const rows = sampleRows(20_000);
const truth = injectedHotspots();

/** Runs the engine with a tracker attached over rows[from, to); returns the events and each record's hotspot id (undefined: in no hotspot). */
function track(detector: HotspotDetector, tracker: HotspotTracker, from: number, to: number) {
  const events: HotspotEvent[] = [];
  const ids: (string | null | undefined)[] = [];
  for (let i = from; i < to; i++) {
    const row = rows[i];
    detector.push([row.longitude, row.latitude]);
    events.push(...tracker.afterPush(row.eventTime, row.playerId));
    let newest = detector.oldestSlot + detector.windowLength - 1;
    if (newest >= detector.windowCapacity) newest -= detector.windowCapacity;
    const root = detector.rootOfSlot(newest);
    ids.push(root === -1 ? undefined : tracker.hotspotIdOfRoot(root));
  }
  return { events, ids };
}

function attached(): { detector: HotspotDetector; tracker: HotspotTracker } {
  const detector = new HotspotDetector(params);
  const tracker = new HotspotTracker(detector, params);
  detector.observeComponents(tracker);
  return { detector, tracker };
}

const whole = (() => {
  const { detector, tracker } = attached();
  return track(detector, tracker, 0, rows.length);
})();

describe("hotspot tracking on the engine, over the sample", () => {
  it("leaves the engine's results as they are", () => {
    const plain = new HotspotDetector(params);
    const { detector, tracker } = attached();
    for (const row of rows.slice(0, 8000)) {
      const values = [row.longitude, row.latitude];
      detector.push(values);
      tracker.afterPush(row.eventTime, row.playerId);
      expect(detector.hotspotsResult).toBe(plain.push(values));
    }
  });

  it("emerges each injected hotspot once, near where it was injected, and nothing else", () => {
    const emerged = whole.events.filter((e) => e.type === "emerged");
    const matched = emerged.map((e) => {
      const time = Date.parse(e.eventTime as string);
      return truth.find((h) => {
        if (time < Date.parse(h.startTime) || time > Date.parse(h.endTime)) return false;
        const [x, y] = centreAt(h, time);
        return Math.hypot(e.centroid[0] - x, e.centroid[1] - y) <= h.radius + params.scanRadius;
      })?.id;
    });
    expect(matched).toEqual(["H1", "H2", "H3", "H4", "H5"]);
  });

  it("gives each injected hotspot one id for at least 90 % of its records in a hotspot, the parade included", () => {
    for (const h of truth.filter((t) => t.startRow < rows.length - 2000)) {
      const byId = new Map<string, number>();
      let detected = 0;
      rows.forEach((row: SampleRow, i) => {
        if (injectedHotspotOf([h], row, i) === undefined || whole.ids[i] === undefined) return;
        detected++;
        const id = whole.ids[i] ?? "none";
        byId.set(id, (byId.get(id) ?? 0) + 1);
      });
      const main = Math.max(...byId.values());
      expect({ id: h.id, share: main / detected >= 0.9 }).toEqual({ id: h.id, share: true });
    }
  });

  it("resumes from its saved state on a window read again, with the events of an uninterrupted run", () => {
    for (const cut of [4_321, 9_000, 17_500]) {
      const first = attached();
      track(first.detector, first.tracker, 0, cut);
      const saved = JSON.parse(JSON.stringify(first.tracker.toState())) as TrackerState;
      // A new engine re-reads the window's records (what a warm restart does), then the tracker resumes.
      const detector = new HotspotDetector(params);
      for (const row of rows.slice(cut - params.windowSize, cut)) detector.push([row.longitude, row.latitude]);
      const tracker = HotspotTracker.restore(detector, params, {}, saved);
      detector.observeComponents(tracker);
      const rest = track(detector, tracker, cut, rows.length);
      expect(rest.events).toEqual(whole.events.filter((e) => e.position >= cut));
      expect(rest.ids).toEqual(whole.ids.slice(cut));
    }
  });
});
