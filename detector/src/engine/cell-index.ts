import type { CellKey } from "./cell-geometry";

const EMPTY = -1;

/**
 * Cell key -> cell id. Numeric keys (one or two columns, the common case) live in an open-addressing
 * table on typed arrays with linear probing and backward-shift deletion: no allocation and no boxed
 * doubles per lookup. String keys (three columns and more) use a Map.
 */
export class CellIndex {
  private readonly keys: Float64Array;
  private readonly ids: Int32Array;
  private readonly mask: number;
  private readonly named = new Map<string, number>();

  /** capacity: the most cells alive at once; the table keeps a load factor of at most 1/4. */
  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 4) size *= 2;
    this.keys = new Float64Array(size);
    this.ids = new Int32Array(size).fill(EMPTY);
    this.mask = size - 1;
  }

  get(key: CellKey): number | undefined {
    if (typeof key === "string") return this.named.get(key);
    const mask = this.mask;
    for (let at = this.slot(key); ; at = (at + 1) & mask) {
      const id = this.ids[at];
      if (id === EMPTY) return undefined;
      if (this.keys[at] === key) return id;
    }
  }

  set(key: CellKey, id: number): void {
    if (typeof key === "string") {
      this.named.set(key, id);
      return;
    }
    const mask = this.mask;
    let at = this.slot(key);
    while (this.ids[at] !== EMPTY && this.keys[at] !== key) at = (at + 1) & mask;
    this.keys[at] = key;
    this.ids[at] = id;
  }

  delete(key: CellKey): void {
    if (typeof key === "string") {
      this.named.delete(key);
      return;
    }
    const mask = this.mask;
    let at = this.slot(key);
    while (this.ids[at] !== EMPTY && this.keys[at] !== key) at = (at + 1) & mask;
    if (this.ids[at] === EMPTY) return;
    // Backward-shift deletion keeps every probe chain unbroken without tombstones.
    let hole = at;
    for (let next = (hole + 1) & mask; this.ids[next] !== EMPTY; next = (next + 1) & mask) {
      const home = this.slot(this.keys[next]);
      // Move the entry into the hole unless its home lies cyclically in (hole, next].
      const stays = hole <= next ? home > hole && home <= next : home > hole || home <= next;
      if (stays) continue;
      this.keys[hole] = this.keys[next];
      this.ids[hole] = this.ids[next];
      hole = next;
    }
    this.ids[hole] = EMPTY;
  }

  private slot(key: number): number {
    const low = key | 0;
    const high = Math.floor(key / 4294967296) | 0;
    let h = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) & this.mask;
  }
}
