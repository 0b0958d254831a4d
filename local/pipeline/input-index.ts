import { createReadStream } from "node:fs";
import { parse } from "csv-parse";

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
 * guide. Throws a one-line error naming the file when it lacks a needed column or repeats an id.
 */
export async function readInputIndex(path: string): Promise<InputIndex> {
  const rowOf = new Map<string, number>();
  const lon: number[] = [];
  const lat: number[] = [];
  const time: number[] = [];
  const parser = createReadStream(path).pipe(parse({ columns: true, skip_empty_lines: true, trim: true }));
  try {
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      const row = lon.length;
      if (row === 0) {
        for (const column of ["event_id", "event_time", "longitude", "latitude"]) {
          if (!(column in record)) throw new Error(`${path}: the CSV needs a "${column}" column`);
        }
      }
      if (rowOf.has(record.event_id)) throw new Error(`${path}: event_id ${JSON.stringify(record.event_id)} repeats on data row ${row}`);
      rowOf.set(record.event_id, row);
      lon.push(Number(record.longitude));
      lat.push(Number(record.latitude));
      time.push(Date.parse(record.event_time));
    }
  } catch (err) {
    const message = (err as Error).message;
    throw new Error(message.startsWith(path) ? message : `${path}: ${message}`);
  }
  return {
    rows: lon.length,
    rowOf,
    longitude: Float64Array.from(lon),
    latitude: Float64Array.from(lat),
    time: Float64Array.from(time),
  };
}
