import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { KINESIS_MAX_BYTES_PER_RECORD, readCsvHeader, readCsvRows, type CsvHeader } from "@hotspots/core";

/** One input row: its 1-based line in the file and the decoded object (or why it could not be decoded). */
export type InputRow = { line: number; record: Record<string, unknown> } | { line: number; problem: string };

export const ACCEPTED_INPUT_EXTENSIONS = [".csv", ".ndjson", ".jsonl"] as const;

export type InputFormat = "csv" | "ndjson";

/** A line longer than a Kinesis record cannot be a record the stream would carry: skipped, as the simulator skips it. */
export const MAX_LINE_BYTES = KINESIS_MAX_BYTES_PER_RECORD;

/** The format of an input file from its name, or undefined when the extension is not accepted. */
export function inputFormat(path: string): InputFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) return "ndjson";
  return undefined;
}

/** The header of a CSV input, checked for the analysed columns (a UserError, exit 2, otherwise). */
export function csvHeader(path: string, name: string, columns: readonly string[]): Promise<CsvHeader> {
  return readCsvHeader(path, { name, required: columns, maxLineBytes: MAX_LINE_BYTES });
}

/**
 * CSV rows keyed by the header, as strings, with their true line numbers. A malformed row (broken
 * quoting, a wrong field count, a line over the limit) comes out as a problem, to be skipped and counted.
 */
export async function* csvRows(path: string, header: CsvHeader): AsyncGenerator<InputRow> {
  for await (const row of readCsvRows(path, header, MAX_LINE_BYTES)) {
    yield "problem" in row ? row : { line: row.line, record: row.values };
  }
}

/** One JSON object per line; blank lines are ignored, other lines that are not a JSON object are reported. */
export async function* ndjsonRows(path: string): AsyncGenerator<InputRow> {
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      yield { line, problem: "not JSON" };
      continue;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      yield { line, problem: "not a JSON object" };
      continue;
    }
    yield { line, record: value as Record<string, unknown> };
  }
}
