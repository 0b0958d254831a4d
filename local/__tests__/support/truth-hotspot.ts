import type { TruthHotspot } from "../../data/ground-truth";

/** Event time of row 0 in the hand-made scoring tests; rows are 100 ms apart. */
export const T0 = Date.parse("2026-06-01T18:00:00.000Z");

/** A still injected hotspot of radius 0.003 at (lon, lat), active from startRow to endRow. */
export function truthHotspot(id: string, lon: number, lat: number, startRow: number, endRow: number): TruthHotspot {
  return {
    id,
    name: id,
    longitude: lon,
    latitude: lat,
    endLongitude: lon,
    endLatitude: lat,
    radius: 0.003,
    players: 10,
    startTime: new Date(T0 + startRow * 100).toISOString(),
    endTime: new Date(T0 + endRow * 100).toISOString(),
    startRow,
    endRow,
    events: endRow - startRow,
  };
}
