import { readFileSync } from "node:fs";
import { LocalInputError } from "./input-error";

/**
 * The hotspots injected into a synthetic data file, written beside it as `<name>.truth.json`.
 * Rows are 0-based indices of data rows (the header is not counted).
 */
export interface TruthHotspot {
  readonly id: string;
  readonly name: string;
  /** Centre at the start of the interval, degrees. */
  readonly longitude: number;
  readonly latitude: number;
  /** Centre at the end; equal to the start for a hotspot that does not move. */
  readonly endLongitude: number;
  readonly endLatitude: number;
  /** Every participant's event lies within this distance of the centre, degrees. */
  readonly radius: number;
  readonly players: number;
  /** Active interval as event times (ISO UTC) and as the first and last row of a participant's event. */
  readonly startTime: string;
  readonly endTime: string;
  readonly startRow: number;
  readonly endRow: number;
  /** Participant events inside the interval. */
  readonly events: number;
}

export interface GroundTruth {
  readonly description: string;
  readonly seed: number;
  readonly players: number;
  readonly rows: number;
  readonly area: { minLongitude: number; maxLongitude: number; minLatitude: number; maxLatitude: number };
  readonly startTime: string;
  readonly endTime: string;
  readonly hotspots: readonly TruthHotspot[];
}

/** data/data-simu.csv -> data/data-simu.truth.json */
export function truthPathFor(csvPath: string): string {
  return `${csvPath.replace(/\.csv$/i, "")}.truth.json`;
}

/** Reads and checks a truth file; throws a one-line error naming the file. */
export function readGroundTruth(path: string): GroundTruth {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new LocalInputError(`${path}: not a readable ground-truth JSON file (${(err as Error).message})`);
  }
  const truth = value as GroundTruth;
  if (typeof truth !== "object" || truth === null || !Array.isArray(truth.hotspots)) {
    throw new LocalInputError(`${path}: a ground-truth file needs a "hotspots" array`);
  }
  for (const [i, h] of truth.hotspots.entries()) {
    for (const key of [
      "longitude",
      "latitude",
      "endLongitude",
      "endLatitude",
      "radius",
      "startRow",
      "endRow",
    ] as const) {
      if (typeof h[key] !== "number" || !Number.isFinite(h[key])) {
        throw new LocalInputError(`${path}: hotspots[${i}].${key} must be a number`);
      }
    }
    if (Number.isNaN(Date.parse(h.startTime)) || Number.isNaN(Date.parse(h.endTime))) {
      throw new LocalInputError(`${path}: hotspots[${i}] needs ISO startTime and endTime`);
    }
  }
  return truth;
}
