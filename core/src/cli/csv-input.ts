import { closeSync, createReadStream, openSync, readSync, statSync } from "node:fs";
import { csvLines, type CsvLine } from "./csv-lines";
import { quoteInput, UserError } from "./user-error";

/** Bytes that no CSV text holds: NUL and the C0 controls other than tab, LF, CR (a binary or UTF-16 file). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const BINARY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

export interface CsvHeader {
  readonly columns: readonly string[];
  /** Its line in the file (1 unless empty lines come first). */
  readonly line: number;
}

export interface CsvInputOptions {
  /** How the input is named in messages: `--input "x.csv"`. */
  readonly name: string;
  /** Columns the run needs; a header without one of them is refused. */
  readonly required: readonly string[];
  readonly maxLineBytes: number;
}

/**
 * Why a CSV's first line cannot be its header, or undefined: binary bytes, no header at all (the
 * line reads as data), or a needed column missing. Pure; the simulator checks the header it parsed
 * with it, detect and npm start through readCsvHeader.
 */
export function headerProblem(
  columns: readonly string[],
  line: number,
  options: Omit<CsvInputOptions, "maxLineBytes">,
): string | undefined {
  const text = columns.join(",");
  const expected = `expected a header line naming the columns ${options.required.join(",")}`;
  if (BINARY.test(text))
    return `${options.name} is not CSV text: line ${line} holds binary bytes (${quoteInput(text, 40)})`;
  const names = columns.map((c) => c.trim());
  const missing = options.required.filter((c) => !names.includes(c));
  if (missing.length === 0) return undefined;
  if (missing.length === options.required.length && names.some((n) => n !== "" && Number.isFinite(Number(n)))) {
    return `${options.name} has no header: line ${line} reads as data (${quoteInput(text, 80)}); ${expected}`;
  }
  return `${options.name}: the header lacks ${missing.length > 1 ? "columns" : "column"} ${missing.join(", ")}; its columns: ${quoteInput(names.join(","), 120)}`;
}

/**
 * Reads and checks a CSV file's header (its first non-empty line) before a run touches any output:
 * a missing, empty or binary file, a first line over the line limit or with broken quoting, no
 * header, or a header without a needed column is a one-line UserError (exit 2).
 */
export async function readCsvHeader(path: string, options: CsvInputOptions): Promise<CsvHeader> {
  checkFile(path, options.name);
  const lines = csvLines(createReadStream(path, { end: options.maxLineBytes + 2 }), options.maxLineBytes);
  const first = (await lines.next()).value as CsvLine | undefined;
  await lines.return(undefined);
  if (!first)
    throw new UserError(
      `${options.name} is empty; expected a header line naming the columns ${options.required.join(",")}`,
    );
  if ("problem" in first) {
    if (first.problem.startsWith("line longer")) {
      throw new UserError(
        `${options.name}: line ${first.line} is longer than ${options.maxLineBytes} bytes: not a CSV header`,
      );
    }
    throw new UserError(`${options.name}: line ${first.line}, the header: ${first.problem}`);
  }
  const problem = headerProblem(first.fields, first.line, options);
  if (problem) throw new UserError(problem);
  return { columns: first.fields.map((c) => c.trim()), line: first.line };
}

export type CsvRow =
  | { readonly line: number; readonly values: Record<string, string> }
  | { readonly line: number; readonly problem: string };

/**
 * The data rows after `header`, keyed by column, in file order, each with its true line number. A
 * malformed row (broken quoting, a line over the limit, a field count other than the header's)
 * comes out as a problem, for the caller to skip and count: never fatal.
 */
export async function* readCsvRows(path: string, header: CsvHeader, maxLineBytes: number): AsyncGenerator<CsvRow> {
  const width = header.columns.length;
  for await (const row of csvLines(createReadStream(path, { highWaterMark: 64 * 1024 }), maxLineBytes)) {
    if (row.line <= header.line) continue;
    if ("problem" in row) {
      yield row;
      continue;
    }
    if (row.fields.length !== width) {
      yield { line: row.line, problem: `expected ${width} fields, got ${row.fields.length}` };
      continue;
    }
    const values: Record<string, string> = {};
    for (let i = 0; i < width; i++) values[header.columns[i]] = row.fields[i];
    yield { line: row.line, values };
  }
}

/** Bytes read from the start of a text file to tell it from a binary one. */
const TEXT_PROBE_BYTES = 64 * 1024;

/** A binary (or UTF-16) file given as a text input: one line naming it, before any output is touched. */
export function checkTextFile(path: string, name: string): void {
  checkFile(path, name);
  const fd = openSync(path, "r");
  try {
    const probe = Buffer.alloc(TEXT_PROBE_BYTES);
    const text = probe.toString("latin1", 0, readSync(fd, probe, 0, TEXT_PROBE_BYTES, 0));
    const at = text.search(BINARY);
    if (at >= 0)
      throw new UserError(
        `${name} is not text: binary bytes from byte ${at} (${quoteInput(text.slice(at, at + 20), 20)})`,
      );
  } finally {
    closeSync(fd);
  }
}

/** A missing path, a folder or an unreadable file: one line naming it. */
export function checkFile(path: string, name: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      code === "ENOENT" ? `${name}: no such file` : `${name}: cannot read it (${code ?? (error as Error).message})`,
    );
  }
  if (!isFile) throw new UserError(`${name} is not a file`);
}
