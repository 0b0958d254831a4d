/**
 * The shape of the data the report's page reads: built in Node by report-data.ts, read in the
 * browser by client/. It imports nothing, so the Node and the DOM-typed projects both check
 * against the same definition.
 */

/** A detected hotspot box at one frame. */
export type ReportBox = [
  minLon: number,
  minLat: number,
  maxLon: number,
  maxLat: number,
  /** Records per square degree, rounded. */
  density: number,
  /** Index into ReportData.truth of the injected hotspot it matches, or -1. */
  truth: number,
  /** Its hotspotId when the result carries ids (null: not emerged yet, or no ids). */
  hotspotId: string | null,
];

/** Hotspot event types marked on the timeline ("changed" is left out: it is frequent and moves nothing). */
export const TIMELINE_EVENT_TYPES = ["emerged", "merged", "split", "dissolved"] as const;

/** A hotspot lifecycle event on the timeline. */
export type ReportEvent = [
  /** Output position of the record that triggered it. */
  position: number,
  /** Index into TIMELINE_EVENT_TYPES. */
  type: number,
  hotspotId: string,
];

/** One position of the time slider. */
export type ReportFrame = [
  /** Output position (0-based record) the frame shows. */
  position: number,
  /** Event time of that record, epoch ms. */
  time: number,
  boxes: ReportBox[],
];

/** An injected hotspot of the ground truth, in output positions and epoch ms. */
export interface ReportTruth {
  id: string;
  name: string;
  lon: number;
  lat: number;
  endLon: number;
  endLat: number;
  radius: number;
  start: number;
  end: number;
  startPos: number;
  endPos: number;
  found: boolean;
}

/** What the page's script draws: compact, numbers rounded, coordinates quantised to 16 bits. */
export interface ReportData {
  readonly bounds: { minLon: number; maxLon: number; minLat: number; maxLat: number };
  readonly windowSize: number;
  /** Output records of the run; 0 when the input gave none (empty, or every row skipped). */
  readonly records: number;
  /** base64 of little-endian uint16 pairs (lon, lat) over bounds, one pair per plotted point. */
  readonly points: string;
  /** Output position of each plotted point is pointStride * index. */
  readonly pointStride: number;
  /** Empty exactly when records is 0. */
  readonly frames: ReportFrame[];
  readonly truth: ReportTruth[];
  readonly densityRange: [number, number];
  /** Hotspot events of the run (emerged, merged, split, dissolved), in position order; empty without tracking. */
  readonly events: ReportEvent[];
}

/** Full scale of a quantised coordinate in ReportData.points. */
export const QUANTISED_MAX = 65535;
