/**
 * One Server-Sent Events message (HTML Living Standard, "Server-sent events"): an `id:` line (the
 * browser sends it back as Last-Event-ID when it reconnects), an `event:` line naming its type and
 * one `data:` line per line of the data, then a blank line.
 */
export function formatSseMessage(id: number, event: string, data: string): string {
  if (/[\r\n]/.test(event)) throw new Error(`an SSE event name cannot hold a line break: ${JSON.stringify(event)}`);
  return `id: ${id}\nevent: ${event}\n${data
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}\n`)
    .join("")}\n`;
}

/** The Last-Event-ID a reconnecting browser sends, as a message id; undefined when absent or not one of ours. */
export function parseLastEventId(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
