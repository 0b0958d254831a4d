import { HotspotsParameterError, type HotspotsParameters } from "@hotspots/core";
import { HotspotDetector, NO_HOTSPOTS_RESULT, type Hotspot } from "../src/engine";
import { BruteForceHotspots } from "./support/brute-force-hotspots";
import { clusteredPoints, seededRandom, uniformPoints } from "./support/synthetic-points";

function params(windowSize: number, scanRadius: number, minimumPoints: number, dimensions: number): HotspotsParameters {
  return { windowSize, scanRadius, minimumPoints, columns: ["a", "b", "c", "d", "e"].slice(0, dimensions) };
}

const shape = (spots: readonly Hotspot[]) =>
  spots.map((h) => ({ members: h.members, min: h.minValues, max: h.maxValues }));

/** Pushes every point into both engines and fails at the first record where they disagree. */
function expectSameAsReference(p: HotspotsParameters, points: number[][]): { withHotspots: number } {
  const engine = new HotspotDetector(p);
  const reference = new BruteForceHotspots(p);
  let withHotspots = 0;
  for (let i = 0; i < points.length; i++) {
    const got = engine.push(points[i]);
    const want = reference.push(points[i]);
    // The escaped form an output record holds, kept alongside the result.
    if (engine.hotspotsResultJson !== JSON.stringify(got))
      expect({ record: i, json: engine.hotspotsResultJson }).toEqual({ record: i, json: JSON.stringify(got) });
    if (got !== want || JSON.stringify(shape(engine.hotspots)) !== JSON.stringify(shape(reference.hotspots))) {
      expect({ record: i, hotspots: shape(engine.hotspots), result: got }).toEqual({
        record: i,
        hotspots: shape(reference.hotspots),
        result: want,
      });
    }
    if (reference.hotspots.length > 0) withHotspots++;
  }
  return { withHotspots };
}

describe("HotspotDetector agrees with the brute-force reference on every record", () => {
  const cases: [string, HotspotsParameters, number[][]][] = [
    ["uniform, 2 columns", params(100, 1, 5, 2), uniformPoints(600, 2, 10, 1)],
    ["uniform, 2 columns, minimumPoints 2", params(100, 0.3, 2, 2), uniformPoints(500, 2, 10, 2)],
    [
      "clustered, 2 columns",
      params(200, 0.5, 8, 2),
      clusteredPoints(1200, { dimensions: 2, extent: 20, centres: 4, spread: 0.6, clusteredShare: 0.6, seed: 3 }),
    ],
    [
      "clustered, 2 columns, blobs that touch",
      params(150, 0.8, 6, 2),
      clusteredPoints(900, { dimensions: 2, extent: 6, centres: 5, spread: 0.7, clusteredShare: 0.7, seed: 4 }),
    ],
    [
      "clustered, 3 columns",
      params(150, 1.5, 6, 3),
      clusteredPoints(900, { dimensions: 3, extent: 20, centres: 3, spread: 1, clusteredShare: 0.6, seed: 5 }),
    ],
    [
      "clustered, 2 columns, dense blobs that merge and split as the window turns",
      params(250, 0.4, 12, 2),
      clusteredPoints(1000, { dimensions: 2, extent: 4, centres: 6, spread: 0.5, clusteredShare: 0.8, seed: 9 }),
    ],
    ["uniform, 1 column", params(100, 0.2, 4, 1), uniformPoints(500, 1, 20, 6)],
    [
      "clustered, 5 columns (cells found by scanning live cells)",
      params(100, 2, 5, 5),
      clusteredPoints(500, { dimensions: 5, extent: 10, centres: 3, spread: 0.8, clusteredShare: 0.7, seed: 7 }),
    ],
    [
      "integer lattice: duplicates and neighbours at exactly scanRadius",
      params(120, 1, 4, 2),
      (() => {
        const random = seededRandom(8);
        return Array.from({ length: 700 }, () => [Math.floor(random() * 8) - 4, Math.floor(random() * 8) - 4]);
      })(),
    ],
  ];

  it.each(cases)("%s", (_name, p, points) => {
    const { withHotspots } = expectSameAsReference(p, points);
    // The workload must exercise clustering, not only agree on empty results.
    expect(withHotspots).toBeGreaterThan(points.length / 4);
  });
});

describe("HotspotDetector on a moving hotspot over uniform noise", () => {
  const p = params(200, 0.5, 10, 2);
  const random = seededRandom(11);
  const noise = () => [random() * 100, random() * 100];
  const blobAt = (x: number, y: number) => [x + (random() - 0.5) * 0.6, y + (random() - 0.5) * 0.6];
  const contains = (h: Hotspot, x: number, y: number) =>
    h.minValues[0] <= x && x <= h.maxValues[0] && h.minValues[1] <= y && y <= h.maxValues[1];

  it("reports the hotspot where it is and, once the window turned over, not where it was", () => {
    const detector = new HotspotDetector(p);
    for (let i = 0; i < 600; i++) detector.push(i % 2 === 0 ? blobAt(20, 20) : noise());
    expect(detector.hotspots.some((h) => contains(h, 20, 20))).toBe(true);
    expect(detector.hotspots.some((h) => contains(h, 70, 70))).toBe(false);
    const atStart = detector.hotspots.find((h) => contains(h, 20, 20))!;
    expect(atStart.members).toBeGreaterThan(80);
    expect(atStart.maxValues[0] - atStart.minValues[0]).toBeLessThan(1);

    for (let i = 0; i < p.windowSize; i++) detector.push(i % 2 === 0 ? blobAt(70, 70) : noise());
    expect(detector.hotspots.some((h) => contains(h, 70, 70))).toBe(true);
    expect(detector.hotspots.some((h) => contains(h, 20, 20))).toBe(false);
  });

  it("reports no hotspot in pure noise", () => {
    const detector = new HotspotDetector(p);
    for (let i = 0; i < 2000; i++) expect(detector.push(noise())).toBe(NO_HOTSPOTS_RESULT);
  });
});

describe("HotspotDetector output", () => {
  it("counts the current record: minimumPoints identical records form a hotspot on the last one of them", () => {
    const detector = new HotspotDetector(params(100, 1, 3, 2));
    expect(detector.push([1, 2])).toBe(NO_HOTSPOTS_RESULT);
    expect(detector.push([1, 2])).toBe(NO_HOTSPOTS_RESULT);
    // Three records in a box of 0 x 0, floored at 1 x 1: density 3.
    expect(JSON.parse(detector.push([1, 2]))).toEqual({
      hotspots: [{ density: 3, minValues: [1, 2], maxValues: [1, 2] }],
    });
    expect(detector.windowLength).toBe(3);
  });

  it("orders hotspots by density, densest first, and measures size with sides floored at scanRadius", () => {
    const detector = new HotspotDetector(params(100, 1, 3, 2));
    for (const point of [
      [0, 0],
      [0.5, 0],
      [1, 0],
      [1.5, 0],
      [10, 10],
      [10, 10.2],
      [10, 10.1],
    ])
      detector.push(point);
    expect(JSON.parse(detector.hotspotsResult)).toEqual({
      hotspots: [
        { density: 3, minValues: [10, 10], maxValues: [10, 10.2] },
        { density: 4 / 1.5, minValues: [0, 0], maxValues: [1.5, 0] },
      ],
    });
  });

  it("returns the very same string while the hotspots do not change", () => {
    const detector = new HotspotDetector(params(100, 1, 3, 2));
    for (let i = 0; i < 3; i++) detector.push([0, 0]);
    const first = detector.hotspotsResult;
    expect(detector.push([50, 50])).toBe(first);
  });

  it("drops records that leave the window", () => {
    const detector = new HotspotDetector(params(100, 1, 3, 2));
    for (let i = 0; i < 3; i++) detector.push([0, 0]);
    for (let i = 0; i < 97; i++) detector.push([i * 10 + 100, 0]);
    expect(detector.hotspots).toHaveLength(1);
    expect(detector.push([5000, 0])).toBe(NO_HOTSPOTS_RESULT);
  });

  it("rejects bad parameters and bad values with an error naming them", () => {
    expect(() => new HotspotDetector(params(50, 1, 3, 2))).toThrow(HotspotsParameterError);
    expect(() => new HotspotDetector(params(100, 0, 3, 2))).toThrow(/scanRadius/);
    const detector = new HotspotDetector(params(100, 1, 3, 2));
    expect(() => detector.push([1])).toThrow(/expected 2 values \(a,b\), got 1/);
    expect(() => detector.push([1, NaN])).toThrow(/column "b" must be a finite number/);
    expect(detector.windowLength).toBe(0);
  });
});
