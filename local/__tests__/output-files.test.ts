import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listDeliveredFiles, readDeliveredOutput } from "../pipeline/output-files";
import { lockOutputFolder } from "../pipeline/out-lock";

const record = (id: string) =>
  JSON.stringify({
    event_id: id,
    event_time: "2026-06-01T18:00:00.000Z",
    longitude: -122.3,
    latitude: 47.6,
    HOTSPOTS_RESULT: '{"hotspots":[]}',
  });

describe("reading the delivered output", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "delivered-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads objects in the order they were written, not by their random name suffix", async () => {
    const hour = join(dir, "2026", "06", "01", "18");
    mkdirSync(hour, { recursive: true });
    // Two objects started in the same second: the later one has the smaller random suffix.
    const first = join(hour, "d-1-2026-06-01-18-00-00-ffff");
    const second = join(hour, "d-1-2026-06-01-18-00-00-0000");
    writeFileSync(first, `${[record("a"), record("b")].join("\n")}\n`);
    writeFileSync(second, `${record("c")}\n`);
    utimesSync(first, new Date(1000), new Date(1000));
    utimesSync(second, new Date(2000), new Date(2000));
    expect(listDeliveredFiles(dir)).toEqual([first, second]);
    const out = await readDeliveredOutput(
      dir,
      new Map([
        ["a", 0],
        ["b", 1],
        ["c", 2],
      ]),
    );
    expect(out.points.map((p) => p.row)).toEqual([0, 1, 2]);
    expect(out).toMatchObject({ unknownIds: 0, duplicateIds: 0 });
  });

  it("counts unknown and repeated ids, and names the file and line of a bad record", async () => {
    writeFileSync(join(dir, "x"), `${[record("a"), record("a"), record("zz")].join("\n")}\n`);
    const out = await readDeliveredOutput(dir, new Map([["a", 0]]));
    expect(out).toMatchObject({ unknownIds: 1, duplicateIds: 1 });
    writeFileSync(join(dir, "y"), "{not json\n");
    await expect(readDeliveredOutput(dir, new Map())).rejects.toThrow(`${join(dir, "y")}:1: not a JSON record`);
  });

  it("lets one run at a time write an output folder, and takes over a stale lock", () => {
    const release = lockOutputFolder(dir);
    expect(() => lockOutputFolder(dir)).toThrow(`${dir}/ is in use by another run (process ${process.pid})`);
    release();
    // A lock left by a process that no longer exists.
    writeFileSync(join(dir, ".npm-start.lock"), "2147483646");
    const again = lockOutputFolder(dir);
    expect(readFileSync(join(dir, ".npm-start.lock"), "utf8")).toBe(String(process.pid));
    again();
    expect(existsSync(join(dir, ".npm-start.lock"))).toBe(false);
  });
});
