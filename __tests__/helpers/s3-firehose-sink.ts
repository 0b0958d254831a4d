/**
 * An OutputSink that delivers the detector's lines into an S3 bucket as the results delivery
 * stream does: GZIP'd NDJSON objects under `hotspots/yyyy/MM/dd/HH/` (UTC arrival hour), named
 * `<delivery stream>-1-yyyy-MM-dd-HH-mm-ss-<uuid>.json.gz`, one object per flush.
 */
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { OutputSink } from "../../detector/src";

export class S3FirehoseLayoutSink implements OutputSink {
  private lines: string[] = [];
  readonly keys: string[] = [];

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly deliveryStreamName: string,
    private readonly prefix = "hotspots/",
  ) {}

  async write(lines: readonly string[]): Promise<void> {
    this.lines.push(...lines);
  }

  async flush(): Promise<void> {
    if (this.lines.length === 0) return;
    const body = gzipSync(`${this.lines.join("\n")}\n`);
    this.lines = [];
    const at = new Date();
    const p = (n: number) => String(n).padStart(2, "0");
    const [y, mo, d, h, mi, s] = [
      at.getUTCFullYear(),
      p(at.getUTCMonth() + 1),
      p(at.getUTCDate()),
      p(at.getUTCHours()),
      p(at.getUTCMinutes()),
      p(at.getUTCSeconds()),
    ];
    const key = `${this.prefix}${y}/${mo}/${d}/${h}/${this.deliveryStreamName}-1-${y}-${mo}-${d}-${h}-${mi}-${s}-${randomUUID()}.json.gz`;
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body }));
    this.keys.push(key);
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
