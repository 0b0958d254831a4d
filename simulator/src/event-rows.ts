import { EVENT_FIELD_NAMES, EVENT_TIME_FIELD, entryProblem, KINESIS_PUT_RECORDS_LIMITS, parseEvent, type KinesisPutEntry } from "@hotspots/core";
import { SimulatorInputError } from "./errors";

export type RowResult =
  | { readonly ok: true; readonly entry: KinesisPutEntry; readonly eventTime: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Turns CSV rows (arrays of strings, columns named by the file's header) into Kinesis entries:
 * one JSON record per row, typed by the event record definition (numbers as numbers), with the
 * partition key taken from a chosen column. Pure: no I/O.
 */
export class EventRows {
  private fieldIndex: number[] = [];
  private keyIndex = -1;
  private width = 0;

  constructor(
    private readonly sourceName: string,
    private readonly partitionKeyColumn: string,
  ) {}

  /** Reads the header row; throws a SimulatorInputError when a column the records need is missing. */
  setHeader(values: readonly string[]): void {
    const names = values.map((v) => v.trim());
    const missing = EVENT_FIELD_NAMES.filter((f) => !names.includes(f));
    if (missing.length > 0) {
      throw new SimulatorInputError(
        `input ${this.sourceName}: header lacks column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}; expected a header with ${EVENT_FIELD_NAMES.join(",")}`,
      );
    }
    this.keyIndex = names.indexOf(this.partitionKeyColumn);
    if (this.keyIndex < 0) {
      throw new SimulatorInputError(
        `partition key column "${this.partitionKeyColumn}" is not in the header of ${this.sourceName}; columns: ${names.join(", ")}`,
      );
    }
    this.fieldIndex = EVENT_FIELD_NAMES.map((f) => names.indexOf(f));
    this.width = names.length;
  }

  toEntry(values: readonly string[]): RowResult {
    if (values.length !== this.width) return { ok: false, reason: `expected ${this.width} fields, got ${values.length}` };
    const row: Record<string, string> = {};
    for (let i = 0; i < this.fieldIndex.length; i++) row[EVENT_FIELD_NAMES[i]] = values[this.fieldIndex[i]];
    const parsed = parseEvent(row);
    if (!parsed.ok) return parsed;
    const entry: KinesisPutEntry = { data: Buffer.from(JSON.stringify(parsed.event)), partitionKey: values[this.keyIndex] };
    const problem = entryProblem(entry, KINESIS_PUT_RECORDS_LIMITS);
    if (problem) return { ok: false, reason: problem };
    return { ok: true, entry, eventTime: row[EVENT_TIME_FIELD] };
  }
}
