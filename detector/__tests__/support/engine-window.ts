import { cellCoordinate, cellSide } from "../../src/engine/cell-geometry";
import { CellGrid } from "../../src/engine/cell-grid";
import { CoreCounts } from "../../src/engine/core-counts";

/**
 * The cell grid and the core counts driven as HotspotDetector drives them (a ring of windowSize
 * slots, the oldest record counted out before the new one comes in), without the hotspots: for tests
 * of those two parts against brute force.
 */
export class EngineWindow {
  readonly grid: CellGrid;
  readonly counts: CoreCounts;
  private readonly probe: Float64Array;
  private readonly side: number;
  private oldest = 0;
  private size = 0;

  constructor(
    readonly windowSize: number,
    readonly dimensions: number,
    readonly scanRadius: number,
    readonly minimumPoints: number,
  ) {
    this.grid = new CellGrid(windowSize, dimensions, scanRadius);
    this.counts = new CoreCounts(this.grid, windowSize, minimumPoints);
    this.probe = new Float64Array(dimensions);
    this.side = cellSide(scanRadius, dimensions);
  }

  /** Adds a record (dropping the oldest when full); returns its slot. */
  push(values: number[]): number {
    if (this.size === this.windowSize) {
      this.counts.leave(this.oldest);
      this.oldest = (this.oldest + 1) % this.windowSize;
      this.size--;
    }
    const slot = (this.oldest + this.size) % this.windowSize;
    this.size++;
    for (let k = 0; k < this.dimensions; k++) this.probe[k] = cellCoordinate(values[k], this.side);
    this.grid.add(slot, values, this.probe);
    this.counts.enter(slot);
    return slot;
  }

  /** Slots of the window's records, oldest first. */
  liveSlots(): number[] {
    return Array.from({ length: this.size }, (_, t) => (this.oldest + t) % this.windowSize);
  }

  /** Brute force: the live slots within scanRadius of slot i, i excluded, ascending. */
  neighboursOf(i: number): number[] {
    const r2 = this.scanRadius * this.scanRadius;
    return this.liveSlots()
      .filter((j) => j !== i && this.distanceSquared(i, j) <= r2)
      .sort((a, b) => a - b);
  }

  private distanceSquared(i: number, j: number): number {
    const { coords } = this.grid;
    const d = this.dimensions;
    let sum = 0;
    for (let k = 0; k < d; k++) sum += (coords[i * d + k] - coords[j * d + k]) ** 2;
    return sum;
  }
}
