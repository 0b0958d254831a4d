import { DEFAULT_HOTSPOTS_PARAMETERS } from "@hotspots/core";
import type { HotspotEvent, HotspotEventType } from "@hotspots/detector";
import type { OutputPoint } from "../evaluation/evaluate";
import { formatEventScore, scoreEvents } from "../evaluation/event-scoring";
import { recordHotspotIds, type RecordHotspotId } from "../evaluation/record-hotspot-ids";
import { T0, truthHotspot } from "./support/truth-hotspot";

const params = { ...DEFAULT_HOTSPOTS_PARAMETERS, windowSize: 100 };
const A = [-122.3, 47.6] as const;
const B = [-122.35, 47.65] as const;
const ELSEWHERE = [-122.4, 47.7] as const;

/** 1000 records 0.1 s apart: odd rows of [200, 400] at A, odd rows of [600, 800] at B, the rest elsewhere. */
function points(): OutputPoint[] {
  return Array.from({ length: 1000 }, (_, row) => {
    const at =
      row % 2 === 1 && row >= 200 && row <= 400 ? A : row % 2 === 1 && row >= 600 && row <= 800 ? B : ELSEWHERE;
    return { row, time: T0 + row * 100, longitude: at[0], latitude: at[1], result: '{"hotspots":[]}' };
  });
}

function event(
  type: HotspotEventType,
  hotspotId: string,
  position: number,
  [lon, lat]: readonly number[],
  n = 1,
): HotspotEvent {
  return {
    eventId: `${hotspotId}:${n}`,
    type,
    hotspotId,
    relatedIds: [],
    eventTime: new Date(T0 + position * 100).toISOString(),
    position,
    centroid: [lon, lat],
    minValues: [lon - 0.001, lat - 0.001],
    maxValues: [lon + 0.001, lat + 0.001],
    density: 100,
    members: 20,
    memberValues: { column: "player_id", values: [], count: 0 },
  };
}

/** Ids of the records at A and at B from the given functions of the row. */
function ids(
  pts: OutputPoint[],
  atA: (row: number) => RecordHotspotId,
  atB: (row: number) => RecordHotspotId,
): RecordHotspotId[] {
  return pts.map((p) => (p.longitude === A[0] ? atA(p.row) : p.longitude === B[0] ? atB(p.row) : undefined));
}

describe("scoreEvents", () => {
  const truths = [truthHotspot("A", A[0], A[1], 200, 400), truthHotspot("B", B[0], B[1], 600, 800)];

  it("scores one id per injected hotspot, emerged events that match, and the delay", () => {
    const pts = points();
    const events = [
      event("emerged", "h-1", 260, A),
      event("changed", "h-1", 300, A, 2),
      event("dissolved", "h-1", 500, A, 3),
      event("emerged", "h-2", 640, B),
    ];
    const recordIds = ids(
      pts,
      (row) => (row >= 260 ? "h-1" : null),
      (row) => (row >= 640 ? "h-2" : undefined),
    );
    const score = scoreEvents(events, recordIds, pts, truths, params)!;
    expect(score.byType).toEqual({ emerged: 2, changed: 1, merged: 0, split: 0, dissolved: 1 });
    expect(score.hotspots.map((h) => [h.id, h.records, h.detected, h.ids, h.mainId, h.mainShare])).toEqual([
      ["A", 100, 70, 1, "h-1", 1],
      ["B", 100, 80, 1, "h-2", 1],
    ]);
    expect(score.hotspots.map((h) => h.emerged)).toEqual([
      { hotspotId: "h-1", position: 260, delayRecords: 60, delaySeconds: 6 },
      { hotspotId: "h-2", position: 640, delayRecords: 40, delaySeconds: 4 },
    ]);
    expect(score.meanDelayRecords).toBe(50);
    expect([score.oneIdHotspots, score.emerged, score.emergedMatching, score.goalsMet]).toEqual([2, 2, 2, true]);
    expect(formatEventScore(score)).toBe(
      "hotspot ids: 2 of 2 injected with one id for >= 90 % of their records; emerged events matching: 2 of 2",
    );
  });

  it("counts the ids a fragmented hotspot got and the share under its main one", () => {
    const pts = points();
    // A (odd rows 201..399, 100 records): 301..349 under h-3 (25 records), the rest under h-1 (75).
    const recordIds = ids(
      pts,
      (row) => (row > 300 && row < 350 ? "h-3" : "h-1"),
      () => "h-2",
    );
    const score = scoreEvents(
      [event("emerged", "h-1", 210, A), event("emerged", "h-3", 310, A), event("emerged", "h-2", 610, B)],
      recordIds,
      pts,
      truths,
      params,
    )!;
    const a = score.hotspots[0];
    expect([a.detected, a.ids, a.mainId, a.mainShare]).toEqual([100, 2, "h-1", 0.75]);
    expect(score.oneIdHotspots).toBe(1);
    expect(score.goalsMet).toBe(false);
    // The second emergence at A matches A too: a fragment is a matching emergence, counted against the ids.
    expect(score.emergedMatching).toBe(3);
    expect(score.hotspots[0].emerged?.hotspotId).toBe("h-1");
  });

  it("lists emerged events that match no injected hotspot: far away, or where the window holds none of its records", () => {
    const pts = points();
    const recordIds = ids(
      pts,
      () => "h-1",
      () => "h-2",
    );
    const events = [
      event("emerged", "h-1", 250, A),
      event("emerged", "h-9", 300, ELSEWHERE),
      event("emerged", "h-2", 650, B),
      event("emerged", "h-7", 950, B),
      event("emerged", "h-8", 5000, A),
    ];
    const score = scoreEvents(events, recordIds, pts, truths, params)!;
    expect(score.unmatched.map((u) => [u.hotspotId, u.position])).toEqual([
      ["h-9", 300],
      ["h-7", 950],
      ["h-8", 5000],
    ]);
    expect([score.emerged, score.emergedMatching, score.goalsMet]).toEqual([5, 2, false]);
  });

  it("fails the one-id goal for an injected hotspot no emerged hotspot held", () => {
    const pts = points();
    const score = scoreEvents(
      [event("emerged", "h-1", 250, A)],
      ids(
        pts,
        () => "h-1",
        () => null,
      ),
      pts,
      truths,
      params,
    )!;
    expect(score.hotspots[1]).toMatchObject({ id: "B", records: 100, detected: 0, ids: 0, mainShare: 0 });
    expect(score.hotspots[1].emerged).toBeUndefined();
    expect([score.oneIdHotspots, score.goalsMet]).toEqual([1, false]);
  });

  it("gives no score when the analysed columns are not longitude and latitude", () => {
    expect(scoreEvents([], [], points(), truths, { ...params, columns: ["score", "health"] })).toBeUndefined();
  });
});

describe("recordHotspotIds", () => {
  const result = (boxes: object[]) => JSON.stringify({ hotspots: boxes });
  const at = (longitude: number, latitude: number, r: string): OutputPoint => ({
    row: 0,
    time: T0,
    longitude,
    latitude,
    result: r,
  });

  it("takes the id of the smallest box holding the record's point, null before emergence, undefined outside", () => {
    const big = { density: 1, minValues: [-122.31, 47.59], maxValues: [-122.29, 47.61], hotspotId: "h-1" };
    const small = { density: 1, minValues: [-122.301, 47.599], maxValues: [-122.299, 47.601], hotspotId: "h-2" };
    const pending = { density: 1, minValues: [-122.4, 47.7], maxValues: [-122.39, 47.71], hotspotId: null };
    const r = result([big, small, pending]);
    expect(
      recordHotspotIds(
        [at(-122.3, 47.6, r), at(-122.305, 47.6, r), at(-122.395, 47.705, r), at(-122.2, 47.6, r)],
        params.columns,
      ),
    ).toEqual(["h-2", "h-1", null, undefined]);
  });

  it("finds no id in a result of KDA's shape", () => {
    const r = result([{ density: 1, minValues: [-122.31, 47.59], maxValues: [-122.29, 47.61] }]);
    expect(recordHotspotIds([at(-122.3, 47.6, r)], params.columns)).toEqual([undefined]);
  });
});
