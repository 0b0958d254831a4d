import { validateHotspotsParameters, type HotspotsParameters } from "@hotspots/core";
import { cellCoordinate, cellSide } from "./cell-geometry";
import { CellGrid } from "./cell-grid";
import type { ComponentObserver, WindowComponents } from "./component-observer";
import { CoreCounts } from "./core-counts";
import { EmittedResult } from "./emitted-result";
import { HotspotAssignment } from "./hotspot-assignment";
import { HotspotComponents } from "./hotspot-components";
import type { Hotspot } from "./hotspot-result";

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
 * How: records live in a ring buffer of slots [oldest, oldest + size), over five parts that share
 * flat typed arrays by reference:
 * - CellGrid: the records' values, indexed by a uniform grid of cells of side scanRadius / sqrt(d)
 *   (all records of a cell are neighbours, so clustering works on cells: grid DBSCAN); the neighbourhood scan;
 * - CoreCounts: neighbour counts, core flags and per-cell-pair core links, updated with two scans per
 *   push (the record entering and the one leaving) plus one per record whose core flag flips; it logs
 *   what changed;
 * - HotspotComponents: a union-find over core cells with each hotspot's records and box; once per push
 *   it merges in place, checks a possible split, or rebuilds;
 * - HotspotAssignment: which hotspot each record is in (the border tie rule), re-assigning only the
 *   records whose hotspot may have changed;
 * - EmittedResult: the result string and its escaped form, rebuilt only when the hotspots differ.
 * As WindowComponents it shows its window and hotspots to hotspot tracking, which observes the
 * components' structure changes (observeComponents); nothing is called when no observer is attached.
 */
export class HotspotDetector implements WindowComponents {
  readonly params: HotspotsParameters;

  private readonly dims: number;
  private readonly capacity: number;
  private readonly side: number;
  /** Cell coordinates of the record being pushed. */
  private readonly probe: Float64Array;
  private oldest = 0;
  private size = 0;
  /** Hotspots in the window now: their roots are the first of emitted.roots, in result order. */
  private rootCount = 0;

  private readonly grid: CellGrid;
  private readonly counts: CoreCounts;
  private readonly components: HotspotComponents;
  private readonly assignment: HotspotAssignment;
  private readonly emitted: EmittedResult;

  constructor(params: HotspotsParameters) {
    this.params = validateHotspotsParameters(params);
    const d = params.columns.length;
    const w = params.windowSize;
    this.dims = d;
    this.capacity = w;
    this.side = cellSide(params.scanRadius, d);
    this.probe = new Float64Array(d);
    this.grid = new CellGrid(w, d, params.scanRadius);
    this.counts = new CoreCounts(this.grid, w, params.minimumPoints);
    this.components = new HotspotComponents(this.grid, this.counts, w);
    this.assignment = new HotspotAssignment(this.grid, this.counts, this.components, w);
    this.emitted = new EmittedResult(this.components, w, d, params.scanRadius);
  }

  /** Records in the window now (windowSize once it has filled). */
  get windowLength(): number {
    return this.size;
  }

  /** The hotspots of the current window, ordered as in the result string. */
  get hotspots(): readonly Hotspot[] {
    return this.emitted.hotspots;
  }

  /** The HOTSPOTS_RESULT string of the current window. */
  get hotspotsResult(): string {
    return this.emitted.result;
  }

  /**
   * The HOTSPOTS_RESULT string as a JSON string literal, equal to JSON.stringify(hotspotsResult): what an
   * output record holds. Built with the result from per-hotspot pieces escaped once, so an output
   * record does not escape the whole result again (the result changes on most records, one hotspot at a time).
   */
  get hotspotsResultJson(): string {
    return this.emitted.resultJson;
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
    // Every check before any change: a rejected record leaves the window as it was.
    for (let k = 0; k < d; k++) {
      const v = values[k];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new RangeError(`column "${this.params.columns[k]}" must be a finite number, got ${v}`);
      }
      this.probe[k] = cellCoordinate(v, this.side);
    }
    let memberLeft = false;
    if (this.size === this.capacity) memberLeft = this.evictOldest();
    const slot = (this.oldest + this.size) % this.capacity;
    this.size++;
    const cell = this.grid.add(slot, values, this.probe);
    if (this.grid.cellSize[cell] === 1) this.assignment.forgetCell(cell);
    this.assignment.enter(slot);
    this.counts.enter(slot);
    if (memberLeft || this.counts.changedCount > 0) this.refresh();
    return this.emitted.result;
  }

  /** Drops the oldest record; true when it was counted in a hotspot. */
  private evictOldest(): boolean {
    const slot = this.oldest;
    this.counts.leave(slot);
    this.oldest = (slot + 1) % this.capacity;
    this.size--;
    if (this.components.memberOf[slot] === -1) return false;
    this.components.leave(slot);
    return true;
  }

  /** Once per push that changed anything: hotspots, then records' hotspots, then the result. */
  private refresh(): void {
    const rebuilt = this.components.update();
    this.assignment.update(rebuilt, this.oldest, this.size);
    this.counts.clearChanges();
    const count = this.components.collectRoots(this.emitted.roots, this.oldest, this.size);
    this.emitted.update(count);
    this.rootCount = count;
  }

  // WindowComponents: the hook of hotspot tracking (engine/component-observer.ts).

  /** Tells `observer` of every structure change of the hotspots from now on (null: nobody). */
  observeComponents(observer: ComponentObserver | null): void {
    this.components.observer = observer;
  }

  get windowCapacity(): number {
    return this.capacity;
  }

  get oldestSlot(): number {
    return this.oldest;
  }

  get slotValues(): Float64Array {
    return this.grid.coords;
  }

  get hotspotCount(): number {
    return this.rootCount;
  }

  hotspotRoot(index: number): number {
    return this.emitted.roots[index];
  }

  hotspotMembers(root: number): number {
    return this.components.rootMembers[root];
  }

  rootOfSlot(slot: number): number {
    return this.components.rootOf(slot);
  }

  windowRoots(out: Int32Array): number {
    const components = this.components;
    const { memberOf, parent } = components;
    let s = this.oldest;
    // Neighbouring records are often counted in the same cell, and most cells point at their root.
    let lastCell = -1;
    let lastRoot = -1;
    for (let t = 0; t < this.size; t++) {
      const m = memberOf[s];
      if (m !== lastCell) {
        lastCell = m;
        if (m === -1) lastRoot = -1;
        else {
          const p = parent[m];
          lastRoot = parent[p] === p ? p : components.find(m);
        }
      }
      out[t] = lastRoot;
      if (++s === this.capacity) s = 0;
    }
    return this.size;
  }

  rootNow(formerRoot: number): number {
    return this.counts.cellCores[formerRoot] > 0 ? this.components.find(formerRoot) : -1;
  }
}
