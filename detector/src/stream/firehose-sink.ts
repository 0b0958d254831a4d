import type { FirehoseClient } from "@aws-sdk/client-firehose";
import {
  BatchAccumulator,
  FIREHOSE_PUT_RECORD_BATCH_LIMITS,
  firehosePutRecordBatch,
  putWithRetry,
  type PutEntry,
  type PutRetryOptions,
  type SendBatch,
} from "@hotspots/core";
import type { OutputSink } from "./output-sink";

/**
 * Output records to a Firehose delivery stream with PutRecordBatch (up to 500 records / 4 MiB per
 * request), one JSON object per record and no newline: the delivery stream's AppendDelimiterToRecord
 * processor adds it (as it does for the SQL application's output), so the S3 objects are NDJSON. Retries
 * only the failed entries (core's putWithRetry); a batch that still fails rejects, so the detector
 * does not checkpoint past undelivered output.
 */
export class FirehoseSink implements OutputSink {
  private readonly accumulator = new BatchAccumulator<PutEntry>(FIREHOSE_PUT_RECORD_BATCH_LIMITS);
  private readonly send: SendBatch<PutEntry>;

  constructor(
    client: FirehoseClient,
    readonly deliveryStreamName: string,
    private readonly retry: PutRetryOptions = {},
  ) {
    this.send = firehosePutRecordBatch<PutEntry>(client, deliveryStreamName);
  }

  async write(lines: readonly string[]): Promise<void> {
    for (const line of lines) {
      const full = this.accumulator.add({ data: Buffer.from(line, "utf8") });
      if (full) await putWithRetry(full, this.send, this.retry);
    }
  }

  async flush(): Promise<void> {
    const batch = this.accumulator.take();
    if (batch.length > 0) await putWithRetry(batch, this.send, this.retry);
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
