import type { LineGuard } from "@hotspots/core";
import type { CongestionWindow } from "./congestion-window";
import type { LaneSender } from "./lane-sender";

/** How many skipped rows the summary lists by line number. */
export const SKIPPED_ROW_EXAMPLES = 10;

export interface SkippedRow {
  readonly source: string;
  readonly line: number;
  readonly reason: string;
}

export interface SimulatorProgress {
  readonly elapsedMs: number;
  readonly pass: number;
  readonly source: string;
  readonly rowsRead: number;
  readonly recordsSent: number;
  readonly rowsSkipped: number;
  readonly retriedEntries: number;
  readonly requestRetries: number;
  readonly unsent: number;
  /** Records accepted per second since the previous report. */
  readonly recordsPerSecond: number;
  readonly inFlight: number;
  /** Batches allowed in flight now (shrinks while the stream throttles). */
  readonly window: number;
  /** Bytes of the current pass read so far, and in all (when every size is known). */
  readonly bytesRead: number;
  readonly totalBytes?: number;
  /** Seconds to the end of the current pass, from the read rate so far. */
  readonly etaSeconds?: number;
}

/** The counts of one run, the skipped rows it names, and what its progress reports look at. */
export class RunState {
  rowsRead = 0;
  rowsSkipped = 0;
  passes = 0;
  /** The current source, its number (1-based, over every pass) and its line guard while it is read. */
  source = "";
  sourceNumber = 0;
  guard: LineGuard | undefined;
  passStarted: number;
  /** Bytes of the sources of this pass already read to their end, and of the whole pass when known. */
  bytesDone = 0;
  totalBytes: number | undefined;
  // The line guard reports broken lines a chunk ahead of the parser: examples are sorted by source and line at the end.
  private readonly skippedRows: Array<SkippedRow & { readonly sourceNumber: number }> = [];
  private lastReport: { at: number; sent: number };

  constructor(
    readonly started: number,
    private readonly sender: LaneSender,
    private readonly window: CongestionWindow,
  ) {
    this.passStarted = started;
    this.lastReport = { at: started, sent: 0 };
  }

  skip(source: string, line: number, reason: string): void {
    this.rowsRead++;
    this.rowsSkipped++;
    if (this.skippedRows.length < SKIPPED_ROW_EXAMPLES)
      this.skippedRows.push({ source, line, reason, sourceNumber: this.sourceNumber });
  }

  startPass(totalBytes: number | undefined): void {
    this.passes++;
    this.passStarted = Date.now();
    this.bytesDone = 0;
    this.totalBytes = totalBytes;
  }

  /** The first skipped rows, in file order. */
  skipped(): SkippedRow[] {
    return this.skippedRows
      .sort((a, b) => a.sourceNumber - b.sourceNumber || a.line - b.line)
      .map(({ source, line, reason }) => ({ source, line, reason }));
  }

  snapshot(): SimulatorProgress {
    const now = Date.now();
    const totals = this.sender.totals;
    const bytesRead = this.bytesDone + (this.guard?.bytesRead ?? 0);
    const passSeconds = (now - this.passStarted) / 1000;
    const etaSeconds =
      this.totalBytes !== undefined && bytesRead > 0 && passSeconds > 0
        ? Math.max(0, (this.totalBytes - bytesRead) / (bytesRead / passSeconds))
        : undefined;
    const recordsPerSecond = ((totals.sent - this.lastReport.sent) * 1000) / Math.max(1, now - this.lastReport.at);
    this.lastReport = { at: now, sent: totals.sent };
    return {
      elapsedMs: now - this.started,
      pass: this.passes,
      source: this.source,
      rowsRead: this.rowsRead,
      recordsSent: totals.sent,
      rowsSkipped: this.rowsSkipped,
      retriedEntries: totals.retriedEntries,
      requestRetries: totals.requestRetries,
      unsent: totals.unsent,
      recordsPerSecond: Math.round(recordsPerSecond),
      inFlight: this.window.inFlight,
      window: this.window.size,
      bytesRead,
      totalBytes: this.totalBytes,
      etaSeconds: etaSeconds === undefined ? undefined : Math.round(etaSeconds),
    };
  }
}
