import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_HOTSPOTS_PARAMETERS } from "@hotspots/core";
import { writeGeneratedData } from "../../data/write-data";
import { evaluate, type OutputPoint } from "../../evaluation/evaluate";
import { resolveChromium, type ChromiumExecutable } from "../chromium-executable";
import { checkReportInBrowser } from "../headless-browser";
import { unpackNpmChromium } from "../npm-chromium";
import { renderReport } from "../report-html";

/**
 * Reports at the edges (no records, one record) opened in the Chromium of the npm package, unpacked
 * into a fresh folder: the browser a machine with nothing but Node gets, whatever this one has.
 * (local-job.test.ts opens a full run's report in whichever browser resolveChromium finds.)
 */
describe("the report in the npm package's headless Chromium", () => {
  const dir = mkdtempSync(join(tmpdir(), "report-browser-"));
  const cacheRoot = join(dir, "cache");
  const params = DEFAULT_HOTSPOTS_PARAMETERS;
  let browser: ChromiumExecutable;

  beforeAll(async () => {
    mkdirSync(cacheRoot);
    browser = await resolveChromium({ env: {}, systemPaths: [], fromNpm: () => unpackNpmChromium(cacheRoot) });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("unpacks it whole, under a name keyed by its version, and reuses it", async () => {
    expect(browser.source).toBe("npm");
    expect(browser.path).toMatch(/sparticuz-chromium-\d+\.\d+\.\d+\/chromium$/);
    expect(statSync(browser.path).size).toBeGreaterThan(100_000_000);
    expect(readdirSync(cacheRoot).filter((f) => f.includes(".partial-"))).toEqual([]);
    const fonts = join(cacheRoot, readdirSync(cacheRoot)[0], "fonts");
    expect(readFileSync(browser.env.FONTCONFIG_FILE, "utf8")).toContain(fonts);
    const again = await unpackNpmChromium(cacheRoot);
    expect(again).toEqual(browser);
  });

  it("says there is nothing to plot when the run had no records, with no script error", async () => {
    const { truth } = await writeGeneratedData(join(dir, "tiny.csv"), { players: 20, events: 100, seed: 3 });
    const html = renderReport({
      title: "no records",
      inputPath: "all-skipped.csv",
      points: [],
      params,
      evaluation: evaluate([], params, truth),
      truth,
      run: {},
    });
    expect(html).toContain("No records to plot");
    expect(html).toContain("<tr><th>Precision</th><td>n/a: no hotspot detected</td></tr>");
    expect(html).not.toContain('<canvas id="map"');
    const report = join(dir, "empty.html");
    writeFileSync(report, html);
    const check = await checkReportInBrowser(report, join(dir, "empty.png"), browser);
    expect(check.errors).toEqual([]);
    expect(check.requests).toEqual([]);
    expect(check.frameInfo).toContain("No records to plot: the detector received none.");
    expect(existsSync(join(dir, "empty.png"))).toBe(true);
  });

  it("draws a run of one record", async () => {
    const point: OutputPoint = {
      row: 0,
      time: Date.parse("2026-01-01T12:00:00Z"),
      longitude: 2.35,
      latitude: 48.85,
      result: JSON.stringify({ hotspots: [{ density: 900, minValues: [2.34, 48.84], maxValues: [2.36, 48.86] }] }),
    };
    const report = join(dir, "one.html");
    const evaluation = evaluate([point], params);
    writeFileSync(
      report,
      renderReport({ title: "one record", inputPath: "one.csv", points: [point], params, evaluation, run: {} }),
    );
    const check = await checkReportInBrowser(report, join(dir, "one.png"), browser);
    expect(check.errors).toEqual([]);
    expect(check.requests).toEqual([]);
    expect(check.frameInfo).toContain("record 1 of 1  \u00b7  1 hotspot detected (0 matching the truth)");
  });
});
