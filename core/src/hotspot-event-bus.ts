/**
 * How hotspot lifecycle events look on the EventBridge bus `<prefix>-hotspots`: one source, one
 * detail-type per event type, the event JSON as the detail. The detector puts them (EventBridgeSink)
 * and the stacks match them (the rules on the bus), so both read these names from here.
 */

/** The `source` of every hotspot event. "aws." is reserved for AWS services (PutEventsRequestEntry). */
export const HOTSPOT_EVENT_SOURCE = "hotspots.detector";

/** The `detail-type` of each event type (`detail.type`), e.g. "Hotspot emerged". */
export const HOTSPOT_DETAIL_TYPES = {
  emerged: "Hotspot emerged",
  changed: "Hotspot changed",
  merged: "Hotspot merged",
  split: "Hotspot split",
  dissolved: "Hotspot dissolved",
} as const;

export type HotspotBusEventType = keyof typeof HOTSPOT_DETAIL_TYPES;

/** The detail-type of an event type; a one-line error for a type the bus does not carry. */
export function hotspotDetailType(type: string): string {
  const detailType = (HOTSPOT_DETAIL_TYPES as Record<string, string>)[type];
  if (detailType === undefined) {
    throw new RangeError(
      `hotspot event type must be one of ${Object.keys(HOTSPOT_DETAIL_TYPES).join(", ")}, got ${JSON.stringify(type)}`,
    );
  }
  return detailType;
}
