import {
  EVENT_FIELDS,
  EVENT_FIELD_NAMES,
  EVENT_TIME_FIELD,
  KINESIS_PUT_RECORDS_LIMITS,
  entryProblem,
  headerProblem,
  parseEvent,
  quoteInput,
  type EventField,
  type KinesisPutEntry,
} from "@hotspots/core";
import { SimulatorInputError } from "./errors";

/** How one field of the record is read from a row: the column, and the JSON text before its value. */
interface FieldPlan {
  readonly column: number;
  /** `{"name":` for the first field, `,"name":` for the others. */
  readonly prefix: string;
  readonly kind: EventField["kind"];
  readonly min: number;
  readonly max: number;
}

/** Characters JSON.stringify escapes in a string: quote, backslash, control characters, surrogates (lone ones). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * How JavaScript writes Number(text), worked out from the text when that is cheap: an optional
 * minus, an integer part without leading zeros, an optional fraction (trailing zeros dropped), at
 * most 15 digits in all (so the double holds them exactly) and not below 1e-6 (which JavaScript
 * writes with an exponent). Undefined for anything else: the caller then asks String(Number(text)).
 */
export function canonicalNumberText(text: string): string | undefined {
  let n = text.length;
  let i = text.charCodeAt(0) === MINUS ? 1 : 0;
  const intStart = i;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  const intLength = i - intStart;
  if (intLength === 0 || intLength > 15 || (intLength > 1 && text.charCodeAt(intStart) === ZERO)) return undefined;
  const zeroInteger = intLength === 1 && text.charCodeAt(intStart) === ZERO;
  if (i < n) {
    if (text.charCodeAt(i) !== DOT) return undefined;
    const dot = i;
    for (i++; i < n; i++) if (!isDigit(text.charCodeAt(i))) return undefined;
    while (n > dot + 1 && text.charCodeAt(n - 1) === ZERO) n--; // 47.500 is written 47.5
    if (n === dot + 1)
      n = dot; // and 5.0 is written 5
    else if (intLength + (n - dot - 1) > 15) return undefined;
    else if (zeroInteger) {
      let zeros = 0;
      while (text.charCodeAt(dot + 1 + zeros) === ZERO) zeros++;
      if (zeros >= 6) return undefined;
    }
  }
  if (zeroInteger && intStart === 1 && n === 2) return undefined; // -0 is written 0
  return n === text.length ? text : text.slice(0, n);
}

const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const isDigit = (c: number) => c >= ZERO && c <= ZERO + 9;

/**
 * Turns CSV rows (arrays of strings, columns named by the file's header) into Kinesis entries:
 * one JSON record per row, typed by the event record definition (numbers as numbers), with the
 * partition key taken from a chosen column. Pure: no I/O.
 *
 * The record's JSON is written straight from the row, field by field in EVENT_FIELDS order, with
 * no object in between: the same bytes as JSON.stringify of parseEvent's event, at a fraction of
 * the cost per row. A row that fails a check is handed to parseEvent, whose reason is reported.
 */
export class EventRows {
  private plan: FieldPlan[] = [];
  private keyIndex = -1;
  private timeIndex = -1;
  private width = 0;
  /** Why the last row toEntry turned down was bad. */
  problem = "";

  constructor(
    private readonly sourceName: string,
    private readonly partitionKeyColumn: string,
  ) {}

  /** Reads the header row (at `line`); throws a SimulatorInputError when it is binary or lacks a column the records need. */
  setHeader(values: readonly string[], line = 1): void {
    const problem = headerProblem(values, line, { name: `input ${this.sourceName}`, required: EVENT_FIELD_NAMES });
    if (problem) throw new SimulatorInputError(problem);
    const names = values.map((v) => v.trim());
    this.keyIndex = names.indexOf(this.partitionKeyColumn);
    if (this.keyIndex < 0) {
      throw new SimulatorInputError(
        `partition key column ${quoteInput(this.partitionKeyColumn)} is not in the header of ${this.sourceName}; columns: ${quoteInput(names.join(","), 120)}`,
      );
    }
    this.plan = EVENT_FIELDS.map((f, i) => ({
      column: names.indexOf(f.name),
      prefix: `${(i === 0 ? "{" : ",") + JSON.stringify(f.name)}:`,
      kind: f.kind,
      // Without a bound, the largest finite number: NaN and the infinities fail the range check.
      min: f.min ?? -Number.MAX_VALUE,
      max: f.max ?? Number.MAX_VALUE,
    }));
    this.timeIndex = names.indexOf(EVENT_TIME_FIELD);
    this.width = names.length;
  }

  /** The entry for a row, or undefined when the row is bad (the reason is in `problem`). */
  toEntry(values: readonly string[]): KinesisPutEntry | undefined {
    if (values.length !== this.width) return this.reject(`expected ${this.width} fields, got ${values.length}`);
    const plan = this.plan;
    let json = "";
    for (let i = 0; i < plan.length; i++) {
      const field = plan[i];
      const raw = values[field.column];
      if (field.kind === "string") {
        json += field.prefix + (NEEDS_ESCAPE.test(raw) ? JSON.stringify(raw) : `"${raw}"`);
        continue;
      }
      // As parseEvent: trimmed, finite, an integer where one is needed, within bounds.
      const text = raw.trim();
      const value = Number(text);
      if (
        text === "" ||
        !(value >= field.min && value <= field.max) ||
        (field.kind === "integer" && !Number.isInteger(value))
      ) {
        return this.slowPath(values);
      }
      // String and JSON.stringify agree on finite numbers; most rows already hold that text.
      json += field.prefix + (canonicalNumberText(text) ?? String(value));
    }
    return this.checked(`${json}}`, values);
  }

  /** The row's event_time, as it is written in the record. */
  eventTime(values: readonly string[]): string {
    return values[this.timeIndex];
  }

  /** A row the fast path turned down goes through parseEvent, whose verdict and reason stand. */
  private slowPath(values: readonly string[]): KinesisPutEntry | undefined {
    const row: Record<string, string> = {};
    for (let i = 0; i < EVENT_FIELD_NAMES.length; i++) row[EVENT_FIELD_NAMES[i]] = values[this.plan[i].column];
    const parsed = parseEvent(row);
    return parsed.ok ? this.checked(JSON.stringify(parsed.event), values) : this.reject(parsed.reason);
  }

  private checked(json: string, values: readonly string[]): KinesisPutEntry | undefined {
    const entry: KinesisPutEntry = { data: Buffer.from(json), partitionKey: values[this.keyIndex] };
    const problem = entryProblem(entry, KINESIS_PUT_RECORDS_LIMITS);
    return problem ? this.reject(problem) : entry;
  }

  private reject(reason: string): undefined {
    this.problem = reason;
    return undefined;
  }
}
