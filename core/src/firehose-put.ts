import type { FirehoseClient } from "@aws-sdk/client-firehose";
import type { PutEntry, PutEntryResult, SendBatch } from "./batched-put";

/**
 * PutRecordBatch as a SendBatch for putWithRetry: RequestResponses[i].ErrorCode of the response
 * becomes the result of entry i (partition keys are ignored: Firehose has none). Give the client
 * `maxAttempts: 1` so retries happen (and are counted) once, in putWithRetry.
 */
export function firehosePutRecordBatch<T extends PutEntry>(client: FirehoseClient, deliveryStreamName: string): SendBatch<T> {
  // Loaded on first use: the simulator imports core but never sends to Firehose, so it does not load it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PutRecordBatchCommand } = require("@aws-sdk/client-firehose") as typeof import("@aws-sdk/client-firehose");
  return async (entries, signal) => {
    const response = await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: deliveryStreamName,
        Records: entries.map((e) => ({ Data: e.data })),
      }),
      { abortSignal: signal },
    );
    return (response.RequestResponses ?? []).map(
      (r): PutEntryResult => (r.ErrorCode ? { ok: false, errorCode: r.ErrorCode, errorMessage: r.ErrorMessage } : { ok: true }),
    );
  };
}
