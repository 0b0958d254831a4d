import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { parse } from "csv-parse";

/** One input row: its 1-based line in the file and the decoded object (or why it could not be decoded). */
export type InputRow = { line: number; record: Record<string, unknown> } | { line: number; problem: string };

export const ACCEPTED_INPUT_EXTENSIONS = [".csv", ".ndjson", ".jsonl"] as const;

export type InputFormat = "csv" | "ndjson";

/** The format of an input file from its name, or undefined when the extension is not accepted. */
export function inputFormat(path: string): InputFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) return "ndjson";
  return undefined;
}

/**
 * CSV rows keyed by the header, as strings. A row with fewer fields than the header lacks the last
 * columns (relax_column_count) instead of failing the whole file.
 */
export async function* csvRows(path: string): AsyncGenerator<InputRow> {
  const parser = createReadStream(path).pipe(
    parse({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, info: true }),
  );
  for await (const row of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    yield { line: row.info.lines, record: row.record };
  }
}

/** The header of a CSV file (its first line), for checking the analysed columns before reading. */
export async function csvHeader(path: string): Promise<string[]> {
  const parser = createReadStream(path).pipe(parse({ bom: true, to_line: 1, trim: true }));
  for await (const fields of parser as AsyncIterable<string[]>) return fields;
  return [];
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
