/**
 * The member value (say player_id) of each record of the window, by slot, interned as small integers
 * so that counting a hotspot's distinct values is an array pass rather than a set of strings.
 * The table keeps only values of the window's records: it is compacted when it grows past a bound.
 */
export class SlotMembers {
  private readonly ids: Int32Array;
  private readonly idOf = new Map<string, number>();
  private values: string[] = [];
  private seen = new Int32Array(0);
  private stamp = 0;

  constructor(private readonly capacity: number) {
    this.ids = new Int32Array(capacity).fill(-1);
  }

  set(slot: number, value: string | undefined): void {
    if (value === undefined) {
      this.ids[slot] = -1;
      return;
    }
    let id = this.idOf.get(value);
    if (id === undefined) {
      if (this.values.length >= 4 * this.capacity + 64) this.compact();
      id = this.values.length;
      this.values.push(value);
      this.idOf.set(value, id);
    }
    this.ids[slot] = id;
  }

  get(slot: number): string | undefined {
    const id = this.ids[slot];
    return id === -1 ? undefined : this.values[id];
  }

  /** The distinct values of the records in `slots[0..count)`. */
  distinct(slots: Int32Array, count: number): string[] {
    if (this.seen.length < this.values.length) this.seen = new Int32Array(2 * this.values.length);
    const stamp = ++this.stamp;
    const out: string[] = [];
    for (let t = 0; t < count; t++) {
      const id = this.ids[slots[t]];
      if (id === -1 || this.seen[id] === stamp) continue;
      this.seen[id] = stamp;
      out.push(this.values[id]);
    }
    return out;
  }

  /** Keeps only the values some slot holds, renumbered. */
  private compact(): void {
    const old = this.values;
    this.values = [];
    this.idOf.clear();
    for (let s = 0; s < this.capacity; s++) {
      const id = this.ids[s];
      if (id === -1) continue;
      const value = old[id];
      let next = this.idOf.get(value);
      if (next === undefined) {
        next = this.values.length;
        this.values.push(value);
        this.idOf.set(value, next);
      }
      this.ids[s] = next;
    }
    this.seen = new Int32Array(0);
  }
}
