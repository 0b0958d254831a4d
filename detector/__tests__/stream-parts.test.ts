import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";
import { DETECTOR_METRICS, DETECTOR_METRICS_NAMESPACE } from "@hotspots/core";
import { embeddedMetricLine, FileCheckpointStore, NdjsonFileSink, S3CheckpointStore } from "../src";
import { compareSequenceNumbers, nextInArrivalOrder, type QueuedShard } from "../src/stream/arrival-order";
import { parseCheckpoints } from "../src/stream/checkpoint-store";
import { WindowOrigins } from "../src/stream/window-origins";
import { startableShards } from "../src/stream/shard-lineage";

describe("shard lineage", () => {
  const shards = [
    { shardId: "s0" },
    { shardId: "s1" },
    { shardId: "s2", parentShardId: "s0" },
    { shardId: "s3", parentShardId: "s0" },
    { shardId: "s4", parentShardId: "s1", adjacentParentShardId: "s2" },
    { shardId: "s5", parentShardId: "gone" },
  ];
  const ids = (finished: string[], reading: string[] = []) =>
    startableShards(shards, new Set(finished), new Set(reading)).map((s) => s.shardId);

  it("starts a child only when every listed parent is finished; a parent no longer listed counts as read", () => {
    expect(ids([])).toEqual(["s0", "s1", "s5"]);
    expect(ids(["s0"], ["s1"])).toEqual(["s2", "s3", "s5"]);
    // A merge waits for both parents.
    expect(ids(["s0", "s1"], ["s2", "s3", "s5"])).toEqual([]);
    expect(ids(["s0", "s1", "s2"], ["s3", "s5"])).toEqual(["s4"]);
  });
});

describe("sequence numbers", () => {
  it("compare as numbers, longer is larger", () => {
    expect(compareSequenceNumbers("49590338271490256608559692538361571095921575989136588898", "9")).toBeGreaterThan(0);
    expect(compareSequenceNumbers("123", "124")).toBeLessThan(0);
    expect(compareSequenceNumbers("5", "5")).toBe(0);
  });
});

describe("merge across shards", () => {
  const shard = (
    records: [number, string][],
    state: { closed?: boolean; caughtUp?: boolean } = {},
  ): QueuedShard & { name: string } => ({
    name: records.map(([, s]) => s).join(","),
    peek: () =>
      records.length
        ? { ApproximateArrivalTimestamp: new Date(records[0][0]), SequenceNumber: records[0][1] }
        : undefined,
    closed: state.closed ?? false,
    caughtUp: state.caughtUp ?? false,
  });

  it("takes the earliest arrival, then the lower sequence number; waits for a shard that is behind with nothing queued", () => {
    expect(nextInArrivalOrder([shard([[20, "1"]]), shard([[10, "9"]])])?.name).toBe("9");
    expect(nextInArrivalOrder([shard([[10, "12"]]), shard([[10, "9"]])])?.name).toBe("9");
    expect(nextInArrivalOrder([shard([[10, "9"]]), shard([])])).toBeUndefined();
    expect(
      nextInArrivalOrder([shard([[10, "9"]]), shard([], { caughtUp: true }), shard([], { closed: true })])?.name,
    ).toBe("9");
    expect(nextInArrivalOrder([shard([], { caughtUp: true })])).toBeUndefined();
  });
});

describe("window origins", () => {
  it("names each shard's oldest record still in the window, and forgets a shard whose records all left", () => {
    const origins = new WindowOrigins(3);
    expect(origins.oldestByShard()).toEqual(new Map());
    origins.add("a", "1");
    origins.add("b", "5");
    origins.add("a", "2");
    expect(origins.oldestByShard()).toEqual(
      new Map([
        ["a", "1"],
        ["b", "5"],
      ]),
    );
    origins.add("a", "3");
    expect(origins.oldestByShard()).toEqual(
      new Map([
        ["b", "5"],
        ["a", "2"],
      ]),
    );
    origins.add("a", "4");
    expect(origins.size).toBe(3);
    expect(origins.oldestByShard()).toEqual(new Map([["a", "2"]]));
  });
});

describe("checkpoint document", () => {
  const text = (doc: object) => JSON.stringify({ streamName: "s", updatedAt: "2026-01-01T00:00:00.000Z", ...doc });

  it("reads the window's start per shard, the position and the tracker's state; an earlier document has none of them", () => {
    const warm = parseCheckpoints(
      text({
        position: 5000,
        windowLength: 1000,
        tracker: { ids: [1, 2] },
        shards: {
          a: { sequenceNumber: "20", windowStart: "11" },
          b: { sequenceNumber: "7", windowStart: null, finished: true },
        },
      }),
      "here",
      "s",
    );
    expect(warm).toMatchObject({ position: 5000, windowLength: 1000, tracker: { ids: [1, 2] } });
    expect(warm.shards.a.windowStart).toBe("11");
    expect(warm.shards.b.windowStart).toBeNull();
    const earlier = parseCheckpoints(text({ shards: { a: { sequenceNumber: "20" } } }), "here", "s");
    expect(earlier.windowLength).toBeUndefined();
    expect(earlier.shards.a.windowStart).toBeUndefined();
  });

  it("refuses a window start that is not a sequence number, or without or after the sequenceNumber, and a negative position", () => {
    const parse = (doc: object) => () => parseCheckpoints(text(doc), "here", "s");
    expect(parse({ shards: { a: { sequenceNumber: "20", windowStart: "x" } } })).toThrow(
      "checkpoints at here: shard a has an invalid windowStart (null, or a sequence number up to its sequenceNumber)",
    );
    expect(parse({ shards: { a: { windowStart: "11" } } })).toThrow("shard a has an invalid windowStart");
    expect(parse({ shards: { a: { sequenceNumber: "20", windowStart: "100" } } })).toThrow(
      "shard a has an invalid windowStart",
    );
    expect(parse({ shards: { a: { sequenceNumber: "20", windowStart: "20" } } })).not.toThrow();
    expect(parse({ shards: {}, position: -1 })).toThrow(
      "checkpoints at here: position and windowLength must be whole numbers >= 0",
    );
    expect(parse({ shards: {}, windowLength: 1.5 })).toThrow("position and windowLength");
  });
});

describe("embedded metric format", () => {
  it("declares the shared namespace, dimension and metric names and carries the values", () => {
    const line = JSON.parse(
      embeddedMetricLine(
        "s",
        { recordsIn: 5, recordsOut: 4, malformedRecords: 1, hotspots: 2, lagMilliseconds: 30 },
        1000,
      ),
    );
    expect(line._aws.Timestamp).toBe(1000);
    const [directive] = line._aws.CloudWatchMetrics;
    expect(directive.Namespace).toBe(DETECTOR_METRICS_NAMESPACE);
    expect(directive.Dimensions).toEqual([["StreamName"]]);
    expect(directive.Metrics.map((m: { Name: string }) => m.Name).sort()).toEqual(
      Object.values(DETECTOR_METRICS).sort(),
    );
    expect(line).toMatchObject({
      StreamName: "s",
      RecordsIn: 5,
      RecordsOut: 4,
      MalformedRecords: 1,
      Hotspots: 2,
      LagMilliseconds: 30,
    });
  });
});

describe("checkpoint stores", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "detector-checkpoints-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const doc = {
    streamName: "s",
    updatedAt: "2026-01-01T00:00:00.000Z",
    shards: { "shardId-000000000000": { sequenceNumber: "123" } },
  };

  it("file: missing is undefined, saved is loaded back, a broken file is a clear error", async () => {
    const store = new FileCheckpointStore(join(dir, "a", "cp.json"), "s");
    expect(await store.load()).toBeUndefined();
    await store.save(doc);
    expect(await store.load()).toEqual(doc);
    expect(await new FileCheckpointStore(join(dir, "a", "cp.json"), "other").load().catch((e) => e.message)).toContain(
      'belong to stream "s", not "other"',
    );
    await writeFile(join(dir, "broken.json"), "{");
    await expect(new FileCheckpointStore(join(dir, "broken.json"), "s").load()).rejects.toThrow("are not JSON");
  });

  it("S3: one JSON object under the prefix, against a local S3", async () => {
    const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: join(dir, "s3") });
    const { port } = await server.run();
    const s3 = new S3Client({
      region: "us-east-1",
      endpoint: `http://127.0.0.1:${port}`,
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    });
    try {
      await s3.send(new CreateBucketCommand({ Bucket: "checkpoints" }));
      const store = new S3CheckpointStore(s3, "checkpoints", "detector", "s");
      expect(store.location).toBe("s3://checkpoints/detector/s.json");
      expect(await store.load()).toBeUndefined();
      await store.save(doc);
      expect(await store.load()).toEqual(doc);
    } finally {
      s3.destroy();
      await server.close();
    }
  });
});

describe("NdjsonFileSink", () => {
  it("shows only complete objects and rolls by size", async () => {
    const dir = await mkdtemp(join(tmpdir(), "detector-sink-"));
    try {
      const sink = new NdjsonFileSink({
        directory: dir,
        deliveryStreamName: "d",
        bufferSizeBytes: 100,
        now: () => new Date("2026-03-04T05:06:07Z"),
      });
      await sink.write(['{"a":1}']);
      expect(sink.objects).toEqual([]);
      await expect(readdir(join(dir, "hotspots"))).rejects.toThrow();
      await sink.write([JSON.stringify({ pad: "x".repeat(120) })]);
      expect(sink.objects).toHaveLength(1);
      await sink.write(['{"b":2}']);
      await sink.close();
      expect(sink.objects).toHaveLength(2);
      expect(sink.objects[0]).toMatch(/hotspots\/2026\/03\/04\/05\/d-1-2026-03-04-05-06-07-[0-9a-f-]{36}$/);
      // Nothing incomplete is left: the staging folder itself is gone after close.
      expect(existsSync(join(dir, ".in-progress"))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
