import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import Ajv2020 from "ajv/dist/2020";
import { HOTSPOTS_RESULT_COLUMN } from "@hotspots/core";
import { main } from "../src/cli";
import { HotspotDetector } from "../src/engine";
import { HotspotTracker, TRACKING_SETTINGS, type HotspotEvent } from "../src/tracking";
import { seededRandom } from "./support/synthetic-points";

const schema = JSON.parse(readFileSync(join(__dirname, "..", "schema", "hotspot-event.schema.json"), "utf8"));
const validate = new Ajv2020({ strict: true }).compile(schema);

async function run(argv: string[], env: Record<string, string> = {}) {
  const out = { stdout: "", stderr: "" };
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on("data", (c) => (out.stdout += c));
  stderr.on("data", (c) => (out.stderr += c));
  const code = await main(argv, { stdout, stderr, env });
  return { code, ...out };
}

const PARAMS = [
  "--columns",
  "longitude,latitude",
  "--window-size",
  "100",
  "--scan-radius",
  "0.003",
  "--min-points",
  "5",
];
const HOTSPOTS = { windowSize: 100, scanRadius: 0.003, minimumPoints: 5, columns: ["longitude", "latitude"] };

/** Players wandering over a city, some gathering at one place from row 100 to 400, then at another. */
function rows() {
  const random = seededRandom(7);
  return Array.from({ length: 700 }, (_, i) => {
    const gathered = i % 2 === 0 && i >= 100 && i < 600;
    const [x, y] = i < 400 ? [-122.33, 47.6] : [-122.3, 47.65];
    return {
      event_id: `e${i}`,
      event_time: new Date(Date.UTC(2026, 5, 1, 18) + i * 1000).toISOString(),
      player_id: `player-${i % 37}`,
      longitude: gathered ? x + random() * 0.002 : -122.44 + random() * 0.2,
      latitude: gathered ? y + random() * 0.002 : 47.5 + random() * 0.24,
    };
  });
}

describe("detect --events and --result-ids (offline)", () => {
  let dir: string;
  let input: string;
  const data = rows();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "detect-events-"));
    input = join(dir, "events.csv");
    const csv = [
      "event_id,event_time,player_id,longitude,latitude",
      ...data.map((r) => `${r.event_id},${r.event_time},${r.player_id},${r.longitude},${r.latitude}`),
    ];
    await writeFile(input, `${csv.join("\n")}\n`);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("writes the tracker's events as NDJSON, valid against the schema, and leaves the output as without them", async () => {
    const plain = join(dir, "plain.ndjson");
    const output = join(dir, "out.ndjson");
    const events = join(dir, "hotspot-events.ndjson");
    expect((await run(["--input", input, "--output", plain, ...PARAMS])).code).toBe(0);
    const result = await run([
      "--input",
      input,
      "--output",
      output,
      "--events",
      events,
      "--emerge-after",
      "20",
      "--dissolve-after",
      "40",
      ...PARAMS,
    ]);
    expect(result.code).toBe(0);
    expect(await readFile(output, "utf8")).toBe(await readFile(plain, "utf8"));

    const written = (await readFile(events, "utf8"))
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as HotspotEvent);
    expect(result.stderr).toContain(`700 records read, 700 written, 0 skipped, ${written.length} hotspot events`);
    for (const event of written) expect(validate(event) ? "valid" : validate.errors).toBe("valid");
    // The same events as the tracker fed directly with the rows.
    const detector = new HotspotDetector(HOTSPOTS);
    const tracker = new HotspotTracker(detector, HOTSPOTS, { emergeAfter: 20, dissolveAfter: 40 });
    detector.observeComponents(tracker);
    const expected: HotspotEvent[] = [];
    for (const r of data) {
      detector.push([r.longitude, r.latitude]);
      expected.push(...tracker.afterPush(r.event_time, r.player_id));
    }
    expect(written).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(written.filter((e) => e.type === "emerged").length).toBeGreaterThanOrEqual(2);
    expect(written.some((e) => e.type === "dissolved")).toBe(true);
    expect(written[0].memberValues.column).toBe("player_id");
    expect(written[0].h3?.resolution).toBe(9);
  });

  it("adds hotspot ids to HOTSPOTS_RESULT on request (flag or environment), matching the events' ids", async () => {
    const output = join(dir, "ids.ndjson");
    const events = join(dir, "ids-events.ndjson");
    expect(
      (await run(["--input", input, "--output", output, "--events", events, "--result-ids", ...PARAMS])).code,
    ).toBe(0);
    const lines = (await readFile(output, "utf8"))
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, string>);
    const ids = new Set<string>();
    for (const line of lines) {
      for (const h of (JSON.parse(line[HOTSPOTS_RESULT_COLUMN]) as { hotspots: { hotspotId: string | null }[] })
        .hotspots) {
        expect(Object.keys(h)).toEqual(["density", "minValues", "maxValues", "hotspotId"]);
        if (h.hotspotId !== null) ids.add(h.hotspotId);
      }
    }
    const emerged = (await readFile(events, "utf8"))
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as HotspotEvent);
    expect(ids).toEqual(
      new Set(emerged.filter((e) => e.type === "emerged" || e.type === "split").map((e) => e.hotspotId)),
    );
    const fromEnv = join(dir, "ids-env.ndjson");
    expect((await run(["--input", input, "--output", fromEnv, ...PARAMS], { HOTSPOTS_RESULT_IDS: "true" })).code).toBe(
      0,
    );
    expect(await readFile(fromEnv, "utf8")).toBe(await readFile(output, "utf8"));
  });

  it("refuses a bad tracking setting, or --events over the output or the input, before writing anything", async () => {
    const events = join(dir, "never.ndjson");
    const bad = await run(["--input", input, "--events", events, "--h3-resolution", "16", ...PARAMS]);
    expect(bad).toMatchObject({ code: 2, stdout: "" });
    expect(bad.stderr).toBe("detect: --h3-resolution must be an integer from 0 to 15, got 16\n");
    const env = await run(["--input", input, "--events", events, ...PARAMS], { HOTSPOTS_TRACK_CHANGED_SHARE: "lots" });
    expect(env.stderr).toBe(
      'detect: HOTSPOTS_TRACK_CHANGED_SHARE must be a finite number > 0 (0.25 = 25 %), got "lots"\n',
    );
    const flag = await run(["--input", input, "--output", join(dir, "o.ndjson"), ...PARAMS], {
      HOTSPOTS_RESULT_IDS: "yes",
    });
    expect(flag.stderr).toBe('detect: HOTSPOTS_RESULT_IDS must be true or false, got "yes"\n');
    const same = await run(["--input", input, "--output", events, "--events", events, ...PARAMS]);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain("is the --output file");
    const over = await run(["--input", input, "--events", input, ...PARAMS]);
    expect(over.code).toBe(2);
    expect(existsSync(events)).toBe(false);
    expect(existsSync(join(dir, "o.ndjson"))).toBe(false);
  });

  it("lists --events, --result-ids and every tracking setting in --help", async () => {
    const help = (await run(["--help"])).stdout;
    for (const text of ["--events", "--result-ids", "HOTSPOTS_RESULT_IDS", "hotspot-event.schema.json"])
      expect(help).toContain(text);
    for (const s of TRACKING_SETTINGS) {
      expect(help).toContain(`--${s.flag}`);
      expect(help).toContain(s.env);
    }
  });
});
