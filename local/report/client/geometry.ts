import { QUANTISED_MAX, type ReportData, type ReportTruth } from "../report-data-types";

/** The plotted events, decoded from the report's base64 once. */
export interface PlottedPoints {
  /** Number of plotted points. */
  readonly count: number;
  longitude(i: number): number;
  latitude(i: number): number;
  /** Fractions 0..1 of the map's width and height (0 at the west and south edges). */
  fractionX(i: number): number;
  fractionY(i: number): number;
}

export function decodePoints(data: ReportData): PlottedPoints {
  const bytes = Uint8Array.from(atob(data.points), (c) => c.charCodeAt(0));
  const view = new DataView(bytes.buffer);
  const b = data.bounds;
  const fx = (i: number): number => view.getUint16(i * 4, true) / QUANTISED_MAX;
  const fy = (i: number): number => view.getUint16(i * 4 + 2, true) / QUANTISED_MAX;
  return {
    count: bytes.length / 4,
    longitude: (i) => b.minLon + fx(i) * (b.maxLon - b.minLon),
    latitude: (i) => b.minLat + fy(i) * (b.maxLat - b.minLat),
    fractionX: fx,
    fractionY: fy,
  };
}

/** Plotted points [from, to] of the window the detector held at output position `position`. */
export function windowRange(data: ReportData, count: number, position: number): [number, number] {
  const from = Math.max(0, Math.floor((position - data.windowSize + 1) / data.pointStride));
  const to = Math.min(count - 1, Math.floor(position / data.pointStride));
  return [from, to];
}

/** Where a moving injected hotspot is at `time`: linear from its start to its end point. */
export function truthCentre(h: ReportTruth, time: number): [number, number] {
  const f = h.end > h.start ? Math.min(1, Math.max(0, (time - h.start) / (h.end - h.start))) : 0;
  return [h.lon + (h.endLon - h.lon) * f, h.lat + (h.endLat - h.lat) * f];
}

/** A round grid spacing giving a few lines over `span` degrees. */
export function gridStep(span: number): number {
  const s = 10 ** Math.floor(Math.log10(span));
  return span / s > 4 ? s : s / 2;
}

/** Index of the frame whose position is nearest to `position`. */
export function nearestFrame(data: ReportData, position: number): number {
  let best = 0;
  data.frames.forEach((f, i) => {
    if (Math.abs(f[0] - position) < Math.abs(data.frames[best][0] - position)) best = i;
  });
  return best;
}

/** A canvas sized in CSS pixels, drawn at the screen's pixel ratio. */
export function sizeCanvas(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
  ratio: number,
): CanvasRenderingContext2D {
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("this browser gives no 2D canvas");
  ctx.scale(ratio, ratio);
  return ctx;
}
