import { Readable } from "node:stream";
import { KinesisClient, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { FastPutRecordsProtocol } from "../src/put-records-protocol";

/**
 * Records/s of the AWS SDK's PutRecords alone: request serialization, signing and response
 * parsing, with a request handler that answers at once and no network. The ceiling the SDK puts
 * on one thread, whatever the simulator does around it. With `protocol`, the same through that
 * protocol (the simulator's FastPutRecordsProtocol).
 */
export async function sdkPutRecordsRate(batchSize = 200, requests = 1000, protocol?: typeof FastPutRecordsProtocol): Promise<number> {
  const response = Buffer.from(
    JSON.stringify({ FailedRecordCount: 0, Records: Array.from({ length: batchSize }, (_, i) => ({ SequenceNumber: String(i), ShardId: "shardId-000000000000" })) }),
  );
  const client = new KinesisClient({
    region: "us-east-1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
    maxAttempts: 1,
    ...(protocol ? { protocol } : {}),
    requestHandler: {
      handle: async () => ({ response: { statusCode: 200, headers: { "content-type": "application/x-amz-json-1.1" }, body: Readable.from([response]) } }),
    } as never,
  });
  const record = { event_id: "ev-1", event_time: "2026-06-01T18:00:00.000Z", player_id: "player-0001", event_type: "move", latitude: 47.5, longitude: -122.3, score: 5, health: 100, speed: 1.5 };
  const records = Array.from({ length: batchSize }, (_, i) => ({ Data: Buffer.from(JSON.stringify({ ...record, event_id: `ev-${i}` })), PartitionKey: `player-${i % 1000}` }));
  for (let i = 0; i < 50; i++) await client.send(new PutRecordsCommand({ StreamName: "bench", Records: records })); // warm up
  const started = process.hrtime.bigint();
  for (let i = 0; i < requests; i++) await client.send(new PutRecordsCommand({ StreamName: "bench", Records: records }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  client.destroy();
  return (requests * batchSize) / seconds;
}
