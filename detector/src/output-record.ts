import { HOTSPOTS_RESULT_COLUMN } from "@hotspots/core";

/**
 * The output record of the HOTSPOTS function: every input field, then HOTSPOTS_RESULT holding the
 * result JSON as a string (as KDA's VARCHAR column), serialized as one JSON line without newline.
 */
export function serializeOutputRecord(record: Record<string, unknown>, hotspotsResult: string): string {
  record[HOTSPOTS_RESULT_COLUMN] = hotspotsResult;
  return JSON.stringify(record);
}
