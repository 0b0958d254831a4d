import type { CellGrid } from "./cell-grid";
import type { CoreCounts } from "./core-counts";
import type { HotspotComponents } from "./hotspot-components";

/**
 * Hotspot assignment, and the border tie rule: which hotspot each record of the window is counted
 * in. A core record is in its cell's hotspot; a non-core record with core neighbours (a border
 * record) joins, among the hotspots of its core neighbours, the one that holds the oldest core
 * record; other records are noise. It is apart because the tie rule is this project's choice (AWS
 * does not document one) and has its own state, invalidated by other events than the components:
 * arrival order, per cell the one hotspot around it (nearRoot, so that most border records need no
 * scan), per hotspot the arrival of its oldest core record (labels, computed on demand), and the
 * border records near several hotspots (ambiguous), which a change of ages alone may move. Each push
 * it re-assigns only the records the core counts logged as changed, plus the ambiguous ones.
 */
export class HotspotAssignment {
  private readonly capacity: number;
  private readonly grid: CellGrid;
  private readonly counts: CoreCounts;
  private readonly components: HotspotComponents;
  // Shared by reference with the grid, the counts and the components (read only here, except memberOf through join and leave).
  private readonly cellOf: Int32Array;
  private readonly cellHead: Int32Array;
  private readonly nextInCell: Int32Array;
  private readonly cellAdjacent: number[][];
  private readonly core: Uint8Array;
  private readonly coreNeighbours: Int32Array;
  private readonly cellCores: Int32Array;
  private readonly coreCells: Int32Array;
  private readonly memberOf: Int32Array;

  /** Arrival number of the record in slot s (the tie rule's age). */
  private readonly arrival: Float64Array;
  private sequence = 0;
  /** Per cell, the one hotspot root among its own and adjacent core cells (-1 none, -2 several), valid for nearVersion. */
  private readonly nearStamp: Int32Array;
  private readonly nearRoot: Int32Array;
  private nearVersion = 0;
  /** Per root, the arrival of the hotspot's oldest core record, while labelsFresh. */
  private readonly rootLabel: Float64Array;
  private labelsFresh = false;
  /** Border records with core neighbours in several hotspots: the tie rule may move them when ages change. */
  private readonly ambiguous: Int32Array;
  private ambiguousCount = 0;
  private readonly ambiguousFlag: Uint8Array;
  private readonly scratch: Int32Array;

  constructor(grid: CellGrid, counts: CoreCounts, components: HotspotComponents, capacity: number) {
    const w = capacity;
    this.capacity = w;
    this.grid = grid;
    this.counts = counts;
    this.components = components;
    this.cellOf = grid.cellOf;
    this.cellHead = grid.cellHead;
    this.nextInCell = grid.nextInCell;
    this.cellAdjacent = grid.cellAdjacent;
    this.core = counts.core;
    this.coreNeighbours = counts.coreNeighbours;
    this.cellCores = counts.cellCores;
    this.coreCells = counts.coreCells;
    this.memberOf = components.memberOf;
    this.arrival = new Float64Array(w);
    this.nearStamp = new Int32Array(w).fill(-1);
    this.nearRoot = new Int32Array(w);
    this.rootLabel = new Float64Array(w);
    this.ambiguous = new Int32Array(w);
    this.ambiguousFlag = new Uint8Array(w);
    this.scratch = new Int32Array(w);
  }

  /** A record entered in `slot`: it is the youngest. */
  enter(slot: number): void {
    this.arrival[slot] = this.sequence++;
    this.ambiguousFlag[slot] = 0;
  }

  /** A cell was opened in the grid: its id may be a reused one, so what was known around it is void. */
  forgetCell(c: number): void {
    this.nearStamp[c] = -1;
  }

  /**
   * After HotspotComponents.update: re-assigns every record of the window (the ring
   * [oldest, oldest + size)) when the components were rebuilt, else only those that may have moved.
   */
  update(rebuilt: boolean, oldest: number, size: number): void {
    this.labelsFresh = false;
    // The hotspots around a cell that began holding core records changed: their cached nearRoot is void.
    const counts = this.counts;
    for (let t = 0; t < counts.openedCount; t++) {
      const c = counts.openedCells[t];
      this.nearStamp[c] = -1;
      const adjacent = this.cellAdjacent[c];
      for (let a = 0; a < adjacent.length; a++) this.nearStamp[adjacent[a]] = -1;
    }
    if (rebuilt) this.assignAll(oldest, size);
    else this.reassign(oldest, size);
  }

  /** Every record's hotspot from scratch: the components are new. */
  private assignAll(oldest: number, size: number): void {
    this.nearVersion++;
    for (let t = 0; t < this.ambiguousCount; t++) this.ambiguousFlag[this.ambiguous[t]] = 0;
    this.ambiguousCount = 0;
    const w = this.capacity;
    const components = this.components;
    for (let t = 0; t < size; t++) {
      let s = oldest + t;
      if (s >= w) s -= w;
      const root = this.hotspotOf(s);
      if (root === -1) this.memberOf[s] = -1;
      else components.join(s, root);
    }
  }

  /** Re-assigns the records that may have moved, then the ambiguous border records (their tie may have turned). */
  private reassign(oldest: number, size: number): void {
    const changed = this.counts.changedRecords;
    const changedCount = this.counts.changedCount;
    for (let t = 0; t < changedCount; t++) this.reassignOne(changed[t], oldest, size);
    let kept = 0;
    const count = this.ambiguousCount;
    for (let t = 0; t < count; t++) {
      const i = this.ambiguous[t];
      this.ambiguousFlag[i] = 0;
      if (this.isLive(i, oldest, size)) this.ambiguous[kept++] = i;
    }
    this.ambiguousCount = 0;
    for (let t = 0; t < kept; t++) this.reassignOne(this.ambiguous[t], oldest, size);
  }

  private reassignOne(i: number, oldest: number, size: number): void {
    if (!this.isLive(i, oldest, size)) return;
    const root = this.hotspotOf(i);
    const before = this.components.rootOf(i);
    if (root === before) return;
    if (before !== -1) this.components.leave(i);
    if (root !== -1) this.components.join(i, root);
  }

  private isLive(i: number, oldest: number, size: number): boolean {
    const age = i >= oldest ? i - oldest : i + this.capacity - oldest;
    return age < size;
  }

  /** The hotspot root a record belongs to now, or -1 for noise. */
  private hotspotOf(i: number): number {
    if (this.core[i] === 1) return this.components.find(this.cellOf[i]);
    if (this.coreNeighbours[i] === 0) return -1;
    return this.borderRoot(i);
  }

  /** The hotspot a border record joins: the one with the oldest core record among its core neighbours' hotspots. */
  private borderRoot(i: number): number {
    const components = this.components;
    const cellCores = this.cellCores;
    const c = this.cellOf[i];
    if (this.nearStamp[c] !== this.nearVersion) {
      this.nearStamp[c] = this.nearVersion;
      let root = cellCores[c] > 0 ? components.find(c) : -1;
      const adjacent = this.cellAdjacent[c];
      for (let a = 0; a < adjacent.length && root !== -2; a++) {
        const cell = adjacent[a];
        if (cellCores[cell] === 0) continue;
        const other = components.find(cell);
        if (root === -1) root = other;
        else if (root !== other) root = -2;
      }
      this.nearRoot[c] = root;
    }
    const near = this.nearRoot[c];
    if (near !== -2) return components.find(near);
    // Core cells of several hotspots around: look at the actual core neighbours.
    if (!this.labelsFresh) this.labelHotspots();
    const n = this.grid.scan(i, this.scratch);
    const core = this.core;
    const cellOf = this.cellOf;
    let best = -1;
    let several = false;
    for (let t = 0; t < n; t++) {
      const j = this.scratch[t];
      if (core[j] === 0) continue;
      const root = components.find(cellOf[j]);
      if (best !== -1 && root !== best) several = true;
      if (best === -1 || this.rootLabel[root] < this.rootLabel[best]) best = root;
    }
    if (several && this.ambiguousFlag[i] === 0) {
      this.ambiguousFlag[i] = 1;
      this.ambiguous[this.ambiguousCount++] = i;
    }
    return best;
  }

  /**
   * Labels each hotspot with the arrival of its oldest core record, for the tie rule. The oldest
   * core record changes without any change of structure, so labels are computed on demand, at most
   * once per push, and only when a border record has core neighbours in two hotspots.
   */
  private labelHotspots(): void {
    this.labelsFresh = true;
    const components = this.components;
    const coreCells = this.coreCells;
    const coreCellCount = this.counts.coreCellCount;
    const core = this.core;
    const head = this.cellHead;
    const next = this.nextInCell;
    for (let l = 0; l < coreCellCount; l++) this.rootLabel[components.find(coreCells[l])] = Infinity;
    for (let l = 0; l < coreCellCount; l++) {
      const c = coreCells[l];
      const root = components.find(c);
      // A cell's records are in arrival order: the first core one is its oldest.
      let j = head[c];
      while (core[j] === 0) j = next[j];
      if (this.arrival[j] < this.rootLabel[root]) this.rootLabel[root] = this.arrival[j];
    }
  }
}
