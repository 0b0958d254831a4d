import { DEFAULT_HOTSPOTS_PARAMETERS } from "@hotspots/core";
import type { GroundTruth, TruthHotspot } from "../data/ground-truth";
import { evaluate, type OutputPoint } from "../evaluation/evaluate";
import { T0, truthHotspot as hotspot } from "./support/truth-hotspot";

const params = { ...DEFAULT_HOTSPOTS_PARAMETERS, windowSize: 100 };

function box(lon: number, lat: number, half = 0.001): string {
  return JSON.stringify({
    hotspots: [{ density: 1000, minValues: [lon - half, lat - half], maxValues: [lon + half, lat + half] }],
  });
}

const NONE = JSON.stringify({ hotspots: [] });

/** 1000 records, 0.1 s apart; `resultAt` gives each record's HOTSPOTS_RESULT. */
function run(resultAt: (row: number) => string): OutputPoint[] {
  return Array.from({ length: 1000 }, (_, row) => ({
    row,
    time: T0 + row * 100,
    longitude: -122.3,
    latitude: 47.6,
    result: resultAt(row),
  }));
}

const truth = (hotspots: TruthHotspot[]): GroundTruth => ({
  description: "",
  seed: 1,
  players: 10,
  rows: 1000,
  area: { minLongitude: -122.44, maxLongitude: -122.24, minLatitude: 47.5, maxLatitude: 47.74 },
  startTime: new Date(T0).toISOString(),
  endTime: new Date(T0 + 100_000).toISOString(),
  hotspots,
});

describe("evaluate", () => {
  const a = hotspot("A", -122.3, 47.6, 200, 400);
  const b = hotspot("B", -122.35, 47.65, 600, 800);

  it("scores a perfect detector with full precision and recall, and measures the delay", () => {
    const points = run((row) =>
      row >= 250 && row <= 450 ? box(-122.3, 47.6) : row >= 630 && row <= 850 ? box(-122.35, 47.65) : NONE,
    );
    const e = evaluate(points, params, truth([a, b]));
    expect(e.truth!.precision).toBe(1);
    expect(e.truth!.recall).toBe(1);
    expect(e.truth!.hotspots.map((h) => h.delayRecords)).toEqual([50, 30]);
    expect(e.truth!.meanDelayRecords).toBe(40);
    expect(e.truth!.meanDelaySeconds).toBeCloseTo(4, 6);
    expect(e.tracks).toHaveLength(2);
  });

  it("counts a box away from every truth hotspot, or long after it ended, as a false detection", () => {
    // A: detected; a box 0.01 degrees off while A is on; a box on A's spot 200 records after its window emptied.
    const points = run((row) =>
      row >= 250 && row < 300
        ? box(-122.3, 47.6)
        : row >= 300 && row < 350
          ? box(-122.31, 47.6)
          : row >= 700 && row < 750
            ? box(-122.3, 47.6)
            : NONE,
    );
    const e = evaluate(points, params, truth([a, b]));
    expect(e.detections).toBe(150);
    expect(e.truth!.matchedDetections).toBe(50);
    expect(e.truth!.precision).toBeCloseTo(1 / 3, 6);
    expect(e.truth!.recall).toBe(0.5);
    expect(e.truth!.hotspots[1]).toMatchObject({ id: "B", found: false });
    expect(e.tracks.filter((t) => !t.truthId)).toHaveLength(2);
  });

  it("follows a moving hotspot along its path", () => {
    const moving: TruthHotspot = { ...a, endLongitude: -122.28, endLatitude: 47.62 };
    // The box sits where the centre is at each record: 0.02 degrees from the start by the end.
    const points = run((row) => {
      if (row < 200 || row > 400) return NONE;
      const f = (row - 200) / 200;
      return box(-122.3 + 0.02 * f, 47.6 + 0.02 * f);
    });
    const e = evaluate(points, params, truth([moving]));
    expect(e.truth!.precision).toBe(1);
    expect(e.truth!.hotspots[0].coverage).toBe(1);
  });

  it("reports no precision or recall without a ground truth, and no boxes when the columns are not on the map", () => {
    const points = run(() => box(-122.3, 47.6));
    expect(evaluate(points, params).truth).toBeUndefined();
    const off = evaluate(points, { ...params, columns: ["score", "health"] }, truth([a]));
    expect(off.spatial).toBe(false);
    expect(off.detections).toBe(1000);
    expect(off.tracks).toEqual([]);
    expect(off.truth).toBeUndefined();
  });
});
