import { EVENT_FIELD_NAMES, type PlayerEvent } from "@hotspots/core";

/** The CSV header: exactly the event fields, in the order core defines them. */
export function csvHeader(): string {
  return EVENT_FIELD_NAMES.join(",");
}

/** One CSV line (no newline) in header order; quotes a value only when it needs it (RFC 4180). */
export function csvLine(event: PlayerEvent): string {
  const record = event as unknown as Record<string, string | number>;
  return EVENT_FIELD_NAMES.map((name) => quote(String(record[name]))).join(",");
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
