import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { HOTSPOTS_RESULT_COLUMN } from "@hotspots/core";
import { main } from "../src/cli";
import { HotspotDetector } from "../src/engine";
import { seededRandom } from "./support/synthetic-points";

function capture() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk) => (text += chunk));
  return { stream, text: () => text };
}

async function run(argv: string[], env: Record<string, string> = {}) {
  const stdout = capture();
  const stderr = capture();
  const code = await main(argv, { stdout: stdout.stream, stderr: stderr.stream, env });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe("detect (offline)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "detect-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const PARAMS = ["--columns", "x,y", "--window-size", "100", "--scan-radius", "1", "--min-points", "5"];

  it("writes one record per analysable CSV row, skips and counts the others", async () => {
    const random = seededRandom(1);
    const rows = Array.from({ length: 300 }, (_, i) => {
      const inBlob = i % 2 === 0;
      return {
        id: `r${i}`,
        x: inBlob ? 5 + random() * 0.5 : random() * 100,
        y: inBlob ? 5 + random() * 0.5 : random() * 100,
      };
    });
    const csv = ["id,x,y", ...rows.map((r) => `${r.id},${r.x},${r.y}`), "bad1,,3", "bad2,4,four", "bad3,4"].join("\n");
    const input = join(dir, "events.csv");
    const output = join(dir, "out.ndjson");
    await writeFile(input, csv);

    const result = await run(["--input", input, "--output", output, ...PARAMS]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("303 records read, 300 written, 3 skipped");
    expect(result.stderr).toContain('line 302: column "x" is missing');
    expect(result.stderr).toContain('line 303: column "y" is not a number: "four"');

    const lines = (await readFile(output, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(300);
    // Same results as the engine fed directly; fields pass through, analysed columns typed as numbers.
    const engine = new HotspotDetector({ windowSize: 100, scanRadius: 1, minimumPoints: 5, columns: ["x", "y"] });
    rows.forEach((r, i) => {
      expect(lines[i]).toEqual({ id: r.id, x: r.x, y: r.y, [HOTSPOTS_RESULT_COLUMN]: engine.push([r.x, r.y]) });
    });
    const last = JSON.parse(lines[299][HOTSPOTS_RESULT_COLUMN]);
    expect(last.hotspots).toHaveLength(1);
    expect(last.hotspots[0].minValues[0]).toBeGreaterThanOrEqual(5);
  });

  it("reads NDJSON and writes to stdout when no output is given", async () => {
    const input = join(dir, "events.ndjson");
    const records = Array.from({ length: 5 }, (_, i) => JSON.stringify({ x: 1, y: 2, n: i }));
    await writeFile(input, [...records, "not json", '{"x":"1","y":2}', "[1,2]", ""].join("\n"));
    const result = await run(["--input", input, ...PARAMS]);
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.n)).toEqual([0, 1, 2, 3, 4]);
    expect(JSON.parse(lines[4][HOTSPOTS_RESULT_COLUMN])).toEqual({
      hotspots: [{ density: 5, minValues: [1, 2], maxValues: [1, 2] }],
    });
    expect(result.stderr).toContain("8 records read, 5 written, 3 skipped");
    expect(result.stderr).toContain("line 6: not JSON");
  });

  it.each([
    [["--window-size", "50"], "detect: --window-size must be an integer from 100 to 1000, got 50"],
    [["--scan-radius", "-1"], "detect: --scan-radius must be a finite number > 0, got -1"],
    [["--min-points", "many"], 'detect: --min-points must be an integer from 2 to windowSize (1000), got "many"'],
    [["--window-size", "-5"], "detect: --window-size must be an integer from 100 to 1000, got -5"],
    [["--scan-radius", "0x10"], 'detect: --scan-radius must be a finite number > 0, got "0x10"'],
  ])("fails with status 2 and a line naming the parameter: %j", async (flags, message) => {
    const input = join(dir, "small.csv");
    await writeFile(input, "id,x,y\na,1,2\n");
    const result = await run(["--input", input, "--columns", "x,y", ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${message}\n`);
  });

  it("names the environment variable when a parameter came from it", async () => {
    const input = join(dir, "small2.csv");
    await writeFile(input, "id,x,y\na,1,2\n");
    const result = await run(["--input", input, "--columns", "x,y"], { HOTSPOTS_WINDOW_SIZE: "5000" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("HOTSPOTS_WINDOW_SIZE must be an integer from 100 to 1000, got 5000");
  });

  it("rejects an unknown file type and an unknown option", async () => {
    expect((await run(["--input", "events.txt"])).stderr).toContain("accepted: .csv, .ndjson, .jsonl");
    const unknown = await run(["--inptu", "x.csv"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^detect: unknown option "--inptu"; accepted: --input, --output, /);
  });

  it("prints the usage with --help", async () => {
    const result = await run(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("npm run detect -- --input <file.csv|file.ndjson>");
  });
});
