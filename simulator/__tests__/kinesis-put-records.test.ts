import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import {
  BatchPutError,
  createStream,
  putWithRetry,
  startEmbeddedKinesis,
  type EmbeddedKinesis,
  type KinesisPutEntry,
} from "@hotspots/core";
import { createSimulatorKinesisClient } from "../src";
import { kinesisPutRecords } from "../src/kinesis-put-records";
import { readAllRecords } from "./support/stream-reader";

const noWait = { sleep: async () => undefined };

describe("kinesisPutRecords against the embedded Kinesis", () => {
  let kinesis: EmbeddedKinesis;
  let client: KinesisClient;
  beforeAll(async () => {
    kinesis = await startEmbeddedKinesis();
    client = createSimulatorKinesisClient({ kinesisEndpoint: kinesis.endpoint });
    await createStream(client, "adapter", 1);
  });
  afterAll(async () => {
    client.destroy();
    await kinesis.close();
  });

  it("puts every entry, readable back in order for one partition key", async () => {
    const entries = Array.from({ length: 20 }, (_, i) => ({
      data: Buffer.from(JSON.stringify({ n: i, s: 'é "q"' })),
      partitionKey: "player-1",
    }));
    const outcome = await putWithRetry(entries, kinesisPutRecords(client, "adapter"), noWait);
    expect(outcome.attempts).toBe(1);
    const records = await readAllRecords(client, "adapter");
    expect(records.map((r) => r.json)).toEqual(entries.map((e) => JSON.parse(e.data.toString())));
    expect(new Set(records.map((r) => r.partitionKey))).toEqual(new Set(["player-1"]));
  });

  it("does not retry a missing stream", async () => {
    const error = await putWithRetry(
      [{ data: Buffer.from("x"), partitionKey: "k" }],
      kinesisPutRecords(client, "no-such-stream"),
      noWait,
    ).catch((e) => e);
    expect(error).toBeInstanceOf(BatchPutError);
    expect(error.failure).toBe("not-retryable");
    expect(error.outcome.attempts).toBe(1);
    expect(error.unsent[0].errorCode).toBe("ResourceNotFoundException");
  });
});

interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/**
 * The same adapter against a loopback server that answers as Kinesis does in cases the emulator
 * cannot produce (a failed entry, a 500, a skewed clock, no answer at all).
 */
describe("kinesisPutRecords against scripted answers", () => {
  let server: Server;
  let client: KinesisClient;
  const seen: IncomingHttpHeaders[] = [];
  const script: Answer[] = [];
  let hang = false;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        seen.push(req.headers);
        if (hang) return;
        const answer = script.shift() ?? { status: 200, body: written(1) };
        res.writeHead(answer.status, { "content-type": "application/x-amz-json-1.1", ...answer.headers });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    client = createSimulatorKinesisClient({
      kinesisEndpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    });
  });
  afterAll(async () => {
    client.destroy();
    await new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  });
  beforeEach(() => {
    seen.length = 0;
    script.length = 0;
  });

  const entries: KinesisPutEntry[] = ["a", "b", "c"].map((s) => ({
    data: Buffer.from(s),
    partitionKey: `player-${s}`,
  }));
  const written = (n: number) =>
    JSON.stringify({
      FailedRecordCount: 0,
      Records: Array.from({ length: n }, (_, i) => ({ SequenceNumber: String(i), ShardId: "shardId-000000000000" })),
    });

  it("reports the entries Kinesis failed, by index, with their codes", async () => {
    const failed = {
      ErrorCode: "ProvisionedThroughputExceededException",
      ErrorMessage: "Rate exceeded for shard shardId-000000000001",
    };
    script.push({
      status: 200,
      body: JSON.stringify({
        FailedRecordCount: 1,
        Records: [
          { SequenceNumber: "1", ShardId: "shardId-000000000000" },
          failed,
          { SequenceNumber: "2", ShardId: "shardId-000000000000" },
        ],
      }),
    });
    expect(await kinesisPutRecords(client, "events")(entries)).toEqual([
      { ok: true },
      { ok: false, errorCode: failed.ErrorCode, errorMessage: failed.ErrorMessage },
      { ok: true },
    ]);
    expect(seen[0]["x-amz-target"]).toBe("Kinesis_20131202.PutRecords");
  });

  it("makes one request per send, so a 500 is retried, and counted, by putWithRetry alone", async () => {
    script.push(
      { status: 500, body: JSON.stringify({ __type: "InternalFailure", message: "boom" }) },
      { status: 200, body: written(3) },
    );
    const outcome = await putWithRetry(entries, kinesisPutRecords(client, "events"), noWait);
    expect(outcome).toEqual({ attempts: 2, retriedEntries: 0, requestRetries: 1, throttledAttempts: 0 });
    expect(seen).toHaveLength(2);
  });

  it("retries a request refused for a clock an hour off, signed the second time with the server's time", async () => {
    const serverNow = Date.now() + 3_600_000;
    script.push({
      status: 400,
      headers: { date: new Date(serverNow).toUTCString() },
      body: JSON.stringify({
        __type: "InvalidSignatureException",
        message: "Signature expired: 20261125T220000Z is now earlier than 20261125T225500Z",
      }),
    });
    const outcome = await putWithRetry(entries.slice(0, 1), kinesisPutRecords(client, "events"), noWait);
    expect(outcome).toMatchObject({ attempts: 2, requestRetries: 1 });
    const [first, second] = seen.map((h) =>
      Date.parse(String(h["x-amz-date"]).replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z")),
    );
    expect(Math.abs(first - Date.now())).toBeLessThan(60_000);
    expect(Math.abs(second - serverNow)).toBeLessThan(60_000);
    client.config.systemClockOffset = 0;
  });

  it("stops a request when its signal aborts", async () => {
    hang = true;
    const abort = new AbortController();
    const pending = kinesisPutRecords(client, "events")(entries, abort.signal);
    setTimeout(() => abort.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    hang = false;
  });
});
