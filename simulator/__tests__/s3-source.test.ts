import { CreateBucketCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import S3rver from "s3rver";
import { createStream, startEmbeddedKinesis, type EmbeddedKinesis } from "@hotspots/core";
import { createSimulatorKinesisClient, createSimulatorS3Client, runSimulator } from "../src";
import { eventCsv, eventRow, HEADER, tempDir } from "./support/events";
import { readAllRecords } from "./support/stream-reader";

/** s3rver's built-in account. */
const S3RVER_KEYS = { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" };

describe("s3:// inputs, streamed from a local S3", () => {
  let kinesis: EmbeddedKinesis;
  let client: KinesisClient;
  let s3server: S3rver;
  let s3: S3Client;
  let streams = 0;
  const newStream = async () => {
    const name = `s3-${++streams}`;
    await createStream(client, name, 1);
    return name;
  };

  beforeAll(async () => {
    kinesis = await startEmbeddedKinesis();
    client = createSimulatorKinesisClient({ kinesisEndpoint: kinesis.endpoint });
    s3server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: tempDir() });
    const { port } = await s3server.run();
    s3 = createSimulatorS3Client({ s3Endpoint: `http://127.0.0.1:${port}` }, S3RVER_KEYS);
    await s3.send(new CreateBucketCommand({ Bucket: "player-events" }));
    const put = (Key: string, Body: string) => s3.send(new PutObjectCommand({ Bucket: "player-events", Key, Body }));
    await put("one/data-simu.csv", eventCsv(40));
    // Written out of order: the simulator reads them in key order.
    await put("many/part-2.csv", [HEADER, ...[20, 21, 22].map((i) => eventRow(i, "p"))].join("\n"));
    await put("many/part-1.csv", [HEADER, ...[10, 11].map((i) => eventRow(i, "p"))].join("\r\n"));
    await put("many/part-3.csv", `\ufeff${HEADER}\n${eventRow(30, "p")}\nbroken,row\n`);
  });
  afterAll(async () => {
    s3.destroy();
    client.destroy();
    await s3server.close();
    await kinesis.close();
  });

  it("streams one object", async () => {
    const streamName = await newStream();
    const summary = await runSimulator({
      input: "s3://player-events/one/data-simu.csv",
      streamName,
      kinesis: client,
      s3,
    });
    expect(summary).toMatchObject({
      input: "s3://player-events/one/data-simu.csv",
      rowsRead: 40,
      recordsSent: 40,
      exitCode: 0,
    });
    expect(await readAllRecords(client, streamName)).toHaveLength(40);
  });

  it("streams every object under a prefix in key order, and names the object of a skipped row", async () => {
    const streamName = await newStream();
    const summary = await runSimulator({ input: "s3://player-events/many/", streamName, kinesis: client, s3 });
    expect(summary).toMatchObject({ rowsRead: 7, recordsSent: 6, rowsSkipped: 1, exitCode: 0 });
    expect(summary.skipped).toEqual([
      { source: "s3://player-events/many/part-3.csv", line: 3, reason: "expected 9 fields, got 2" },
    ]);
    // One partition key, one shard: the stream holds the rows in the order they were sent.
    const records = await readAllRecords(client, streamName);
    expect(records.map((r) => r.json.event_id)).toEqual(["ev-10", "ev-11", "ev-20", "ev-21", "ev-22", "ev-30"]);
  });

  it("refuses a missing bucket, a missing object and an empty prefix before sending anything", async () => {
    const streamName = await newStream();
    const run = (input: string) => runSimulator({ input, streamName, kinesis: client, s3 });
    await expect(run("s3://no-such-bucket/")).rejects.toThrow("input s3://no-such-bucket/: no such bucket");
    await expect(run("s3://player-events/one/absent.csv")).rejects.toThrow(
      "input s3://player-events/one/absent.csv: no such bucket or object",
    );
    await expect(run("s3://player-events/nothing/")).rejects.toThrow(
      "input s3://player-events/nothing/: no objects under this prefix",
    );
    await expect(run("s3://Bad_Bucket/x.csv")).rejects.toThrow(/"Bad_Bucket" is not an S3 bucket name/);
    expect(await readAllRecords(client, streamName)).toEqual([]);
  });
});
