/** Deterministic synthetic workloads for the engine's tests and benchmark. */

/** mulberry32: a small seeded generator, so every run sees the same points. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
  options: { dimensions: number; extent: number; centres: number; spread: number; clusteredShare: number; seed: number },
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
