/**
 * Reading HOTSPOTS_RESULT as a consumer does: `{"hotspots":[{"density":N,"minValues":[..],"maxValues":[..]}]}`,
 * the arrays in the order of the analysed columns. Only the longitude/latitude box is kept.
 */
export interface HotspotBox {
  readonly density: number;
  readonly minLongitude: number;
  readonly maxLongitude: number;
  readonly minLatitude: number;
  readonly maxLatitude: number;
}

export interface BoxReader {
  /** Boxes of one HOTSPOTS_RESULT string; the same string returns the same (cached) array. */
  read(result: string): readonly HotspotBox[];
}

/**
 * A reader for the given analysed columns, or undefined when they do not include both longitude
 * and latitude (the boxes then do not live on the map).
 */
export function createBoxReader(columns: readonly string[]): BoxReader | undefined {
  const lon = columns.indexOf("longitude");
  const lat = columns.indexOf("latitude");
  if (lon < 0 || lat < 0) return undefined;
  const cache = new Map<string, readonly HotspotBox[]>();
  return {
    read(result) {
      let boxes = cache.get(result);
      if (boxes) return boxes;
      const parsed = JSON.parse(result) as {
        hotspots?: { density: number; minValues: number[]; maxValues: number[] }[];
      };
      boxes = (parsed.hotspots ?? []).map((h) => ({
        density: h.density,
        minLongitude: h.minValues[lon],
        maxLongitude: h.maxValues[lon],
        minLatitude: h.minValues[lat],
        maxLatitude: h.maxValues[lat],
      }));
      // Long runs repeat few distinct strings; a bounded cache keeps memory flat on big inputs.
      if (cache.size > 10_000) cache.clear();
      cache.set(result, boxes);
      return boxes;
    },
  };
}

export function boxCentre(box: HotspotBox): [number, number] {
  return [(box.minLongitude + box.maxLongitude) / 2, (box.minLatitude + box.maxLatitude) / 2];
}
