/**
 * What the live map's event stream carries (GET /events, text/event-stream): written in Node by
 * live-server.ts, read in the browser by client/. It imports nothing, so the Node and the DOM-typed
 * projects both check against the same definition.
 *
 * SSE event names: `hello` (first, on every connection), `hotspot` (a lifecycle event), `window` (the
 * hotspots of the detector's window now, at most a few a second), `end` (the run is over).
 */

/** Sent first on every connection. */
export interface LiveHello {
  /** The analysed columns; boxes and centroids are in this order. */
  readonly columns: string[];
  /** The area to draw (the input's extent), when the columns are longitude and latitude. */
  readonly area?: { minLon: number; maxLon: number; minLat: number; maxLat: number };
  readonly windowSize: number;
}

/** The fields of a hotspot lifecycle event the page reads (the message holds the whole event). */
export interface LiveHotspotEvent {
  readonly eventId: string;
  readonly type: "emerged" | "changed" | "merged" | "split" | "dissolved";
  readonly hotspotId: string;
  readonly relatedIds: string[];
  readonly eventTime: string | null;
  readonly position: number;
  readonly centroid: number[];
  readonly minValues: number[];
  readonly maxValues: number[];
  readonly members: number;
}

/** One hotspot of the window: its id (null while it has not emerged) and its box. */
export interface LiveHotspot {
  readonly hotspotId: string | null;
  readonly density: number;
  readonly minValues: number[];
  readonly maxValues: number[];
}

/** The detector's window after the latest record it analysed. */
export interface LiveWindow {
  /** Records analysed so far. */
  readonly records: number;
  /** Event time of the latest record. */
  readonly eventTime: string | null;
  readonly hotspots: LiveHotspot[];
}

export interface LiveEnd {
  readonly message: string;
}
