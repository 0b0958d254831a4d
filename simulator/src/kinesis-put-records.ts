import { PutRecordsCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import type { KinesisPutEntry, PutEntryResult, SendBatch } from "@hotspots/core";

const OK: PutEntryResult = Object.freeze({ ok: true });

/**
 * PutRecords as a SendBatch for core's putWithRetry: the Kinesis client's `send` of a
 * PutRecordsCommand, and Records[i].ErrorCode of the answer becomes the result of entry i. The
 * client is createSimulatorKinesisClient's, which leaves every retry to putWithRetry.
 */
export function kinesisPutRecords<T extends KinesisPutEntry>(client: KinesisClient, streamName: string): SendBatch<T> {
  return async (entries, signal) => {
    const Records = new Array<{ Data: Uint8Array; PartitionKey: string }>(entries.length);
    for (let i = 0; i < entries.length; i++)
      Records[i] = { Data: entries[i].data, PartitionKey: entries[i].partitionKey };
    const answer = await client.send(new PutRecordsCommand({ StreamName: streamName, Records }), {
      abortSignal: signal,
    });
    return (answer.Records ?? []).map(
      (r): PutEntryResult => (r.ErrorCode ? { ok: false, errorCode: r.ErrorCode, errorMessage: r.ErrorMessage } : OK),
    );
  };
}
