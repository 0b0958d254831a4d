import { validateEvent } from "@hotspots/core";

/**
 * Decodes one stream record (UTF-8 JSON of a player event, as the simulator puts it) and reads its
 * analysed columns into `values`. Returns the event object, or undefined when the record is
 * malformed (not JSON, or failing the event record definition): it is counted and skipped.
 */
export function decodeStreamRecord(
  data: Uint8Array,
  columns: readonly string[],
  values: Float64Array,
): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8"));
  } catch {
    return undefined;
  }
  const parsed = validateEvent(value);
  if (!parsed.ok) return undefined;
  const record = value as Record<string, unknown>;
  // validateEvent checked every numeric field, and the analysed columns are numeric fields.
  for (let k = 0; k < columns.length; k++) values[k] = record[columns[k]] as number;
  return record;
}
