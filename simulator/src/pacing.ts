/**
 * When each row may be sent. Pure: the caller passes the clock in, and sleeps.
 */
export interface Pacer {
  /** Wall-clock time (ms) from which the row may be sent. */
  dueAt(eventTime: string, now: number): number;
  /** A new pass over the input starts (--loop). */
  restart(): void;
}

/** How far a paced run may catch up after falling behind (a throttled stream, a slow read): one second of rows. */
const RATE_BURST_MS = 1000;

/** --rate: a steady number of records per second. */
export class RatePacer implements Pacer {
  private next: number | undefined;
  private readonly intervalMs: number;

  constructor(recordsPerSecond: number) {
    this.intervalMs = 1000 / recordsPerSecond;
  }

  dueAt(_eventTime: string, now: number): number {
    const due = Math.max(this.next ?? now, now - RATE_BURST_MS);
    this.next = due + this.intervalMs;
    return due;
  }

  restart(): void {
    // A pass boundary is not a pause: the rate carries on.
  }
}

/**
 * --replay: rows go out as far apart as their event_time values, divided by `speed`. The first row
 * of a pass sets the origin; a row whose time is unreadable or earlier than the origin goes at once.
 */
export class ReplayPacer implements Pacer {
  private origin: { wall: number; event: number } | undefined;

  constructor(private readonly speed: number) {}

  dueAt(eventTime: string, now: number): number {
    const t = Date.parse(eventTime);
    if (!Number.isFinite(t)) return now;
    if (!this.origin) this.origin = { wall: now, event: t };
    return this.origin.wall + (t - this.origin.event) / this.speed;
  }

  restart(): void {
    this.origin = undefined;
  }
}
