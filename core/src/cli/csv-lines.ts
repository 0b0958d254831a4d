import { quotingProblem } from "./line-guard";

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const UTF8_BOM = "\ufeff";

/** One line of a CSV file, numbered from 1 as an editor numbers it (CRLF is one line break). */
export type CsvLine =
  | { readonly line: number; readonly fields: string[]; readonly text: string }
  | { readonly line: number; readonly problem: string };

/**
 * The lines of a CSV file, one record per line (an event row never spans lines), split into fields
 * by RFC 4180. A line with broken quoting or over `maxLineBytes` comes out as a problem with its
 * line number, and the next line is read as the next record, as the simulator's LineGuard does;
 * a long line is never held in memory. Empty lines are passed over.
 */
export async function* csvLines(chunks: AsyncIterable<Buffer>, maxLineBytes: number): AsyncGenerator<CsvLine> {
  let line = 0;
  let carry: Buffer[] = [];
  let carried = 0;
  let dropping = false;
  const tooLong = `line longer than ${maxLineBytes} bytes`;
  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const lf = chunk.indexOf(LF, start);
      if (lf < 0) {
        const rest = chunk.subarray(start);
        if (!dropping && carried + rest.length > maxLineBytes) {
          dropping = true;
          carry = [];
          carried = 0;
        } else if (!dropping && rest.length > 0) {
          carry.push(Buffer.from(rest));
          carried += rest.length;
        }
        break;
      }
      line++;
      if (dropping) {
        dropping = false;
        yield { line, problem: tooLong };
      } else {
        const piece = chunk.subarray(start, lf);
        const bytes = carried > 0 ? Buffer.concat([...carry, piece]) : piece;
        carry = [];
        carried = 0;
        const record = bytes.length > maxLineBytes ? { line, problem: tooLong } : split(bytes, line);
        if (record) yield record;
      }
      start = lf + 1;
    }
  }
  if (dropping) yield { line: line + 1, problem: tooLong };
  else if (carried > 0) {
    const record = split(Buffer.concat(carry), line + 1);
    if (record) yield record;
  }
}

function split(bytes: Buffer, line: number): CsvLine | undefined {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
  if (end === 0) return undefined;
  if (bytes.indexOf(QUOTE) >= 0) {
    const problem = quotingProblem(bytes, 0, end);
    if (problem) return { line, problem };
  }
  let text = bytes.toString("utf8", 0, end);
  if (line === 1 && text.startsWith(UTF8_BOM)) text = text.slice(1);
  if (text === "") return undefined;
  return { line, fields: splitCsvLine(text), text };
}

/** The fields of one CSV line whose quoting is sound (quotingProblem found none). */
export function splitCsvLine(text: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        value += text.slice(i, quote);
        if (text[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      fields.push(value);
      if (i >= text.length) return fields;
      i++; // the comma
    } else {
      const comma = text.indexOf(",", i);
      if (comma < 0) {
        fields.push(text.slice(i));
        return fields;
      }
      fields.push(text.slice(i, comma));
      i = comma + 1;
    }
  }
}
