import { HOTSPOTS_RESULT_COLUMN } from "@hotspots/core";

/** `"HOTSPOTS_RESULT":`, the key as JSON writes it. */
const RESULT_KEY = `${JSON.stringify(HOTSPOTS_RESULT_COLUMN)}:`;

/**
 * The output record of the HOTSPOTS function: every input field, then HOTSPOTS_RESULT holding the
 * result JSON as a string (as KDA's VARCHAR column), serialized as one JSON line without newline.
 * The plain form; serializeOutputLine writes the same bytes faster.
 */
export function serializeOutputRecord(record: Record<string, unknown>, hotspotsResult: string): string {
  return JSON.stringify({ ...record, [HOTSPOTS_RESULT_COLUMN]: hotspotsResult });
}

/**
 * The same bytes as serializeOutputRecord(record, JSON.parse(hotspotsResultJson)), from the result
 * already as a JSON string literal (the engine's hotspotsResultJson): the input record's JSON with
 * the result appended, so the long result is not escaped again for every record.
 */
export function serializeOutputLine(record: Record<string, unknown>, hotspotsResultJson: string): string {
  // A record that already holds the column keeps it in its place, as the spread does.
  if (Object.hasOwn(record, HOTSPOTS_RESULT_COLUMN)) {
    return serializeOutputRecord(record, JSON.parse(hotspotsResultJson) as string);
  }
  const fields = JSON.stringify(record);
  // "{}" when no field is written (JSON leaves out undefined values).
  return `${(fields.length === 2 ? "{" : `${fields.slice(0, -1)},`) + RESULT_KEY + hotspotsResultJson}}`;
}
