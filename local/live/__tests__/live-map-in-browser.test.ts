import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { DEFAULT_HOTSPOTS_PARAMETERS } from "@hotspots/core";
import { writeGeneratedData } from "../../data/write-data";
import { runLocalJob, type LocalJobResult } from "../../pipeline/local-job";
import { EVENTS_FILE } from "../../pipeline/run-events";
import { DEFAULT_SHARDS, DEFAULT_STREAM_NAME } from "../../pipeline/start-config";
import { resolveChromium } from "../../report/chromium-executable";

/**
 * npm start --live on a small generated file (4000 rows, the sample's script at a smaller time
 * scale), paced so that the run lasts a few seconds: headless Chromium opens the live map as soon as
 * its address is known and must draw an emerged hotspot before the run ends. The same run checks the
 * events file and its scoring.
 */
const ROWS = 4000;
/** Records/s: about 8 s of streaming, time enough for the browser to start and connect. */
const RATE = 500;

describe("npm start with the live map", () => {
  const dir = mkdtempSync(join(tmpdir(), "live-map-"));
  const csv = join(dir, "small.csv");
  const out = join(dir, "out");
  let result: LocalJobResult;
  let seen: { emergedDrawn?: string; endedWhenDrawn?: string; status: string; errors: string[]; requests: string[] };

  beforeAll(async () => {
    await writeGeneratedData(csv, { players: 500, events: ROWS, seed: 11 });
    const chromium = await resolveChromium();
    // playwright-core is a development dependency, loaded only here.
    const playwright = require("playwright-core") as typeof import("playwright-core");
    const browser = await playwright.chromium.launch({
      executablePath: chromium.path,
      env: { ...process.env, ...chromium.env },
      args: ["--no-sandbox", "--disable-gpu"],
    });
    let opened: Promise<typeof seen> | undefined;
    try {
      result = await runLocalJob({
        input: csv,
        out,
        streamName: DEFAULT_STREAM_NAME,
        shards: DEFAULT_SHARDS,
        rate: RATE,
        params: DEFAULT_HOTSPOTS_PARAMETERS,
        live: {
          port: 0,
          onListening: (url) => {
            opened = (async () => {
              const page = await browser.newPage();
              const errors: string[] = [];
              const requests: string[] = [];
              page.on("console", (m) => {
                if (m.type() === "error") errors.push(m.text());
              });
              page.on("pageerror", (e) => errors.push(e.message));
              page.on("request", (r) => {
                if (r.url() !== url && r.url() !== `${url}events`) requests.push(r.url());
              });
              await page.goto(url);
              await page.waitForSelector("body[data-emerged-drawn]", { timeout: 30_000 });
              const state = {
                emergedDrawn: (await page.getAttribute("body", "data-emerged-drawn")) ?? undefined,
                endedWhenDrawn: (await page.getAttribute("body", "data-ended")) ?? undefined,
              };
              await page.waitForSelector("body[data-ended]", { timeout: 30_000 });
              const status = (await page.textContent("#status")) ?? "";
              return { ...state, status, errors, requests };
            })();
          },
        },
      });
      seen = await (opened ?? Promise.reject(new Error("the live map never said where it listens")));
    } finally {
      await browser.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("draws an emerged hotspot while the run goes on, loading nothing else", () => {
    expect(Number(seen.emergedDrawn)).toBeGreaterThanOrEqual(1);
    expect(seen.endedWhenDrawn).toBeUndefined();
    expect(seen.status).toContain(`${ROWS.toLocaleString("en-US")} records analysed`);
    expect(seen.status).toContain("The run is over");
    expect(seen.errors).toEqual([]);
    expect(seen.requests).toEqual([]);
  });

  it("writes every hotspot event to events.ndjson, each valid against the schema", () => {
    expect(result.eventsPath).toBe(join(out, EVENTS_FILE));
    const lines = readFileSync(result.eventsPath, "utf8").split("\n");
    expect(lines.pop()).toBe("");
    expect(lines.map((l) => JSON.parse(l))).toEqual(JSON.parse(JSON.stringify(result.events)));
    expect(result.events.filter((e) => e.type === "emerged").length).toBeGreaterThanOrEqual(7);
    const schema = JSON.parse(
      readFileSync(join(__dirname, "..", "..", "..", "detector", "schema", "hotspot-event.schema.json"), "utf8"),
    );
    const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
    for (const line of lines) expect(validate(JSON.parse(line))).toBe(true);
  });

  it("scores the events against the ground truth and shows the scoring in the report", () => {
    const score = result.eventScore!;
    expect(score.hotspots).toHaveLength(7);
    // Every injected hotspot was held by some id; most emerged events match one.
    for (const h of score.hotspots) expect(h.detected).toBeGreaterThan(0);
    expect(score.emergedMatching).toBeGreaterThanOrEqual(0.9 * score.emerged);
    const html = readFileSync(result.reportPath!, "utf8");
    expect(html).toContain(
      `<tr><th>Injected hotspots with one id for &#62;= 90 % of their detected records</th><td>${score.oneIdHotspots} of 7</td></tr>`,
    );
  });
});
