/**
 * How many batches may be in flight: at most `max`, halved when the stream throttles and grown
 * back by one per window of clean requests (additive increase, multiplicative decrease, as TCP
 * does). Reading waits for a free slot, so a throttled stream slows the whole run down instead of
 * collecting retries.
 */
export class CongestionWindow {
  private limit: number;
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly max: number) {
    this.limit = max;
  }

  /** Batches allowed in flight now. */
  get size(): number {
    return Math.max(1, Math.floor(this.limit));
  }

  get inFlight(): number {
    return this.active;
  }

  acquire(): Promise<void> {
    if (this.active < this.size) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    this.active--;
    this.wake();
  }

  /** Feedback from one request: throttled or not. */
  report(throttled: boolean): void {
    this.limit = throttled ? Math.max(1, this.limit / 2) : Math.min(this.max, this.limit + 1 / this.limit);
    this.wake();
  }

  private wake(): void {
    while (this.waiters.length > 0 && this.active < this.size) {
      this.active++;
      this.waiters.shift()!();
    }
  }
}
