import { DETECTOR_ENV } from "@hotspots/core";

/**
 * Settings of hotspot tracking: the hysteresis that turns the window's changing hotspots into
 * lifecycle events, and what an event carries. Counts are in records pushed to the detector.
 */
export interface TrackingParameters {
  /** A new hotspot is `emerged` (and gets an id) once it has lasted this many records; a split or merge counts once it has lasted as long. */
  readonly emergeAfter: number;
  /**
   * A new hotspot (or split-off part) is `emerged` only once it also holds this many distinct member-column
   * values: a crowd, not a few players emitting many records in place. 0 or 1: off.
   */
  readonly minDistinctMembers: number;
  /** A hotspot is `dissolved` once it has been gone this many records; a return before that is no event. */
  readonly dissolveAfter: number;
  /** `changed` when the centroid moved more than this (analysed-column units) since the hotspot's last event; default: scanRadius. */
  readonly changedDistance?: number;
  /** `changed` when the member count changed by more than this share of its count at the last event. */
  readonly changedShare: number;
  /** At most one `changed` per hotspot per this many records; tested at positions that are multiples of it. */
  readonly changedEvery: number;
  /** The record field whose distinct values an event lists (the hotspot's players). */
  readonly memberColumn: string;
  /** At most this many member values in an event (sorted); the true distinct count is given beside them. */
  readonly memberValuesCap: number;
  /** H3 resolution of the centroid's cell, 0..15, when the analysed columns are longitude and latitude. */
  readonly h3Resolution: number;
}

export const DEFAULT_TRACKING_PARAMETERS: TrackingParameters = {
  emergeAfter: 50,
  minDistinctMembers: 8,
  dissolveAfter: 100,
  changedShare: 0.25,
  changedEvery: 100,
  memberColumn: "player_id",
  memberValuesCap: 50,
  h3Resolution: 9,
};

/** H3 resolutions run from 0 (continents) to 15 (about a square metre). */
export const H3_RESOLUTION_MAX = 15;

export class TrackingParameterError extends Error {
  constructor(
    readonly field: keyof TrackingParameters,
    message: string,
  ) {
    super(message);
    this.name = "TrackingParameterError";
  }
}

/** The command-line flag and the stream-mode environment variable of each setting. */
export const TRACKING_SETTINGS: readonly { key: keyof TrackingParameters; flag: string; env: string }[] = [
  { key: "emergeAfter", flag: "emerge-after", env: DETECTOR_ENV.trackEmergeAfter },
  { key: "minDistinctMembers", flag: "min-distinct-members", env: DETECTOR_ENV.trackMinDistinctMembers },
  { key: "dissolveAfter", flag: "dissolve-after", env: DETECTOR_ENV.trackDissolveAfter },
  { key: "changedDistance", flag: "changed-distance", env: DETECTOR_ENV.trackChangedDistance },
  { key: "changedShare", flag: "changed-share", env: DETECTOR_ENV.trackChangedShare },
  { key: "changedEvery", flag: "changed-every", env: DETECTOR_ENV.trackChangedEvery },
  { key: "memberColumn", flag: "member-column", env: DETECTOR_ENV.trackMemberColumn },
  { key: "memberValuesCap", flag: "member-values-cap", env: DETECTOR_ENV.trackMemberValuesCap },
  { key: "h3Resolution", flag: "h3-resolution", env: DETECTOR_ENV.trackH3Resolution },
];

/** Checks every field and returns the parameters unchanged, or throws a one-line TrackingParameterError naming the field and what is accepted. */
export function validateTrackingParameters(params: TrackingParameters): TrackingParameters {
  const positiveInteger = (
    key: "emergeAfter" | "dissolveAfter" | "changedEvery" | "memberValuesCap" | "minDistinctMembers",
    min: number,
  ) => {
    const v = params[key];
    if (!Number.isSafeInteger(v) || v < min) {
      throw new TrackingParameterError(key, `${key} must be an integer >= ${min}, got ${v}`);
    }
  };
  positiveInteger("emergeAfter", 1);
  positiveInteger("dissolveAfter", 1);
  positiveInteger("changedEvery", 1);
  positiveInteger("memberValuesCap", 0);
  positiveInteger("minDistinctMembers", 0);
  const distance = params.changedDistance;
  if (distance !== undefined && (typeof distance !== "number" || !Number.isFinite(distance) || distance <= 0)) {
    throw new TrackingParameterError("changedDistance", `changedDistance must be a finite number > 0, got ${distance}`);
  }
  const share = params.changedShare;
  if (typeof share !== "number" || !Number.isFinite(share) || share <= 0) {
    throw new TrackingParameterError(
      "changedShare",
      `changedShare must be a finite number > 0 (0.25 = 25 %), got ${share}`,
    );
  }
  if (typeof params.memberColumn !== "string" || params.memberColumn === "") {
    throw new TrackingParameterError("memberColumn", "memberColumn must name a field of the records");
  }
  const res = params.h3Resolution;
  if (!Number.isInteger(res) || res < 0 || res > H3_RESOLUTION_MAX) {
    throw new TrackingParameterError(
      "h3Resolution",
      `h3Resolution must be an integer from 0 to ${H3_RESOLUTION_MAX}, got ${res}`,
    );
  }
  return params;
}

/** A setting's text and where it came from (`--emerge-after`, `HOTSPOTS_TRACK_EMERGE_AFTER`). */
export interface SettingText {
  readonly text: string;
  readonly source: string;
}

/**
 * Tracking parameters from text settings (command-line flags or environment variables), defaults for
 * the others, validated. A bad value throws a TrackingParameterError whose message names its source.
 */
export function trackingParametersFrom(
  lookup: (setting: (typeof TRACKING_SETTINGS)[number]) => SettingText | undefined,
): TrackingParameters {
  const params: Record<string, unknown> = { ...DEFAULT_TRACKING_PARAMETERS };
  const sources = new Map<keyof TrackingParameters, SettingText>();
  for (const setting of TRACKING_SETTINGS) {
    const found = lookup(setting);
    if (found === undefined) continue;
    sources.set(setting.key, found);
    const text = found.text.trim();
    params[setting.key] = setting.key === "memberColumn" ? text : text === "" ? NaN : Number(text);
  }
  try {
    return validateTrackingParameters(params as unknown as TrackingParameters);
  } catch (error) {
    if (!(error instanceof TrackingParameterError)) throw error;
    const from = sources.get(error.field);
    if (from === undefined) throw error;
    let message = from.source + error.message.slice(error.field.length);
    if (message.endsWith("got NaN")) message = message.slice(0, -3) + JSON.stringify(from.text);
    throw new TrackingParameterError(error.field, message);
  }
}
