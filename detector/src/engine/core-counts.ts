import type { CellGrid } from "./cell-grid";

/**
 * Core counting: per record, how many records of the window lie within scanRadius (itself included)
 * and how many of those are core, and its core flag; per cell, how many core records it holds; per
 * pair of cells, how many core-core neighbour pairs join them (the links, a capacity x capacity
 * matrix). It is apart because it is the only part that runs once per neighbour of every record
 * entering or leaving the window: it is kept to counter updates over flat arrays, and it does not
 * touch the hotspots. What its updates mean for them (cells that start or stop holding core records,
 * links that appear or go, records whose hotspot may differ) it appends to change logs, which the
 * other parts read once per push and clearChanges() empties. Other parts read its arrays and logs by
 * reference and never write them.
 */
export class CoreCounts {
  private readonly capacity: number;
  private readonly minPoints: number;
  private readonly grid: CellGrid;

  /** Records within scanRadius of each record, itself included. */
  readonly neighbourCount: Int32Array;
  /** Core records within scanRadius of each record. */
  readonly coreNeighbours: Int32Array;
  readonly core: Uint8Array;
  /** Core records in each cell. */
  readonly cellCores: Int32Array;
  /** The cells holding at least one core record, in no order; coreCellCount of them. */
  readonly coreCells: Int32Array;
  coreCellCount = 0;
  private readonly corePosition: Int32Array;
  /** Core-core neighbour pairs between cells a and b at a * capacity + b (symmetric). */
  readonly links: Int32Array;

  // Change logs since the last clearChanges(). Flat lists with a count: reused, never reallocated once grown.
  /** Records whose core flag or core neighbours changed: their hotspot may differ. */
  readonly changedRecords: Int32Array;
  changedCount = 0;
  private readonly changedStamp: Int32Array;
  private epoch = 1;
  /** Cells that began holding a core record. */
  readonly openedCells: number[] = [];
  openedCount = 0;
  /** Cells that stopped holding a core record. */
  readonly closedCells: number[] = [];
  closedCount = 0;
  /** Cell pairs whose first core-core link appeared (flat a, b pairs; newLinkCount numbers). */
  readonly newLinks: number[] = [];
  newLinkCount = 0;
  /** Cell pairs whose last core-core link went away (flat a, b pairs; brokenLinkCount numbers). */
  readonly brokenLinks: number[] = [];
  brokenLinkCount = 0;

  private readonly scratchNear: Int32Array;
  private readonly scratchFlip: Int32Array;

  constructor(grid: CellGrid, capacity: number, minimumPoints: number) {
    const w = capacity;
    this.grid = grid;
    this.capacity = w;
    this.minPoints = minimumPoints;
    this.neighbourCount = new Int32Array(w);
    this.coreNeighbours = new Int32Array(w);
    this.core = new Uint8Array(w);
    this.cellCores = new Int32Array(w);
    this.coreCells = new Int32Array(w);
    this.corePosition = new Int32Array(w);
    this.links = new Int32Array(w * w);
    this.changedRecords = new Int32Array(w);
    this.changedStamp = new Int32Array(w);
    this.scratchNear = new Int32Array(w);
    this.scratchFlip = new Int32Array(w);
  }

  /** Counts in the record just added to the grid in `slot`: its neighbours gain one, some of them become core. */
  enter(slot: number): void {
    const core = this.core;
    const count = this.neighbourCount;
    core[slot] = 0;
    const near = this.scratchNear;
    const n = this.grid.scan(slot, near);
    let coreNear = 0;
    for (let t = 0; t < n; t++) {
      const j = near[t];
      if (core[j] === 1) coreNear++;
      count[j]++;
    }
    count[slot] = n + 1;
    this.coreNeighbours[slot] = coreNear;
    if (n + 1 >= this.minPoints) this.becomeCore(slot, near, n);
    else if (coreNear > 0) this.changed(slot);
    for (let t = 0; t < n; t++) {
      const j = near[t];
      if (count[j] === this.minPoints && core[j] === 0) {
        this.becomeCore(j, this.scratchFlip, this.grid.scan(j, this.scratchFlip));
      }
    }
  }

  /**
   * Counts out the oldest record (in `slot`) and removes it from the grid: it stops being core, its
   * neighbours lose one and some stop being core. The grid removal sits in the middle because the
   * scans of those that stop being core must no longer see the leaving record.
   */
  leave(slot: number): void {
    const near = this.scratchNear;
    const n = this.grid.scan(slot, near);
    if (this.core[slot] === 1) this.stopCore(slot, near, n);
    this.grid.removeOldest(slot);
    const lastCore = this.minPoints - 1;
    const count = this.neighbourCount;
    for (let t = 0; t < n; t++) {
      const j = near[t];
      if (--count[j] === lastCore && this.core[j] === 1) {
        this.stopCore(j, this.scratchFlip, this.grid.scan(j, this.scratchFlip));
      }
    }
  }

  /** Empties the change logs: the other parts have read them. */
  clearChanges(): void {
    this.changedCount = 0;
    this.epoch++;
    this.openedCount = 0;
    this.closedCount = 0;
    this.newLinkCount = 0;
    this.brokenLinkCount = 0;
  }

  private changed(i: number): void {
    if (this.changedStamp[i] === this.epoch) return;
    this.changedStamp[i] = this.epoch;
    this.changedRecords[this.changedCount++] = i;
  }

  /** Marks a record core (near: its n neighbours): they gain a core neighbour; core neighbours in other cells add links. */
  private becomeCore(i: number, near: Int32Array, n: number): void {
    const core = this.core;
    const links = this.links;
    const cellOf = this.grid.cellOf;
    core[i] = 1;
    this.changed(i);
    const c = cellOf[i];
    if (this.cellCores[c]++ === 0) this.openCoreCell(c);
    const w = this.capacity;
    for (let t = 0; t < n; t++) {
      const j = near[t];
      this.coreNeighbours[j]++;
      this.changed(j);
      if (core[j] === 1) {
        const cj = cellOf[j];
        if (cj !== c) {
          if (links[c * w + cj]++ === 0) {
            this.newLinks[this.newLinkCount++] = c;
            this.newLinks[this.newLinkCount++] = cj;
          }
          links[cj * w + c]++;
        }
      }
    }
  }

  /** Unmarks a core record (near: its n neighbours): they lose a core neighbour; links to other cells drop. */
  private stopCore(i: number, near: Int32Array, n: number): void {
    const core = this.core;
    const links = this.links;
    const cellOf = this.grid.cellOf;
    core[i] = 0;
    this.changed(i);
    const c = cellOf[i];
    if (--this.cellCores[c] === 0) this.closeCoreCell(c);
    const w = this.capacity;
    for (let t = 0; t < n; t++) {
      const j = near[t];
      this.coreNeighbours[j]--;
      this.changed(j);
      if (core[j] === 1) {
        const cj = cellOf[j];
        if (cj !== c) {
          if (--links[c * w + cj] === 0) {
            this.brokenLinks[this.brokenLinkCount++] = c;
            this.brokenLinks[this.brokenLinkCount++] = cj;
          }
          links[cj * w + c]--;
        }
      }
    }
  }

  private openCoreCell(c: number): void {
    this.corePosition[c] = this.coreCellCount;
    this.coreCells[this.coreCellCount++] = c;
    this.openedCells[this.openedCount++] = c;
  }

  private closeCoreCell(c: number): void {
    const position = this.corePosition[c];
    const moved = this.coreCells[--this.coreCellCount];
    this.coreCells[position] = moved;
    this.corePosition[moved] = position;
    this.closedCells[this.closedCount++] = c;
  }
}
