/**
 * A lifecycle event of a tracked hotspot, as written one per line (NDJSON) and put on the bus.
 * The JSON Schema is detector/schema/hotspot-event.schema.json.
 */
export type HotspotEventType = "emerged" | "changed" | "merged" | "split" | "dissolved";

export const HOTSPOT_EVENT_TYPES: readonly HotspotEventType[] = ["emerged", "changed", "merged", "split", "dissolved"];

/** The distinct values of the member column among a hotspot's records. */
export interface MemberValues {
  readonly column: string;
  /** Sorted, at most memberValuesCap of them. */
  readonly values: string[];
  /** How many distinct values there are in all. */
  readonly count: number;
}

/** Where a hotspot is, measured over its members (the records of the window it holds). */
export interface HotspotSummary {
  /** Member mean, one value per analysed column, in column order. */
  readonly centroid: number[];
  readonly minValues: number[];
  readonly maxValues: number[];
  /** members / hotspotSize, as in HOTSPOTS_RESULT. */
  readonly density: number;
  readonly members: number;
  readonly memberValues: MemberValues;
  /** Present when the analysed columns are longitude and latitude. */
  readonly h3?: { readonly resolution: number; readonly cell: string };
}

export interface HotspotEvent extends HotspotSummary {
  /** `<hotspotId>:<n>`, n counting the hotspot's own events from 1: the same after a replay. */
  readonly eventId: string;
  readonly type: HotspotEventType;
  readonly hotspotId: string;
  /** merged: [survivor]; split: [parent]; changed: ids absorbed or split off at this record, if any; else []. */
  readonly relatedIds: string[];
  /** The triggering record's event_time, as in the record (null when it has none). */
  readonly eventTime: string | null;
  /** 0-based index of the triggering record among the records the detector analysed. */
  readonly position: number;
  /** Stream mode: the shard and sequence number of the triggering record. */
  readonly shardId?: string;
  readonly sequenceNumber?: string;
}

/** Where the triggering record came from (stream mode). */
export interface RecordOrigin {
  readonly shardId: string;
  readonly sequenceNumber: string;
}

/** An event with its fields in the schema's order, built as one literal (every event of a run has the same shape). */
export function hotspotEvent(
  head: Pick<HotspotEvent, "eventId" | "type" | "hotspotId" | "relatedIds" | "eventTime" | "position">,
  origin: RecordOrigin | undefined,
  summary: HotspotSummary,
): HotspotEvent {
  const { eventId, type, hotspotId, relatedIds, eventTime, position } = head;
  const { centroid, minValues, maxValues, density, members, memberValues, h3 } = summary;
  const event: HotspotEvent =
    origin === undefined
      ? {
          eventId,
          type,
          hotspotId,
          relatedIds,
          eventTime,
          position,
          centroid,
          minValues,
          maxValues,
          density,
          members,
          memberValues,
        }
      : {
          eventId,
          type,
          hotspotId,
          relatedIds,
          eventTime,
          position,
          shardId: origin.shardId,
          sequenceNumber: origin.sequenceNumber,
          centroid,
          minValues,
          maxValues,
          density,
          members,
          memberValues,
        };
  if (h3 !== undefined) (event as { h3?: HotspotSummary["h3"] }).h3 = h3;
  return event;
}
