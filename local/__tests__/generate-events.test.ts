import { EVENT_FIELD_NAMES, parseEvent } from "@hotspots/core";
import { generateEvents } from "../data/generate-events";
import { csvHeader, csvLine } from "../data/csv-format";
import { SEATTLE } from "../data/scenario";

describe("generateEvents", () => {
  const options = { players: 200, events: 3000, seed: 3 };
  const { events, truth } = generateEvents(options);

  it("is deterministic for a seed and differs between seeds", () => {
    expect(generateEvents(options).events).toEqual(events);
    expect(generateEvents({ ...options, seed: 4 }).events).not.toEqual(events);
  });

  it("writes exactly the event fields, in order, and every line parses as an event", () => {
    expect(csvHeader()).toBe(EVENT_FIELD_NAMES.join(","));
    for (const event of events.slice(0, 200)) {
      const cells = csvLine(event).split(",");
      expect(cells).toHaveLength(EVENT_FIELD_NAMES.length);
      const row = Object.fromEntries(EVENT_FIELD_NAMES.map((name, i) => [name, cells[i]]));
      expect(parseEvent(row)).toEqual({ ok: true, event });
    }
  });

  it("keeps events in time order, on the map, with unique ids", () => {
    const times = events.map((e) => Date.parse(e.event_time));
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
    for (const e of events) {
      expect(e.longitude).toBeGreaterThanOrEqual(SEATTLE.minLongitude - 0.01);
      expect(e.longitude).toBeLessThanOrEqual(SEATTLE.maxLongitude + 0.01);
      expect(e.latitude).toBeGreaterThanOrEqual(SEATTLE.minLatitude - 0.01);
      expect(e.latitude).toBeLessThanOrEqual(SEATTLE.maxLatitude + 0.01);
    }
  });

  it("puts a real share of each active interval's events within the truth radius", () => {
    expect(truth.hotspots.length).toBe(7);
    expect(truth.rows).toBe(events.length);
    for (const h of truth.hotspots) {
      expect(h.endRow).toBeGreaterThan(h.startRow);
      expect(Date.parse(events[h.startRow].event_time)).toBeGreaterThanOrEqual(Date.parse(h.startTime));
      const slice = events.slice(h.startRow, h.endRow + 1);
      // Static hotspots: count events within the radius of the centre (moving ones are checked by the share of events).
      const inside = slice.filter(
        (e) => Math.hypot(e.longitude - h.longitude, e.latitude - h.latitude) <= h.radius,
      ).length;
      if (h.longitude === h.endLongitude) expect(inside / slice.length).toBeGreaterThan(0.05);
      expect(h.events / slice.length).toBeGreaterThan(0.05);
    }
  });

  it("rejects bad options with a message naming them", () => {
    expect(() => generateEvents({ ...options, players: 3 })).toThrow(/players must be an integer >= 10, got 3/);
    expect(() => generateEvents({ ...options, events: 1.5 })).toThrow(/events must be an integer >= 100/);
    expect(() => generateEvents({ ...options, seed: -1 })).toThrow(/seed must be a non-negative integer/);
  });
});
