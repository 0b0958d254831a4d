import type { ComponentObserver, WindowComponents } from "../../src/tracking";

/**
 * A window whose hotspots are written by hand: each record carries a tag, and a map from tags to
 * hotspot names (identity unless set; null makes the tag's records noise) says which hotspot holds
 * it. Merging is mapping two tags to one name, splitting is mapping them apart again. Like the
 * engine, it tells its observer when the structure changed (as a rebuild), not when a hotspot grows.
 */
export class ScriptedWindow implements WindowComponents {
  readonly windowCapacity: number;
  oldestSlot = 0;
  windowLength = 0;
  private readonly tags: (string | null)[];
  private readonly values: number[][];
  private readonly mapping = new Map<string, string | null>();
  private readonly slotRoot: Int32Array;
  private readonly rootOfName = new Map<string, number>();
  private roots: number[] = [];
  private observer: ComponentObserver | null = null;

  constructor(capacity: number) {
    this.windowCapacity = capacity;
    this.tags = new Array<string | null>(capacity).fill(null);
    this.values = Array.from({ length: capacity }, () => []);
    this.slotRoot = new Int32Array(capacity).fill(-1);
  }

  attach(observer: ComponentObserver): void {
    this.observer = observer;
  }

  /** From the next push on, records tagged `tag` are in hotspot `name` (null: in none). */
  map(tag: string, name: string | null): void {
    this.mapping.set(tag, name);
  }

  push(tag: string | null, values: number[]): void {
    if (this.windowLength === this.windowCapacity) {
      this.oldestSlot = (this.oldestSlot + 1) % this.windowCapacity;
      this.windowLength--;
    }
    const slot = (this.oldestSlot + this.windowLength) % this.windowCapacity;
    this.windowLength++;
    this.tags[slot] = tag;
    this.values[slot] = values;
    this.recompute();
  }

  private nameOf(tag: string | null): string | null {
    if (tag === null) return null;
    const mapped = this.mapping.get(tag);
    return mapped === undefined ? tag : mapped;
  }

  private recompute(): void {
    const names = new Set<string>();
    const slots: number[] = [];
    for (let t = 0; t < this.windowLength; t++) {
      const s = (this.oldestSlot + t) % this.windowCapacity;
      slots.push(s);
      const name = this.nameOf(this.tags[s]);
      if (name !== null) names.add(name);
    }
    const before = [...this.rootOfName.keys()].sort().join("|");
    const after = [...names].sort().join("|");
    const previous = slots.map((s) => this.slotRoot[s]);
    // Roots are small integers, re-used once free, as the engine's cells are.
    for (const name of [...this.rootOfName.keys()]) if (!names.has(name)) this.rootOfName.delete(name);
    const taken = new Set(this.rootOfName.values());
    for (const name of names) {
      if (this.rootOfName.has(name)) continue;
      let root = 0;
      while (taken.has(root)) root++;
      taken.add(root);
      this.rootOfName.set(name, root);
      this.observer?.componentCreated(root);
    }
    this.roots = [...this.rootOfName.values()];
    let moved = false;
    slots.forEach((s, i) => {
      const name = this.nameOf(this.tags[s]);
      this.slotRoot[s] = name === null ? -1 : (this.rootOfName.get(name) as number);
      // A record that changed hotspot (not one that just arrived or left to noise) means a merge or split.
      if (previous[i] !== -1 && this.slotRoot[s] !== -1 && previous[i] !== this.slotRoot[s]) moved = true;
    });
    if (before !== after || moved) this.observer?.componentsRebuilt();
  }

  rootOfSlot(slot: number): number {
    return this.slotRoot[slot];
  }

  hotspotMembers(root: number): number {
    let n = 0;
    for (let t = 0; t < this.windowLength; t++)
      if (this.slotRoot[(this.oldestSlot + t) % this.windowCapacity] === root) n++;
    return n;
  }

  windowRoots(out: Int32Array): number {
    for (let t = 0; t < this.windowLength; t++) out[t] = this.slotRoot[(this.oldestSlot + t) % this.windowCapacity];
    return this.windowLength;
  }

  get slotValues(): Float64Array {
    const dims = this.values.find((v) => v.length > 0)?.length ?? 1;
    const out = new Float64Array(this.windowCapacity * dims);
    this.values.forEach((v, slot) => {
      v.forEach((x, k) => {
        out[slot * dims + k] = x;
      });
    });
    return out;
  }

  /** Roots are per hotspot name here: a former root is the same root while its hotspot lives. */
  rootNow(formerRoot: number): number {
    return this.roots.includes(formerRoot) ? formerRoot : -1;
  }

  get hotspotCount(): number {
    return this.roots.length;
  }

  hotspotRoot(index: number): number {
    return this.roots[index];
  }

  /** The root of hotspot `name` now, or -1. */
  rootOf(name: string): number {
    return this.rootOfName.get(name) ?? -1;
  }
}
