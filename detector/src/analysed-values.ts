import { quoteInput } from "@hotspots/core";

/**
 * Reads the analysed columns of a record into `out`, in column order. Returns undefined when every
 * column holds a finite number, else why the record cannot be analysed (it is then skipped, not fatal).
 * `acceptNumericText` is for CSV, where every value is text.
 */
export function readAnalysedValues(
  record: Record<string, unknown>,
  columns: readonly string[],
  out: Float64Array,
  acceptNumericText: boolean,
): string | undefined {
  for (let k = 0; k < columns.length; k++) {
    const raw = record[columns[k]];
    if (raw === undefined || raw === null || raw === "") return `column "${columns[k]}" is missing`;
    let value: number;
    if (typeof raw === "number") value = raw;
    else if (acceptNumericText && typeof raw === "string") value = Number(raw);
    else
      return `column "${columns[k]}" is not a number: ${quoteInput(typeof raw === "string" ? raw : JSON.stringify(raw), 60)}`;
    if (!Number.isFinite(value))
      return `column "${columns[k]}" is not a number: ${quoteInput(typeof raw === "string" ? raw : JSON.stringify(raw), 60)}`;
    out[k] = value;
  }
  return undefined;
}
