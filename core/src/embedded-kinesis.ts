import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { CreateStreamCommand, DescribeStreamSummaryCommand, type KinesisClient } from "@aws-sdk/client-kinesis";

/**
 * An in-process Kinesis (kinesalite, in memory) on a free loopback port: the embedded default of
 * `npm start` and the emulator every test talks to over real HTTP. It does not enforce shard
 * throughput limits; tests that need throttling put a fault-injecting proxy in front of it.
 */
export interface EmbeddedKinesis {
  readonly endpoint: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startEmbeddedKinesis(port = 0): Promise<EmbeddedKinesis> {
  // kinesalite is a development dependency: required lazily so production images never load it.
  const kinesalite = require("kinesalite") as (opts: object) => Server;
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

/** Creates a stream and waits until it is ACTIVE (immediate on the embedded emulator). */
export async function createStream(client: KinesisClient, streamName: string, shardCount: number): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  for (let attempt = 0; attempt < 100; attempt++) {
    const { StreamDescriptionSummary } = await client.send(
      new DescribeStreamSummaryCommand({ StreamName: streamName }),
    );
    if (StreamDescriptionSummary?.StreamStatus === "ACTIVE") return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`stream ${streamName} did not become ACTIVE`);
}
