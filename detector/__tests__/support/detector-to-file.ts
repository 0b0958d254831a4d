/**
 * The stream detector writing to one NDJSON file, as the kill-and-restart test runs it: in the
 * test's process (the reference run, the restart) and in a child process that gets killed
 * (stream-detector-child.ts).
 */
import { appendFile, readFile } from "node:fs/promises";
import { createKinesisClient, type HotspotsParameters } from "@hotspots/core";
import {
  FileCheckpointStore,
  runStreamDetector,
  type CheckpointedState,
  type DetectorStats,
  type DetectorSummary,
  type OutputSink,
} from "../../src";

export interface DetectorToFile {
  readonly endpoint: string;
  readonly streamName: string;
  readonly checkpointFile: string;
  readonly outputFile: string;
  readonly params: HotspotsParameters;
  readonly checkpointIntervalMs: number;
  readonly getRecordsLimit?: number;
  /** Stop once this many distinct event ids are in the output file (counting what it held before); else run until aborted. */
  readonly stopAtIds?: number;
}

/**
 * Appends every write to the file at once: output is delivered before the checkpoint that covers
 * it, as FirehoseSink's full batches are, so a crash between the two delivers those records again.
 */
export class AppendFileSink implements OutputSink {
  readonly ids = new Set<string>();

  constructor(readonly path: string) {}

  async open(): Promise<this> {
    for (const line of completeLines(await readFile(this.path, "utf8").catch(() => "")))
      this.ids.add(JSON.parse(line).event_id);
    return this;
  }

  async write(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    await appendFile(this.path, `${lines.join("\n")}\n`);
    for (const line of lines) this.ids.add(JSON.parse(line).event_id);
  }

  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}

/** The lines of an NDJSON file that were written whole (a killed writer may leave a partial last line). */
export function completeLines(text: string): string[] {
  const lines = text.split("\n");
  lines.pop();
  return lines.filter((l) => l !== "");
}

export async function runDetectorToFile(
  config: DetectorToFile,
  extra: {
    signal?: AbortSignal;
    onProgress?: (stats: DetectorStats) => void;
    state?: CheckpointedState;
    warn?: (line: string) => void;
  } = {},
): Promise<DetectorSummary> {
  const kinesis = createKinesisClient({ endpoint: config.endpoint });
  const sink = await new AppendFileSink(config.outputFile).open();
  const controller = new AbortController();
  extra.signal?.addEventListener("abort", () => controller.abort());
  const timeout = setTimeout(() => controller.abort(), 60_000);
  try {
    return await runStreamDetector({
      kinesis,
      streamName: config.streamName,
      params: config.params,
      sink,
      checkpoints: new FileCheckpointStore(config.checkpointFile, config.streamName),
      signal: controller.signal,
      pollIntervalMs: 50,
      metricsIntervalMs: 0,
      checkpointIntervalMs: config.checkpointIntervalMs,
      getRecordsLimit: config.getRecordsLimit,
      state: extra.state,
      warn: extra.warn,
      onProgress: (stats) => {
        extra.onProgress?.(stats);
        if (config.stopAtIds !== undefined && sink.ids.size >= config.stopAtIds) controller.abort();
      },
    });
  } finally {
    clearTimeout(timeout);
    kinesis.destroy();
  }
}
