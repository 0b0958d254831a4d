import { SplitShardCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import {
  createKinesisClient,
  createStream,
  HOTSPOTS_RESULT_COLUMN,
  startEmbeddedKinesis,
  type EmbeddedKinesis,
} from "@hotspots/core";
import { PassThrough } from "node:stream";
import { main } from "../src/cli";
import {
  FileCheckpointStore,
  NdjsonFileSink,
  runStreamDetector,
  type Checkpoints,
  type CheckpointStore,
  type OutputSink,
} from "../src";
import { deliveredObjects, playerEvents, putEvents, putRaw, recordsOf } from "./support/stream-fixtures";

const PARAMS = { windowSize: 200, scanRadius: 0.002, minimumPoints: 10, columns: ["longitude", "latitude"] };
const FAST = { pollIntervalMs: 50, metricsIntervalMs: 0 };

describe("runStreamDetector against kinesalite", () => {
  let kinesis: EmbeddedKinesis;
  let client: KinesisClient;
  let dir: string;
  let streamCount = 0;

  beforeAll(async () => {
    kinesis = await startEmbeddedKinesis();
    client = createKinesisClient({ endpoint: kinesis.endpoint });
  });
  afterAll(async () => {
    client.destroy();
    await kinesis.close();
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "detector-stream-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function newStream(shards: number): Promise<string> {
    const name = `hotspots-test-${++streamCount}`;
    await createStream(client, name, shards);
    return name;
  }

  /** Runs until `total` records were read (or a timeout), then aborts. */
  function runUntil(
    streamName: string,
    total: number,
    sink: OutputSink,
    extra: { checkpointIntervalMs?: number } = {},
  ) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 20_000);
    const checkpoints = new FileCheckpointStore(join(dir, "checkpoints.json"), streamName);
    return runStreamDetector({
      kinesis: client,
      streamName,
      params: PARAMS,
      sink,
      checkpoints,
      signal: controller.signal,
      ...FAST,
      ...extra,
      onProgress: (stats) => {
        if (stats.recordsIn >= total) controller.abort();
      },
    }).finally(() => clearTimeout(timer));
  }

  it("writes one output record per valid input record from both shards, skips malformed ones, in per-shard order", async () => {
    const streamName = await newStream(2);
    const events = playerEvents(1200, 0, 1);
    await putEvents(client, streamName, events.slice(0, 600));
    await putRaw(client, streamName, [
      ...Array.from({ length: 4 }, (_, i) => ({ key: `bad-${i}`, data: `not json ${i}` })),
      ...Array.from({ length: 3 }, (_, i) => ({
        key: `bad-${i}`,
        data: JSON.stringify({ ...events[0], latitude: undefined, n: i }),
      })),
    ]);
    await putEvents(client, streamName, events.slice(600));

    const sink = new NdjsonFileSink({ directory: dir, deliveryStreamName: "hotspots-delivery" });
    const summary = await runUntil(streamName, 1207, sink);

    expect(summary).toMatchObject({ recordsIn: 1207, recordsOut: 1200, malformedRecords: 7, shardsReading: 2 });
    const objects = await deliveredObjects(dir);
    for (const object of objects) {
      expect(relative(dir, object)).toMatch(
        /^hotspots\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/hotspots-delivery-1-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f-]{36}$/,
      );
    }
    // Only complete objects remain: the staging folder is gone once its owner closes the sink.
    await sink.close();
    expect(existsSync(join(dir, ".in-progress"))).toBe(false);
    const records = await recordsOf(sink.objects);
    expect(records).toHaveLength(1200);
    expect(new Set(records.map((r) => r.event_id)).size).toBe(1200);
    // Each record passes through whole, plus the result.
    const byId = new Map(events.map((e) => [e.event_id, e]));
    for (const r of records) {
      const { [HOTSPOTS_RESULT_COLUMN]: result, ...fields } = r;
      expect(fields).toEqual(byId.get(r.event_id as string));
      expect(JSON.parse(result as string)).toHaveProperty("hotspots");
    }
    // A player's events share a shard: they come out in the order they were put.
    for (let p = 0; p < 37; p++) {
      const ids = records.filter((r) => r.player_id === `player-${p}`).map((r) => r.event_id as string);
      expect(ids).toEqual([...ids].sort());
    }
    expect(records.some((r) => JSON.parse(r[HOTSPOTS_RESULT_COLUMN] as string).hotspots.length > 0)).toBe(true);

    const saved = JSON.parse(await readFile(join(dir, "checkpoints.json"), "utf8"));
    expect(Object.keys(saved.shards).sort()).toEqual(["shardId-000000000000", "shardId-000000000001"]);
    expect(saved.shards["shardId-000000000000"].sequenceNumber).toMatch(/^\d+$/);
  });

  it("resumes from the checkpoint after a crash: no record lost, duplicates only since the last checkpoint", async () => {
    const streamName = await newStream(2);
    const events = playerEvents(1500, 0, 2);
    await putEvents(client, streamName, events.slice(0, 500));
    const sink = new NdjsonFileSink({ directory: dir, deliveryStreamName: "d" });

    // First run: checkpoints after every batch; the sink dies after 900 records were written to it.
    let written = 0;
    const dying: OutputSink = {
      write: async (lines) => {
        if (written + lines.length > 900) throw new Error("task killed");
        written += lines.length;
        await sink.write(lines);
      },
      flush: () => sink.flush(),
      close: () => sink.close(),
    };
    const firstRun = runUntil(streamName, 1500, dying, { checkpointIntervalMs: 0 });
    await new Promise((r) => setTimeout(r, 400));
    await putEvents(client, streamName, events.slice(500, 1000));
    await new Promise((r) => setTimeout(r, 400));
    await putEvents(client, streamName, events.slice(1000));
    await expect(firstRun).rejects.toThrow("task killed");
    const checkpointsAfterCrash = JSON.parse(await readFile(join(dir, "checkpoints.json"), "utf8"));
    const deliveredBefore = (await recordsOf(await deliveredObjects(dir))).length;
    expect(deliveredBefore).toBeGreaterThan(0);
    expect(deliveredBefore).toBeLessThan(1500);

    // Restart: reads on from the checkpoint.
    const restarted = await runUntil(streamName, 1500 - deliveredBefore, sink);
    expect(restarted.recordsIn).toBe(1500 - deliveredBefore);
    const all = await recordsOf(await deliveredObjects(dir));
    const ids = all.map((r) => r.event_id);
    expect(new Set(ids).size).toBe(1500);
    const duplicates = ids.length - new Set(ids).size;
    // Everything delivered was checkpointed before the crash (checkpoint after every batch): no duplicates here.
    expect(duplicates).toBe(0);
    expect(checkpointsAfterCrash.shards["shardId-000000000000"].sequenceNumber).toMatch(/^\d+$/);
  });

  it("follows a split: the parent shard is read to its end before its children", async () => {
    const streamName = await newStream(1);
    const events = playerEvents(600, 0, 3);
    await putEvents(client, streamName, events.slice(0, 300));
    await client.send(
      new SplitShardCommand({
        StreamName: streamName,
        ShardToSplit: "shardId-000000000000",
        NewStartingHashKey: (2n ** 127n).toString(),
      }),
    );
    await new Promise((r) => setTimeout(r, 100));
    await putEvents(client, streamName, events.slice(300));

    const sink = new NdjsonFileSink({ directory: dir, deliveryStreamName: "d" });
    const summary = await runUntil(streamName, 600, sink);
    expect(summary.recordsOut).toBe(600);
    expect(summary.shardsFinished).toBe(1);
    const ids = (await recordsOf(sink.objects)).map((r) => r.event_id as string);
    // Every record put before the split (parent shard) comes out before any record put after it (children).
    const lastParent = Math.max(...events.slice(0, 300).map((e) => ids.indexOf(e.event_id)));
    const firstChild = Math.min(...events.slice(300).map((e) => ids.indexOf(e.event_id)));
    expect(lastParent).toBeLessThan(firstChild);
    const saved = JSON.parse(await readFile(join(dir, "checkpoints.json"), "utf8"));
    expect(saved.shards["shardId-000000000000"].finished).toBe(true);
  });

  it("delivers again, after a restart, what was delivered but not yet checkpointed (at-least-once)", async () => {
    const streamName = await newStream(2);
    const events = playerEvents(400, 0, 4);
    await putEvents(client, streamName, events);
    const sink = new NdjsonFileSink({ directory: dir, deliveryStreamName: "d" });
    // The task dies between delivering its output and saving the checkpoint.
    const files = new FileCheckpointStore(join(dir, "checkpoints.json"), streamName);
    const dying: CheckpointStore = {
      location: "dying",
      load: () => files.load(),
      save: async (_c: Checkpoints) => {
        throw new Error("task killed");
      },
    };
    await expect(
      runStreamDetector({
        kinesis: client,
        streamName,
        params: PARAMS,
        sink,
        checkpoints: dying,
        ...FAST,
        checkpointIntervalMs: 0,
      }),
    ).rejects.toThrow("task killed");
    const deliveredBefore = (await recordsOf(await deliveredObjects(dir))).length;
    expect(deliveredBefore).toBe(400);

    await runUntil(streamName, 400, sink);
    const ids = (await recordsOf(await deliveredObjects(dir))).map((r) => r.event_id);
    expect(new Set(ids).size).toBe(400);
    expect(ids.length - new Set(ids).size).toBe(400);
  });

  it("runs from the command line: `detect stream` with the endpoint from the environment, stops on abort", async () => {
    const streamName = await newStream(2);
    await putEvents(client, streamName, playerEvents(300, 0, 5));
    const controller = new AbortController();
    const stderr = new PassThrough();
    let log = "";
    stderr.on("data", (c) => (log += c));
    const stdout = new PassThrough();
    let metrics = "";
    stdout.on("data", (c) => (metrics += c));
    const done = main(
      ["stream", "--output-dir", dir, "--window-size", "100", "--min-points", "5", "--metrics-interval", "0.2"],
      {
        stdout,
        stderr,
        env: { STREAM_NAME: streamName, KINESIS_ENDPOINT: kinesis.endpoint, HOTSPOTS_SCAN_RADIUS: "0.002" },
        signal: controller.signal,
      },
    );
    // Output is delivered at the checkpoint on the way out: give the reader time to read all, then stop it.
    await new Promise((r) => setTimeout(r, 1500));
    controller.abort();
    expect(await done).toBe(0);
    expect(log).toContain(`reading ${streamName} -> files under ${dir}`);
    expect(log).toContain("windowSize 100, scanRadius 0.002, minimumPoints 5");
    expect(log).toContain("300 records read, 300 written, 0 malformed skipped");
    expect(await recordsOf(await deliveredObjects(dir))).toHaveLength(300);
    expect(JSON.parse(metrics.trim().split("\n")[0])._aws.CloudWatchMetrics[0].Namespace).toBe("Hotspots/Detector");
  });

  it("with no arguments and STREAM_NAME set, runs stream mode (the container's default)", async () => {
    const stderr = new PassThrough();
    let log = "";
    stderr.on("data", (c) => (log += c));
    const code = await main([], { stdout: new PassThrough(), stderr, env: { STREAM_NAME: "x" } });
    expect(code).toBe(2);
    expect(log).toBe("detect: stream mode needs --delivery-stream (DELIVERY_STREAM_NAME) or --output-dir\n");
  });

  it("stops at start, status 2, on an analysed column that is not a numeric event field, naming the variable", async () => {
    const stderr = new PassThrough();
    let log = "";
    stderr.on("data", (c) => (log += c));
    const env = {
      STREAM_NAME: "x",
      DELIVERY_STREAM_NAME: "d",
      CHECKPOINT_BUCKET: "b",
      HOTSPOTS_COLUMNS: "longitude,player_id",
    };
    expect(await main([], { stdout: new PassThrough(), stderr, env })).toBe(2);
    expect(log).toBe(
      "detect: HOTSPOTS_COLUMNS: unknown column player_id; accepted: latitude, longitude, score, health, speed\n",
    );
  });
});
