import type { CellGrid } from "./cell-grid";
import type { ComponentObserver } from "./component-observer";
import type { CoreCounts } from "./core-counts";

/** Cells a split check may visit before it gives up and rebuilds all hotspots (measured: most checks need a few). */
const MAX_SPLIT_SEARCH_CELLS = 256;

/**
 * Hotspot components: the hotspots as connected components of core cells (a union-find over cell
 * ids; every hotspot has one root, a core cell), each with its statistics kept at the root (records,
 * bounding box), and which hotspot each record is counted in (memberOf). It is apart because this
 * is where hotspots come, merge, split and go: once per push, update() reads the core counts' change
 * logs and applies them, in one of four ways, each in one method:
 * - openHotspot: a cell that began holding a core record is a hotspot of its own until linked;
 * - merge: a new link between two hotspots joins them in place, statistics included;
 * - moveRoot: a lost link or core cell that splits nothing (checked by survivesRemovals) may still
 *   have taken the root cell away, and the hotspot moves to another of its cells;
 * - rebuild: when a hotspot may have split, all components are built again from the links; memberOf
 *   still holds the old hotspots until HotspotAssignment.assignAll re-assigns every record.
 * Whatever decides which hotspot a record joins (the border tie rule) is HotspotAssignment's.
 */
export class HotspotComponents {
  private readonly dims: number;
  private readonly capacity: number;
  private readonly counts: CoreCounts;
  // Shared by reference with the grid and the counts (read only here).
  private readonly coords: Float64Array;
  private readonly cellAdjacent: number[][];
  private readonly cellCores: Int32Array;
  private readonly coreCells: Int32Array;
  private readonly links: Int32Array;

  /** Told of every change of the structure (hotspot tracking); null when none is attached. */
  observer: ComponentObserver | null = null;

  readonly parent: Int32Array;
  /** The cell (a union-find node) whose hotspot the record in slot s is counted in, or -1. */
  readonly memberOf: Int32Array;
  /** Per root: records in the hotspot, and its bounding box at root * dims. */
  readonly rootMembers: Int32Array;
  readonly rootMin: Float64Array;
  readonly rootMax: Float64Array;
  /** Per root: a record on the edge of the box left, so the box may be too large (see remeasure). */
  private readonly boxStale: Uint8Array;
  /** Cells that stopped holding a core record since the last rebuild; union-find paths may still run through them. */
  private readonly orphan: Uint8Array;
  private readonly groupStamp: Int32Array;
  private readonly visitStamp: Int32Array;
  private readonly queue: Int32Array;
  private stampCounter = 0;

  constructor(grid: CellGrid, counts: CoreCounts, capacity: number) {
    const w = capacity;
    const d = grid.dims;
    this.dims = d;
    this.capacity = w;
    this.counts = counts;
    this.coords = grid.coords;
    this.cellAdjacent = grid.cellAdjacent;
    this.cellCores = counts.cellCores;
    this.coreCells = counts.coreCells;
    this.links = counts.links;
    this.parent = new Int32Array(w);
    this.memberOf = new Int32Array(w).fill(-1);
    this.rootMembers = new Int32Array(w);
    this.rootMin = new Float64Array(w * d);
    this.rootMax = new Float64Array(w * d);
    this.boxStale = new Uint8Array(w);
    this.orphan = new Uint8Array(w);
    this.groupStamp = new Int32Array(w);
    this.visitStamp = new Int32Array(w);
    this.queue = new Int32Array(w);
  }

  /**
   * Applies the core counts' change log of this push. Returns true when it rebuilt the components:
   * then every record must be assigned again (HotspotAssignment.assignAll).
   */
  update(): boolean {
    const counts = this.counts;
    // Losses come from the record that left, before the gains of the one that entered.
    const observer = this.observer;
    for (let t = 0; t < counts.closedCount; t++) {
      this.orphan[counts.closedCells[t]] = 1;
      if (observer !== null) observer.componentLost(counts.closedCells[t]);
    }
    let split = false;
    for (let t = 0; t < counts.openedCount; t++) {
      const c = counts.openedCells[t];
      // Paths of the union-find may run through a former core cell: resetting its parent needs a rebuild.
      if (this.orphan[c] === 1) split = true;
      this.openHotspot(c);
      if (observer !== null) observer.componentCreated(c);
    }
    if (!split) {
      const links = counts.newLinks;
      for (let t = 0; t < counts.newLinkCount; t += 2) this.merge(links[t], links[t + 1]);
      if (counts.brokenLinkCount > 0 || counts.closedCount > 0) split = !this.survivesRemovals();
    }
    if (split) this.rebuild();
    return split;
  }

  find(c: number): number {
    const parent = this.parent;
    let root = c;
    while (parent[root] !== root) root = parent[root];
    while (parent[c] !== root) {
      const next = parent[c];
      parent[c] = root;
      c = next;
    }
    return root;
  }

  /** The hotspot root the record in slot i is counted in now, or -1. */
  rootOf(i: number): number {
    const m = this.memberOf[i];
    return m === -1 ? -1 : this.find(m);
  }

  /** Counts record i in the hotspot of root. */
  join(i: number, root: number): void {
    this.memberOf[i] = root;
    const d = this.dims;
    const base = i * d;
    const rb = root * d;
    const coords = this.coords;
    if (this.rootMembers[root]++ === 0) {
      for (let k = 0; k < d; k++) this.rootMin[rb + k] = this.rootMax[rb + k] = coords[base + k];
      this.boxStale[root] = 0;
      return;
    }
    for (let k = 0; k < d; k++) {
      const v = coords[base + k];
      if (v < this.rootMin[rb + k]) this.rootMin[rb + k] = v;
      if (v > this.rootMax[rb + k]) this.rootMax[rb + k] = v;
    }
  }

  /** Counts record i (a member) out of its hotspot. */
  leave(i: number): void {
    const root = this.find(this.memberOf[i]);
    this.memberOf[i] = -1;
    this.rootMembers[root]--;
    const d = this.dims;
    const base = i * d;
    const rb = root * d;
    for (let k = 0; k < d; k++) {
      const v = this.coords[base + k];
      // A record on the edge of the box left: the box may shrink.
      if (v === this.rootMin[rb + k] || v === this.rootMax[rb + k]) this.boxStale[root] = 1;
    }
  }

  /**
   * Writes the root of every hotspot into out (in no order) and returns how many; re-measures the
   * boxes that may have shrunk, from the window's records (the ring [oldest, oldest + size)).
   */
  collectRoots(out: Int32Array, oldest: number, size: number): number {
    const coreCells = this.coreCells;
    const coreCellCount = this.counts.coreCellCount;
    let count = 0;
    for (let l = 0; l < coreCellCount; l++) {
      const c = coreCells[l];
      if (this.parent[c] !== c) continue;
      if (this.boxStale[c] === 1) this.remeasure(c, oldest, size);
      out[count++] = c;
    }
    return count;
  }

  /** A cell that began holding a core record: a hotspot of its own, without records yet. */
  private openHotspot(c: number): void {
    this.parent[c] = c;
    this.rootMembers[c] = 0;
    this.boxStale[c] = 0;
  }

  /** Joins the hotspots of cells a and b in place, statistics included (a's root stays the root). */
  private merge(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    this.parent[rb] = ra;
    if (this.observer !== null) this.observer.componentsUnited(ra, rb);
    const members = this.rootMembers[rb];
    if (members === 0) return;
    const d = this.dims;
    if (this.rootMembers[ra] === 0) {
      for (let k = 0; k < d; k++) {
        this.rootMin[ra * d + k] = this.rootMin[rb * d + k];
        this.rootMax[ra * d + k] = this.rootMax[rb * d + k];
      }
    } else {
      for (let k = 0; k < d; k++) {
        if (this.rootMin[rb * d + k] < this.rootMin[ra * d + k]) this.rootMin[ra * d + k] = this.rootMin[rb * d + k];
        if (this.rootMax[rb * d + k] > this.rootMax[ra * d + k]) this.rootMax[ra * d + k] = this.rootMax[rb * d + k];
      }
    }
    this.rootMembers[ra] += members;
    this.boxStale[ra] |= this.boxStale[rb];
    this.rootMembers[rb] = 0;
  }

  /**
   * After core cells or links went away: true when no hotspot split. Within each old hotspot, the
   * remaining cells at the ends of the lost links must still reach each other (any path between two
   * remaining cells can be rerouted through them); checked by a breadth-first search over core cells,
   * bounded so that a large hotspot falls back to a rebuild. Re-roots a hotspot whose root cell was lost.
   */
  private survivesRemovals(): boolean {
    const counts = this.counts;
    const broken = counts.brokenLinks;
    const brokenCount = counts.brokenLinkCount;
    const cellCores = this.cellCores;
    const groupToken = ++this.stampCounter;
    for (let t = 0; t < brokenCount; t++) {
      const x = broken[t];
      if (cellCores[x] === 0 || this.groupStamp[x] === groupToken) continue;
      this.groupStamp[x] = groupToken;
      const root = this.find(x);
      // Gather x's group: the remaining endpoints in the same old hotspot.
      let groupSize = 0;
      const groupRootToken = ++this.stampCounter;
      for (let u = t; u < brokenCount; u++) {
        const y = broken[u];
        if (cellCores[y] === 0 || this.visitStamp[y] === groupRootToken || this.find(y) !== root) continue;
        this.visitStamp[y] = groupRootToken;
        this.groupStamp[y] = groupToken;
        groupSize++;
      }
      if (!this.reachesAll(x, groupRootToken, groupSize)) return false;
      // The root cell was lost but the hotspot lives on.
      if (this.orphan[root] === 1 && this.parent[root] === root) this.moveRoot(root, x);
    }
    return true;
  }

  /** Breadth-first search over linked core cells from start until every cell stamped `target` is reached. */
  private reachesAll(start: number, target: number, count: number): boolean {
    const w = this.capacity;
    const links = this.links;
    const cellCores = this.cellCores;
    const token = ++this.stampCounter;
    const queue = this.queue;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    this.visitStamp[start] = token;
    let found = 1;
    if (found === count) return true;
    while (head < tail) {
      if (tail > MAX_SPLIT_SEARCH_CELLS) return false;
      const u = queue[head++];
      const adjacent = this.cellAdjacent[u];
      for (let a = 0; a < adjacent.length; a++) {
        const v = adjacent[a];
        if (this.visitStamp[v] === token || cellCores[v] === 0 || links[u * w + v] === 0) continue;
        if (this.visitStamp[v] === target && ++found === count) return true;
        this.visitStamp[v] = token;
        queue[tail++] = v;
      }
    }
    return false;
  }

  /** The hotspot rooted at `from` (a lost cell) is rooted at `to` (one of its core cells) from now on, statistics moved along. */
  private moveRoot(from: number, to: number): void {
    this.parent[from] = to;
    this.parent[to] = to;
    const d = this.dims;
    this.rootMembers[to] = this.rootMembers[from];
    this.boxStale[to] = this.boxStale[from];
    for (let k = 0; k < d; k++) {
      this.rootMin[to * d + k] = this.rootMin[from * d + k];
      this.rootMax[to * d + k] = this.rootMax[from * d + k];
    }
    this.rootMembers[from] = 0;
    if (this.observer !== null) this.observer.componentRerooted(from, to);
  }

  /** Components of core cells from scratch, with empty statistics: after a possible split. */
  private rebuild(): void {
    this.orphan.fill(0);
    const w = this.capacity;
    const cores = this.coreCells;
    const coreCellCount = this.counts.coreCellCount;
    const links = this.links;
    for (let l = 0; l < coreCellCount; l++) this.openHotspot(cores[l]);
    for (let l = 0; l < coreCellCount; l++) {
      const a = cores[l];
      const adjacent = this.cellAdjacent[a];
      for (let t = 0; t < adjacent.length; t++) {
        const b = adjacent[t];
        if (b > a && links[a * w + b] > 0) {
          const ra = this.find(a);
          const rb = this.find(b);
          if (ra !== rb) this.parent[rb] = ra;
        }
      }
    }
    if (this.observer !== null) this.observer.componentsRebuilt();
  }

  /** Re-measures a bounding box from its members (O(window)). */
  private remeasure(root: number, oldest: number, size: number): void {
    this.boxStale[root] = 0;
    const d = this.dims;
    const rb = root * d;
    const w = this.capacity;
    const coords = this.coords;
    let first = true;
    for (let t = 0; t < size; t++) {
      let s = oldest + t;
      if (s >= w) s -= w;
      if (this.memberOf[s] === -1 || this.find(this.memberOf[s]) !== root) continue;
      for (let k = 0; k < d; k++) {
        const v = coords[s * d + k];
        if (first || v < this.rootMin[rb + k]) this.rootMin[rb + k] = v;
        if (first || v > this.rootMax[rb + k]) this.rootMax[rb + k] = v;
      }
      first = false;
    }
  }
}
