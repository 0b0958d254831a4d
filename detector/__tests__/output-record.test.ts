import { DEFAULT_HOTSPOTS_PARAMETERS, HOTSPOTS_RESULT_COLUMN } from "@hotspots/core";
import { HotspotDetector, NO_HOTSPOTS_RESULT, serializeOutputLine, serializeOutputRecord } from "../src";
import { playerEvents } from "./support/stream-fixtures";

/** What the output line must equal: the input fields in their order, then HOTSPOTS_RESULT. */
const expected = (record: Record<string, unknown>, result: string) =>
  JSON.stringify({ ...record, [HOTSPOTS_RESULT_COLUMN]: result });

const RESULTS = [
  NO_HOTSPOTS_RESULT,
  '{"hotspots":[{"density":152.8463017,"minValues":[-122.389012,47.533137],"maxValues":[-122.376011,47.546138]}]}',
  'text with "quotes", a back\\slash, a tab\t, a newline\n, \u0001, é, 🎮, \u2028 and a lone \ud800',
];

const RECORDS: Record<string, unknown>[] = [
  {
    event_id: "ev-1",
    event_time: "2026-06-01T18:00:00.259Z",
    player_id: "p",
    event_type: "move",
    latitude: 47.6,
    longitude: -122.3,
    score: 1,
    health: 100,
    speed: 1.5,
  },
  {
    event_id: 'quote " back\\slash / tab\t newline\n bell\u0007',
    player_id: "東京 🎮 \u2028\u2029",
    note: "lone \udc00 surrogate",
  },
  { n: -0, big: 1e21, small: 5e-7, t: true, f: false, z: null, nested: { a: [1, "b", { c: null }] }, list: [] },
  { skipped: undefined, kept: 1, fn: undefined },
  {},
  { only: undefined },
  // Integer-like keys come first in JSON.stringify, in both forms.
  { b: 1, "2": "two", a: 2, "1": "one" },
  // A record that already holds the column keeps it where it is.
  { a: 1, [HOTSPOTS_RESULT_COLUMN]: "old", z: 2 },
  JSON.parse('{"__proto__":{"x":1},"k":"v"}') as Record<string, unknown>,
];

describe("serializeOutputLine", () => {
  it("writes the same bytes as JSON.stringify({ ...record, HOTSPOTS_RESULT }) on varied records and results, key order included", () => {
    for (const record of RECORDS) {
      for (const result of RESULTS) {
        const before = JSON.stringify(record);
        const line = serializeOutputLine(record, JSON.stringify(result));
        expect(line).toBe(expected(record, result));
        expect(serializeOutputRecord(record, result)).toBe(line);
        // The input record is left as it was.
        expect(JSON.stringify(record)).toBe(before);
      }
    }
  });

  it("writes the same bytes as JSON.stringify on the engine's output for a stream of player events", () => {
    const detector = new HotspotDetector({
      ...DEFAULT_HOTSPOTS_PARAMETERS,
      windowSize: 200,
      minimumPoints: 5,
      scanRadius: 0.002,
    });
    const events = playerEvents(3000, 0, 11) as unknown as Record<string, unknown>[];
    let changes = 0;
    let last = "";
    for (const event of events) {
      const result = detector.push([event.longitude as number, event.latitude as number]);
      if (result !== last) changes++;
      last = result;
      expect(serializeOutputLine(event, detector.hotspotsResultJson)).toBe(expected(event, result));
    }
    // The stream saw hotspots come and change.
    expect(changes).toBeGreaterThan(100);
    expect(JSON.parse(last).hotspots.length).toBeGreaterThan(0);
  });
});
