import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";
import { DETECTOR_METRICS, DETECTOR_METRICS_NAMESPACE } from "@hotspots/core";
import { embeddedMetricLine, FileCheckpointStore, NdjsonFileSink, S3CheckpointStore } from "../src";
import { compareSequenceNumbers } from "../src/stream/arrival-order";
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

describe("embedded metric format", () => {
  it("declares the shared namespace, dimension and metric names and carries the values", () => {
    const line = JSON.parse(
      embeddedMetricLine("s", { recordsIn: 5, recordsOut: 4, malformedRecords: 1, hotspots: 2, lagMilliseconds: 30 }, 1000),
    );
    expect(line._aws.Timestamp).toBe(1000);
    const [directive] = line._aws.CloudWatchMetrics;
    expect(directive.Namespace).toBe(DETECTOR_METRICS_NAMESPACE);
    expect(directive.Dimensions).toEqual([["StreamName"]]);
    expect(directive.Metrics.map((m: { Name: string }) => m.Name).sort()).toEqual(Object.values(DETECTOR_METRICS).sort());
    expect(line).toMatchObject({ StreamName: "s", RecordsIn: 5, RecordsOut: 4, MalformedRecords: 1, Hotspots: 2, LagMilliseconds: 30 });
  });
});

describe("checkpoint stores", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "detector-checkpoints-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const doc = { streamName: "s", updatedAt: "2026-01-01T00:00:00.000Z", shards: { "shardId-000000000000": { sequenceNumber: "123" } } };

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
      const sink = new NdjsonFileSink({ directory: dir, deliveryStreamName: "d", bufferSizeBytes: 100, now: () => new Date("2026-03-04T05:06:07Z") });
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
