import type { TruthHotspot } from "../data/ground-truth";
import type { OutputPoint } from "./evaluate";

/**
 * What the detector's window holds at each output record, followed record by record: which truth
 * hotspots have records of their active interval in it, and the event-time span of its records.
 * Exact however much the records of different shards arrive out of order.
 */
export class WindowState {
  /** live[t]: the window holds at least one record of truth hotspot t's active rows. */
  readonly live: boolean[];
  private readonly counts: Int32Array;
  private position = -1;
  // Monotonic deques of positions for the sliding minimum and maximum event time.
  private readonly minQueue: number[] = [];
  private readonly maxQueue: number[] = [];
  private minHead = 0;
  private maxHead = 0;

  constructor(
    private readonly points: readonly OutputPoint[],
    private readonly truths: readonly TruthHotspot[],
    private readonly windowSize: number,
  ) {
    this.live = truths.map(() => false);
    this.counts = new Int32Array(truths.length);
  }

  /** Moves the window to end at the next record; returns its position. */
  advance(): number {
    const p = ++this.position;
    this.count(this.points[p].row, 1);
    const leaving = p - this.windowSize;
    if (leaving >= 0) this.count(this.points[leaving].row, -1);
    const time = this.points[p].time;
    while (this.minQueue.length > this.minHead && this.points[this.minQueue[this.minQueue.length - 1]].time >= time)
      this.minQueue.pop();
    this.minQueue.push(p);
    while (this.maxQueue.length > this.maxHead && this.points[this.maxQueue[this.maxQueue.length - 1]].time <= time)
      this.maxQueue.pop();
    this.maxQueue.push(p);
    while (this.minQueue[this.minHead] <= leaving) this.minHead++;
    while (this.maxQueue[this.maxHead] <= leaving) this.maxHead++;
    return p;
  }

  get timeLo(): number {
    return this.points[this.minQueue[this.minHead]].time;
  }

  get timeHi(): number {
    return this.points[this.maxQueue[this.maxHead]].time;
  }

  private count(row: number, delta: number): void {
    for (let t = 0; t < this.truths.length; t++) {
      const h = this.truths[t];
      if (row >= h.startRow && row <= h.endRow) {
        this.counts[t] += delta;
        this.live[t] = this.counts[t] > 0;
      }
    }
  }
}
