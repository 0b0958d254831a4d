import { Transform, type TransformCallback } from "node:stream";

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;
const EMPTY = Buffer.alloc(0);

/**
 * Sits between the file and csv-parse and holds the parser to one record per line.
 *
 * An event row never spans lines, but csv-parse, meeting a stray quote, reads on into the next
 * lines (or to the end of the file) and loses good rows while recovering. This guard checks the
 * quoting of each line that has a quote and blanks a broken line, keeping its line break: the
 * parser skips it as an empty line, so its line numbers stay those of the file, and the guard
 * reports the line. Lines longer than `maxLineBytes` are dropped the same way without being held
 * in memory. Chunks without a quote pass through untouched.
 */
export class LineGuard extends Transform {
  /** Bytes taken in so far (for progress). */
  bytesRead = 0;
  private lines = 0;
  private carry: Buffer = EMPTY;
  private dropping = false;

  constructor(
    private readonly onBadLine: (line: number, reason: string) => void,
    private readonly maxLineBytes: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytesRead += chunk.length;
    let data = chunk;
    if (this.dropping) {
      const lf = data.indexOf(LF);
      if (lf < 0) {
        callback();
        return;
      }
      this.dropping = false;
      this.lines++;
      this.push("\n");
      data = data.subarray(lf + 1);
    }
    if (this.carry.length > 0) {
      data = Buffer.concat([this.carry, data]);
      this.carry = EMPTY;
    }
    const last = data.lastIndexOf(LF);
    if (last >= 0) this.push(this.checkLines(data.subarray(0, last + 1)));
    const rest = last >= 0 ? data.subarray(last + 1) : data;
    if (rest.length > this.maxLineBytes) {
      this.dropping = true;
      this.onBadLine(this.lines + 1, `line longer than ${this.maxLineBytes} bytes`);
    } else if (rest.length > 0) {
      this.carry = Buffer.from(rest); // a copy, so the large chunk it came from can be freed
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (!this.dropping && this.carry.length > 0) this.push(this.checkLines(this.carry));
    this.carry = EMPTY;
    callback();
  }

  /** Counts the lines of `buf` and blanks those with broken quoting or over the length limit. */
  private checkLines(buf: Buffer): Buffer {
    if (buf.indexOf(QUOTE) < 0 && !this.hasLongLine(buf)) {
      for (let i = buf.indexOf(LF); i >= 0; i = buf.indexOf(LF, i + 1)) this.lines++;
      if (buf[buf.length - 1] !== LF) this.lines++;
      return buf;
    }
    const kept: Buffer[] = [];
    let keptFrom = 0;
    let start = 0;
    while (start < buf.length) {
      const lf = buf.indexOf(LF, start);
      const end = lf < 0 ? buf.length : lf;
      const line = ++this.lines;
      const problem =
        end - start > this.maxLineBytes
          ? `line longer than ${this.maxLineBytes} bytes`
          : quotingProblem(buf, start, end);
      if (problem) {
        this.onBadLine(line, problem);
        kept.push(buf.subarray(keptFrom, start));
        keptFrom = end > start && buf[end - 1] === CR ? end - 1 : end; // keep the line break as it was
      }
      start = end + 1;
    }
    if (kept.length === 0) return buf;
    kept.push(buf.subarray(keptFrom));
    return Buffer.concat(kept);
  }

  private hasLongLine(buf: Buffer): boolean {
    if (buf.length <= this.maxLineBytes) return false;
    let start = 0;
    for (let i = buf.indexOf(LF); i >= 0; i = buf.indexOf(LF, i + 1)) {
      if (i - start > this.maxLineBytes) return true;
      start = i + 1;
    }
    return buf.length - start > this.maxLineBytes;
  }
}

/** Why the quoting of buf[start, end) is not RFC 4180 within one line, or undefined when it is. */
export function quotingProblem(buf: Uint8Array, start: number, end: number): string | undefined {
  if (end > start && buf[end - 1] === CR) end--;
  let i = start;
  let quoteSeen = false;
  for (let j = start; j < end; j++) if (buf[j] === QUOTE) quoteSeen = true;
  if (!quoteSeen) return undefined;
  for (;;) {
    if (i < end && buf[i] === QUOTE) {
      i++;
      for (;;) {
        while (i < end && buf[i] !== QUOTE) i++;
        if (i >= end) return "broken quoting: a quoted field is not closed on its line";
        if (i + 1 < end && buf[i + 1] === QUOTE) {
          i += 2;
          continue;
        }
        i++;
        break;
      }
      if (i >= end) return undefined;
      if (buf[i] !== COMMA) return "broken quoting: text after the closing quote of a field";
      i++;
    } else {
      while (i < end && buf[i] !== COMMA) {
        if (buf[i] === QUOTE) return "broken quoting: a quote inside an unquoted field";
        i++;
      }
      if (i >= end) return undefined;
      i++;
    }
  }
}
