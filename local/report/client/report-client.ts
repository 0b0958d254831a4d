/**
 * The report page's own script, bundled by esbuild and inlined into report.html at render time (no
 * network, no libraries): draws the events of the detector's window, the detected boxes coloured by
 * density and the ground-truth circles on a canvas, with a time slider, a timeline of the run and an
 * inset per injected hotspot. Compiled down to ES2017 so any current browser runs it.
 */
import type { ReportData } from "../report-data-types";
import { densityScale, outlineBox } from "./density-colour";
import { idColour } from "./event-colours";
import { decodePoints, gridStep, truthCentre, windowRange, sizeCanvas } from "./geometry";
import { drawInsets } from "./insets";
import { createTimeline } from "./timeline";

/** Width of the map, CSS pixels; the height follows the area's aspect. */
const MAP_WIDTH = 500;
/** Milliseconds per frame while playing. */
const PLAY_STEP_MS = 80;

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`report.html has no ${type.name} #${id}`);
  return el;
}

function main(): void {
  const data = JSON.parse(byId("report-data", HTMLScriptElement).textContent ?? "") as ReportData;
  // A run with no records has nothing to plot: the page says so in its HTML.
  if (data.frames.length === 0) return;

  const B = data.bounds;
  const points = decodePoints(data);
  const lonSpan = B.maxLon - B.minLon;
  const latSpan = B.maxLat - B.minLat;
  const lat0 = (B.minLat + B.maxLat) / 2;
  const aspect = latSpan / (lonSpan * Math.cos((lat0 * Math.PI) / 180));
  const W = MAP_WIDTH;
  const H = Math.round(Math.min(1100, Math.max(280, W * aspect)));
  const ratio = window.devicePixelRatio || 1;
  const map = byId("map", HTMLCanvasElement);
  const ctx = sizeCanvas(map, W, H, ratio);
  const x = (lon: number): number => ((lon - B.minLon) / lonSpan) * W;
  const y = (lat: number): number => H - ((lat - B.minLat) / latSpan) * H;
  const px = new Float32Array(points.count);
  const py = new Float32Array(points.count);
  for (let i = 0; i < points.count; i++) {
    px[i] = points.fractionX(i) * W;
    py[i] = H - points.fractionY(i) * H;
  }

  const scale = densityScale(data.densityRange);
  const legend = document.getElementById("legend");
  if (legend) legend.style.background = scale.gradient();

  const base = drawBase(map, ratio, W, H, B, x, y, px, py);
  const slider = byId("frame", HTMLInputElement);
  slider.max = String(data.frames.length - 1);
  const info = byId("frame-info", HTMLElement);
  const show = (fi: number): void => {
    slider.value = String(fi);
    draw(fi);
  };
  const drawTimeline = createTimeline(byId("timeline", HTMLCanvasElement), data, ratio, show);

  function draw(fi: number): void {
    const [pos, time, boxes] = data.frames[fi];
    ctx.drawImage(base, 0, 0, W, H);
    // Events in the window the detector held at this record.
    ctx.fillStyle = "rgba(40,40,40,0.55)";
    const [from, to] = windowRange(data, points.count, pos);
    for (let i = from; i <= to; i++) ctx.fillRect(px[i] - 1, py[i] - 1, 2, 2);
    // Ground truth: dashed circles while a gathering is on.
    ctx.setLineDash([4, 3]);
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = "#0b6fa4";
    ctx.fillStyle = "#0b6fa4";
    ctx.font = "bold 11px sans-serif";
    let live = 0;
    for (const h of data.truth) {
      if (pos < h.startPos || pos > h.endPos) continue;
      live++;
      const c = truthCentre(h, time);
      const rx = Math.max(4, (h.radius / lonSpan) * W);
      const ry = Math.max(4, (h.radius / latSpan) * H);
      ctx.beginPath();
      ctx.ellipse(x(c[0]), y(c[1]), rx + 3, ry + 3, 0, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.fillText(h.id, x(c[0]) + rx + 5, y(c[1]) - ry);
    }
    ctx.setLineDash([]);
    // Detected hotspots: boxes coloured by density.
    for (const b of boxes) {
      const x0 = x(b[0]);
      const y0 = y(b[3]);
      const rect: [number, number, number, number] = [x0, y0, Math.max(5, x(b[2]) - x0), Math.max(5, y(b[1]) - y0)];
      ctx.fillStyle = scale.colour(b[4], 0.55);
      ctx.fillRect(...rect);
      outlineBox(ctx, scale, rect, b);
    }
    // Their hotspot ids, when the run tracked hotspots.
    ctx.font = "bold 10px sans-serif";
    for (const b of boxes) {
      if (b[6] === null) continue;
      ctx.fillStyle = idColour(b[6]);
      // Below the box: the injected hotspot's name sits to its right.
      ctx.fillText(b[6], x(b[0]), y(b[1]) + 11);
    }
    const matched = boxes.filter((b) => b[5] >= 0).length;
    const ids = boxes.flatMap((b) => (b[6] === null ? [] : [b[6]]));
    const plural = (k: number, word: string): string => `${k} ${word}${k === 1 ? "" : "s"}`;
    const clock = new Date(time).toISOString().replace("T", " ").replace(".000Z", "Z");
    info.textContent =
      `${clock}  \u00b7  record ${pos + 1} of ${data.records}` +
      `  \u00b7  ${plural(boxes.length, "hotspot")} detected (${matched} matching the truth)` +
      `  \u00b7  ${plural(live, "injected hotspot")} on` +
      (ids.length > 0 ? `  \u00b7  ids ${ids.join(", ")}` : "");
    drawTimeline(fi);
  }

  slider.addEventListener("input", () => draw(Number(slider.value)));
  const play = byId("play", HTMLButtonElement);
  let timer: ReturnType<typeof setInterval> | undefined;
  play.addEventListener("click", () => {
    if (timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
      play.textContent = "\u25b6 Play";
      return;
    }
    play.textContent = "\u275a\u275a Pause";
    timer = setInterval(() => show((Number(slider.value) + 1) % data.frames.length), PLAY_STEP_MS);
  });

  drawInsets(byId("insets", HTMLElement), data, points, scale, ratio, show);

  // Start on the busiest moment of the run.
  let start = 0;
  data.frames.forEach((f, i) => {
    if (f[2].length > data.frames[start][2].length) start = i;
  });
  show(start);
}

/** Every event of the run, faint, over a degree grid: drawn once, then copied under each frame. */
function drawBase(
  map: HTMLCanvasElement,
  ratio: number,
  W: number,
  H: number,
  B: ReportData["bounds"],
  x: (lon: number) => number,
  y: (lat: number) => number,
  px: Float32Array,
  py: Float32Array,
): HTMLCanvasElement {
  const base = document.createElement("canvas");
  base.width = map.width;
  base.height = map.height;
  const bctx = base.getContext("2d");
  if (!bctx) throw new Error("this browser gives no 2D canvas");
  bctx.scale(ratio, ratio);
  bctx.fillStyle = "#f3f0e8";
  bctx.fillRect(0, 0, W, H);
  bctx.strokeStyle = "#e2ddd0";
  bctx.lineWidth = 1;
  bctx.fillStyle = "#8a8474";
  bctx.font = "10px sans-serif";
  const g = gridStep(B.maxLon - B.minLon);
  for (let lon = Math.ceil(B.minLon / g) * g; lon <= B.maxLon; lon += g) {
    bctx.beginPath();
    bctx.moveTo(x(lon), 0);
    bctx.lineTo(x(lon), H);
    bctx.stroke();
    bctx.fillText(lon.toFixed(2), x(lon) + 2, H - 3);
  }
  for (let lat = Math.ceil(B.minLat / g) * g; lat <= B.maxLat; lat += g) {
    bctx.beginPath();
    bctx.moveTo(0, y(lat));
    bctx.lineTo(W, y(lat));
    bctx.stroke();
    bctx.fillText(lat.toFixed(2), 2, y(lat) - 2);
  }
  bctx.fillStyle = "rgba(120,114,100,0.10)";
  for (let j = 0; j < px.length; j++) bctx.fillRect(px[j] - 0.5, py[j] - 0.5, 1.2, 1.2);
  return base;
}

main();
