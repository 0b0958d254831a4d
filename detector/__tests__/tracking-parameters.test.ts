import {
  DEFAULT_TRACKING_PARAMETERS,
  TRACKING_SETTINGS,
  trackingParametersFrom,
  TrackingParameterError,
} from "../src/tracking";

/** Settings given as flags: `{ "emerge-after": "20" }`. */
const fromFlags = (flags: Record<string, string>) =>
  trackingParametersFrom((setting) =>
    setting.flag in flags ? { text: flags[setting.flag], source: `--${setting.flag}` } : undefined,
  );

describe("tracking settings from text", () => {
  it("takes the defaults when nothing is set, and each setting from its text", () => {
    expect(fromFlags({})).toEqual(DEFAULT_TRACKING_PARAMETERS);
    const params = fromFlags({
      "emerge-after": "20",
      "changed-distance": "0.01",
      "member-column": " event_id ",
      "h3-resolution": "7",
    });
    expect(params).toMatchObject({
      emergeAfter: 20,
      changedDistance: 0.01,
      memberColumn: "event_id",
      h3Resolution: 7,
      dissolveAfter: 100,
    });
  });

  it("names the flag or variable of a bad value, and the text it got", () => {
    expect(() => fromFlags({ "emerge-after": "soon" })).toThrow(
      new TrackingParameterError("emergeAfter", '--emerge-after must be an integer >= 1, got "soon"'),
    );
    expect(() => fromFlags({ "h3-resolution": "16" })).toThrow(
      "--h3-resolution must be an integer from 0 to 15, got 16",
    );
    const env = { HOTSPOTS_TRACK_CHANGED_SHARE: "0" } as Record<string, string>;
    expect(() =>
      trackingParametersFrom((s) => (env[s.env] !== undefined ? { text: env[s.env], source: s.env } : undefined)),
    ).toThrow(/^HOTSPOTS_TRACK_CHANGED_SHARE must be a finite number > 0/);
  });

  it("has one flag and one HOTSPOTS_TRACK_ variable per setting", () => {
    expect(new Set(TRACKING_SETTINGS.map((s) => s.key))).toEqual(
      new Set([...Object.keys(DEFAULT_TRACKING_PARAMETERS), "changedDistance"]),
    );
    for (const s of TRACKING_SETTINGS) expect(s.env).toBe(`HOTSPOTS_TRACK_${s.flag.toUpperCase().replace(/-/g, "_")}`);
  });
});
