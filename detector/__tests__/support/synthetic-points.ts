/** Deterministic synthetic workloads for the engine's tests and benchmark. */
import { seededRandom } from "@hotspots/core";

export { seededRandom };

/** Uniform points in [0, extent)^dimensions. */
export function uniformPoints(count: number, dimensions: number, extent: number, seed: number): number[][] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => Array.from({ length: dimensions }, () => random() * extent));
}

/**
 * A mix of uniform background noise and Gaussian blobs around fixed centres, the shape of player
 * events gathering at a few places: `clusteredShare` of the points fall in blobs of spread `spread`.
 */
export function clusteredPoints(
  count: number,
  options: {
    dimensions: number;
    extent: number;
    centres: number;
    spread: number;
    clusteredShare: number;
    seed: number;
  },
): number[][] {
  const random = seededRandom(options.seed);
  const centres = Array.from({ length: options.centres }, () =>
    Array.from({ length: options.dimensions }, () => random() * options.extent),
  );
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: count }, () => {
    if (random() >= options.clusteredShare) {
      return Array.from({ length: options.dimensions }, () => random() * options.extent);
    }
    const centre = centres[Math.floor(random() * centres.length)];
    return centre.map((v) => v + gaussian() * options.spread);
  });
}
