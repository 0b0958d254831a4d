import { randomUUID } from "node:crypto";
import { mkdir, open, rename, rmdir, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import type { OutputSink } from "./output-sink";

export interface NdjsonFileSinkOptions {
  /** Root folder, the local stand-in for the delivery stream's S3 bucket. */
  readonly directory: string;
  /** Name in the object names, as Firehose puts its delivery stream's name there. */
  readonly deliveryStreamName: string;
  /** Key prefix inside the folder, as the delivery stream's S3 prefix. Default "hotspots/". */
  readonly prefix?: string;
  /** Roll to a new object at this size, like Firehose's buffering size hint. Default 5 MiB (Firehose's default). */
  readonly bufferSizeBytes?: number;
  /** Roll at this age even when small, like Firehose's buffering interval hint. Default 60 s. */
  readonly bufferIntervalMs?: number;
  readonly now?: () => Date;
}

/** Firehose's default buffering size hint for S3 destinations, 5 MiB. */
const DEFAULT_BUFFER_SIZE_BYTES = 5 * 1024 * 1024;
const DEFAULT_BUFFER_INTERVAL_MS = 60_000;

/**
 * Output records as NDJSON files laid out as Firehose lays them out in S3:
 * `<dir>/<prefix>YYYY/MM/DD/HH/<delivery-stream>-1-YYYY-MM-DD-HH-MM-SS-<uuid>` (UTC, the time the
 * object was started). An object is written under `<dir>/.in-progress/` and renamed into place when
 * it rolls (size, age, or a flush), so a reader of the layout only ever sees complete objects.
 */
export class NdjsonFileSink implements OutputSink {
  private readonly prefix: string;
  private readonly bufferSizeBytes: number;
  private readonly bufferIntervalMs: number;
  private readonly now: () => Date;
  private current:
    | { handle: FileHandle; temporary: string; final: string; bytes: number; startedAt: number }
    | undefined;
  /** Objects rolled into place, in order. */
  readonly objects: string[] = [];

  constructor(private readonly options: NdjsonFileSinkOptions) {
    this.prefix = options.prefix ?? "hotspots/";
    this.bufferSizeBytes = options.bufferSizeBytes ?? DEFAULT_BUFFER_SIZE_BYTES;
    this.bufferIntervalMs = options.bufferIntervalMs ?? DEFAULT_BUFFER_INTERVAL_MS;
    this.now = options.now ?? (() => new Date());
  }

  async write(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    const text = `${lines.join("\n")}\n`;
    if (this.current && Date.now() - this.current.startedAt >= this.bufferIntervalMs) await this.flush();
    const object = this.current ?? (await this.start());
    await object.handle.write(text);
    object.bytes += Buffer.byteLength(text);
    if (object.bytes >= this.bufferSizeBytes) await this.flush();
  }

  async flush(): Promise<void> {
    const object = this.current;
    if (!object) return;
    this.current = undefined;
    await object.handle.sync();
    await object.handle.close();
    await mkdir(join(object.final, ".."), { recursive: true });
    await rename(object.temporary, object.final);
    this.objects.push(object.final);
  }

  async close(): Promise<void> {
    await this.flush();
    // Leave only complete objects behind: the staging folder goes once it is empty.
    await rmdir(join(this.options.directory, ".in-progress")).catch(() => undefined);
  }

  private async start() {
    const at = this.now();
    const p = (n: number) => String(n).padStart(2, "0");
    const [y, mo, d, h, mi, s] = [
      at.getUTCFullYear(),
      at.getUTCMonth() + 1,
      at.getUTCDate(),
      at.getUTCHours(),
      at.getUTCMinutes(),
      at.getUTCSeconds(),
    ];
    const name = `${this.options.deliveryStreamName}-1-${y}-${p(mo)}-${p(d)}-${p(h)}-${p(mi)}-${p(s)}-${randomUUID()}`;
    const final = join(this.options.directory, this.prefix, String(y), p(mo), p(d), p(h), name);
    const inProgress = join(this.options.directory, ".in-progress");
    await mkdir(inProgress, { recursive: true });
    const temporary = join(inProgress, name);
    const handle = await open(temporary, "wx");
    this.current = { handle, temporary, final, bytes: 0, startedAt: Date.now() };
    return this.current;
  }
}
