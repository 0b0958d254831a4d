import type { HotspotComponents } from "./hotspot-components";
import { formatHotspot, hotspotSize, NO_HOTSPOTS_RESULT, type Hotspot } from "./hotspot-result";

/** The empty result as a JSON string literal. */
const NO_HOTSPOTS_RESULT_JSON = JSON.stringify(NO_HOTSPOTS_RESULT);

/**
 * The emitted result: the hotspots as last emitted (in result order), the HOTSPOTS_RESULT string,
 * its escaped form (the string as a JSON string literal, what an output record holds), and per root
 * the JSON fragment of its hotspot, in both forms. It is apart because it is about output, not
 * clustering: it changes with the result's format and order (hotspot-result.ts), and its whole job
 * is to do nothing most of the time. The hotspots change one at a time and often not at all, so the
 * strings are rebuilt only when what would be emitted differs, from fragments re-serialized only for
 * the hotspots whose records or box changed. It reads the statistics of HotspotComponents by reference.
 */
export class EmittedResult {
  private readonly dims: number;
  private readonly scanRadius: number;
  private readonly rootMembers: Int32Array;
  private readonly rootMin: Float64Array;
  private readonly rootMax: Float64Array;

  /** The roots of the hotspots to emit: filled by HotspotComponents.collectRoots before update(). */
  readonly roots: Int32Array;
  private readonly rootDensity: Float64Array;

  private emittedCount = 0;
  private readonly emittedMembers: Int32Array;
  private readonly emittedMin: Float64Array;
  private readonly emittedMax: Float64Array;
  private readonly fragmentMembers: Int32Array;
  private readonly fragmentMin: Float64Array;
  private readonly fragmentMax: Float64Array;
  private readonly fragmentText: string[];
  /** fragmentText as it reads inside a JSON string (quotes escaped), for the escaped result. */
  private readonly fragmentJson: string[];
  private hotspotObjects: readonly Hotspot[] | null = [];
  private text = NO_HOTSPOTS_RESULT;
  private json = NO_HOTSPOTS_RESULT_JSON;

  constructor(components: HotspotComponents, capacity: number, dimensions: number, scanRadius: number) {
    const w = capacity;
    const d = dimensions;
    this.dims = d;
    this.scanRadius = scanRadius;
    this.rootMembers = components.rootMembers;
    this.rootMin = components.rootMin;
    this.rootMax = components.rootMax;
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

  /** The HOTSPOTS_RESULT string; the same instance while the hotspots stay the same. */
  get result(): string {
    return this.text;
  }

  /** The result as a JSON string literal, equal to JSON.stringify(result). */
  get resultJson(): string {
    return this.json;
  }

  /** The emitted hotspots as objects, built on first use after a change. */
  get hotspots(): readonly Hotspot[] {
    if (this.hotspotObjects === null) this.hotspotObjects = this.buildHotspotObjects();
    return this.hotspotObjects;
  }

  /** Orders the first `count` roots as the result lists them, and rebuilds the result if it differs. */
  update(count: number): void {
    const roots = this.roots;
    for (let h = 0; h < count; h++) {
      const root = roots[h];
      this.rootDensity[root] = this.rootMembers[root] / this.rootSize(root);
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
    if (this.sameAsEmitted(count)) return;

    const d = this.dims;
    let out = count === 0 ? NO_HOTSPOTS_RESULT : '{"hotspots":[';
    let json = count === 0 ? NO_HOTSPOTS_RESULT_JSON : '"{\\"hotspots\\":[';
    for (let h = 0; h < count; h++) {
      const root = roots[h];
      this.emittedMembers[h] = this.rootMembers[root];
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
    this.text = count === 0 ? out : `${out}]}`;
    this.json = count === 0 ? json : `${json}]}"`;
    this.hotspotObjects = null;
  }

  /** Same as hotspotSize, over the statistics arrays. */
  private rootSize(root: number): number {
    const d = this.dims;
    const radius = this.scanRadius;
    let size = 1;
    for (let k = 0; k < d; k++) {
      const side = this.rootMax[root * d + k] - this.rootMin[root * d + k];
      size *= Math.max(side, radius);
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

  private sameAsEmitted(count: number): boolean {
    if (count !== this.emittedCount) return false;
    const d = this.dims;
    for (let h = 0; h < count; h++) {
      const root = this.roots[h];
      if (this.rootMembers[root] !== this.emittedMembers[h]) return false;
      for (let k = 0; k < d; k++) {
        if (this.rootMin[root * d + k] !== this.emittedMin[h * d + k]) return false;
        if (this.rootMax[root * d + k] !== this.emittedMax[h * d + k]) return false;
      }
    }
    return true;
  }

  /** One hotspot's JSON, cached per root while its records and box stay the same. */
  private fragment(root: number): string {
    const d = this.dims;
    let cached = this.fragmentMembers[root] === this.rootMembers[root];
    for (let k = 0; k < d && cached; k++) {
      cached =
        this.fragmentMin[root * d + k] === this.rootMin[root * d + k] &&
        this.fragmentMax[root * d + k] === this.rootMax[root * d + k];
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
    const out: Hotspot[] = [];
    for (let h = 0; h < this.emittedCount; h++) {
      const minValues = Array.from(this.emittedMin.subarray(h * d, h * d + d));
      const maxValues = Array.from(this.emittedMax.subarray(h * d, h * d + d));
      const members = this.emittedMembers[h];
      out.push({
        density: members / hotspotSize(minValues, maxValues, this.scanRadius),
        minValues,
        maxValues,
        members,
      });
    }
    return out;
  }
}
