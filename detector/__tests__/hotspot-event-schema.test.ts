import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { DEFAULT_HOTSPOTS_PARAMETERS, type HotspotsParameters } from "@hotspots/core";
import { HotspotDetector } from "../src/engine";
import { HotspotTracker, type HotspotEvent } from "../src/tracking";
import { sampleRows } from "./support/sample-events";
import { ScriptedWindow } from "./support/scripted-window";

const schema = JSON.parse(readFileSync(join(__dirname, "..", "schema", "hotspot-event.schema.json"), "utf8"));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
const HOTSPOTS: HotspotsParameters = {
  windowSize: 100,
  scanRadius: 0.003,
  minimumPoints: 5,
  columns: ["longitude", "latitude"],
};

/** Every event type, from a scripted life: two hotspots emerge, one splits, two merge, all dissolve. */
function scriptedEvents(origin?: { shardId: string; sequenceNumber: string }): HotspotEvent[] {
  const window = new ScriptedWindow(100);
  const tracker = new HotspotTracker(window, HOTSPOTS, { emergeAfter: 5, dissolveAfter: 10, changedEvery: 10 });
  window.attach(tracker);
  const events: HotspotEvent[] = [];
  window.map("a2", "A");
  for (let i = 0; i < 200; i++) {
    if (i === 40) window.map("a2", "a2");
    if (i === 80) window.map("B", "A");
    if (i === 150) {
      for (const tag of ["A", "a2", "B"]) window.map(tag, null);
    }
    const tag = i < 20 ? (i % 2 === 0 ? "A" : "a2") : i % 3 === 0 ? "a2" : i % 3 === 1 ? "A" : "B";
    window.push(tag, [-122.33 + (tag === "B" ? 0.002 : 0) + i * 0.0001, 47.59]);
    events.push(
      ...tracker.afterPush(
        i % 10 === 0 ? null : `2026-06-01T18:00:${String(i % 60).padStart(2, "0")}Z`,
        `p-${i % 13}`,
        origin,
      ),
    );
  }
  return events;
}

describe("hotspot-event.schema.json", () => {
  it("accepts every event the tracker emits, of every type, offline and with a stream origin", () => {
    const events = [
      ...scriptedEvents(),
      ...scriptedEvents({ shardId: "shardId-000000000000", sequenceNumber: "4960" }),
    ];
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(["emerged", "changed", "merged", "split", "dissolved"]));
    for (const event of events) {
      const ok = validate(JSON.parse(JSON.stringify(event)));
      if (!ok) throw new Error(`${JSON.stringify(event)}: ${JSON.stringify(validate.errors)}`);
    }
  });

  it("accepts the events of the engine over the sample", () => {
    const detector = new HotspotDetector(DEFAULT_HOTSPOTS_PARAMETERS);
    const tracker = new HotspotTracker(detector, DEFAULT_HOTSPOTS_PARAMETERS);
    detector.observeComponents(tracker);
    const events: HotspotEvent[] = [];
    for (const row of sampleRows(12_000)) {
      detector.push([row.longitude, row.latitude]);
      events.push(...tracker.afterPush(row.eventTime, row.playerId));
    }
    expect(events.length).toBeGreaterThan(10);
    for (const event of events)
      expect(validate(JSON.parse(JSON.stringify(event))) ? "valid" : validate.errors).toBe("valid");
  });

  it("rejects an event that breaks the shape", () => {
    const [event] = scriptedEvents();
    expect(validate({ ...event, type: "moved" })).toBe(false);
    expect(validate({ ...event, hotspotId: "7" })).toBe(false);
    expect(validate({ ...event, shardId: "shardId-000000000000" })).toBe(false);
    const { members: _members, ...withoutMembers } = event;
    expect(validate(withoutMembers)).toBe(false);
    expect(validate({ ...event, extra: 1 })).toBe(false);
  });
});
