import { DEFAULT_HOTSPOTS_PARAMETERS } from "@hotspots/core";
import { parseStartConfig } from "../pipeline/start-config";

describe("npm start flags", () => {
  it("defaults to the sample data, the dev stream and the default parameters", () => {
    expect(parseStartConfig([])).toEqual({
      help: false,
      input: "data/data-simu.csv",
      out: "out",
      streamName: "ubiquitous-octo-spoon-stream",
      shards: 2,
      rate: 2000,
      params: DEFAULT_HOTSPOTS_PARAMETERS,
      live: undefined,
    });
  });

  it("serves the live map on a free port with --live, on the given one with --live-port", () => {
    expect(parseStartConfig(["--live"]).live).toEqual({ port: 0 });
    expect(parseStartConfig(["--live-port", "8123"]).live).toEqual({ port: 8123 });
    expect(parseStartConfig(["--live", "--live-port=8123"]).live).toEqual({ port: 8123 });
  });

  it("takes every flag", () => {
    const config = parseStartConfig([
      "--input",
      "my.csv",
      "--scan-radius",
      "0.01",
      "--window-size",
      "500",
      "--min-points",
      "10",
      "--columns",
      "longitude, latitude,score",
      "--shards",
      "4",
      "--out",
      "/tmp/x",
    ]);
    expect(config).toMatchObject({ input: "my.csv", out: "/tmp/x", shards: 4, rate: 4000 });
    expect(config.params).toEqual({
      windowSize: 500,
      scanRadius: 0.01,
      minimumPoints: 10,
      columns: ["longitude", "latitude", "score"],
    });
  });

  it("paces the simulator at the stream's write capacity unless told otherwise", () => {
    expect(parseStartConfig(["--shards", "3"]).rate).toBe(3000);
    expect(parseStartConfig(["--rate", "500"]).rate).toBe(500);
    expect(parseStartConfig(["--rate", "0"]).rate).toBeUndefined();
  });

  it("names the flag and what it accepts on bad input", () => {
    expect(() => parseStartConfig(["--scan-radius", "wide"])).toThrow(
      '--scan-radius must be a finite number > 0, got "wide"',
    );
    expect(() => parseStartConfig(["--scan-radius=-1"])).toThrow(/^--scan-radius must be a finite number > 0, got -1$/);
    expect(() => parseStartConfig(["--window-size", "5000"])).toThrow(
      /^--window-size must be an integer from 100 to 1000/,
    );
    expect(() => parseStartConfig(["--window-size", "-5"])).toThrow(
      /^--window-size must be an integer from 100 to 1000, got -5$/,
    );
    expect(() => parseStartConfig(["--min-points", "1"])).toThrow(/^--min-points must be an integer from 2/);
    expect(() => parseStartConfig(["--columns", "longitude,player_id"])).toThrow(
      /^--columns: unknown column player_id; accepted: /,
    );
    expect(() => parseStartConfig(["--shards", "0"])).toThrow('--shards must be an integer from 1 to 100, got "0"');
    expect(() => parseStartConfig(["--rate=-5"])).toThrow(
      '--rate must be a number >= 0 (0: as fast as it can), got "-5"',
    );
    expect(() => parseStartConfig(["--rate", "-5"])).toThrow(
      '--rate must be a number >= 0 (0: as fast as it can), got "-5"',
    );
    expect(() => parseStartConfig(["--rate", "fast"])).toThrow(
      '--rate must be a number >= 0 (0: as fast as it can), got "fast"',
    );
    expect(() => parseStartConfig(["--input", "--out"])).toThrow(
      /^--input needs a value, got "--out", which looks like a flag/,
    );
    expect(() => parseStartConfig(["--live-port", "0"])).toThrow(
      '--live-port must be an integer from 1 to 65535, got "0"',
    );
    expect(() => parseStartConfig(["--live-port", "http"])).toThrow(
      '--live-port must be an integer from 1 to 65535, got "http"',
    );
    expect(() => parseStartConfig(["--bogus"])).toThrow(
      /^unknown option "--bogus"; accepted: --input, .*\(see --help\)$/,
    );
  });
});
