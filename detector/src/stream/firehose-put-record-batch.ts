import { PutRecordBatchCommand, type FirehoseClient } from "@aws-sdk/client-firehose";
import type { PutEntry, PutEntryResult, SendBatch } from "@hotspots/core";

const OK: PutEntryResult = Object.freeze({ ok: true });

/**
 * PutRecordBatch as a SendBatch for core's putWithRetry: the Firehose client's `send` of a
 * PutRecordBatchCommand, and RequestResponses[i].ErrorCode of the answer becomes the result of
 * entry i (partition keys are ignored: Firehose has none). putWithRetry retries failed entries and
 * whole requests, so give the client `maxAttempts: 1` (the detector's CLI does).
 */
export function firehosePutRecordBatch<T extends PutEntry>(
  client: FirehoseClient,
  deliveryStreamName: string,
): SendBatch<T> {
  return async (entries, signal) => {
    const answer = await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: deliveryStreamName,
        Records: entries.map((e) => ({ Data: e.data })),
      }),
      { abortSignal: signal },
    );
    return (answer.RequestResponses ?? []).map(
      (r): PutEntryResult => (r.ErrorCode ? { ok: false, errorCode: r.ErrorCode, errorMessage: r.ErrorMessage } : OK),
    );
  };
}
