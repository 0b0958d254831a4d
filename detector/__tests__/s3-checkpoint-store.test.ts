/**
 * S3CheckpointStore against a local S3 that answers as S3 does for the detector's task role:
 * s3:GetObject/PutObject on the checkpoint prefix and s3:ListBucket only under an s3:prefix
 * condition, so a GetObject of a missing key is 403 AccessDenied, not 404.
 */
import { CreateBucketCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";
import { createKinesisClient, createStream, startEmbeddedKinesis, type EmbeddedKinesis } from "@hotspots/core";
import { NdjsonFileSink, runStreamDetector, S3CheckpointStore } from "../src";
import { startS3AccessProxy, stringLike, type S3AccessProxy, type S3Grant } from "./support/s3-access-proxy";
import { playerEvents, putEvents } from "./support/stream-fixtures";

const BUCKET = "results";
const PREFIX = "checkpoints/hotspots-stream/";
/** The shape of the task role's grant (stacks/grants.ts, readWriteCheckpoints): objects under the prefix, listing only with it. */
const TASK_ROLE: S3Grant = { getObject: [`${PREFIX}*`], putObject: [`${PREFIX}*`], listBucket: [PREFIX, `${PREFIX}*`] };

describe("stringLike", () => {
  it("matches * and ? and nothing else as wildcards", () => {
    expect(stringLike("a/*", "a/b.json")).toBe(true);
    expect(stringLike("a/*", "a/")).toBe(true);
    expect(stringLike("a/*", "b/a/")).toBe(false);
    expect(stringLike("a.?", "a.b")).toBe(true);
    expect(stringLike("a.?", "axb")).toBe(false);
  });
});

describe("S3CheckpointStore with the least-privilege grant", () => {
  let dir: string;
  let server: S3rver;
  let s3Endpoint: string;
  const clients: S3Client[] = [];
  const proxies: S3AccessProxy[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "detector-s3-403-"));
    server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: join(dir, "s3") });
    const { port } = await server.run();
    s3Endpoint = `http://127.0.0.1:${port}`;
    const admin = client(s3Endpoint);
    await admin.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const p of proxies) await p.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  function client(endpoint: string): S3Client {
    const c = new S3Client({
      region: "us-east-1",
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    });
    clients.push(c);
    return c;
  }
  async function asTaskRole(grant: S3Grant = TASK_ROLE): Promise<{ s3: S3Client; proxy: S3AccessProxy }> {
    const proxy = await startS3AccessProxy(s3Endpoint, grant);
    proxies.push(proxy);
    return { s3: client(proxy.endpoint), proxy };
  }

  it("the local S3 answers a GetObject of a missing key with 403, as S3 does without an unconditioned ListBucket", async () => {
    const { s3 } = await asTaskRole();
    const error = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}nothing.json` })).catch((e) => e);
    expect(error.name).toBe("AccessDenied");
    expect(error.$metadata.httpStatusCode).toBe(403);
    // With ListBucket on the whole bucket, the same request is a 404 NoSuchKey.
    const { s3: lister } = await asTaskRole({ ...TASK_ROLE, listBucket: true });
    const notFound = await lister
      .send(new GetObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}nothing.json` }))
      .catch((e) => e);
    expect(notFound.name).toBe("NoSuchKey");
  });

  it("reads no checkpoint on the first start, then what it saved, listing with the key as the prefix", async () => {
    const { s3, proxy } = await asTaskRole();
    const store = new S3CheckpointStore(s3, BUCKET, PREFIX, "first-start");
    expect(await store.load()).toBeUndefined();
    const doc = {
      streamName: "first-start",
      updatedAt: "2026-01-01T00:00:00.000Z",
      shards: { "shardId-000000000000": { sequenceNumber: "42" } },
    };
    await store.save(doc);
    expect(await store.load()).toEqual(doc);
    expect(proxy.log).toEqual([
      `ListBucket prefix=${PREFIX}first-start.json -> 200`,
      `PutObject ${PREFIX}first-start.json -> 200`,
      `ListBucket prefix=${PREFIX}first-start.json -> 200`,
      `GetObject ${PREFIX}first-start.json -> 200`,
    ]);
  });

  it("does not take a longer key that starts with the checkpoint key for the checkpoint", async () => {
    const { s3 } = await asTaskRole();
    const other = new S3CheckpointStore(s3, BUCKET, PREFIX, "s.json.bak");
    await other.save({ streamName: "s.json.bak", updatedAt: "2026-01-01T00:00:00.000Z", shards: {} });
    expect(await new S3CheckpointStore(s3, BUCKET, PREFIX, "s").load()).toBeUndefined();
  });

  it("names the bucket, the prefix and the permissions when even the listing is denied", async () => {
    const { s3 } = await asTaskRole({ ...TASK_ROLE, listBucket: ["elsewhere/*"] });
    const store = new S3CheckpointStore(s3, BUCKET, PREFIX, "denied");
    await expect(store.load()).rejects.toThrow(
      `cannot list s3://${BUCKET}/${PREFIX}denied.json (AccessDenied): the detector needs s3:ListBucket on ${BUCKET} for the prefix ${PREFIX}denied.json`,
    );
  });

  describe("the stream detector", () => {
    let kinesis: EmbeddedKinesis;
    let kinesisClient: KinesisClient;
    beforeAll(async () => {
      kinesis = await startEmbeddedKinesis();
      kinesisClient = createKinesisClient({ endpoint: kinesis.endpoint });
    });
    afterAll(async () => {
      kinesisClient.destroy();
      await kinesis.close();
    });

    async function runUntil(streamName: string, store: S3CheckpointStore, total: number, outputDir: string) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 20_000);
      const sink = new NdjsonFileSink({ directory: outputDir, deliveryStreamName: "d" });
      try {
        const summary = await runStreamDetector({
          kinesis: kinesisClient,
          streamName,
          params: { windowSize: 100, scanRadius: 0.002, minimumPoints: 10, columns: ["longitude", "latitude"] },
          sink,
          checkpoints: store,
          signal: controller.signal,
          pollIntervalMs: 50,
          metricsIntervalMs: 0,
          onProgress: (stats) => {
            if (stats.recordsIn >= total) controller.abort();
          },
        });
        await sink.close();
        return summary;
      } finally {
        clearTimeout(timer);
      }
    }

    it("starts with no checkpoint under the conditioned grant, checkpoints, and resumes after it", async () => {
      const streamName = "hotspots-stream";
      await createStream(kinesisClient, streamName, 2);
      await putEvents(kinesisClient, streamName, playerEvents(300, 0, 7));
      const { s3, proxy } = await asTaskRole();
      const store = new S3CheckpointStore(s3, BUCKET, PREFIX, streamName);

      const first = await runUntil(streamName, store, 300, join(dir, "out-1"));
      expect(first).toMatchObject({ recordsIn: 300, recordsOut: 300 });
      expect(first.checkpointsSaved).toBeGreaterThan(0);
      expect(proxy.log.filter((l) => l.endsWith("-> 403"))).toEqual([]);
      const saved = await store.load();
      expect(Object.keys(saved?.shards ?? {})).toHaveLength(2);

      await putEvents(kinesisClient, streamName, playerEvents(100, 300, 8));
      const second = await runUntil(streamName, store, 100, join(dir, "out-2"));
      // Resumed after the checkpoint: only the new records are read.
      expect(second).toMatchObject({ recordsIn: 100, recordsOut: 100 });
    });
  });
});
