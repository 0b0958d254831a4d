import { gridStep, sizeCanvas } from "../../report/client/geometry";
import { idColour } from "../../report/client/event-colours";

export interface Area {
  minLon: number;
  maxLon: number;
  minLat: number;
  maxLat: number;
}

/** A box to draw: a hotspot of the window, or the last box of one that ended. */
export interface DrawnBox {
  readonly hotspotId: string | null;
  readonly minLon: number;
  readonly minLat: number;
  readonly maxLon: number;
  readonly maxLat: number;
  /** "live": in the window now; "gone": dissolved or merged a moment ago. */
  readonly state: "live" | "gone";
  /** Just emerged: drawn with a ring. */
  readonly fresh?: boolean;
}

const WIDTH = 520;
/** Tall areas are squeezed to this height so the map fits a laptop screen. */
const MAX_HEIGHT = 760;

/**
 * The map: a grid in degrees, each hotspot's path (centres of its boxes over time) and its box,
 * coloured by id and labelled with it. Returns the function that redraws it.
 */
export function createMapView(
  canvas: HTMLCanvasElement,
  area: Area,
): (boxes: readonly DrawnBox[], trails: ReadonlyMap<string, readonly [number, number][]>) => void {
  const lonSpan = area.maxLon - area.minLon || 0.01;
  const latSpan = area.maxLat - area.minLat || 0.01;
  const lat0 = (area.minLat + area.maxLat) / 2;
  const aspect = latSpan / (lonSpan * Math.cos((lat0 * Math.PI) / 180));
  const W = WIDTH;
  const H = Math.round(Math.min(MAX_HEIGHT, Math.max(280, W * aspect)));
  const ctx = sizeCanvas(canvas, W, H, window.devicePixelRatio || 1);
  const x = (lon: number): number => ((lon - area.minLon) / lonSpan) * W;
  const y = (lat: number): number => H - ((lat - area.minLat) / latSpan) * H;

  return (boxes, trails) => {
    ctx.clearRect(0, 0, W, H);
    ctx.strokeStyle = "#eee7da";
    ctx.lineWidth = 1;
    const step = gridStep(Math.max(lonSpan, latSpan));
    ctx.beginPath();
    for (let lon = Math.ceil(area.minLon / step) * step; lon < area.maxLon; lon += step) {
      ctx.moveTo(x(lon), 0);
      ctx.lineTo(x(lon), H);
    }
    for (let lat = Math.ceil(area.minLat / step) * step; lat < area.maxLat; lat += step) {
      ctx.moveTo(0, y(lat));
      ctx.lineTo(W, y(lat));
    }
    ctx.stroke();

    ctx.lineWidth = 2;
    for (const [id, trail] of trails) {
      if (trail.length < 2) continue;
      ctx.strokeStyle = idColour(id, 0.55);
      ctx.beginPath();
      trail.forEach(([lon, lat], i) => {
        if (i === 0) ctx.moveTo(x(lon), y(lat));
        else ctx.lineTo(x(lon), y(lat));
      });
      ctx.stroke();
    }

    ctx.font = "11px sans-serif";
    for (const b of boxes) {
      // A box a few metres wide still shows.
      const left = x(b.minLon) - 2;
      const top = y(b.maxLat) - 2;
      const w = Math.max(4, x(b.maxLon) - x(b.minLon) + 4);
      const h = Math.max(4, y(b.minLat) - y(b.maxLat) + 4);
      if (b.hotspotId === null) {
        ctx.setLineDash([3, 3]);
        ctx.strokeStyle = "#888";
        ctx.lineWidth = 1;
        ctx.strokeRect(left, top, w, h);
        ctx.setLineDash([]);
        continue;
      }
      if (b.state === "gone") {
        ctx.setLineDash([4, 3]);
        ctx.strokeStyle = "#aaa";
        ctx.lineWidth = 2;
        ctx.strokeRect(left, top, w, h);
        ctx.setLineDash([]);
        ctx.fillStyle = "#999";
      } else {
        ctx.fillStyle = idColour(b.hotspotId, 0.22);
        ctx.fillRect(left, top, w, h);
        ctx.strokeStyle = idColour(b.hotspotId);
        ctx.lineWidth = 2;
        ctx.strokeRect(left, top, w, h);
        if (b.fresh) {
          ctx.beginPath();
          ctx.arc(left + w / 2, top + h / 2, Math.max(w, h) / 2 + 8, 0, 2 * Math.PI);
          ctx.stroke();
        }
        ctx.fillStyle = idColour(b.hotspotId);
      }
      ctx.fillText(b.hotspotId, left + w + 3, top + 9);
    }
  };
}
