/**
 * One hotspot of the window and the HOTSPOTS_RESULT JSON string, shaped as Kinesis Data Analytics
 * emitted it: `{"hotspots":[{"density":N,"minValues":[..],"maxValues":[..]}]}`.
 * Shared by the engine and the brute-force reference so that both format and order alike.
 */

export interface Hotspot {
  /** Members (core and border records) divided by the size of the bounding box, see hotspotSize. */
  readonly density: number;
  /** Bounding box of the members, one value per analysed column, in column order. */
  readonly minValues: readonly number[];
  readonly maxValues: readonly number[];
  /** Records in the hotspot. Not part of HOTSPOTS_RESULT (KDA does not emit it); kept for tests and metrics. */
  readonly members: number;
}

/**
 * The size of a hotspot: the volume of its bounding box with every side floored at scanRadius,
 * so that a thin or single-valued cluster has a finite density (AWS does not define size).
 * With two columns it is an area, with one a length. The product runs in column order.
 */
export function hotspotSize(minValues: ArrayLike<number>, maxValues: ArrayLike<number>, scanRadius: number): number {
  let size = 1;
  for (let k = 0; k < minValues.length; k++) {
    const side = maxValues[k] - minValues[k];
    size *= Math.max(side, scanRadius);
  }
  return size;
}

/**
 * Deterministic order of the hotspots in HOTSPOTS_RESULT: density descending, then minValues,
 * then maxValues (lexicographic, ascending), then members descending. It depends only on what is
 * emitted, so two engines that find the same hotspots emit the same string.
 */
export function compareHotspots(a: Hotspot, b: Hotspot): number {
  if (a.density !== b.density) return b.density - a.density;
  for (let k = 0; k < a.minValues.length; k++) {
    if (a.minValues[k] !== b.minValues[k]) return a.minValues[k] - b.minValues[k];
  }
  for (let k = 0; k < a.maxValues.length; k++) {
    if (a.maxValues[k] !== b.maxValues[k]) return a.maxValues[k] - b.maxValues[k];
  }
  return b.members - a.members;
}

/** The empty result, emitted while the window holds no hotspot. */
export const NO_HOTSPOTS_RESULT = '{"hotspots":[]}';

/** Serializes hotspots (already ordered by compareHotspots) into the HOTSPOTS_RESULT string. */
export function formatHotspotsResult(hotspots: readonly Hotspot[]): string {
  if (hotspots.length === 0) return NO_HOTSPOTS_RESULT;
  let out = '{"hotspots":[';
  for (let h = 0; h < hotspots.length; h++) {
    const spot = hotspots[h];
    if (h > 0) out += ",";
    out += formatHotspot(spot.density, spot.minValues, 0, spot.maxValues, 0, spot.minValues.length);
  }
  return `${out}]}`;
}

/** One hotspot's JSON object; values are read from flat arrays at the given offsets (no copies in the engine). */
export function formatHotspot(
  density: number,
  minValues: ArrayLike<number>,
  minOffset: number,
  maxValues: ArrayLike<number>,
  maxOffset: number,
  dimensions: number,
): string {
  let out = `{"density":${jsonNumber(density)},"minValues":[`;
  for (let k = 0; k < dimensions; k++) out += (k > 0 ? "," : "") + jsonNumber(minValues[minOffset + k]);
  out += '],"maxValues":[';
  for (let k = 0; k < dimensions; k++) out += (k > 0 ? "," : "") + jsonNumber(maxValues[maxOffset + k]);
  return `${out}]}`;
}

/** Same text as JSON.stringify for finite numbers (all values here are finite). */
function jsonNumber(value: number): string {
  return Object.is(value, -0) ? "0" : String(value);
}

/** True when both lists hold the same hotspots in the same order. */
export function sameHotspots(a: readonly Hotspot[], b: readonly Hotspot[]): boolean {
  if (a.length !== b.length) return false;
  for (let h = 0; h < a.length; h++) {
    const x = a[h];
    const y = b[h];
    if (x.members !== y.members || x.density !== y.density) return false;
    for (let k = 0; k < x.minValues.length; k++) {
      if (x.minValues[k] !== y.minValues[k] || x.maxValues[k] !== y.maxValues[k]) return false;
    }
  }
  return true;
}
