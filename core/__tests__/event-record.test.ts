import { EVENT_FIELDS, parseEvent, validateEvent } from "../src/event-record";

const row = {
  event_id: "e1",
  event_time: "2026-01-01T00:00:00.000Z",
  player_id: "p1",
  event_type: "move",
  latitude: "47.61",
  longitude: "-122.33",
  score: "120",
  health: "88",
  speed: "3.5",
};

describe("parseEvent", () => {
  it("types numbers as numbers and keeps strings", () => {
    const parsed = parseEvent(row);
    expect(parsed).toEqual({
      ok: true,
      event: { ...row, latitude: 47.61, longitude: -122.33, score: 120, health: 88, speed: 3.5 },
    });
  });

  it.each([
    [{ latitude: "north" }, 'field "latitude" must be a number, got "north"'],
    [{ latitude: "" }, 'field "latitude" must be a number, got ""'],
    [{ latitude: "91" }, 'field "latitude" must be within [-90, 90], got 91'],
    [{ longitude: "-180.5" }, 'field "longitude" must be within [-180, 180], got -180.5'],
    [{ score: "1.5" }, 'field "score" must be an integer, got "1.5"'],
    [{ speed: "-1" }, 'field "speed" must be within >= 0, got -1'],
  ])("rejects %p with a reason naming the field", (patch, reason) => {
    expect(parseEvent({ ...row, ...patch })).toEqual({ ok: false, reason });
  });

  it("names a missing field", () => {
    const { health: _omitted, ...rest } = row;
    expect(parseEvent(rest)).toEqual({ ok: false, reason: 'missing field "health"' });
  });
});

describe("validateEvent", () => {
  it("accepts what parseEvent produced", () => {
    const parsed = parseEvent(row);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(validateEvent(JSON.parse(JSON.stringify(parsed.event))).ok).toBe(true);
  });

  it("rejects non-objects and numbers sent as strings", () => {
    expect(validateEvent([1, 2])).toEqual({ ok: false, reason: "record is not a JSON object" });
    expect(validateEvent({ ...row })).toEqual({ ok: false, reason: 'field "latitude" must be a number, got "47.61"' });
  });

  it("defines every field once", () => {
    const names = EVENT_FIELDS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
