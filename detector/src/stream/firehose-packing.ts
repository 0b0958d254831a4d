import { FIREHOSE_MAX_BYTES_PER_RECORD } from "@hotspots/core";

/** Firehose bills ingestion per record, each rounded up to the nearest 5 KB (Amazon Data Firehose pricing). */
export const FIREHOSE_BILLING_UNIT_BYTES = 5 * 1024;

/**
 * Output lines are packed into Firehose records of at most 20 billing units (100 KiB): a full record
 * leaves less than one line (~335 B, 0.3 %) of its last unit unused, where one line per record was
 * billed 5 KB for ~335 B. 40 such records fill a 4 MiB PutRecordBatch, a failed record retried
 * resends at most 100 KiB, and it stays far below FIREHOSE_MAX_BYTES_PER_RECORD (1000 KiB).
 */
export const FIREHOSE_PACKED_RECORD_TARGET_BYTES = 20 * FIREHOSE_BILLING_UNIT_BYTES;

/**
 * Packs lines into records: lines joined by "\n", no newline after the last one (the delivery stream's
 * AppendDelimiterToRecord processor adds it), so S3 holds exactly one line per output record. A record
 * closes when the next line would take it over the target; a line longer than the target gets a record
 * of its own. Pure: no I/O, so what lands in S3 is tested without Firehose.
 */
export class LinePacker {
  private lines: string[] = [];
  private bytes = 0;

  constructor(readonly targetBytes: number = FIREHOSE_PACKED_RECORD_TARGET_BYTES) {
    if (!Number.isInteger(targetBytes) || targetBytes < 1 || targetBytes > FIREHOSE_MAX_BYTES_PER_RECORD) {
      throw new RangeError(
        `packed record target must be an integer from 1 to ${FIREHOSE_MAX_BYTES_PER_RECORD} bytes (Firehose's limit per record), got ${targetBytes}`,
      );
    }
  }

  /** Lines in the record being packed. */
  get pendingLines(): number {
    return this.lines.length;
  }

  /** Adds a line; returns the record it closed when the line did not fit in it, else undefined. */
  add(line: string): Buffer | undefined {
    if (line.includes("\n")) {
      throw new Error(
        `output line ${JSON.stringify(line.slice(0, 60))}... holds a newline; a delivered record must be one JSON object per line`,
      );
    }
    const size = Buffer.byteLength(line, "utf8");
    if (size > FIREHOSE_MAX_BYTES_PER_RECORD) {
      throw new RangeError(
        `output line of ${size} bytes is over the Firehose limit of ${FIREHOSE_MAX_BYTES_PER_RECORD} bytes per record`,
      );
    }
    let closed: Buffer | undefined;
    if (this.lines.length > 0 && this.bytes + 1 + size > this.targetBytes) closed = this.take();
    this.bytes += this.lines.length > 0 ? 1 + size : size;
    this.lines.push(line);
    return closed;
  }

  /** The record packed so far, or undefined when empty; packing starts a new record. */
  take(): Buffer | undefined {
    if (this.lines.length === 0) return undefined;
    const record = Buffer.from(this.lines.join("\n"), "utf8");
    this.lines = [];
    this.bytes = 0;
    return record;
  }
}
