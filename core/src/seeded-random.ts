/**
 * mulberry32, a small seeded pseudo-random generator: the same seed gives the same sequence on
 * every machine and Node version, which Math.random cannot promise. Used for the sample data,
 * the synthetic workloads of tests and benchmarks, and fault injection that a failing run can repeat.
 * Uniform in [0, 1); not for anything secret.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
