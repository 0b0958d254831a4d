import type { FirehoseClient } from "@aws-sdk/client-firehose";
import {
  BatchAccumulator,
  FIREHOSE_PUT_RECORD_BATCH_LIMITS,
  putWithRetry,
  type PutEntry,
  type PutRetryOptions,
  type SendBatch,
} from "@hotspots/core";
import { FIREHOSE_PACKED_RECORD_TARGET_BYTES, LinePacker } from "./firehose-packing";
import { firehosePutRecordBatch } from "./firehose-put-record-batch";
import type { OutputSink } from "./output-sink";

/**
 * Output records to a Firehose delivery stream with PutRecordBatch (up to 500 records / 4 MiB per
 * request). Firehose bills every record rounded up to 5 KB, so several output lines share one
 * Firehose record (LinePacker: joined by "\n", up to FIREHOSE_PACKED_RECORD_TARGET_BYTES); the delivery
 * stream's AppendDelimiterToRecord processor adds the last newline, so the S3 objects are NDJSON, one
 * output record per line, the same bytes as the SQL application's output. Retries only the failed
 * entries (core's putWithRetry; a record's lines succeed or fail together); a batch that still fails
 * rejects, so the detector does not checkpoint past undelivered output. `flush` sends the record
 * being packed too, so a checkpoint follows the delivery of every line written before it.
 */
export class FirehoseSink implements OutputSink {
  private readonly accumulator = new BatchAccumulator<PutEntry>(FIREHOSE_PUT_RECORD_BATCH_LIMITS);
  private readonly packer: LinePacker;
  private readonly send: SendBatch<PutEntry>;

  constructor(
    client: FirehoseClient,
    readonly deliveryStreamName: string,
    private readonly retry: PutRetryOptions = {},
    packedRecordTargetBytes: number = FIREHOSE_PACKED_RECORD_TARGET_BYTES,
  ) {
    this.send = firehosePutRecordBatch<PutEntry>(client, deliveryStreamName);
    this.packer = new LinePacker(packedRecordTargetBytes);
  }

  async write(lines: readonly string[]): Promise<void> {
    for (const line of lines) {
      const record = this.packer.add(line);
      if (record) await this.enqueue(record);
    }
  }

  async flush(): Promise<void> {
    const last = this.packer.take();
    if (last) await this.enqueue(last);
    const batch = this.accumulator.take();
    if (batch.length > 0) await putWithRetry(batch, this.send, this.retry);
  }

  async close(): Promise<void> {
    await this.flush();
  }

  private async enqueue(record: Buffer): Promise<void> {
    const full = this.accumulator.add({ data: record });
    if (full) await putWithRetry(full, this.send, this.retry);
  }
}
