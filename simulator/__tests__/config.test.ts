import { parseConfig } from "../src/config";

describe("parseConfig", () => {
  it("reads the ECS task's environment, the seed's SRC_DATA_BUCKET and PREFIX included", () => {
    const config = parseConfig(["--loop"], {
      STREAM_NAME: "hotspots-prod-events",
      SRC_DATA_BUCKET: "hotspots-prod-data",
      PREFIX: "simulator/",
      BATCH_SIZE: "500",
      RATE: "1500",
      PARTITION_KEY: "event_id",
      AWS_REGION: "eu-west-1",
    });
    expect(config).toMatchObject({
      streamName: "hotspots-prod-events",
      input: { kind: "s3-prefix", bucket: "hotspots-prod-data", prefix: "simulator/" },
      batchSize: 500,
      rate: 1500,
      partitionKey: "event_id",
      loop: true,
      clients: { region: "eu-west-1" },
    });
  });

  it("lets flags win over the environment", () => {
    const config = parseConfig(
      [
        "--input",
        "data/x.csv",
        "--stream",
        "s",
        "--batch-size",
        "10",
        "--endpoint",
        "http://127.0.0.1:4567",
        "--drain-timeout",
        "5",
      ],
      {
        STREAM_NAME: "other",
        BATCH_SIZE: "200",
        KINESIS_ENDPOINT: "http://127.0.0.1:1",
        SRC_DATA_BUCKET: "ignored-bucket",
      },
    );
    expect(config).toMatchObject({
      input: { kind: "file", path: "data/x.csv" },
      streamName: "s",
      batchSize: 10,
      drainTimeoutMs: 5000,
      clients: { kinesisEndpoint: "http://127.0.0.1:4567" },
    });
  });

  it.each([
    [
      ["--stream", "s"],
      {},
      "no input: give --input <file|s3://bucket/key|s3://bucket/prefix/> or SRC_DATA_BUCKET (see --help)",
    ],
    [["--input", "x.csv"], {}, "no stream: give --stream <name> or STREAM_NAME (see --help)"],
    [
      ["--input", "x.csv", "--stream", "s"],
      { RATE: "fast" },
      'RATE must be a number >= 0 (0: as fast as the stream accepts), got "fast"',
    ],
    [
      ["--input", "x.csv", "--stream", "s", "--rate", "-5"],
      {},
      '--rate must be a number >= 0 (0: as fast as the stream accepts), got "-5"',
    ],
    [
      ["--input", "x.csv", "--stream", "s", "--batch-size", "-1"],
      {},
      '--batch-size must be an integer from 1 to 500, got "-1"',
    ],
    [
      ["--input", "x.csv", "--stream", "s", "--endpoint", "localhost:4567"],
      {},
      '--endpoint must be an http:// or https:// URL, got "localhost:4567"',
    ],
    [["--input", "x.csv", "--stream", "s", "--frobnicate"], {}, /^unknown option "--frobnicate"; accepted: --input, /],
  ])("%j %j -> %s", (argv, env, message: string | RegExp) => {
    expect(() => parseConfig(argv, env)).toThrow(message);
  });

  it("takes --rate 0 as no pacing, as npm start does", () => {
    expect(parseConfig(["--input", "x.csv", "--stream", "s", "--rate", "0"], {}).rate).toBeUndefined();
    expect(parseConfig(["--input", "x.csv", "--stream", "s"], { RATE: "0" }).rate).toBeUndefined();
    expect(parseConfig(["--input", "x.csv", "--stream", "s", "--rate", "0.5"], {}).rate).toBe(0.5);
  });
});
