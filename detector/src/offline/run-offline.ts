import type { Writable } from "node:stream";
import { once } from "node:events";
import { EVENT_FIELDS, UserError, type CsvHeader, type HotspotsParameters } from "@hotspots/core";
import { readAnalysedValues } from "../analysed-values";
import { HotspotDetector } from "../engine";
import { serializeOutputLine } from "../output-record";
import { csvRows, ndjsonRows, type InputFormat, type InputRow } from "./input-records";
import { OfflineTracking, type OfflineTrackingOptions } from "./offline-tracking";

export interface OfflineRunOptions {
  readonly input: string;
  readonly format: InputFormat;
  /** A CSV's header, read and checked before the run (csvHeader). */
  readonly header?: CsvHeader;
  readonly params: HotspotsParameters;
  /** Where the NDJSON goes: the temporary output file, or stdout. */
  readonly out: Writable;
  /** Aborting stops the run after the current row; the summary then says `stopped`. */
  readonly signal?: AbortSignal;
  /** Hotspot tracking: lifecycle events and/or ids in the result; none when absent (the result as KDA gives it). */
  readonly tracking?: OfflineTrackingOptions;
}

export interface OfflineSummary {
  recordsIn: number;
  recordsOut: number;
  skipped: number;
  /** The first few skipped rows, "line N: reason". */
  skippedExamples: string[];
  stopped: boolean;
  /** Hotspot events written (with tracking). */
  events: number;
}

const SKIPPED_EXAMPLES = 5;
/** Output is written in chunks of about this many characters: one write per line would dominate. */
const WRITE_CHUNK_CHARS = 64 * 1024;

/** Numeric fields of the event record: written as JSON numbers when a CSV holds them, as the stream carries them. */
const NUMERIC_EVENT_FIELDS = new Set(EVENT_FIELDS.filter((f) => f.kind !== "string").map((f) => f.name));

/**
 * Runs the HOTSPOTS engine over a file: one output line per analysable row (all its fields plus
 * HOTSPOTS_RESULT); malformed rows and rows without a number in every analysed column are skipped
 * and counted, with their line numbers.
 */
export async function runOffline(options: OfflineRunOptions): Promise<OfflineSummary> {
  const { params, out } = options;
  const detector = new HotspotDetector(params);
  const values = new Float64Array(params.columns.length);
  const summary: OfflineSummary = {
    recordsIn: 0,
    recordsOut: 0,
    skipped: 0,
    skippedExamples: [],
    stopped: false,
    events: 0,
  };
  const tracking = options.tracking === undefined ? undefined : new OfflineTracking(detector, params, options.tracking);
  const csv = options.format === "csv";
  if (csv && !options.header) throw new Error("runOffline: a CSV input needs its header (csvHeader)");
  const analysed = new Set(params.columns);
  const rows: AsyncIterable<InputRow> = csv ? csvRows(options.input, options.header!) : ndjsonRows(options.input);

  let chunk = "";
  const flush = async () => {
    if (chunk === "") return;
    const ok = out.write(chunk);
    chunk = "";
    if (!ok) await once(out, "drain");
  };

  for await (const row of rows) {
    if (options.signal?.aborted) {
      summary.stopped = true;
      break;
    }
    summary.recordsIn++;
    const problem = "problem" in row ? row.problem : readAnalysedValues(row.record, params.columns, values, csv);
    if (problem !== undefined) {
      summary.skipped++;
      if (summary.skippedExamples.length < SKIPPED_EXAMPLES)
        summary.skippedExamples.push(`line ${row.line}: ${problem}`);
      continue;
    }
    const record = (row as { record: Record<string, unknown> }).record;
    if (csv) typeCsvRecord(record, analysed);
    try {
      detector.push(values);
    } catch (error) {
      // The engine's grid has no cell for a value this far from 0 at this radius: a bad parameter for this input.
      if (error instanceof RangeError)
        throw new UserError(`line ${row.line}: ${error.message}; try a larger --scan-radius`);
      throw error;
    }
    const resultJson = tracking === undefined ? detector.hotspotsResultJson : tracking.afterPush(record);
    chunk += `${serializeOutputLine(record, resultJson)}\n`;
    summary.recordsOut++;
    if (chunk.length >= WRITE_CHUNK_CHARS) await flush();
    if (tracking !== undefined) await tracking.flush();
  }
  await flush();
  if (tracking !== undefined) {
    await tracking.flush(true);
    summary.events = tracking.eventsWritten;
  }
  return summary;
}

/** CSV values are text: analysed columns and the event record's numeric fields become numbers when they are. */
function typeCsvRecord(record: Record<string, unknown>, analysed: ReadonlySet<string>): void {
  for (const key of Object.keys(record)) {
    if (!analysed.has(key) && !NUMERIC_EVENT_FIELDS.has(key)) continue;
    const text = record[key];
    if (typeof text !== "string" || text === "") continue;
    const value = Number(text);
    if (Number.isFinite(value)) record[key] = value;
  }
}

/** The one-line summary for stderr. */
export function describeOfflineSummary(summary: OfflineSummary): string {
  const events = summary.events > 0 ? `, ${summary.events} hotspot events` : "";
  const base = `detect: ${summary.recordsIn} records read, ${summary.recordsOut} written, ${summary.skipped} skipped${events}`;
  if (summary.skipped === 0) return base;
  return `${base} (${summary.skippedExamples.join("; ")}${summary.skipped > summary.skippedExamples.length ? "; ..." : ""})`;
}
