/**
 * Reads the results bucket as Firehose lays it out, `<prefix>yyyy/MM/dd/HH/<objects>` (UTC
 * arrival hour), GZIP'd or plain NDJSON, each object once, and keeps the lines of one run.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { gunzipSync } from "node:zlib";

/** Objects written this long before the run started may still hold its records (clock skew). */
const LAST_MODIFIED_SLACK_MS = 60_000;

/** The hourly prefixes from `since` to `until`, as Firehose's `!{timestamp:yyyy/MM/dd/HH}/` expands. */
export function hourlyPrefixes(prefix: string, since: Date, until: Date): string[] {
  const p = (n: number) => String(n).padStart(2, "0");
  const prefixes: string[] = [];
  const hour = new Date(since);
  hour.setUTCMinutes(0, 0, 0);
  for (; hour.getTime() <= until.getTime(); hour.setUTCHours(hour.getUTCHours() + 1)) {
    prefixes.push(
      `${prefix}${hour.getUTCFullYear()}/${p(hour.getUTCMonth() + 1)}/${p(hour.getUTCDate())}/${p(hour.getUTCHours())}/`,
    );
  }
  return prefixes;
}

/** Firehose's GZIP compression, or plain text (a local sink). */
export function objectText(bytes: Uint8Array): string {
  const gzipped = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  return (gzipped ? gunzipSync(bytes) : Buffer.from(bytes)).toString("utf8");
}

export class ResultsReader {
  private readonly seen = new Set<string>();
  objectsRead = 0;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
    /** Only lines containing this text are parsed (the run id). */
    private readonly marker: string,
  ) {}

  /** The records of this run in objects not read before, written since `since`. */
  async readNew(since: Date, until: Date): Promise<Record<string, unknown>[]> {
    const records: Record<string, unknown>[] = [];
    for (const hourPrefix of hourlyPrefixes(this.prefix, new Date(since.getTime() - LAST_MODIFIED_SLACK_MS), until)) {
      let token: string | undefined;
      do {
        const page = await this.s3.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: hourPrefix, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) {
          if (!object.Key || this.seen.has(object.Key)) continue;
          if (object.LastModified && object.LastModified.getTime() < since.getTime() - LAST_MODIFIED_SLACK_MS) continue;
          this.seen.add(object.Key);
          records.push(...(await this.recordsOf(object.Key)));
        }
        token = page.NextContinuationToken;
      } while (token);
    }
    return records;
  }

  private async recordsOf(key: string): Promise<Record<string, unknown>[]> {
    const response = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const bytes = await response.Body!.transformToByteArray();
    this.objectsRead++;
    const records: Record<string, unknown>[] = [];
    for (const line of objectText(bytes).split("\n")) {
      if (!line.includes(this.marker)) continue;
      try {
        records.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // Not a record of ours after all (a partial line cannot come from Firehose).
      }
    }
    return records;
  }
}
