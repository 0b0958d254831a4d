import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type KinesisClient,
} from "@aws-sdk/client-kinesis";

export interface ReadRecord {
  readonly shardId: string;
  readonly partitionKey: string;
  readonly json: Record<string, unknown>;
}

/** Every record of every shard, from the start, each shard in its own order. */
export async function readAllRecords(client: KinesisClient, streamName: string): Promise<ReadRecord[]> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: streamName }));
  const out: ReadRecord[] = [];
  for (const shard of Shards) {
    let { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shard.ShardId,
        ShardIteratorType: "TRIM_HORIZON",
      }),
    );
    while (ShardIterator) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator, Limit: 10_000 }));
      for (const r of page.Records ?? []) {
        out.push({
          shardId: shard.ShardId!,
          partitionKey: r.PartitionKey!,
          json: JSON.parse(Buffer.from(r.Data!).toString("utf8")),
        });
      }
      if (!page.Records?.length) break;
      ShardIterator = page.NextShardIterator;
    }
  }
  return out;
}
