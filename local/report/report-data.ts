import type { HotspotsParameters } from "@hotspots/core";
import type { HotspotEvent } from "@hotspots/detector";
import type { GroundTruth } from "../data/ground-truth";
import type { Evaluation, OutputPoint } from "../evaluation/evaluate";
import { matchTruth } from "../evaluation/evaluate";
import { createBoxReader } from "../evaluation/hotspot-boxes";
import { WindowState } from "../evaluation/window-state";
import type { EventScore } from "../evaluation/event-scoring";
import {
  QUANTISED_MAX,
  TIMELINE_EVENT_TYPES,
  type ReportBox,
  type ReportData,
  type ReportEvent,
} from "./report-data-types";

export type { ReportData } from "./report-data-types";

/** Frames on the time slider; the plot redraws the window at each. */
const TARGET_FRAMES = 240;
/** Events drawn on the map at most; more are thinned evenly so the file stays small. */
const MAX_PLOTTED_POINTS = 60_000;

export interface ReportInput {
  readonly title: string;
  readonly inputPath: string;
  readonly points: readonly OutputPoint[];
  readonly params: HotspotsParameters;
  readonly evaluation: Evaluation;
  readonly truth?: GroundTruth;
  /** Hotspot lifecycle events of the run, when the detector tracked hotspots. */
  readonly events?: readonly HotspotEvent[];
  /** scoreEvents() of those events against the ground truth. */
  readonly eventScore?: EventScore;
  /** Facts about the run shown beside the parameters (stream, shards, timings). */
  readonly run: Readonly<Record<string, string>>;
}

export function buildReportData(input: ReportInput): ReportData {
  const { points, params, truth } = input;
  const reader = createBoxReader(params.columns);
  const bounds = mapBounds(points, truth);
  const stride = Math.max(1, Math.ceil(points.length / MAX_PLOTTED_POINTS));
  const plotted = Math.ceil(points.length / stride);
  const buffer = Buffer.alloc(plotted * 4);
  for (let i = 0; i < plotted; i++) {
    const p = points[i * stride];
    buffer.writeUInt16LE(quantise(p.longitude, bounds.minLon, bounds.maxLon), i * 4);
    buffer.writeUInt16LE(quantise(p.latitude, bounds.minLat, bounds.maxLat), i * 4 + 2);
  }

  const truths = truth?.hotspots ?? [];
  const step = Math.max(1, Math.round(points.length / TARGET_FRAMES));
  const frames: ReportData["frames"] = [];
  let minDensity = Infinity;
  let maxDensity = 0;
  const state = new WindowState(points, truths, params.windowSize);
  for (let at = 0; at < points.length; at++) {
    state.advance();
    if ((at + 1) % step !== 0 && at !== points.length - 1) continue;
    const last = points[at];
    const ids = reader ? resultIds(last.result) : [];
    const boxes = (reader ? reader.read(last.result) : []).map((b, i) => {
      minDensity = Math.min(minDensity, b.density);
      maxDensity = Math.max(maxDensity, b.density);
      const t = matchTruth(b, truths, state);
      const box: ReportBox = [
        round6(b.minLongitude),
        round6(b.minLatitude),
        round6(b.maxLongitude),
        round6(b.maxLatitude),
        Math.round(b.density),
        t,
        ids[i] ?? null,
      ];
      return box;
    });
    frames.push([at, last.time, boxes]);
  }

  const outcomes = input.evaluation.truth?.hotspots ?? [];
  return {
    bounds,
    windowSize: params.windowSize,
    records: points.length,
    points: buffer.toString("base64"),
    pointStride: stride,
    frames,
    truth: truths.map((h, t) => ({
      id: h.id,
      name: h.name,
      lon: h.longitude,
      lat: h.latitude,
      endLon: h.endLongitude,
      endLat: h.endLatitude,
      radius: h.radius,
      start: Date.parse(h.startTime),
      end: Date.parse(h.endTime),
      startPos: firstPosition(points, (pt) => pt.row >= h.startRow),
      endPos: lastPosition(points, (pt) => pt.row <= h.endRow),
      found: outcomes[t]?.found ?? false,
    })),
    densityRange: maxDensity > 0 ? [Math.floor(minDensity), Math.ceil(maxDensity)] : [0, 1],
    events: timelineEvents(input.events ?? []),
  };
}

/** The hotspotId of each box of a HOTSPOTS_RESULT with ids, in box order (none in KDA's shape). */
function resultIds(result: string): (string | null)[] {
  if (!result.includes('"hotspotId"')) return [];
  return ((JSON.parse(result) as { hotspots?: { hotspotId?: string | null }[] }).hotspots ?? []).map(
    (h) => h.hotspotId ?? null,
  );
}

function timelineEvents(events: readonly HotspotEvent[]): ReportEvent[] {
  const types: readonly string[] = TIMELINE_EVENT_TYPES;
  return events
    .filter((e) => types.includes(e.type))
    .map((e): ReportEvent => [e.position, types.indexOf(e.type), e.hotspotId])
    .sort((a, b) => a[0] - b[0]);
}

/** The truth's map area when there is one, else the events' extent with a margin. */
function mapBounds(points: readonly OutputPoint[], truth?: GroundTruth): ReportData["bounds"] {
  if (truth?.area) {
    const a = truth.area;
    return { minLon: a.minLongitude, maxLon: a.maxLongitude, minLat: a.minLatitude, maxLat: a.maxLatitude };
  }
  let minLon = Infinity;
  let maxLon = -Infinity;
  let minLat = Infinity;
  let maxLat = -Infinity;
  for (const p of points) {
    minLon = Math.min(minLon, p.longitude);
    maxLon = Math.max(maxLon, p.longitude);
    minLat = Math.min(minLat, p.latitude);
    maxLat = Math.max(maxLat, p.latitude);
  }
  if (!Number.isFinite(minLon)) return { minLon: -1, maxLon: 1, minLat: -1, maxLat: 1 };
  const padLon = Math.max((maxLon - minLon) * 0.02, 1e-4);
  const padLat = Math.max((maxLat - minLat) * 0.02, 1e-4);
  return { minLon: minLon - padLon, maxLon: maxLon + padLon, minLat: minLat - padLat, maxLat: maxLat + padLat };
}

function quantise(value: number, min: number, max: number): number {
  const f = (value - min) / (max - min);
  return Math.round(Math.min(1, Math.max(0, f)) * QUANTISED_MAX);
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function firstPosition(points: readonly OutputPoint[], test: (p: OutputPoint) => boolean): number {
  for (let i = 0; i < points.length; i++) if (test(points[i])) return i;
  return points.length;
}

function lastPosition(points: readonly OutputPoint[], test: (p: OutputPoint) => boolean): number {
  for (let i = points.length - 1; i >= 0; i--) if (test(points[i])) return i;
  return -1;
}
