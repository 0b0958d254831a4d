import {
  EVENT_FIELD_NAMES,
  KINESIS_MAX_BYTES_PER_RECORD,
  quoteInput,
  readCsvHeader,
  readCsvRows,
  type CsvHeader,
} from "@hotspots/core";

/** What the local pipeline needs to know of its input CSV to score the detector's output. */
export interface InputIndex {
  readonly rows: number;
  /** event_id -> 0-based data row. */
  readonly rowOf: ReadonlyMap<string, number>;
  readonly longitude: Float64Array;
  readonly latitude: Float64Array;
  /** Epoch milliseconds of event_time, NaN when it does not parse. */
  readonly time: Float64Array;
}

/**
 * Checks the input CSV's header as the simulator will read it (every event column), before
 * anything else runs: a missing, empty or binary file or a bad header is a UserError (exit 2).
 */
export function readInputHeader(path: string): Promise<CsvHeader> {
  return readCsvHeader(path, {
    name: `--input ${quoteInput(path)}`,
    required: EVENT_FIELD_NAMES,
    maxLineBytes: KINESIS_MAX_BYTES_PER_RECORD,
  });
}

/**
 * Reads the input CSV once: the row of every event_id and the positions and times for the radius
 * guide. A malformed row still takes its row number (the simulator skips and reports it), so row
 * numbers stay those of the ground truth; its position is NaN.
 */
export async function readInputIndex(path: string, header?: CsvHeader): Promise<InputIndex> {
  const rowOf = new Map<string, number>();
  const lon: number[] = [];
  const lat: number[] = [];
  const time: number[] = [];
  for await (const row of readCsvRows(path, header ?? (await readInputHeader(path)), KINESIS_MAX_BYTES_PER_RECORD)) {
    const index = lon.length;
    if ("problem" in row) {
      lon.push(NaN);
      lat.push(NaN);
      time.push(NaN);
      continue;
    }
    const record = row.values;
    // An id seen before keeps its first row: scoring places each output record by id.
    if (!rowOf.has(record.event_id)) rowOf.set(record.event_id, index);
    lon.push(Number(record.longitude));
    lat.push(Number(record.latitude));
    time.push(Date.parse(record.event_time));
  }
  return {
    rows: lon.length,
    rowOf,
    longitude: Float64Array.from(lon),
    latitude: Float64Array.from(lat),
    time: Float64Array.from(time),
  };
}
