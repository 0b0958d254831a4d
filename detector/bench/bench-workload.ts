import { DEFAULT_HOTSPOTS_PARAMETERS, type HotspotsParameters } from "@hotspots/core";
import { clusteredPoints } from "../__tests__/support/synthetic-points";

/** Records per pass of the detector's benchmark. */
export const BENCH_RECORDS = 60_000;

export const BENCH_PARAMS: HotspotsParameters = { ...DEFAULT_HOTSPOTS_PARAMETERS, windowSize: 1000 };

/**
 * Player events around a few gathering places (70 %, Gaussian blobs of 1.5 scanRadius) over
 * background noise on a field of 200 x 200 scanRadius, in degrees, as JSON lines (as Kinesis
 * records carry them). The same lines on every call.
 */
export function benchLines(count = BENCH_RECORDS): string[] {
  const r = BENCH_PARAMS.scanRadius;
  const points = clusteredPoints(count, {
    dimensions: 2,
    extent: 200 * r,
    centres: 6,
    spread: 1.5 * r,
    clusteredShare: 0.7,
    seed: 42,
  });
  return points.map(([dx, dy], i) =>
    JSON.stringify({
      event_id: `e-${i}`,
      event_time: new Date(Date.UTC(2026, 0, 1) + i * 50).toISOString(),
      player_id: `p-${i % 500}`,
      event_type: "move",
      latitude: 48.6 + dy,
      longitude: 2.1 + dx,
      score: i % 1000,
      health: 80,
      speed: 3.5,
    }),
  );
}
