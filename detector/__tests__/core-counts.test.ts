import { EngineWindow } from "./support/engine-window";
import { clusteredPoints, uniformPoints } from "./support/synthetic-points";

/** Brute force over the window: neighbour counts, core flags, core cells and core-core links per cell pair. */
function bruteCounts(window: EngineWindow) {
  const slots = window.liveSlots();
  const { cellOf } = window.grid;
  const neighbours = new Map(slots.map((i) => [i, window.neighboursOf(i)]));
  const core = new Set(slots.filter((i) => neighbours.get(i)!.length + 1 >= window.minimumPoints));
  const links = new Map<string, number>();
  for (const i of core) {
    for (const j of neighbours.get(i)!) {
      if (core.has(j) && cellOf[i] !== cellOf[j])
        links.set(`${cellOf[i]}-${cellOf[j]}`, (links.get(`${cellOf[i]}-${cellOf[j]}`) ?? 0) + 1);
    }
  }
  const cellCores = new Map<number, number>();
  for (const i of core) cellCores.set(cellOf[i], (cellCores.get(cellOf[i]) ?? 0) + 1);
  return { slots, neighbours, core, links, cellCores };
}

/** What the counts hold, in the brute force's shape. */
function heldCounts(window: EngineWindow) {
  const { counts } = window;
  const w = window.windowSize;
  const links = new Map<string, number>();
  for (let a = 0; a < w; a++)
    for (let b = 0; b < w; b++) if (counts.links[a * w + b] !== 0) links.set(`${a}-${b}`, counts.links[a * w + b]);
  const cellCores = new Map<number, number>();
  for (let c = 0; c < w; c++) if (counts.cellCores[c] !== 0) cellCores.set(c, counts.cellCores[c]);
  const coreCells = Array.from(counts.coreCells.subarray(0, counts.coreCellCount));
  return { links, cellCores, coreCells };
}

const sorted = (values: Iterable<number>) => [...values].sort((a, b) => a - b);
const pairs = (flat: number[], count: number) =>
  Array.from({ length: count / 2 }, (_, p) => [flat[2 * p], flat[2 * p + 1]]);

describe("CoreCounts", () => {
  it.each([
    ["uniform, 2 columns", 2, 3, uniformPoints(400, 2, 6, 31)],
    [
      "clustered, 2 columns",
      2,
      6,
      clusteredPoints(400, { dimensions: 2, extent: 10, centres: 3, spread: 0.7, clusteredShare: 0.7, seed: 32 }),
    ],
    ["uniform, 3 columns", 3, 3, uniformPoints(300, 3, 3, 33)],
  ])(
    "holds the brute-force counts, core flags, core cells and links after every push: %s",
    (_name, dimensions, minimumPoints, points) => {
      const window = new EngineWindow(60, dimensions, 1, minimumPoints);
      const { counts } = window;
      let cores = 0;
      for (let p = 0; p < points.length; p++) {
        window.push(points[p]);
        const want = bruteCounts(window);
        const held = heldCounts(window);
        const got = {
          neighbourCount: want.slots.map((i) => counts.neighbourCount[i]),
          coreNeighbours: want.slots.map((i) => counts.coreNeighbours[i]),
          core: want.slots.filter((i) => counts.core[i] === 1),
          cellCores: [...held.cellCores.entries()].sort().join(),
          coreCells: sorted(held.coreCells),
          links: [...held.links.entries()].sort().join(),
        };
        const expected = {
          neighbourCount: want.slots.map((i) => want.neighbours.get(i)!.length + 1),
          coreNeighbours: want.slots.map((i) => want.neighbours.get(i)!.filter((j) => want.core.has(j)).length),
          core: want.slots.filter((i) => want.core.has(i)),
          cellCores: [...want.cellCores.entries()].sort().join(),
          coreCells: sorted(want.cellCores.keys()),
          links: [...want.links.entries()].sort().join(),
        };
        if (JSON.stringify(got) !== JSON.stringify(expected))
          expect({ push: p, ...got }).toEqual({ push: p, ...expected });
        cores += want.core.size;
        counts.clearChanges();
      }
      expect(cores).toBeGreaterThan(0);
    },
  );

  it("logs every change of core cells, links and core neighbours between two clearChanges", () => {
    const window = new EngineWindow(80, 2, 1, 5);
    const { counts } = window;
    const points = clusteredPoints(600, {
      dimensions: 2,
      extent: 12,
      centres: 4,
      spread: 0.8,
      clusteredShare: 0.7,
      seed: 41,
    });
    let before = bruteCounts(window);
    const seen = { opened: 0, closed: 0, newLinks: 0, brokenLinks: 0 };
    for (let p = 0; p < points.length; p++) {
      window.push(points[p]);
      const after = bruteCounts(window);
      const problems: string[] = [];
      // Losses (from the record that left) come before gains (from the one that entered): replaying
      // the logs in that order over the old state gives the new state, each step a real change.
      const cells = new Set(before.cellCores.keys());
      for (const c of counts.closedCells.slice(0, counts.closedCount))
        if (!cells.delete(c)) problems.push(`closed ${c}, not a core cell`);
      for (const c of counts.openedCells.slice(0, counts.openedCount)) {
        if (cells.has(c)) problems.push(`opened ${c}, already a core cell`);
        cells.add(c);
      }
      if (sorted(cells).join() !== sorted(after.cellCores.keys()).join())
        problems.push(`core cells ${sorted(cells)} after the logs`);
      const linked = new Set([...before.links.keys()].map((k) => sorted(k.split("-").map(Number)).join("-")));
      for (const [a, b] of pairs(counts.brokenLinks, counts.brokenLinkCount)) {
        if (!linked.delete(sorted([a, b]).join("-"))) problems.push(`broken link ${a}-${b} was not linked`);
      }
      for (const [a, b] of pairs(counts.newLinks, counts.newLinkCount)) {
        const key = sorted([a, b]).join("-");
        if (linked.has(key)) problems.push(`new link ${a}-${b} was linked already`);
        linked.add(key);
      }
      const linkedAfter = new Set([...after.links.keys()].map((k) => sorted(k.split("-").map(Number)).join("-")));
      if ([...linked].sort().join() !== [...linkedAfter].sort().join())
        problems.push("linked pairs differ after the logs");
      // Every record whose core flag or count of core neighbours changed is logged as changed.
      const changed = new Set(counts.changedRecords.subarray(0, counts.changedCount));
      for (const i of after.slots) {
        if (!before.neighbours.has(i) || i === after.slots[after.slots.length - 1]) continue; // the new record
        const wasCore = before.core.has(i);
        const coreBefore = before.neighbours
          .get(i)!
          .filter((j) => before.core.has(j) && after.neighbours.has(j)).length;
        const coreAfter = after.neighbours.get(i)!.filter((j) => after.core.has(j)).length;
        const lostCoreNeighbour = before.neighbours.get(i)!.some((j) => before.core.has(j) && !after.slots.includes(j));
        if ((wasCore !== after.core.has(i) || coreBefore !== coreAfter || lostCoreNeighbour) && !changed.has(i))
          problems.push(`record ${i} changed, not logged`);
      }
      if (problems.length > 0) expect({ push: p, problems }).toEqual({ push: p, problems: [] });
      seen.opened += counts.openedCount;
      seen.closed += counts.closedCount;
      seen.newLinks += counts.newLinkCount;
      seen.brokenLinks += counts.brokenLinkCount;
      counts.clearChanges();
      before = after;
    }
    // The workload exercises every kind of change.
    for (const n of Object.values(seen)) expect(n).toBeGreaterThan(10);
  });
});
