import { Readable } from "node:stream";
import { KinesisClient, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { kinesisPutRecords, type KinesisPutEntry } from "@hotspots/core";

/**
 * Records/s of one PutRecords path alone: request serialization, signing and answer parsing, with a
 * request handler that answers at once and no network. "sdk" is the client's own `send`
 * (middleware chain and schema serde), "direct" is core's kinesisPutRecords with the same client, as the
 * simulator sends. The ceiling each puts on one thread, whatever the simulator does around it.
 */
export async function putRecordsRate(path: "sdk" | "direct", batchSize = 200, requests = 1000): Promise<number> {
  const answer = Buffer.from(
    JSON.stringify({ FailedRecordCount: 0, Records: Array.from({ length: batchSize }, (_, i) => ({ SequenceNumber: String(i), ShardId: "shardId-000000000000" })) }),
  );
  const client = new KinesisClient({
    region: "us-east-1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
    maxAttempts: 1,
    requestHandler: {
      handle: async () => ({ response: { statusCode: 200, headers: { "content-type": "application/x-amz-json-1.1" }, body: Readable.from([answer]) } }),
    } as never,
  });
  const record = { event_id: "ev-1", event_time: "2026-06-01T18:00:00.000Z", player_id: "player-0001", event_type: "move", latitude: 47.5, longitude: -122.3, score: 5, health: 100, speed: 1.5 };
  const entries: KinesisPutEntry[] = Array.from({ length: batchSize }, (_, i) => ({ data: Buffer.from(JSON.stringify({ ...record, event_id: `ev-${i}` })), partitionKey: `player-${i % 1000}` }));
  const direct = await kinesisPutRecords(client, "bench");
  const put =
    path === "direct"
      ? () => direct(entries)
      : () => client.send(new PutRecordsCommand({ StreamName: "bench", Records: entries.map((e) => ({ Data: e.data, PartitionKey: e.partitionKey })) }));
  for (let i = 0; i < 50; i++) await put(); // warm up
  const started = process.hrtime.bigint();
  for (let i = 0; i < requests; i++) await put();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  client.destroy();
  return (requests * batchSize) / seconds;
}
