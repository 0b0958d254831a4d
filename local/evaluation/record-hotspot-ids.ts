import type { OutputPoint } from "./evaluate";

/** Per output record: the id of the hotspot holding it, null when that hotspot has not emerged yet, undefined when it is in none. */
export type RecordHotspotId = string | null | undefined;

interface BoxWithId {
  readonly minValues: number[];
  readonly maxValues: number[];
  readonly hotspotId?: string | null;
}

/**
 * Which hotspot holds each record, read from HOTSPOTS_RESULT with ids (the opt-in shape that adds
 * each box's `hotspotId`): the box of the record's own result that contains the record's point; of
 * several, the smallest (boxes of neighbouring hotspots may overlap, a record's own hotspot is the
 * tightest fit). A result without ids gives undefined for every record.
 */
export function recordHotspotIds(points: readonly OutputPoint[], columns: readonly string[]): RecordHotspotId[] {
  const lon = columns.indexOf("longitude");
  const lat = columns.indexOf("latitude");
  const out: RecordHotspotId[] = new Array<RecordHotspotId>(points.length).fill(undefined);
  if (lon < 0 || lat < 0) return out;
  const cache = new Map<string, readonly BoxWithId[]>();
  for (let p = 0; p < points.length; p++) {
    const { result, longitude: x, latitude: y } = points[p];
    let boxes = cache.get(result);
    if (boxes === undefined) {
      boxes = (JSON.parse(result) as { hotspots?: BoxWithId[] }).hotspots ?? [];
      if (cache.size > 10_000) cache.clear();
      cache.set(result, boxes);
    }
    let bestArea = Infinity;
    for (const box of boxes) {
      if (box.hotspotId === undefined) continue;
      const [x0, x1, y0, y1] = [box.minValues[lon], box.maxValues[lon], box.minValues[lat], box.maxValues[lat]];
      if (x < x0 || x > x1 || y < y0 || y > y1) continue;
      const area = (x1 - x0) * (y1 - y0);
      if (area < bestArea) {
        bestArea = area;
        out[p] = box.hotspotId;
      }
    }
  }
  return out;
}
