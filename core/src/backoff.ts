/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * the delay before retry n is uniform in [0, min(cap, base * 2^(n-1))). Full jitter spreads the
 * retries of many concurrent senders, so a throttled shard is not hit again in lock step.
 */

export interface BackoffSettings {
  /** Upper bound of the first delay, in milliseconds. */
  readonly baseDelayMs: number;
  /** No delay exceeds this, in milliseconds. */
  readonly maxDelayMs: number;
}

/** `retry` counts from 1; `random` returns a number in [0, 1) like Math.random. */
export function fullJitterDelay(retry: number, settings: BackoffSettings, random: () => number = Math.random): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/** A sleep that ends early (resolving, not rejecting) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
