import { DEFAULT_HOTSPOTS_PARAMETERS } from "@hotspots/core";
import type { HotspotEvent, HotspotEventType } from "@hotspots/detector";
import { evaluate, type OutputPoint } from "../../evaluation/evaluate";
import { scoreEvents } from "../../evaluation/event-scoring";
import { recordHotspotIds } from "../../evaluation/record-hotspot-ids";
import { buildReportData } from "../report-data";
import { renderReport } from "../report-html";

const params = { ...DEFAULT_HOTSPOTS_PARAMETERS, windowSize: 100 };
const T0 = Date.parse("2026-06-01T18:00:00.000Z");

/** 400 records at one place; from record 100 on, a box with id h-1 holds it. */
const points: OutputPoint[] = Array.from({ length: 400 }, (_, row) => ({
  row,
  time: T0 + row * 100,
  longitude: -122.3,
  latitude: 47.6,
  result: JSON.stringify({
    hotspots:
      row < 100
        ? []
        : [
            {
              density: 5e5,
              minValues: [-122.301, 47.599],
              maxValues: [-122.299, 47.601],
              hotspotId: row < 150 ? null : "h-1",
            },
          ],
  }),
}));

function event(type: HotspotEventType, position: number, n: number): HotspotEvent {
  return {
    eventId: `h-1:${n}`,
    type,
    hotspotId: "h-1",
    relatedIds: [],
    eventTime: new Date(T0 + position * 100).toISOString(),
    position,
    centroid: [-122.3, 47.6],
    minValues: [-122.301, 47.599],
    maxValues: [-122.299, 47.601],
    density: 5e5,
    members: 60,
    memberValues: { column: "player_id", values: [], count: 0 },
  };
}

const events = [event("emerged", 150, 1), event("changed", 250, 2), event("dissolved", 390, 3)];
const truth = {
  description: "",
  seed: 1,
  players: 1,
  rows: 400,
  area: { minLongitude: -122.44, maxLongitude: -122.24, minLatitude: 47.5, maxLatitude: 47.74 },
  startTime: new Date(T0).toISOString(),
  endTime: new Date(T0 + 40_000).toISOString(),
  hotspots: [
    {
      id: "H1",
      name: "Stadium",
      longitude: -122.3,
      latitude: 47.6,
      endLongitude: -122.3,
      endLatitude: 47.6,
      radius: 0.003,
      players: 10,
      startTime: new Date(T0 + 5_000).toISOString(),
      endTime: new Date(T0 + 35_000).toISOString(),
      startRow: 50,
      endRow: 350,
      events: 300,
    },
  ],
};

describe("the report's hotspot events", () => {
  const evaluation = evaluate(points, params, truth);
  const eventScore = scoreEvents(events, recordHotspotIds(points, params.columns), points, truth.hotspots, params);
  const input = { title: "t", inputPath: "in.csv", points, params, evaluation, truth, events, eventScore, run: {} };

  it("puts emerged, merged, split and dissolved events on the timeline, and each box's id on the map", () => {
    const data = buildReportData(input);
    expect(data.events).toEqual([
      [150, 0, "h-1"],
      [390, 3, "h-1"],
    ]);
    const frameAt = (position: number) => data.frames.find((f) => f[0] >= position)!;
    expect(frameAt(120)[2].map((b) => b[6])).toEqual([null]);
    expect(frameAt(200)[2].map((b) => b[6])).toEqual(["h-1"]);
  });

  it("shows the scoring of the events in the summary", () => {
    const html = renderReport(input);
    expect(html).toContain(
      "<tr><th>Hotspot events</th><td>3: 1 emerged, 1 changed, 0 merged, 0 split, 1 dissolved</td></tr>",
    );
    expect(html).toContain(
      "<tr><th>Injected hotspots with one id for &#62;= 90 % of their detected records</th><td>1 of 1</td></tr>",
    );
    expect(html).toContain(
      "<tr><th>Emerged events matching an injected hotspot (goal &#62;= 90 %)</th><td>1 of 1</td></tr>",
    );
    // H1: rows 50..350, held by h-1 from 150 on: 201 of 301 records, emerged 100 records after its start.
    expect(html).toContain(
      '<tr class="found"><td>H1</td><td>1</td><td>h-1</td><td>100.0%</td><td>201/301</td><td>100</td><td>10.0</td></tr>',
    );
  });

  it("has no event parts for a run without tracking", () => {
    const html = renderReport({ ...input, events: undefined, eventScore: undefined });
    expect(html).not.toContain("Hotspot events");
    expect(buildReportData({ ...input, events: undefined }).events).toEqual([]);
  });
});
