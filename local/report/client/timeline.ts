import { TIMELINE_EVENT_TYPES, type ReportData } from "../report-data-types";
import { EVENT_COLOURS } from "./event-colours";
import { nearestFrame, sizeCanvas } from "./geometry";

const WIDTH = 500;
const ROW_HEIGHT = 14;
const LABEL_WIDTH = 46;

/**
 * The run under the slider: one row per injected hotspot (its interval, and the frames where it was
 * detected), one row for detections that match none, one row of hotspot events when the run has
 * them (a tick per emerged, merged, split, dissolved, coloured by type),
 * and a cursor at the frame shown. A click picks the nearest frame. Returns the function that
 * redraws it at a frame.
 */
export function createTimeline(
  canvas: HTMLCanvasElement,
  data: ReportData,
  ratio: number,
  pick: (frame: number) => void,
): (frame: number) => void {
  const eventRow = data.events.length > 0 ? data.truth.length + 1 : -1;
  const rows = data.truth.length + 1 + (eventRow >= 0 ? 1 : 0);
  const height = rows * ROW_HEIGHT + 8;
  const ctx = sizeCanvas(canvas, WIDTH, height, ratio);
  const span = Math.max(1, data.records - 1);
  const tx = (pos: number): number => LABEL_WIDTH + (pos / span) * (WIDTH - LABEL_WIDTH - 4);

  canvas.addEventListener("click", (e) => {
    const rect = canvas.getBoundingClientRect();
    pick(nearestFrame(data, ((e.clientX - rect.left - LABEL_WIDTH) / (WIDTH - LABEL_WIDTH - 4)) * span));
  });

  return (fi) => {
    ctx.clearRect(0, 0, WIDTH, height);
    ctx.font = "10px sans-serif";
    data.truth.forEach((h, r) => {
      const top = 4 + r * ROW_HEIGHT;
      ctx.fillStyle = "#555";
      ctx.fillText(h.id, 2, top + 10);
      ctx.fillStyle = "rgba(11,111,164,0.18)";
      ctx.fillRect(tx(h.startPos), top, Math.max(1, tx(h.endPos) - tx(h.startPos)), ROW_HEIGHT - 3);
    });
    ctx.fillStyle = "#555";
    ctx.fillText("other", 2, 4 + data.truth.length * ROW_HEIGHT + 10);
    if (eventRow >= 0) {
      const top = 4 + eventRow * ROW_HEIGHT;
      ctx.fillStyle = "#555";
      ctx.fillText("events", 2, top + 10);
      for (const [position, type] of data.events) {
        ctx.fillStyle = EVENT_COLOURS[TIMELINE_EVENT_TYPES[type]];
        ctx.fillRect(tx(position) - 1, top, 2, ROW_HEIGHT - 3);
      }
    }
    const fw = Math.max(1, (WIDTH - LABEL_WIDTH) / data.frames.length);
    for (const [position, , boxes] of data.frames) {
      const seen = new Set<number>();
      for (const b of boxes) {
        const r = b[5] >= 0 ? b[5] : data.truth.length;
        if (seen.has(r)) continue;
        seen.add(r);
        ctx.fillStyle = b[5] >= 0 ? "#0b6fa4" : "#111";
        ctx.fillRect(tx(position) - fw / 2, 4 + r * ROW_HEIGHT + 3, fw, ROW_HEIGHT - 9);
      }
    }
    ctx.fillStyle = "#222";
    ctx.fillRect(tx(data.frames[fi][0]) - 1, 0, 2, height);
  };
}
