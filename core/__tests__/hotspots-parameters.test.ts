import {
  DEFAULT_HOTSPOTS_PARAMETERS as defaults,
  HotspotsParameterError,
  validateHotspotsParameters,
} from "../src/hotspots-parameters";
import { NUMERIC_FIELD_NAMES } from "../src/event-record";

describe("validateHotspotsParameters", () => {
  it("accepts the defaults for the event record", () => {
    expect(validateHotspotsParameters(defaults, NUMERIC_FIELD_NAMES)).toBe(defaults);
  });

  it.each([
    [{ windowSize: 99 }, "windowSize", "windowSize must be an integer from 100 to 1000, got 99"],
    [{ windowSize: 1001 }, "windowSize", "windowSize must be an integer from 100 to 1000, got 1001"],
    [{ scanRadius: 0 }, "scanRadius", "scanRadius must be a finite number > 0, got 0"],
    [{ minimumPoints: 1 }, "minimumPoints", "minimumPoints must be an integer from 2 to windowSize (1000), got 1"],
    [
      { windowSize: 100, minimumPoints: 101 },
      "minimumPoints",
      "minimumPoints must be an integer from 2 to windowSize (100), got 101",
    ],
    [{ columns: [] }, "columns", "columns must name at least one numeric column"],
    [{ columns: ["latitude", "latitude"] }, "columns", "columns must not repeat a name, got latitude,latitude"],
    [
      { columns: ["player_id"] },
      "columns",
      `columns: unknown column player_id; accepted: ${NUMERIC_FIELD_NAMES.join(", ")}`,
    ],
  ])("rejects %p naming %s", (patch, field, message) => {
    const attempt = () => validateHotspotsParameters({ ...defaults, ...patch }, NUMERIC_FIELD_NAMES);
    expect(attempt).toThrow(HotspotsParameterError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (e) {
      expect((e as HotspotsParameterError).field).toBe(field);
    }
  });
});
