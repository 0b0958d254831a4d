import { DEFAULT_HOTSPOTS_PARAMETERS } from "@hotspots/core";
import { HotspotDetector } from "../src/engine";
import { clusteredPoints } from "../__tests__/support/synthetic-points";
import { readFileSync } from "node:fs";
const params = { ...DEFAULT_HOTSPOTS_PARAMETERS, windowSize: 1000 };
function run(name: string, values: number[][]) {
  const d = new HotspotDetector(params) as any;
  let tracked = new Set<number>();
  let rebuilds = 0, merges = 0, news = 0, gones = 0, any = 0, rebuildFlag = false, mergeFlag = false;
  const origUnion = d.union.bind(d), origRebuild = d.rebuild.bind(d), origMove = d.moveStatistics.bind(d);
  d.union = (a: number, b: number) => { const ra = d.find(a), rb = d.find(b); origUnion(a, b); if (ra === rb) return;
    if (tracked.has(ra) && tracked.has(rb)) { mergeFlag = true; tracked.delete(rb); } else if (tracked.has(rb)) { tracked.delete(rb); tracked.add(ra); } };
  d.rebuild = () => { rebuildFlag = true; origRebuild(); };
  d.moveStatistics = (f: number, t: number) => { origMove(f, t); if (tracked.has(f)) { tracked.delete(f); tracked.add(t); } };
  for (const v of values) {
    rebuildFlag = false; mergeFlag = false;
    d.push(v);
    const cur = new Set<number>();
    for (let h = 0; h < d.emittedCount; h++) cur.add(d.roots[h]);
    let n = false, g = false;
    for (const r of cur) if (!tracked.has(r)) n = true;
    for (const r of tracked) if (!cur.has(r)) g = true;
    if (rebuildFlag) rebuilds++; if (mergeFlag) merges++; if (n) news++; if (g) gones++;
    if (rebuildFlag || mergeFlag || n || g) any++;
    tracked = cur;
  }
  console.log(name, values.length, { rebuilds, merges, news, gones, any });
}
const r = params.scanRadius;
const pts = clusteredPoints(60000, { dimensions: 2, extent: 200 * r, centres: 6, spread: 1.5 * r, clusteredShare: 0.7, seed: 42 });
run("bench", pts.map(([dx, dy]) => [2.1 + dx, 48.6 + dy]));
const lines = readFileSync("../data/data-simu.csv", "utf8").trim().split("\n").slice(1);
run("sample", lines.map((l) => { const f = l.split(","); return [Number(f[5]), Number(f[4])]; }));
