/**
 * Pure logic of the EventBridge sink: what one hotspot event becomes as a PutEvents entry, how big
 * EventBridge counts it, and which queued entries go in the next request so that no event of a
 * hotspot can overtake an earlier one of the same hotspot.
 */
import { EVENTBRIDGE_MAX_BYTES_PER_PUT, EVENTBRIDGE_MAX_ENTRIES_PER_PUT, hotspotDetailType } from "@hotspots/core";

/** What the sink needs of an event: its hotspot (the ordering lane) and its type (the detail-type). */
export interface BusEvent {
  readonly hotspotId: string;
  readonly type: string;
}

/** One PutEvents entry, with what the sink keeps beside it. */
export interface BusEntry {
  readonly source: string;
  readonly detailType: string;
  /** The event as JSON: the `detail` of the event on the bus. */
  readonly detail: string;
  /** The ordering lane: at most one entry of a hotspot per request. */
  readonly hotspotId: string;
  /** Size as EventBridge counts it (eventBridgeEntryBytes). */
  readonly bytes: number;
}

/**
 * The entry size AWS documents ("Calculating PutEvents event entry size"): 14 bytes for Time if set,
 * plus the UTF-8 bytes of Source, DetailType, Detail and each Resources entry. We set neither Time
 * (EventBridge stamps the time it receives the event) nor Resources.
 */
export function eventBridgeEntryBytes(entry: {
  source: string;
  detailType: string;
  detail?: string;
  time?: unknown;
  resources?: readonly string[];
}): number {
  let bytes = entry.time === undefined ? 0 : 14;
  bytes += Buffer.byteLength(entry.source, "utf8") + Buffer.byteLength(entry.detailType, "utf8");
  if (entry.detail !== undefined) bytes += Buffer.byteLength(entry.detail, "utf8");
  for (const r of entry.resources ?? []) bytes += Buffer.byteLength(r, "utf8");
  return bytes;
}

/** The entry of one event; throws a one-line RangeError for an event that no request could carry. */
export function toBusEntry(event: BusEvent, source: string): BusEntry {
  const detailType = hotspotDetailType(event.type);
  const detail = JSON.stringify(event);
  const bytes = eventBridgeEntryBytes({ source, detailType, detail });
  if (bytes >= EVENTBRIDGE_MAX_BYTES_PER_PUT) {
    throw new RangeError(
      `hotspot event ${JSON.stringify(event.hotspotId)} (${event.type}) is ${bytes} bytes as a PutEvents entry; EventBridge accepts less than ${EVENTBRIDGE_MAX_BYTES_PER_PUT}`,
    );
  }
  return { source, detailType, detail, hotspotId: event.hotspotId, bytes };
}

export interface BatchLimitsOfPut {
  readonly maxEntries: number;
  /** The request's entries must total strictly less than this. */
  readonly maxBytes: number;
}

export const PUT_EVENTS_LIMITS: BatchLimitsOfPut = {
  maxEntries: EVENTBRIDGE_MAX_ENTRIES_PER_PUT,
  maxBytes: EVENTBRIDGE_MAX_BYTES_PER_PUT,
};

export interface NextBatch {
  /** Indices into the queue, ascending. */
  readonly indices: number[];
  /** True when the request cannot take more: maxEntries reached, or a waiting entry did not fit in the bytes left. */
  readonly full: boolean;
}

/**
 * The entries of the next request, taken from the queue in order: the first queued entry of each
 * hotspot, as long as the request has room. A hotspot's later entries wait for a later request, so
 * when an entry fails and is retried, nothing of its hotspot has gone ahead of it (one lane per
 * hotspot, like the simulator's one lane per partition key). An entry that does not fit in the bytes
 * left holds its hotspot back too; smaller entries of other hotspots may still go.
 */
export function nextBatch(
  queue: readonly { hotspotId: string; bytes: number }[],
  limits: BatchLimitsOfPut = PUT_EVENTS_LIMITS,
): NextBatch {
  const indices: number[] = [];
  const seen = new Set<string>();
  let bytes = 0;
  let full = false;
  for (let i = 0; i < queue.length; i++) {
    const { hotspotId, bytes: size } = queue[i];
    if (seen.has(hotspotId)) continue;
    seen.add(hotspotId);
    if (indices.length === limits.maxEntries) {
      full = true;
      break;
    }
    if (bytes + size >= limits.maxBytes) {
      full = true;
      continue;
    }
    indices.push(i);
    bytes += size;
  }
  return { indices, full };
}
