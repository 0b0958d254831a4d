import type { ReportData, ReportTruth } from "../report-data-types";
import type { DensityScale } from "./density-colour";
import { outlineBox } from "./density-colour";
import { nearestFrame, sizeCanvas, truthCentre, windowRange, type PlottedPoints } from "./geometry";

/** Side of an inset, CSS pixels. */
const SIZE = 132;

/**
 * Small multiples: each injected hotspot up close, in the middle of its interval, with the window's
 * events and the boxes detected then. A click on one jumps the main plot there.
 */
export function drawInsets(
  container: HTMLElement,
  data: ReportData,
  points: PlottedPoints,
  scale: DensityScale,
  ratio: number,
  pick: (frame: number) => void,
): void {
  for (const h of data.truth) {
    const fi = nearestFrame(data, (h.startPos + h.endPos) / 2);
    const figure = document.createElement("figure");
    const canvas = document.createElement("canvas");
    drawInset(sizeCanvas(canvas, SIZE, SIZE, ratio), data, points, scale, h, fi);
    const caption = document.createElement("figcaption");
    const clock = new Date(data.frames[fi][1]).toISOString().slice(11, 19);
    caption.textContent = `${h.id} · ${clock}${h.found ? "" : " · missed"}`;
    caption.title = h.name;
    figure.append(canvas, caption);
    figure.addEventListener("click", () => pick(fi));
    container.appendChild(figure);
  }
}

function drawInset(
  ic: CanvasRenderingContext2D,
  data: ReportData,
  points: PlottedPoints,
  scale: DensityScale,
  h: ReportTruth,
  fi: number,
): void {
  const [position, time, boxes] = data.frames[fi];
  const c = truthCentre(h, time);
  const half = Math.max(h.radius * 4, 0.006);
  // Degrees of longitude shrink with latitude: scale them so a circle stays round.
  const kx = Math.cos((c[1] * Math.PI) / 180);
  const ix = (lon: number): number => SIZE / 2 + ((((lon - c[0]) * kx) / half) * SIZE) / 2;
  const iy = (lat: number): number => SIZE / 2 - (((lat - c[1]) / half) * SIZE) / 2;
  ic.fillStyle = "#f3f0e8";
  ic.fillRect(0, 0, SIZE, SIZE);
  ic.fillStyle = "rgba(40,40,40,0.6)";
  const [from, to] = windowRange(data, points.count, position);
  for (let i = from; i <= to; i++) {
    const qx = ix(points.longitude(i));
    const qy = iy(points.latitude(i));
    if (qx >= 0 && qx <= SIZE && qy >= 0 && qy <= SIZE) ic.fillRect(qx - 1, qy - 1, 2, 2);
  }
  for (const b of boxes) {
    const x0 = ix(b[0]);
    const y0 = iy(b[3]);
    const rect: [number, number, number, number] = [x0, y0, Math.max(3, ix(b[2]) - x0), Math.max(3, iy(b[1]) - y0)];
    ic.fillStyle = scale.colour(b[4], 0.4);
    ic.fillRect(...rect);
    outlineBox(ic, scale, rect, b);
  }
  ic.setLineDash([4, 3]);
  ic.lineWidth = 1.5;
  ic.strokeStyle = "#0b6fa4";
  ic.beginPath();
  const [rx, ry] = [(((h.radius * kx) / half) * SIZE) / 2, ((h.radius / half) * SIZE) / 2];
  ic.ellipse(SIZE / 2, SIZE / 2, rx, ry, 0, 0, 2 * Math.PI);
  ic.stroke();
}
