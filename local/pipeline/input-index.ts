import { createReadStream, statSync } from "node:fs";
import { parse } from "csv-parse";
import { LocalInputError } from "../data/input-error";

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
 * Reads the input CSV once: the row of every event_id and the positions and times for the radius
 * guide. Throws a one-line LocalInputError naming the file when it is missing, is not CSV, or lacks
 * a needed column.
 */
export async function readInputIndex(path: string): Promise<InputIndex> {
  const rowOf = new Map<string, number>();
  const lon: number[] = [];
  const lat: number[] = [];
  const time: number[] = [];
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    // reported below
  }
  if (!isFile) throw new LocalInputError(`${path}: no such file; --input takes a CSV file of player events`);
  // A row with too few or too many cells still counts as a row (the simulator skips and reports it),
  // so row numbers stay those of the ground truth.
  const parser = parse({ columns: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  createReadStream(path)
    .on("error", (err) => parser.destroy(err))
    .pipe(parser);
  try {
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      const row = lon.length;
      if (row === 0) {
        for (const column of ["event_id", "event_time", "longitude", "latitude"]) {
          if (!(column in record)) throw new LocalInputError(`${path}: the CSV needs the column "${column}"`);
        }
      }
      // An id seen before keeps its first row: scoring places each output record by id.
      if (record.event_id !== undefined && !rowOf.has(record.event_id)) rowOf.set(record.event_id, row);
      lon.push(Number(record.longitude));
      lat.push(Number(record.latitude));
      time.push(Date.parse(record.event_time));
    }
  } catch (err) {
    if (err instanceof LocalInputError) throw err;
    throw new LocalInputError(`${path}: not a readable CSV (${(err as Error).message.split("\n")[0]})`);
  }
  return {
    rows: lon.length,
    rowOf,
    longitude: Float64Array.from(lon),
    latitude: Float64Array.from(lat),
    time: Float64Array.from(time),
  };
}
