import { PutRecordsCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import type { PutEntry, PutEntryResult, SendBatch } from "./batched-put";

/** A Kinesis record: its bytes and the partition key that picks its shard. */
export interface KinesisPutEntry extends PutEntry {
  readonly partitionKey: string;
}

/**
 * PutRecords as a SendBatch for putWithRetry: Records[i].ErrorCode of the response becomes the
 * result of entry i. Give the client `maxAttempts: 1` so retries happen (and are counted) once,
 * in putWithRetry, and not again inside the SDK.
 */
export function kinesisPutRecords<T extends KinesisPutEntry>(client: KinesisClient, streamName: string): SendBatch<T> {
  return async (entries, signal) => {
    const response = await client.send(
      new PutRecordsCommand({
        StreamName: streamName,
        Records: entries.map((e) => ({ Data: e.data, PartitionKey: e.partitionKey })),
      }),
      { abortSignal: signal },
    );
    return (response.Records ?? []).map(
      (r): PutEntryResult => (r.ErrorCode ? { ok: false, errorCode: r.ErrorCode, errorMessage: r.ErrorMessage } : { ok: true }),
    );
  };
}
