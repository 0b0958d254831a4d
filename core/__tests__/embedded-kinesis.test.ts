import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordsCommand,
} from "@aws-sdk/client-kinesis";
import { createKinesisClient } from "../src/kinesis-client";
import { createStream, startEmbeddedKinesis, type EmbeddedKinesis } from "../src/embedded-kinesis";

describe("embedded Kinesis over loopback", () => {
  let kinesis: EmbeddedKinesis;
  beforeAll(async () => {
    kinesis = await startEmbeddedKinesis();
  });
  afterAll(() => kinesis.close());

  it("creates a two-shard stream and returns what was put, through the real SDK", async () => {
    const client = createKinesisClient({ endpoint: kinesis.endpoint });
    await createStream(client, "roundtrip", 2);
    const put = await client.send(
      new PutRecordsCommand({
        StreamName: "roundtrip",
        Records: Array.from({ length: 50 }, (_, i) => ({ Data: Buffer.from(`r${i}`), PartitionKey: `p${i}` })),
      }),
    );
    expect(put.FailedRecordCount).toBe(0);

    const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: "roundtrip" }));
    expect(Shards).toHaveLength(2);
    const seen: string[] = [];
    for (const shard of Shards) {
      const { ShardIterator } = await client.send(
        new GetShardIteratorCommand({
          StreamName: "roundtrip",
          ShardId: shard.ShardId,
          ShardIteratorType: "TRIM_HORIZON",
        }),
      );
      const { Records = [] } = await client.send(new GetRecordsCommand({ ShardIterator }));
      seen.push(...Records.map((r) => Buffer.from(r.Data!).toString()));
    }
    expect(seen.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `r${i}`).sort());
    client.destroy();
  });
});
