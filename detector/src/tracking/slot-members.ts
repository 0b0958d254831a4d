/**
 * The member value (say player_id) of each record of the window, by slot. Stored as given: a push
 * costs one array write; distinct values are counted only when an event needs them (measured: cheaper
 * than interning every record's value, since records arrive as freshly parsed strings).
 */
export class SlotMembers {
  private readonly values: (string | undefined)[];
  private readonly seen = new Set<string>();

  constructor(capacity: number) {
    this.values = new Array<string | undefined>(capacity).fill(undefined);
  }

  set(slot: number, value: string | undefined): void {
    this.values[slot] = value;
  }

  get(slot: number): string | undefined {
    return this.values[slot];
  }

  /** The distinct values of the records in `slots[0..count)`. */
  distinct(slots: Int32Array, count: number): string[] {
    return [...this.distinctSet(slots, count)];
  }

  /** The same as a set, without copying it: valid until the next call on this object. */
  distinctSet(slots: Int32Array, count: number): ReadonlySet<string> {
    const seen = this.seen;
    seen.clear();
    for (let t = 0; t < count; t++) {
      const value = this.values[slots[t]];
      if (value !== undefined) seen.add(value);
    }
    return seen;
  }

  /** How many distinct values the records in `slots[0..count)` hold, counting no further than `enough`. */
  countDistinct(slots: Int32Array, count: number, enough: number): number {
    const seen = this.seen;
    seen.clear();
    for (let t = 0; t < count && seen.size < enough; t++) {
      const value = this.values[slots[t]];
      if (value !== undefined) seen.add(value);
    }
    const found = seen.size;
    seen.clear();
    return found;
  }
}
