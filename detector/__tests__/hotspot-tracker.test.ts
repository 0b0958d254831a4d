import { latLngToCell } from "h3-js";
import type { HotspotsParameters } from "@hotspots/core";
import { HotspotTracker, TrackingParameterError, type HotspotEvent, type TrackingParameters } from "../src/tracking";
import { smallest } from "../src/tracking/hotspot-summary";
import { SlotMembers } from "../src/tracking/slot-members";
import { ScriptedWindow } from "./support/scripted-window";

const HOTSPOTS: HotspotsParameters = {
  windowSize: 100,
  scanRadius: 0.003,
  minimumPoints: 5,
  columns: ["longitude", "latitude"],
};
/** changedShare out of reach: only the tests of changed meet it. The crowd test is off: only its own tests use it. */
const TRACKING: Partial<TrackingParameters> = {
  emergeAfter: 5,
  dissolveAfter: 10,
  changedEvery: 10,
  changedShare: 1000,
  memberValuesCap: 3,
  minDistinctMembers: 1,
};
const LNG = -122.33;
const LAT = 47.59;

/** A scripted window with a tracker attached; push() adds one record and returns the events it triggered. */
function scenario(tracking: Partial<TrackingParameters> = TRACKING, capacity = 100) {
  const window = new ScriptedWindow(capacity);
  let tracker = new HotspotTracker(window, HOTSPOTS, tracking);
  window.attach(tracker);
  const events: HotspotEvent[] = [];
  let n = 0;
  const push = (tag: string | null, lng = LNG, lat = LAT, player = `p${n % 7}`): HotspotEvent[] => {
    window.push(tag, [lng, lat]);
    const out = [...tracker.afterPush(`t${n}`, player)];
    n++;
    events.push(...out);
    return out;
  };
  const pushMany = (count: number, tag: string | null, lng = LNG, lat = LAT) => {
    const out: HotspotEvent[] = [];
    for (let i = 0; i < count; i++) out.push(...push(tag, lng, lat));
    return out;
  };
  const idOf = (name: string) => tracker.hotspotIdOfRoot(window.rootOf(name));
  const replaceTracker = (next: HotspotTracker) => {
    tracker = next;
    window.attach(next);
  };
  return { window, events, push, pushMany, idOf, tracker: () => tracker, replaceTracker };
}

const brief = (events: HotspotEvent[]) =>
  events.map((e) => `${e.type} ${e.hotspotId} [${e.relatedIds.join(",")}] @${e.position}`);

describe("HotspotTracker", () => {
  describe("minDistinctMembers", () => {
    // emergeAfter 10: the crowd is looked at again every ceil(10 / 10) = 1 record once it has lasted.
    const CROWD: Partial<TrackingParameters> = { ...TRACKING, emergeAfter: 10, minDistinctMembers: 8 };

    it("does not emerge a dense hotspot of few members, however long it lasts", () => {
      const s = scenario(CROWD);
      // 200 records in place from 5 players: a few players emitting many records, not a crowd.
      for (let i = 0; i < 200; i++) expect(s.push("A", LNG, LAT, `p${i % 5}`)).toEqual([]);
      expect(s.idOf("A")).toBeNull();
    });

    it("emerges it once enough distinct members have joined, and it is off at 1", () => {
      const s = scenario(CROWD);
      for (let i = 0; i < 30; i++) expect(s.push("A", LNG, LAT, `p${i % 5}`)).toEqual([]);
      // Players p5, p6 make 7; the eighth distinct player makes it a crowd.
      expect(s.push("A", LNG, LAT, "p5")).toEqual([]);
      expect(s.push("A", LNG, LAT, "p6")).toEqual([]);
      const [event, ...rest] = s.push("A", LNG, LAT, "p7");
      expect(rest).toEqual([]);
      expect(event).toMatchObject({ type: "emerged", hotspotId: "h-1", position: 32 });
      expect(event.memberValues.count).toBe(8);

      const off = scenario({ ...CROWD, minDistinctMembers: 1 });
      const emerged = off.pushMany(11, "A").filter((e) => e.type === "emerged");
      expect(emerged.map((e) => e.position)).toEqual([10]);
    });

    it("looks again only every ceil(emergeAfter / 10) records once lasted", () => {
      const s = scenario({ ...CROWD, emergeAfter: 50 });
      // Lasted at 50 with 5 players; the eighth player arrives at 52: seen at the next look, 55.
      for (let i = 0; i < 50; i++) s.push("A", LNG, LAT, `p${i % 5}`);
      const out = [...s.push("A", LNG, LAT, "p5"), ...s.push("A", LNG, LAT, "p6"), ...s.push("A", LNG, LAT, "p7")];
      expect(out).toEqual([]);
      expect(s.pushMany(2, "A")).toEqual([]);
      expect(s.push("A", LNG, LAT, "p0").map((e) => `${e.type}@${e.position}`)).toEqual(["emerged@55"]);
    });

    it("rejects a negative or fractional setting", () => {
      const window = new ScriptedWindow(100);
      expect(() => new HotspotTracker(window, HOTSPOTS, { minDistinctMembers: -1 })).toThrow(
        /minDistinctMembers must be an integer >= 0/,
      );
      expect(() => new HotspotTracker(window, HOTSPOTS, { minDistinctMembers: 2.5 })).toThrow(TrackingParameterError);
    });
  });

  it("emerges a hotspot once it has lasted emergeAfter records, with its measures", () => {
    const s = scenario();
    expect(s.pushMany(10, null)).toEqual([]);
    // The hotspot appears at position 10: records 10..14 are not enough.
    for (let i = 0; i < 5; i++) expect(s.push("A", LNG + i * 0.001, LAT + i * 0.0005, `p${i}`)).toEqual([]);
    const [event, ...rest] = s.push("A", LNG + 0.005, LAT + 0.0025, "p0");
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      eventId: "h-1:1",
      type: "emerged",
      hotspotId: "h-1",
      relatedIds: [],
      eventTime: "t15",
      position: 15,
      members: 6,
    });
    expect(event.centroid[0]).toBeCloseTo(LNG + 0.0025, 10);
    expect(event.centroid[1]).toBeCloseTo(LAT + 0.00125, 10);
    expect(event.minValues).toEqual([LNG, LAT]);
    expect(event.maxValues[0]).toBeCloseTo(LNG + 0.005, 10);
    // 5 distinct players, capped at 3 values, sorted.
    expect(event.memberValues).toEqual({ column: "player_id", values: ["p0", "p1", "p2"], count: 5 });
    // Latitude first for h3-js; the columns are longitude, latitude.
    expect(event.h3).toEqual({ resolution: 9, cell: latLngToCell(event.centroid[1], event.centroid[0], 9) });
    expect(event.density).toBeCloseTo(6 / (0.005 * 0.003), 3);
    expect(event.shardId).toBeUndefined();
    expect(s.idOf("A")).toBe("h-1");
  });

  it("gives no id to a hotspot gone before it lasted, and none to noise", () => {
    const s = scenario();
    s.pushMany(3, "A");
    s.window.map("A", null);
    s.pushMany(20, null);
    expect(s.events).toEqual([]);
    expect(s.idOf("A")).toBeNull();
  });

  it("keeps one id while a hotspot drifts, with changed at most once per changedEvery records", () => {
    const s = scenario();
    for (let i = 0; i < 300; i++) s.push("P", LNG + i * 0.0002, LAT + i * 0.0001);
    const types = s.events.map((e) => e.type);
    expect(types[0]).toBe("emerged");
    expect(new Set(s.events.map((e) => e.hotspotId))).toEqual(new Set(["h-1"]));
    const changed = s.events.filter((e) => e.type === "changed");
    expect(changed.length).toBeGreaterThan(5);
    const positions = s.events.map((e) => e.position);
    for (let i = 1; i < positions.length; i++) expect(positions[i] - positions[i - 1]).toBeGreaterThanOrEqual(10);
    // Each changed reports a centroid moved more than scanRadius from the previous event's.
    for (let i = 1; i < s.events.length; i++) {
      const [a, b] = [s.events[i - 1].centroid, s.events[i].centroid];
      expect(Math.hypot(a[0] - b[0], a[1] - b[1])).toBeGreaterThan(0.003);
    }
    expect(s.events.map((e) => e.eventId)).toEqual(s.events.map((_, i) => `h-1:${i + 1}`));
  });

  it("reports changed when the member count moved by more than changedShare, not for less", () => {
    // A still hotspot growing by one record per push: 6 members at emergence (position 5), tested at
    // positions 10, 20, 30 (multiples of changedEvery) once its last event is 10 records old.
    const half = scenario({ ...TRACKING, changedShare: 0.5 });
    half.pushMany(31, "A");
    // At 20: 21 members, +250 %; at 30: 31 members, +48 % of 21, not more than 50 %.
    expect(brief(half.events)).toEqual(["emerged h-1 [] @5", "changed h-1 [] @20"]);
    expect(half.events[1].members).toBe(21);
    // With 250 %: 15 more at position 20 is not more than 15, 25 more at 30 is.
    const more = scenario({ ...TRACKING, changedShare: 2.5 });
    more.pushMany(31, "A");
    expect(brief(more.events)).toEqual(["emerged h-1 [] @5", "changed h-1 [] @30"]);
  });

  it("merges two hotspots once the merge lasted: the older id survives and names the absorbed one", () => {
    const s = scenario();
    s.pushMany(10, "A");
    // B close enough that the union's centroid stays within scanRadius of A's.
    s.pushMany(30, "B", LNG + 0.002);
    expect(brief(s.events)).toEqual(["emerged h-1 [] @5", "emerged h-2 [] @15"]);
    s.window.map("B", "A");
    // From position 40 on, B is inside A; B holds more records, A is older and survives.
    expect(s.pushMany(5, "B", LNG + 0.002)).toEqual([]);
    const events = s.push("B", LNG + 0.002);
    expect(brief(events)).toEqual(["merged h-2 [h-1] @45", "changed h-1 [h-2] @45"]);
    // merged reports the absorbed hotspot as at its last event; changed the union now.
    expect(events[0].members).toBe(6);
    expect(events[1].members).toBe(46);
    expect(s.idOf("A")).toBe("h-1");
    s.pushMany(50, "B", LNG + 0.002);
    expect(s.events.filter((e) => e.type !== "changed").length).toBe(3);
  });

  it("does not count a merge that parts again before it lasted", () => {
    const s = scenario();
    s.pushMany(10, "A");
    s.pushMany(10, "B", LNG + 0.01);
    s.window.map("B", "A");
    s.pushMany(3, "A");
    s.window.map("B", "B");
    s.pushMany(3, "B", LNG + 0.01);
    s.window.map("B", "A");
    s.pushMany(3, "A");
    s.window.map("B", "B");
    s.pushMany(30, "B", LNG + 0.01);
    expect(s.events.filter((e) => e.type !== "changed").map((e) => `${e.type} ${e.hotspotId}`)).toEqual([
      "emerged h-1",
      "emerged h-2",
    ]);
    expect(s.idOf("A")).toBe("h-1");
    expect(s.idOf("B")).toBe("h-2");
  });

  it("splits once the split lasted: the larger part keeps the id, the other gets a new one naming its parent", () => {
    const s = scenario();
    s.window.map("a2", "A");
    for (let i = 0; i < 30; i++) s.push(i % 3 === 0 ? "a2" : "A");
    expect(brief(s.events)).toEqual(["emerged h-1 [] @5"]);
    // From position 30 on, a2 is a hotspot of its own.
    s.window.map("a2", "a2");
    expect(s.pushMany(5, "A")).toEqual([]);
    const events = s.push("A");
    expect(brief(events)).toEqual(["split h-2 [h-1] @35", "changed h-1 [h-2] @35"]);
    expect(events[0].members).toBe(10);
    expect(s.idOf("A")).toBe("h-1");
    expect(s.idOf("a2")).toBe("h-2");
  });

  it("gives the id to the part with most members, whichever tag it has", () => {
    const s = scenario();
    s.window.map("a2", "A");
    for (let i = 0; i < 30; i++) s.push(i % 3 === 0 ? "A" : "a2");
    s.window.map("a2", "a2");
    s.pushMany(10, "a2");
    expect(s.idOf("a2")).toBe("h-1");
    expect(s.idOf("A")).toBe("h-2");
    expect(brief(s.events).slice(1, 3)).toEqual(["split h-2 [h-1] @35", "changed h-1 [h-2] @35"]);
  });

  it("mints no id for a fragment that flickers off and back", () => {
    const s = scenario();
    s.window.map("f", "A");
    for (let i = 0; i < 30; i++) s.push(i % 4 === 0 ? "f" : "A");
    for (let round = 0; round < 10; round++) {
      s.window.map("f", round % 2 === 0 ? "f" : "A");
      for (let i = 0; i < 4; i++) s.push(i % 4 === 0 ? "f" : "A");
    }
    expect(s.events.map((e) => e.hotspotId)).toEqual(["h-1"]);
    expect(s.idOf("A")).toBe("h-1");
  });

  it("dissolves a hotspot gone for dissolveAfter records, not one that returns sooner", () => {
    const s = scenario();
    s.pushMany(20, "A");
    s.window.map("A", null);
    s.pushMany(9, null);
    s.window.map("A", "A");
    s.pushMany(5, "A");
    expect(s.idOf("A")).toBe("h-1");
    expect(brief(s.events)).toEqual(["emerged h-1 [] @5"]);
    // Gone from position 34 on.
    s.window.map("A", null);
    expect(s.pushMany(10, null)).toEqual([]);
    const [dissolved] = s.push(null);
    expect(dissolved).toMatchObject({
      type: "dissolved",
      hotspotId: "h-1",
      eventId: "h-1:2",
      relatedIds: [],
      position: 44,
    });
    // It reports the hotspot as at its last event.
    expect(dissolved.members).toBe(6);
    s.window.map("A", "A");
    s.pushMany(10, "A");
    expect(s.idOf("A")).toBe("h-2");
  });

  it("resumes from its saved state (JSON) as if never stopped", () => {
    const script = (s: ReturnType<typeof scenario>, from: number, to: number) => {
      for (let i = from; i < to; i++) {
        if (i === 60) s.window.map("B", "A");
        if (i === 62) s.window.map("B", "B");
        if (i === 120) s.window.map("B", "A");
        if (i === 200) s.window.map("A", null);
        const tag = i < 20 ? null : i % 3 === 0 ? "B" : "A";
        s.push(tag, LNG + (tag === "B" ? 0.01 : 0) + i * 0.00005, LAT);
      }
    };
    const whole = scenario();
    script(whole, 0, 400);
    const cut = scenario();
    script(cut, 0, 130);
    const saved = JSON.parse(JSON.stringify(cut.tracker().toState()));
    cut.replaceTracker(HotspotTracker.restore(cut.window, HOTSPOTS, TRACKING, saved));
    const before = cut.events.length;
    script(cut, 130, 400);
    expect(cut.events.slice(before)).toEqual(whole.events.filter((e) => e.position >= 130));
    expect(whole.events.filter((e) => e.position >= 130).length).toBeGreaterThan(0);
  });

  it("rejects bad settings with the setting's name", () => {
    const window = new ScriptedWindow(100);
    expect(() => new HotspotTracker(window, HOTSPOTS, { emergeAfter: 0 })).toThrow(TrackingParameterError);
    expect(() => new HotspotTracker(window, HOTSPOTS, { h3Resolution: 16 })).toThrow(
      /h3Resolution must be an integer from 0 to 15/,
    );
    expect(() => new HotspotTracker(window, HOTSPOTS, { changedShare: -1 })).toThrow(/changedShare/);
  });
});

describe("smallest", () => {
  it("gives the cap smallest values in sort order, as sorting all would", () => {
    const values = Array.from({ length: 300 }, (_, i) => `player-${(i * 7919) % 1000}`);
    expect(smallest(values, 50)).toEqual([...values].sort().slice(0, 50));
    expect(smallest(["b", "a"], 5)).toEqual(["a", "b"]);
    expect(smallest(["b", "a"], 0)).toEqual([]);
  });
});

describe("SlotMembers", () => {
  it("counts distinct values by slot, the latest value of each slot", () => {
    const members = new SlotMembers(4);
    for (let i = 0; i < 200; i++) members.set(i % 4, `v${i}`);
    members.set(2, undefined);
    expect([0, 1, 2, 3].map((s) => members.get(s))).toEqual(["v196", "v197", undefined, "v199"]);
    members.set(1, "v196");
    expect(members.distinct(Int32Array.from([0, 1, 2, 3]), 4).sort()).toEqual(["v196", "v199"]);
  });
});
