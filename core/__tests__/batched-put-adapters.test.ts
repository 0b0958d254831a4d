import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { FirehoseClient } from "@aws-sdk/client-firehose";
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from "@aws-sdk/client-kinesis";
import { awsClientConfig } from "../src/kinesis-client";
import { createStream, startEmbeddedKinesis, EmbeddedKinesis } from "../src/embedded-kinesis";
import { BatchPutError, firehosePutRecordBatch, kinesisPutRecords, putWithRetry } from "../src/batched-put";

const noWait = { sleep: async () => undefined };

describe("kinesisPutRecords against the embedded Kinesis", () => {
  let kinesis: EmbeddedKinesis;
  let client: KinesisClient;
  beforeAll(async () => {
    kinesis = await startEmbeddedKinesis();
    client = new KinesisClient({ ...awsClientConfig({ endpoint: kinesis.endpoint }), maxAttempts: 1 });
    await createStream(client, "adapter", 1);
  });
  afterAll(async () => {
    client.destroy();
    await kinesis.close();
  });

  it("puts every entry, readable back in order for one partition key", async () => {
    const entries = Array.from({ length: 20 }, (_, i) => ({ data: Buffer.from(`r${i}`), partitionKey: "player-1" }));
    const outcome = await putWithRetry(entries, await kinesisPutRecords(client, "adapter"), noWait);
    expect(outcome.attempts).toBe(1);
    const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: "adapter" }));
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({ StreamName: "adapter", ShardId: Shards[0].ShardId, ShardIteratorType: "TRIM_HORIZON" }),
    );
    const { Records = [] } = await client.send(new GetRecordsCommand({ ShardIterator }));
    expect(Records.map((r) => Buffer.from(r.Data!).toString())).toEqual(entries.map((e) => e.data.toString()));
  });

  it("does not retry a missing stream", async () => {
    const error = await putWithRetry([{ data: Buffer.from("x"), partitionKey: "k" }], await kinesisPutRecords(client, "no-such-stream"), noWait).catch((e) => e);
    expect(error).toBeInstanceOf(BatchPutError);
    expect(error.failure).toBe("not-retryable");
    expect(error.unsent[0].errorCode).toBe("ResourceNotFoundException");
  });
});

describe("firehosePutRecordBatch", () => {
  // Firehose has no local emulator: a loopback server answers PutRecordBatch like the API reference shows.
  let server: Server;
  const bodies: Array<{ DeliveryStreamName: string; Records: Array<{ Data: string }> }> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let text = "";
      req.on("data", (chunk) => (text += chunk));
      req.on("end", () => {
        const body = JSON.parse(text);
        bodies.push(body);
        const responses = body.Records.map((_: unknown, i: number) =>
          bodies.length === 1 && i === 1 ? { ErrorCode: "ServiceUnavailableException", ErrorMessage: "Slow down." } : { RecordId: `id-${bodies.length}-${i}` },
        );
        res.setHeader("content-type", "application/x-amz-json-1.1");
        res.end(JSON.stringify({ FailedPutCount: responses.filter((r: { ErrorCode?: string }) => r.ErrorCode).length, Encrypted: false, RequestResponses: responses }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("maps RequestResponses[i].ErrorCode to entry i and resends only that one", async () => {
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new FirehoseClient({ ...awsClientConfig({ endpoint }), maxAttempts: 1 });
    const entries = ["a", "b", "c"].map((s) => ({ data: Buffer.from(s) }));
    const outcome = await putWithRetry(entries, firehosePutRecordBatch(client, "delivery"), noWait);
    client.destroy();
    expect(outcome).toMatchObject({ attempts: 2, retriedEntries: 1 });
    expect(bodies.map((b) => b.Records.map((r) => Buffer.from(r.Data, "base64").toString()))).toEqual([["a", "b", "c"], ["b"]]);
    expect(bodies[0].DeliveryStreamName).toBe("delivery");
  });
});
