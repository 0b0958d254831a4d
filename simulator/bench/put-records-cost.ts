import { Readable } from "node:stream";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { awsClientConfig, type KinesisPutEntry } from "@hotspots/core";
import { createSimulatorKinesisClient } from "../src/aws-clients";
import { kinesisPutRecords } from "../src/kinesis-put-records";

/**
 * CPU cost of PutRecords alone, as the simulator sends it (kinesisPutRecords on the simulator's
 * Kinesis client: middleware, serialization, signing, answer parsing), with a request handler that
 * answers at once and no network. Given as records per CPU-second of this thread, which a busy
 * shared machine disturbs less than wall time. Also times the SDK's client as it comes (with the
 * user agent middleware the simulator removes, see aws-clients.ts), in alternating rounds: what removing it saves.
 */
export async function putRecordsSendRates(
  rounds = 7,
  batchSize = 200,
  requests = 500,
): Promise<{ simulator: number; stock: number }> {
  const answer = Buffer.from(
    JSON.stringify({
      FailedRecordCount: 0,
      Records: Array.from({ length: batchSize }, (_, i) => ({
        SequenceNumber: String(i),
        ShardId: "shardId-000000000000",
      })),
    }),
  );
  const record = {
    event_id: "ev-1",
    event_time: "2026-06-01T18:00:00.000Z",
    player_id: "player-0001",
    event_type: "move",
    latitude: 47.5,
    longitude: -122.3,
    score: 5,
    health: 100,
    speed: 1.5,
  };
  const entries: KinesisPutEntry[] = Array.from({ length: batchSize }, (_, i) => ({
    data: Buffer.from(JSON.stringify({ ...record, event_id: `ev-${i}` })),
    partitionKey: `player-${i % 1000}`,
  }));

  const rate = async (client: KinesisClient): Promise<number> => {
    // The client as built for a local endpoint, its HTTP handler swapped for one that answers at once (read at each send).
    client.config.requestHandler = {
      handle: async () => ({
        response: {
          statusCode: 200,
          headers: { "content-type": "application/x-amz-json-1.1" },
          body: Readable.from([answer]),
        },
      }),
    } as never;
    const put = kinesisPutRecords(client, "bench");
    for (let i = 0; i < 50; i++) await put(entries); // warm up
    const started = process.cpuUsage();
    for (let i = 0; i < requests; i++) await put(entries);
    const used = process.cpuUsage(started);
    client.destroy();
    return (requests * batchSize) / ((used.user + used.system) / 1e6);
  };
  const settings = { region: "us-east-1", kinesisEndpoint: "http://127.0.0.1:1" };
  const simulator: number[] = [];
  const stock: number[] = [];
  for (let round = 0; round < rounds; round++) {
    simulator.push(await rate(createSimulatorKinesisClient(settings)));
    stock.push(
      await rate(
        new KinesisClient({
          ...awsClientConfig({ region: settings.region, endpoint: settings.kinesisEndpoint }),
          maxAttempts: 1,
        }),
      ),
    );
  }
  return { simulator: median(simulator), stock: median(stock) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}
