import { latLngToCell } from "h3-js";
import { hotspotSize } from "../engine/hotspot-result";
import type { HotspotSummary } from "./hotspot-event";
import type { WindowComponents } from "./window-components";

/** How to summarize a hotspot: the analysed columns, the radius (for density), the member values and the H3 cell. */
export interface SummaryOptions {
  readonly columns: readonly string[];
  readonly scanRadius: number;
  readonly memberColumn: string;
  readonly memberValuesCap: number;
  readonly h3Resolution: number;
}

/** Positions of latitude and longitude among the columns when the columns are exactly those two, else null. */
export function latLngColumns(columns: readonly string[]): { lat: number; lng: number } | null {
  if (columns.length !== 2) return null;
  const lat = columns.indexOf("latitude");
  const lng = columns.indexOf("longitude");
  return lat === -1 || lng === -1 ? null : { lat, lng };
}

/**
 * Measures the hotspot with root `root` over the window: one pass over the slots (events are rare).
 * `memberOfSlot` gives each slot's member value (undefined when the record has none).
 */
export function summarizeHotspot(
  window: WindowComponents,
  root: number,
  memberOfSlot: readonly (string | undefined)[],
  options: SummaryOptions,
  scratch: Int32Array = new Int32Array(window.windowCapacity),
): HotspotSummary {
  const d = options.columns.length;
  const sum = new Array<number>(d).fill(0);
  const min = new Array<number>(d).fill(Infinity);
  const max = new Array<number>(d).fill(-Infinity);
  const values = new Set<string>();
  let members = 0;
  const capacity = window.windowCapacity;
  const roots = scratch;
  const n = window.windowRoots(roots);
  const slotValues = window.slotValues;
  let s = window.oldestSlot - 1;
  for (let t = 0; t < n; t++) {
    if (++s === capacity) s = 0;
    if (roots[t] !== root) continue;
    members++;
    for (let k = 0; k < d; k++) {
      const v = slotValues[s * d + k];
      sum[k] += v;
      if (v < min[k]) min[k] = v;
      if (v > max[k]) max[k] = v;
    }
    const member = memberOfSlot[s];
    if (member !== undefined) values.add(member);
  }
  const centroid = sum.map((v) => (members === 0 ? 0 : v / members));
  if (members === 0) {
    min.fill(0);
    max.fill(0);
  }
  const first = smallest(values, options.memberValuesCap);
  const summary: HotspotSummary = {
    centroid,
    minValues: min,
    maxValues: max,
    density: members === 0 ? 0 : members / hotspotSize(min, max, options.scanRadius),
    members,
    memberValues: { column: options.memberColumn, values: first, count: values.size },
  };
  const geo = latLngColumns(options.columns);
  if (geo === null || members === 0) return summary;
  // h3-js takes latitude first.
  const cell = latLngToCell(centroid[geo.lat], centroid[geo.lng], options.h3Resolution);
  return { ...summary, h3: { resolution: options.h3Resolution, cell } };
}

/** The `cap` smallest strings of `values`, sorted (code-unit order, as Array.prototype.sort), without sorting them all. */
export function smallest(values: Iterable<string>, cap: number): string[] {
  const out: string[] = [];
  if (cap === 0) return out;
  for (const v of values) {
    if (out.length === cap && v >= out[cap - 1]) continue;
    let lo = 0;
    let hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (out[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    out.splice(lo, 0, v);
    if (out.length > cap) out.pop();
  }
  return out;
}
