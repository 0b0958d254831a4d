import { cellKey, cellsMayTouch, neighbourOffsetCount, neighbourOffsets, type CellKey } from "./cell-geometry";
import { CellIndex } from "./cell-index";

/** Above this many neighbour offsets (5 columns and more) a new cell finds its neighbours by scanning live cells. */
const MAX_ENUMERATED_OFFSETS = 4096;

/**
 * The cell grid: where each record of the window is, and which records are within scanRadius of it.
 * It owns the records' values (slot s at s * dimensions), the uniform grid of cells of side
 * scanRadius / sqrt(d) that indexes them (cell ids 0..capacity-1, at most one per record, each with
 * its records as a FIFO list and the ids of the cells around it), and the neighbourhood scan that
 * every other part builds on. It is apart because it is pure geometry: it knows nothing of core
 * records or hotspots, and changes only when the way records are found changes (cell side, hashing,
 * adjacency). The other parts read its arrays (coords, cellOf, nextInCell, cellHead, cellAdjacent)
 * by reference; only the grid writes them.
 */
export class CellGrid {
  readonly dims: number;
  private readonly radiusSquared: number;

  /** Analysed values of the record in slot s, at s * dims. */
  readonly coords: Float64Array;
  /** The cell of the record in slot s. */
  readonly cellOf: Int32Array;
  /** The next (younger) record of the same cell, or -1. */
  readonly nextInCell: Int32Array;

  /** First (oldest) record of each cell, or -1. */
  readonly cellHead: Int32Array;
  private readonly cellTail: Int32Array;
  /** Records in each cell; a cell is freed when it empties, so a live cell of size 1 was just opened. */
  readonly cellSize: Int32Array;
  /** Ids of the live cells around each cell (the cell itself excluded) that can hold its records' neighbours. */
  readonly cellAdjacent: number[][];
  private readonly cellIds: CellIndex;
  private readonly cellKeys: CellKey[];
  private readonly cellCoords: Float64Array;
  private readonly freeCells: Int32Array;
  private freeCount: number;
  private readonly liveCells: Int32Array;
  private readonly livePosition: Int32Array;
  private liveCount = 0;
  private readonly offsets: Int32Array | null;
  private readonly neighbourProbe: Float64Array;

  /** capacity: records in the window (and so the most cells alive at once). */
  constructor(capacity: number, dimensions: number, scanRadius: number) {
    const w = capacity;
    const d = dimensions;
    this.dims = d;
    this.radiusSquared = scanRadius * scanRadius;
    this.coords = new Float64Array(w * d);
    this.cellOf = new Int32Array(w);
    this.nextInCell = new Int32Array(w);
    this.cellHead = new Int32Array(w).fill(-1);
    this.cellTail = new Int32Array(w).fill(-1);
    this.cellSize = new Int32Array(w);
    this.cellAdjacent = Array.from({ length: w }, () => []);
    this.cellIds = new CellIndex(w);
    this.cellKeys = new Array<CellKey>(w).fill(0);
    this.cellCoords = new Float64Array(w * d);
    this.freeCells = new Int32Array(w);
    for (let c = 0; c < w; c++) this.freeCells[c] = w - 1 - c;
    this.freeCount = w;
    this.liveCells = new Int32Array(w);
    this.livePosition = new Int32Array(w);
    this.offsets = neighbourOffsetCount(d) <= MAX_ENUMERATED_OFFSETS ? neighbourOffsets(d) : null;
    this.neighbourProbe = new Float64Array(d);
  }

  /**
   * Stores a record's values in `slot` and appends it to the cell at `cellCoords` (opened if needed);
   * returns the cell id. A cell id is reused once its cell empties: a size of 1 means a new cell.
   */
  add(slot: number, values: ArrayLike<number>, cellCoords: Float64Array): number {
    const d = this.dims;
    for (let k = 0; k < d; k++) this.coords[slot * d + k] = values[k];
    const c = this.cellAt(cellCoords);
    this.cellOf[slot] = c;
    this.nextInCell[slot] = -1;
    if (this.cellTail[c] === -1) this.cellHead[c] = slot;
    else this.nextInCell[this.cellTail[c]] = slot;
    this.cellTail[c] = slot;
    this.cellSize[c]++;
    return c;
  }

  /** Removes the oldest record of the window, the head of its cell's FIFO list; frees the cell if it empties. */
  removeOldest(slot: number): void {
    const c = this.cellOf[slot];
    this.cellHead[c] = this.nextInCell[slot];
    if (this.cellHead[c] === -1) this.cellTail[c] = -1;
    if (--this.cellSize[c] > 0) return;
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

  /** Writes the records within scanRadius of record i (i excluded) into out; returns how many. */
  scan(i: number, out: Int32Array): number {
    const c = this.cellOf[i];
    const next = this.nextInCell;
    const head = this.cellHead;
    // A cell's diagonal is below the radius: every other record of the own cell is a neighbour.
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

  /** The live cell at these cell coordinates, opened (and linked to the cells around it) when there is none. */
  private cellAt(cellCoords: Float64Array): number {
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
}
