import type { HotspotsParameters } from "@hotspots/core";
import { compareHotspots, formatHotspotsResult, hotspotSize, type Hotspot } from "../../src/engine";

/**
 * The reference HOTSPOTS: on every record, plain DBSCAN over the whole window, O(n^2) distances.
 * Same semantics as HotspotDetector (see its doc comment), written as directly as possible:
 * neighbour counts by comparing every pair, core components by breadth-first search, border points
 * joining the hotspot of their core neighbours that holds the oldest core record.
 */
export class BruteForceHotspots {
  private readonly window: { values: number[]; arrival: number }[] = [];
  private arrival = 0;
  hotspots: Hotspot[] = [];

  constructor(readonly params: HotspotsParameters) {}

  push(values: ArrayLike<number>): string {
    this.window.push({ values: Array.from(values), arrival: this.arrival++ });
    if (this.window.length > this.params.windowSize) this.window.shift();
    this.hotspots = this.cluster();
    return formatHotspotsResult(this.hotspots);
  }

  private cluster(): Hotspot[] {
    const points = this.window;
    const n = points.length;
    const r2 = this.params.scanRadius * this.params.scanRadius;
    const neighbours: number[][] = points.map(() => []);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        let dist = 0;
        for (let k = 0; k < points[i].values.length; k++) {
          const t = points[i].values[k] - points[j].values[k];
          dist += t * t;
        }
        if (dist <= r2) neighbours[i].push(j);
      }
    }
    const isCore = neighbours.map((list) => list.length + 1 >= this.params.minimumPoints);
    const component = new Array<number>(n).fill(-1);
    const oldestCore: number[] = [];
    for (let i = 0; i < n; i++) {
      if (!isCore[i] || component[i] !== -1) continue;
      const id = oldestCore.length;
      oldestCore.push(Infinity);
      const queue = [i];
      component[i] = id;
      while (queue.length > 0) {
        const p = queue.pop()!;
        oldestCore[id] = Math.min(oldestCore[id], points[p].arrival);
        for (const q of neighbours[p]) {
          if (isCore[q] && component[q] === -1) {
            component[q] = id;
            queue.push(q);
          }
        }
      }
    }
    const membership = component.slice();
    for (let i = 0; i < n; i++) {
      if (isCore[i]) continue;
      for (const q of neighbours[i]) {
        if (!isCore[q]) continue;
        const c = component[q];
        if (membership[i] === -1 || oldestCore[c] < oldestCore[membership[i]]) membership[i] = c;
      }
    }
    const hotspots: Hotspot[] = [];
    for (let c = 0; c < oldestCore.length; c++) {
      const members = points.filter((_, i) => membership[i] === c);
      const d = members[0].values.length;
      const minValues = Array.from({ length: d }, (_, k) => Math.min(...members.map((p) => p.values[k])));
      const maxValues = Array.from({ length: d }, (_, k) => Math.max(...members.map((p) => p.values[k])));
      const density = members.length / hotspotSize(minValues, maxValues, this.params.scanRadius);
      hotspots.push({ density, minValues, maxValues, members: members.length });
    }
    return hotspots.sort(compareHotspots);
  }
}
