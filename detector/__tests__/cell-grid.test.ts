import { EngineWindow } from "./support/engine-window";
import { clusteredPoints, uniformPoints } from "./support/synthetic-points";

/** The live cells: those that hold a record of the window. */
function liveCells(window: EngineWindow): Set<number> {
  return new Set(window.liveSlots().map((s) => window.grid.cellOf[s]));
}

describe("CellGrid", () => {
  it.each([
    ["1 column", 1, uniformPoints(300, 1, 10, 11)],
    [
      "2 columns",
      2,
      clusteredPoints(400, { dimensions: 2, extent: 12, centres: 3, spread: 0.6, clusteredShare: 0.6, seed: 12 }),
    ],
    ["3 columns", 3, uniformPoints(300, 3, 4, 13)],
    ["5 columns (adjacency by scanning live cells)", 5, uniformPoints(200, 5, 3, 14)],
  ])("scan finds exactly the records within scanRadius as records come and go: %s", (_name, dimensions, points) => {
    const window = new EngineWindow(60, dimensions, 1, 4);
    const out = new Int32Array(60);
    for (let p = 0; p < points.length; p++) {
      window.push(points[p]);
      for (const i of window.liveSlots()) {
        const got = Array.from(out.subarray(0, window.grid.scan(i, out))).sort((a, b) => a - b);
        const want = window.neighboursOf(i);
        if (got.join() !== want.join())
          expect({ push: p, slot: i, neighbours: got }).toEqual({ push: p, slot: i, neighbours: want });
      }
    }
  });

  it("keeps a record's cell, cell sizes and adjacency consistent with the live records", () => {
    const window = new EngineWindow(50, 2, 1, 4);
    const { grid } = window;
    const points = uniformPoints(400, 2, 8, 21);
    for (let p = 0; p < points.length; p++) {
      window.push(points[p]);
      const live = liveCells(window);
      const problems: string[] = [];
      for (const c of live) {
        const members = window.liveSlots().filter((s) => grid.cellOf[s] === c);
        if (grid.cellSize[c] !== members.length)
          problems.push(`cell ${c} size ${grid.cellSize[c]}, holds ${members.length}`);
        // The FIFO list holds the cell's records oldest first.
        const list: number[] = [];
        for (let j = grid.cellHead[c]; j !== -1; j = grid.nextInCell[j]) list.push(j);
        if (list.join() !== members.join()) problems.push(`cell ${c} lists ${list.join()}, holds ${members.join()}`);
        for (const a of grid.cellAdjacent[c]) {
          if (!live.has(a)) problems.push(`cell ${c} adjacent to dead cell ${a}`);
          if (!grid.cellAdjacent[a].includes(c)) problems.push(`cell ${c} adjacent to ${a}, not back`);
        }
      }
      if (problems.length > 0) expect({ push: p, problems }).toEqual({ push: p, problems: [] });
    }
  });

  it("frees a cell when its last record leaves, and a new cell reuses the id", () => {
    const window = new EngineWindow(3, 2, 1, 2);
    const { grid } = window;
    const first = window.push([0.1, 0.1]);
    const cell = grid.cellOf[first];
    window.push([5, 5]);
    window.push([5.1, 5.1]);
    expect(grid.cellAdjacent[grid.cellOf[first]]).toEqual([]);
    // The window is full: this push drops the record at (0.1, 0.1), the only one of its cell.
    const far = window.push([20, 20]);
    expect(grid.cellOf[far]).toBe(cell);
    expect(grid.cellSize[cell]).toBe(1);
    expect(liveCells(window).size).toBe(2);
  });
});
