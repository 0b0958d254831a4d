import { validateHotspotsParameters, type HotspotsParameters } from "@hotspots/core";
import {
  cellCoordinate,
  cellKey,
  cellSide,
  cellsMayTouch,
  neighbourOffsetCount,
  neighbourOffsets,
  type CellKey,
} from "./cell-geometry";
import type { ComponentObserver, WindowComponents } from "../tracking/window-components";
import { CellIndex } from "./cell-index";
import { formatHotspot, hotspotSize, NO_HOTSPOTS_RESULT, type Hotspot } from "./hotspot-result";

/** The empty result as a JSON string literal. */
const NO_HOTSPOTS_RESULT_JSON = JSON.stringify(NO_HOTSPOTS_RESULT);

/** Above this many neighbour offsets (5 columns and more) a new cell finds its neighbours by scanning live cells. */
const MAX_ENUMERATED_OFFSETS = 4096;
/** Cells a split check may visit before it gives up and rebuilds all hotspots (measured: most checks need a few). */
const MAX_SPLIT_SEARCH_CELLS = 256;

/**
 * The HOTSPOTS function over a sliding window of the last `windowSize` records, incremental.
 *
 * Semantics (DBSCAN over the window, Euclidean distance over the analysed columns):
 * - a record's neighbourhood is every record of the window within distance <= scanRadius, itself included;
 *   a record is a core point when its neighbourhood holds >= minimumPoints records;
 * - hotspots are the connected components of core points (two core points within scanRadius are connected);
 * - a non-core record within scanRadius of a core point is a border point and joins one hotspot: the one,
 *   among the hotspots of its core neighbours, that holds the oldest core record (tie rule);
 * - other records are noise and belong to no hotspot;
 * - each hotspot reports its bounding box and density = members / hotspotSize (box volume, sides floored at
 *   scanRadius); hotspots are ordered by compareHotspots.
 * The window includes the record just pushed; the first windowSize - 1 records see a partial window.
 *
 * How: points live in flat typed arrays (a ring buffer), indexed by a uniform grid of cells of side
 * scanRadius / sqrt(d), so all points of a cell are neighbours and clustering works on cells (grid DBSCAN).
 * Each push updates neighbour counts, core flags and per-cell-pair core links with two neighbourhood
 * scans (the record entering and the one leaving) plus one scan per record whose core flag flips.
 * Hotspots are a union-find over core cells: a new core cell or link merges in place; only a lost core
 * cell or link (a possible split) rebuilds the components and the statistics. Otherwise only the
 * records whose membership may have changed are re-assigned, a bounding box is re-measured only when a
 * record on its edge left, and the result string (and its escaped form) is re-serialized only when the hotspots differ.
 */
export class HotspotDetector {
  readonly params: HotspotsParameters;

  private readonly dims: number;
  private readonly capacity: number;
  private readonly minPoints: number;
  private readonly radiusSquared: number;
  private readonly side: number;

  // Points: slot s holds one record of the window; the window is the ring [oldest, oldest + size).
  private readonly coords: Float64Array;
  private readonly arrival: Float64Array;
  private readonly neighbourCount: Int32Array;
  private readonly coreNeighbours: Int32Array;
  private readonly core: Uint8Array;
  private readonly cellOf: Int32Array;
  private readonly nextInCell: Int32Array;
  /** The cell (a union-find node) whose hotspot the record is counted in, or -1. */
  private readonly memberOf: Int32Array;
  private oldest = 0;
  private size = 0;
  private sequence = 0;

  // Cells: ids 0..capacity-1, at most one per live point. Points of a cell form a FIFO list.
  private readonly cellIds: CellIndex;
  private readonly cellKeys: CellKey[];
  private readonly cellCoords: Float64Array;
  private readonly cellHead: Int32Array;
  private readonly cellTail: Int32Array;
  private readonly cellSize: Int32Array;
  private readonly cellCores: Int32Array;
  private readonly cellAdjacent: number[][];
  private readonly freeCells: Int32Array;
  private freeCount: number;
  private readonly liveCells: Int32Array;
  private readonly livePosition: Int32Array;
  private liveCount = 0;
  private readonly coreCells: Int32Array;
  private readonly corePosition: Int32Array;
  private coreCellCount = 0;
  /** Core-core neighbour pairs between two cells, capacity x capacity. */
  private readonly links: Int32Array;
  private readonly offsets: Int32Array | null;

  // Hotspots: union-find over core cells; statistics kept at each root.
  private readonly parent: Int32Array;
  private readonly rootMembers: Int32Array;
  private readonly rootMin: Float64Array;
  private readonly rootMax: Float64Array;
  private readonly boxStale: Uint8Array;
  private readonly rootLabel: Float64Array;
  /** Per cell, the one hotspot root among its own and adjacent core cells (-1 none, -2 several), valid for nearVersion. */
  private readonly nearStamp: Int32Array;
  private readonly nearRoot: Int32Array;
  private nearVersion = 0;
  private structureDirty = false;
  /** Cell pairs whose last core-core link went away since the last refresh (flat a, b pairs). */
  private readonly brokenLinks: number[] = [];
  /** Cells that stopped holding a core point since the last rebuild; union-find paths may still run through them. */
  private readonly orphan: Uint8Array;
  private readonly lostCells: number[] = [];
  private readonly groupStamp: Int32Array;
  private readonly visitStamp: Int32Array;
  private readonly queue: Int32Array;
  private stampCounter = 0;
  private membershipDirty = false;
  private labelsFresh = false;

  /** Records whose hotspot may have changed since the last refresh. */
  private readonly touched: Int32Array;
  private readonly touchedStamp: Int32Array;
  private touchedCount = 0;
  private refreshCount = 1;
  /** Border records with core neighbours in several hotspots: the tie rule may move them when ages change. */
  private ambiguous: Int32Array;
  private ambiguousCount = 0;
  private readonly ambiguousFlag: Uint8Array;

  private readonly scratchEntering: Int32Array;
  private readonly scratchFlip: Int32Array;
  private readonly probe: Float64Array;
  private readonly neighbourProbe: Float64Array;

  // The emitted hotspots, in result order, and per-root cached JSON fragments.
  private readonly roots: Int32Array;
  private readonly rootDensity: Float64Array;
  private emittedCount = 0;
  private readonly emittedMembers: Int32Array;
  private readonly emittedMin: Float64Array;
  private readonly emittedMax: Float64Array;
  private readonly fragmentMembers: Int32Array;
  private readonly fragmentMin: Float64Array;
  private readonly fragmentMax: Float64Array;
  private readonly fragmentText: string[];
  /** fragmentText as it reads inside a JSON string (quotes escaped), for resultJson. */
  private readonly fragmentJson: string[];
  private hotspotObjects: readonly Hotspot[] | null = [];
  private result = NO_HOTSPOTS_RESULT;
  /** Told of every change of the component structure (the hotspot tracker), if any. */
  private observer: ComponentObserver | undefined;
  private resultJson = NO_HOTSPOTS_RESULT_JSON;

  constructor(params: HotspotsParameters) {
    this.params = validateHotspotsParameters(params);
    const d = params.columns.length;
    const w = params.windowSize;
    this.dims = d;
    this.capacity = w;
    this.minPoints = params.minimumPoints;
    this.radiusSquared = params.scanRadius * params.scanRadius;
    this.side = cellSide(params.scanRadius, d);

    this.coords = new Float64Array(w * d);
    this.arrival = new Float64Array(w);
    this.neighbourCount = new Int32Array(w);
    this.coreNeighbours = new Int32Array(w);
    this.core = new Uint8Array(w);
    this.cellOf = new Int32Array(w);
    this.nextInCell = new Int32Array(w);
    this.memberOf = new Int32Array(w).fill(-1);

    this.cellIds = new CellIndex(w);
    this.cellKeys = new Array<CellKey>(w).fill(0);
    this.cellCoords = new Float64Array(w * d);
    this.cellHead = new Int32Array(w).fill(-1);
    this.cellTail = new Int32Array(w).fill(-1);
    this.cellSize = new Int32Array(w);
    this.cellCores = new Int32Array(w);
    this.cellAdjacent = Array.from({ length: w }, () => []);
    this.freeCells = new Int32Array(w);
    for (let c = 0; c < w; c++) this.freeCells[c] = w - 1 - c;
    this.freeCount = w;
    this.liveCells = new Int32Array(w);
    this.livePosition = new Int32Array(w);
    this.coreCells = new Int32Array(w);
    this.corePosition = new Int32Array(w);
    this.links = new Int32Array(w * w);
    this.offsets = neighbourOffsetCount(d) <= MAX_ENUMERATED_OFFSETS ? neighbourOffsets(d) : null;

    this.parent = new Int32Array(w);
    this.rootMembers = new Int32Array(w);
    this.rootMin = new Float64Array(w * d);
    this.rootMax = new Float64Array(w * d);
    this.boxStale = new Uint8Array(w);
    this.rootLabel = new Float64Array(w);
    this.nearStamp = new Int32Array(w).fill(-1);
    this.nearRoot = new Int32Array(w);
    this.orphan = new Uint8Array(w);
    this.groupStamp = new Int32Array(w);
    this.visitStamp = new Int32Array(w);
    this.queue = new Int32Array(w);

    this.touched = new Int32Array(w);
    this.touchedStamp = new Int32Array(w);
    this.ambiguous = new Int32Array(w);
    this.ambiguousFlag = new Uint8Array(w);

    this.scratchEntering = new Int32Array(w);
    this.scratchFlip = new Int32Array(w);
    this.probe = new Float64Array(d);
    this.neighbourProbe = new Float64Array(d);

    this.roots = new Int32Array(w);
    this.rootDensity = new Float64Array(w);
    this.emittedMembers = new Int32Array(w);
    this.emittedMin = new Float64Array(w * d);
    this.emittedMax = new Float64Array(w * d);
    this.fragmentMembers = new Int32Array(w).fill(-1);
    this.fragmentMin = new Float64Array(w * d);
    this.fragmentMax = new Float64Array(w * d);
    this.fragmentText = new Array<string>(w).fill("");
    this.fragmentJson = new Array<string>(w).fill("");
  }

  /** Tells `observer` of every change of the component structure from now on (one observer at a time). */
  observeComponents(observer: ComponentObserver | undefined): void {
    this.observer = observer;
  }

  /** The window's records and hotspots as components, read by the hotspot tracker. */
  componentsView(): WindowComponents {
    const engine = this;
    return {
      get windowCapacity() {
        return engine.capacity;
      },
      get oldestSlot() {
        return engine.oldest;
      },
      get windowLength() {
        return engine.size;
      },
      rootOfSlot: (slot) => engine.rootOfSlot(slot),
      windowRoots: (out) => {
        const n = engine.size;
        let slot = engine.oldest;
        for (let t = 0; t < n; t++) {
          out[t] = engine.rootOfSlot(slot);
          if (++slot === engine.capacity) slot = 0;
        }
        return n;
      },
      rootMembers: (root) => engine.rootMembers[root],
      slotValues: engine.coords,
      rootNow: (formerRoot) => (engine.cellCores[formerRoot] > 0 ? engine.find(formerRoot) : -1),
      get hotspotCount() {
        return engine.emittedCount;
      },
      hotspotRoot: (index) => engine.roots[index],
    };
  }

  /** The root of the hotspot of the i-th hotspot of the result (its component), for the tracker. */
  hotspotRoot(index: number): number {
    return this.roots[index];
  }

  private rootOfSlot(slot: number): number {
    const m = this.memberOf[slot];
    return m === -1 ? -1 : this.find(m);
  }

  /** Records in the window now (windowSize once it has filled). */
  get windowLength(): number {
    return this.size;
  }

  /** The hotspots of the current window, ordered as in the result string. */
  get hotspots(): readonly Hotspot[] {
    if (this.hotspotObjects === null) this.hotspotObjects = this.buildHotspotObjects();
    return this.hotspotObjects;
  }

  /** The HOTSPOTS_RESULT string of the current window. */
  get hotspotsResult(): string {
    return this.result;
  }

  /**
   * The HOTSPOTS_RESULT string as a JSON string literal, equal to JSON.stringify(hotspotsResult): what an
   * output record holds. Built with the result from per-hotspot pieces escaped once, so an output
   * record does not escape the whole result again (the result changes on most records, one hotspot at a time).
   */
  get hotspotsResultJson(): string {
    return this.resultJson;
  }

  /**
   * Adds one record (its analysed values, in column order) to the window, dropping the oldest when
   * the window is full, and returns the HOTSPOTS_RESULT string of the window that includes it.
   * The same string instance is returned while the hotspots stay unchanged.
   */
  push(values: ArrayLike<number>): string {
    const d = this.dims;
    if (values.length !== d) {
      throw new RangeError(`expected ${d} values (${this.params.columns.join(",")}), got ${values.length}`);
    }
    for (let k = 0; k < d; k++) {
      const v = values[k];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new RangeError(`column "${this.params.columns[k]}" must be a finite number, got ${v}`);
      }
      this.probe[k] = cellCoordinate(v, this.side);
    }
    if (this.size === this.capacity) this.evictOldest();
    const slot = (this.oldest + this.size) % this.capacity;
    this.size++;
    this.insert(slot, values);
    if (this.membershipDirty) this.refreshHotspots();
    return this.result;
  }

  private insert(slot: number, values: ArrayLike<number>): void {
    const d = this.dims;
    for (let k = 0; k < d; k++) this.coords[slot * d + k] = values[k];
    this.arrival[slot] = this.sequence++;
    this.core[slot] = 0;
    this.memberOf[slot] = -1;
    this.ambiguousFlag[slot] = 0;
    this.addToCell(slot, this.cellFor(this.probe));

    const near = this.scratchEntering;
    const n = this.scan(slot, near);
    let coreNear = 0;
    for (let t = 0; t < n; t++) {
      const j = near[t];
      if (this.core[j] === 1) coreNear++;
      this.neighbourCount[j]++;
    }
    this.neighbourCount[slot] = n + 1;
    this.coreNeighbours[slot] = coreNear;
    if (n + 1 >= this.minPoints) this.becomeCore(slot, near, n);
    else if (coreNear > 0) this.touch(slot);
    for (let t = 0; t < n; t++) {
      const j = near[t];
      if (this.neighbourCount[j] === this.minPoints && this.core[j] === 0) {
        this.becomeCore(j, this.scratchFlip, this.scan(j, this.scratchFlip));
      }
    }
  }

  private evictOldest(): void {
    const slot = this.oldest;
    const near = this.scratchEntering;
    const n = this.scan(slot, near);
    if (this.core[slot] === 1) this.stopCore(slot, near, n);
    if (this.memberOf[slot] !== -1) {
      this.leaveHotspot(slot);
      this.membershipDirty = true;
    }
    this.removeOldestFromCell(slot);
    this.oldest = (slot + 1) % this.capacity;
    this.size--;
    const lastCore = this.minPoints - 1;
    for (let t = 0; t < n; t++) {
      const j = near[t];
      if (--this.neighbourCount[j] === lastCore && this.core[j] === 1) {
        this.stopCore(j, this.scratchFlip, this.scan(j, this.scratchFlip));
      }
    }
  }

  private touch(i: number): void {
    this.membershipDirty = true;
    if (this.touchedStamp[i] === this.refreshCount) return;
    this.touchedStamp[i] = this.refreshCount;
    this.touched[this.touchedCount++] = i;
  }

  /** Marks a point core: its neighbours gain a core neighbour; links to core neighbours in other cells merge hotspots. */
  private becomeCore(i: number, near: Int32Array, n: number): void {
    this.core[i] = 1;
    this.touch(i);
    const c = this.cellOf[i];
    if (this.cellCores[c]++ === 0) this.addCoreCell(c);
    const w = this.capacity;
    for (let t = 0; t < n; t++) {
      const j = near[t];
      this.coreNeighbours[j]++;
      this.touch(j);
      if (this.core[j] === 1) {
        const cj = this.cellOf[j];
        if (cj !== c) {
          if (this.links[c * w + cj]++ === 0 && !this.structureDirty) this.union(c, cj);
          this.links[cj * w + c]++;
        }
      }
    }
  }

  /** Unmarks a core point; a lost core cell or link may split a hotspot, so the components are rebuilt. */
  private stopCore(i: number, near: Int32Array, n: number): void {
    this.core[i] = 0;
    this.touch(i);
    const c = this.cellOf[i];
    if (--this.cellCores[c] === 0) this.removeCoreCell(c);
    const w = this.capacity;
    for (let t = 0; t < n; t++) {
      const j = near[t];
      this.coreNeighbours[j]--;
      this.touch(j);
      if (this.core[j] === 1) {
        const cj = this.cellOf[j];
        if (cj !== c) {
          if (--this.links[c * w + cj] === 0 && !this.structureDirty) this.brokenLinks.push(c, cj);
          this.links[cj * w + c]--;
        }
      }
    }
  }

  private addCoreCell(c: number): void {
    // Paths of the union-find may run through a former core cell: resetting its parent needs a rebuild.
    if (this.orphan[c] === 1) this.structureDirty = true;
    this.corePosition[c] = this.coreCellCount;
    this.coreCells[this.coreCellCount++] = c;
    this.parent[c] = c;
    this.rootMembers[c] = 0;
    this.boxStale[c] = 0;
    // The hotspots around this cell and its neighbours changed: their cached nearRoot is void.
    this.nearStamp[c] = -1;
    const adjacent = this.cellAdjacent[c];
    for (let a = 0; a < adjacent.length; a++) this.nearStamp[adjacent[a]] = -1;
    this.observer?.componentCreated(c);
  }

  private removeCoreCell(c: number): void {
    const position = this.corePosition[c];
    const moved = this.coreCells[--this.coreCellCount];
    this.coreCells[position] = moved;
    this.corePosition[moved] = position;
    this.observer?.componentLost(c);
    if (this.structureDirty) return;
    this.orphan[c] = 1;
    this.lostCells.push(c);
  }

  /**
   * After core cells or links went away: true when no hotspot split. Within each old hotspot, the
   * remaining cells at the ends of the lost links must still reach each other (any path between two
   * remaining cells can be rerouted through them); checked by a breadth-first search over core cells,
   * bounded so that a large hotspot falls back to a rebuild. Re-roots a hotspot whose root cell was lost.
   */
  private survivesRemovals(): boolean {
    const broken = this.brokenLinks;
    const groupToken = ++this.stampCounter;
    for (let t = 0; t < broken.length; t++) {
      const x = broken[t];
      if (this.cellCores[x] === 0 || this.groupStamp[x] === groupToken) continue;
      this.groupStamp[x] = groupToken;
      const root = this.find(x);
      // Gather x's group: the remaining endpoints in the same old hotspot.
      let groupSize = 0;
      const groupRootToken = ++this.stampCounter;
      for (let u = t; u < broken.length; u++) {
        const y = broken[u];
        if (this.cellCores[y] === 0 || this.visitStamp[y] === groupRootToken || this.find(y) !== root) continue;
        this.visitStamp[y] = groupRootToken;
        this.groupStamp[y] = groupToken;
        groupSize++;
      }
      if (!this.reachesAll(x, groupRootToken, groupSize)) return false;
      if (this.orphan[root] === 1 && this.parent[root] === root) {
        // The root cell was lost but the hotspot lives on: x becomes its root, statistics move along.
        this.parent[root] = x;
        this.parent[x] = x;
        this.moveStatistics(root, x);
      }
    }
    return true;
  }

  /** Breadth-first search over linked core cells from start until every cell stamped `target` is reached. */
  private reachesAll(start: number, target: number, count: number): boolean {
    const w = this.capacity;
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
        if (this.visitStamp[v] === token || this.cellCores[v] === 0 || this.links[u * w + v] === 0) continue;
        if (this.visitStamp[v] === target && ++found === count) return true;
        this.visitStamp[v] = token;
        queue[tail++] = v;
      }
    }
    return false;
  }

  private moveStatistics(from: number, to: number): void {
    const d = this.dims;
    this.rootMembers[to] = this.rootMembers[from];
    this.boxStale[to] = this.boxStale[from];
    for (let k = 0; k < d; k++) {
      this.rootMin[to * d + k] = this.rootMin[from * d + k];
      this.rootMax[to * d + k] = this.rootMax[from * d + k];
    }
    this.rootMembers[from] = 0;
    this.observer?.componentRerooted(from, to);
  }

  /** Writes the window points within scanRadius of point i (i excluded) into out; returns how many. */
  private scan(i: number, out: Int32Array): number {
    const c = this.cellOf[i];
    const next = this.nextInCell;
    const head = this.cellHead;
    // A cell's diagonal is below the radius: every other point of the own cell is a neighbour.
    let n = 0;
    for (let j = head[c]; j !== -1; j = next[j]) if (j !== i) out[n++] = j;
    const adjacent = this.cellAdjacent[c];
    const coords = this.coords;
    const r2 = this.radiusSquared;
    const d = this.dims;
    if (d === 2) {
      const x = coords[2 * i];
      const y = coords[2 * i + 1];
      for (let a = 0; a < adjacent.length; a++) {
        for (let j = head[adjacent[a]]; j !== -1; j = next[j]) {
          const dx = x - coords[2 * j];
          const dy = y - coords[2 * j + 1];
          if (dx * dx + dy * dy <= r2) out[n++] = j;
        }
      }
      return n;
    }
    const base = i * d;
    for (let a = 0; a < adjacent.length; a++) {
      for (let j = head[adjacent[a]]; j !== -1; j = next[j]) {
        let dist = 0;
        const jb = j * d;
        for (let k = 0; k < d; k++) {
          const t = coords[base + k] - coords[jb + k];
          dist += t * t;
        }
        if (dist <= r2) out[n++] = j;
      }
    }
    return n;
  }

  private cellFor(cellCoords: Float64Array): number {
    const key = cellKey(cellCoords);
    const found = this.cellIds.get(key);
    if (found !== undefined) return found;
    const d = this.dims;
    const c = this.freeCells[--this.freeCount];
    this.cellIds.set(key, c);
    this.cellKeys[c] = key;
    for (let k = 0; k < d; k++) this.cellCoords[c * d + k] = cellCoords[k];
    this.cellHead[c] = -1;
    this.cellTail[c] = -1;
    this.cellSize[c] = 0;
    this.cellCores[c] = 0;
    this.nearStamp[c] = -1;
    const adjacent = this.cellAdjacent[c];
    adjacent.length = 0;
    const offsets = this.offsets;
    if (offsets !== null && offsets.length / d <= this.liveCount) {
      const probe = this.neighbourProbe;
      for (let o = 0; o < offsets.length; o += d) {
        let origin = true;
        for (let k = 0; k < d; k++) {
          probe[k] = cellCoords[k] + offsets[o + k];
          if (offsets[o + k] !== 0) origin = false;
        }
        if (origin) continue;
        const other = this.cellIds.get(cellKey(probe));
        if (other !== undefined) {
          adjacent.push(other);
          this.cellAdjacent[other].push(c);
        }
      }
    } else {
      for (let l = 0; l < this.liveCount; l++) {
        const other = this.liveCells[l];
        if (cellsMayTouch(this.cellCoords, c * d, this.cellCoords, other * d, d)) {
          adjacent.push(other);
          this.cellAdjacent[other].push(c);
        }
      }
    }
    this.livePosition[c] = this.liveCount;
    this.liveCells[this.liveCount++] = c;
    return c;
  }

  private addToCell(slot: number, c: number): void {
    this.cellOf[slot] = c;
    this.nextInCell[slot] = -1;
    if (this.cellTail[c] === -1) this.cellHead[c] = slot;
    else this.nextInCell[this.cellTail[c]] = slot;
    this.cellTail[c] = slot;
    this.cellSize[c]++;
  }

  /** The oldest point of the window is the head of its cell's FIFO list. */
  private removeOldestFromCell(slot: number): void {
    const c = this.cellOf[slot];
    this.cellHead[c] = this.nextInCell[slot];
    if (this.cellHead[c] === -1) this.cellTail[c] = -1;
    if (--this.cellSize[c] > 0) return;
    // An empty cell holds no core point, so its links are all zero already.
    this.cellIds.delete(this.cellKeys[c]);
    const adjacent = this.cellAdjacent[c];
    for (let a = 0; a < adjacent.length; a++) {
      const list = this.cellAdjacent[adjacent[a]];
      const at = list.indexOf(c);
      list[at] = list[list.length - 1];
      list.pop();
    }
    adjacent.length = 0;
    const position = this.livePosition[c];
    const moved = this.liveCells[--this.liveCount];
    this.liveCells[position] = moved;
    this.livePosition[moved] = position;
    this.freeCells[this.freeCount++] = c;
  }

  private find(c: number): number {
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

  /** Merges two hotspots in place, statistics included. */
  private union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    this.parent[rb] = ra;
    this.membershipDirty = true;
    this.observer?.componentsUnited(ra, rb);
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

  private joinHotspot(i: number, root: number): void {
    this.memberOf[i] = root;
    const d = this.dims;
    const base = i * d;
    const rb = root * d;
    if (this.rootMembers[root]++ === 0) {
      for (let k = 0; k < d; k++) this.rootMin[rb + k] = this.rootMax[rb + k] = this.coords[base + k];
      this.boxStale[root] = 0;
      return;
    }
    for (let k = 0; k < d; k++) {
      const v = this.coords[base + k];
      if (v < this.rootMin[rb + k]) this.rootMin[rb + k] = v;
      if (v > this.rootMax[rb + k]) this.rootMax[rb + k] = v;
    }
  }

  private leaveHotspot(i: number): void {
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

  /** The hotspot root a record belongs to now, or -1 for noise. */
  private hotspotOf(i: number): number {
    if (this.core[i] === 1) return this.find(this.cellOf[i]);
    if (this.coreNeighbours[i] === 0) return -1;
    return this.borderRoot(i);
  }

  /** The hotspot a border point joins: the one with the oldest core point among its core neighbours' hotspots. */
  private borderRoot(i: number): number {
    const c = this.cellOf[i];
    if (this.nearStamp[c] !== this.nearVersion) {
      this.nearStamp[c] = this.nearVersion;
      let root = this.cellCores[c] > 0 ? this.find(c) : -1;
      const adjacent = this.cellAdjacent[c];
      for (let a = 0; a < adjacent.length && root !== -2; a++) {
        const cell = adjacent[a];
        if (this.cellCores[cell] === 0) continue;
        const other = this.find(cell);
        if (root === -1) root = other;
        else if (root !== other) root = -2;
      }
      this.nearRoot[c] = root;
    }
    const near = this.nearRoot[c];
    if (near !== -2) return this.find(near);
    // Core cells of several hotspots around: look at the actual core neighbours.
    if (!this.labelsFresh) this.labelHotspots();
    const n = this.scan(i, this.scratchFlip);
    let best = -1;
    let several = false;
    for (let t = 0; t < n; t++) {
      const j = this.scratchFlip[t];
      if (this.core[j] === 0) continue;
      const root = this.find(this.cellOf[j]);
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
   * Labels each hotspot with the arrival of its oldest core point, for the border tie rule. The oldest
   * core point changes without any change of structure, so labels are computed on demand, at most once
   * per refresh, and only when a border point has core neighbours in two hotspots.
   */
  private labelHotspots(): void {
    this.labelsFresh = true;
    for (let l = 0; l < this.coreCellCount; l++) this.rootLabel[this.find(this.coreCells[l])] = Infinity;
    for (let l = 0; l < this.coreCellCount; l++) {
      const c = this.coreCells[l];
      const root = this.find(c);
      let j = this.cellHead[c];
      while (this.core[j] === 0) j = this.nextInCell[j];
      if (this.arrival[j] < this.rootLabel[root]) this.rootLabel[root] = this.arrival[j];
    }
  }

  /** Components of core cells from scratch, then every record's hotspot: after a possible split. */
  private rebuild(): void {
    this.structureDirty = false;
    this.nearVersion++;
    this.orphan.fill(0);
    this.lostCells.length = 0;
    this.brokenLinks.length = 0;
    const w = this.capacity;
    const cores = this.coreCells;
    for (let l = 0; l < this.coreCellCount; l++) {
      const c = cores[l];
      this.parent[c] = c;
      this.rootMembers[c] = 0;
      this.boxStale[c] = 0;
    }
    for (let l = 0; l < this.coreCellCount; l++) {
      const a = cores[l];
      const adjacent = this.cellAdjacent[a];
      for (let t = 0; t < adjacent.length; t++) {
        const b = adjacent[t];
        if (b > a && this.links[a * w + b] > 0) {
          const ra = this.find(a);
          const rb = this.find(b);
          if (ra !== rb) this.parent[rb] = ra;
        }
      }
    }
    for (let t = 0; t < this.ambiguousCount; t++) this.ambiguousFlag[this.ambiguous[t]] = 0;
    this.ambiguousCount = 0;
    for (let t = 0; t < this.size; t++) {
      let s = this.oldest + t;
      if (s >= w) s -= w;
      const root = this.hotspotOf(s);
      if (root === -1) this.memberOf[s] = -1;
      else this.joinHotspot(s, root);
    }
    this.observer?.componentsRebuilt();
  }

  /** Re-assigns the records that may have moved, then the ambiguous border records (their tie may have turned). */
  private reassign(): void {
    for (let t = 0; t < this.touchedCount; t++) this.reassignOne(this.touched[t]);
    let kept = 0;
    const count = this.ambiguousCount;
    for (let t = 0; t < count; t++) {
      const i = this.ambiguous[t];
      this.ambiguousFlag[i] = 0;
      if (this.isLive(i)) this.ambiguous[kept++] = i;
    }
    this.ambiguousCount = 0;
    for (let t = 0; t < kept; t++) this.reassignOne(this.ambiguous[t]);
  }

  private reassignOne(i: number): void {
    if (!this.isLive(i)) return;
    const root = this.hotspotOf(i);
    const before = this.memberOf[i] === -1 ? -1 : this.find(this.memberOf[i]);
    if (root === before) return;
    if (before !== -1) this.leaveHotspot(i);
    if (root !== -1) this.joinHotspot(i, root);
  }

  private isLive(i: number): boolean {
    const age = i >= this.oldest ? i - this.oldest : i + this.capacity - this.oldest;
    return age < this.size;
  }

  /** Re-measures a bounding box from its members. */
  private remeasure(root: number): void {
    this.boxStale[root] = 0;
    const d = this.dims;
    const rb = root * d;
    let first = true;
    const w = this.capacity;
    for (let t = 0; t < this.size; t++) {
      let s = this.oldest + t;
      if (s >= w) s -= w;
      if (this.memberOf[s] === -1 || this.find(this.memberOf[s]) !== root) continue;
      for (let k = 0; k < d; k++) {
        const v = this.coords[s * d + k];
        if (first || v < this.rootMin[rb + k]) this.rootMin[rb + k] = v;
        if (first || v > this.rootMax[rb + k]) this.rootMax[rb + k] = v;
      }
      first = false;
    }
  }

  private refreshHotspots(): void {
    this.membershipDirty = false;
    this.labelsFresh = false;
    if (!this.structureDirty && (this.brokenLinks.length > 0 || this.lostCells.length > 0)) {
      if (this.survivesRemovals()) {
        this.brokenLinks.length = 0;
        this.lostCells.length = 0;
      } else this.structureDirty = true;
    }
    if (this.structureDirty) this.rebuild();
    else this.reassign();
    this.touchedCount = 0;
    this.refreshCount++;

    // Every hotspot has exactly one root, a core cell.
    const roots = this.roots;
    let count = 0;
    for (let l = 0; l < this.coreCellCount; l++) {
      const c = this.coreCells[l];
      if (this.parent[c] !== c) continue;
      if (this.boxStale[c] === 1) this.remeasure(c);
      this.rootDensity[c] = this.rootMembers[c] / this.rootSize(c);
      roots[count++] = c;
    }
    // Insertion sort: a window holds a handful of hotspots.
    for (let a = 1; a < count; a++) {
      const root = roots[a];
      let b = a - 1;
      while (b >= 0 && this.compareRoots(roots[b], root) > 0) {
        roots[b + 1] = roots[b];
        b--;
      }
      roots[b + 1] = root;
    }
    if (this.sameAsEmitted(roots, count)) return;

    const d = this.dims;
    let out = count === 0 ? NO_HOTSPOTS_RESULT : '{"hotspots":[';
    let json = count === 0 ? NO_HOTSPOTS_RESULT_JSON : '"{\\"hotspots\\":[';
    for (let h = 0; h < count; h++) {
      const root = roots[h];
      const members = this.rootMembers[root];
      this.emittedMembers[h] = members;
      for (let k = 0; k < d; k++) {
        this.emittedMin[h * d + k] = this.rootMin[root * d + k];
        this.emittedMax[h * d + k] = this.rootMax[root * d + k];
      }
      if (h > 0) {
        out += ",";
        json += ",";
      }
      out += this.fragment(root);
      json += this.fragmentJson[root];
    }
    this.emittedCount = count;
    this.result = count === 0 ? out : out + "]}";
    this.resultJson = count === 0 ? json : json + ']}"';
    this.hotspotObjects = null;
  }

  private rootSize(root: number): number {
    const d = this.dims;
    const radius = this.params.scanRadius;
    let size = 1;
    for (let k = 0; k < d; k++) {
      const side = this.rootMax[root * d + k] - this.rootMin[root * d + k];
      size *= side > radius ? side : radius;
    }
    return size;
  }

  /** Same order as compareHotspots, over the statistics arrays. */
  private compareRoots(a: number, b: number): number {
    const da = this.rootDensity[a];
    const db = this.rootDensity[b];
    if (da !== db) return db - da;
    const d = this.dims;
    for (let k = 0; k < d; k++) {
      const x = this.rootMin[a * d + k];
      const y = this.rootMin[b * d + k];
      if (x !== y) return x - y;
    }
    for (let k = 0; k < d; k++) {
      const x = this.rootMax[a * d + k];
      const y = this.rootMax[b * d + k];
      if (x !== y) return x - y;
    }
    return this.rootMembers[b] - this.rootMembers[a];
  }

  private sameAsEmitted(roots: Int32Array, count: number): boolean {
    if (count !== this.emittedCount) return false;
    const d = this.dims;
    for (let h = 0; h < count; h++) {
      const root = roots[h];
      if (this.rootMembers[root] !== this.emittedMembers[h]) return false;
      for (let k = 0; k < d; k++) {
        if (this.rootMin[root * d + k] !== this.emittedMin[h * d + k]) return false;
        if (this.rootMax[root * d + k] !== this.emittedMax[h * d + k]) return false;
      }
    }
    return true;
  }

  /** One hotspot's JSON, cached per root while its members and box stay the same. */
  private fragment(root: number): string {
    const d = this.dims;
    let cached = this.fragmentMembers[root] === this.rootMembers[root];
    for (let k = 0; k < d && cached; k++) {
      cached =
        this.fragmentMin[root * d + k] === this.rootMin[root * d + k] && this.fragmentMax[root * d + k] === this.rootMax[root * d + k];
    }
    if (cached) return this.fragmentText[root];
    this.fragmentMembers[root] = this.rootMembers[root];
    for (let k = 0; k < d; k++) {
      this.fragmentMin[root * d + k] = this.rootMin[root * d + k];
      this.fragmentMax[root * d + k] = this.rootMax[root * d + k];
    }
    const text = formatHotspot(this.rootDensity[root], this.rootMin, root * d, this.rootMax, root * d, d);
    this.fragmentText[root] = text;
    this.fragmentJson[root] = JSON.stringify(text).slice(1, -1);
    return text;
  }

  private buildHotspotObjects(): readonly Hotspot[] {
    const d = this.dims;
    const radius = this.params.scanRadius;
    const out: Hotspot[] = [];
    for (let h = 0; h < this.emittedCount; h++) {
      const minValues = Array.from(this.emittedMin.subarray(h * d, h * d + d));
      const maxValues = Array.from(this.emittedMax.subarray(h * d, h * d + d));
      const members = this.emittedMembers[h];
      out.push({ density: members / hotspotSize(minValues, maxValues, radius), minValues, maxValues, members });
    }
    return out;
  }
}
