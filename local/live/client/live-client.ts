/**
 * The live map's script, bundled by esbuild and inlined into the page (no network but its own event
 * stream, no libraries): follows GET /events and draws the window's hotspots as they emerge, move
 * (a trail of their centres) and end, with a table of the hotspots now and a log of events.
 * When it has drawn a hotspot it saw emerge, <body data-emerged-drawn> holds how many.
 */
import type { LiveEnd, LiveHello, LiveHotspotEvent, LiveWindow } from "../live-messages";
import { EVENT_COLOURS, idColour } from "../../report/client/event-colours";
import { createMapView, type Area, type DrawnBox } from "./map-view";

/** An ended hotspot stays on the map, dashed, this long. */
const GONE_MS = 4000;
/** A new hotspot gets a ring this long. */
const FRESH_MS = 3000;
/** ...and only while the stream is within this many windows of the event (not for events replayed to a late page). */
const RECENT_WINDOWS = 2;
/** Points kept on a hotspot's trail. */
const TRAIL_POINTS = 400;
/** Events kept in the log. */
const LOG_ITEMS = 300;

interface Tracked {
  emergedAt?: number;
  /** Stream position of its emergence. */
  emergedPosition?: number;
  since: string | null;
  members?: number;
  gone?: { at: number; position: number; box: DrawnBox };
}

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`the live map has no ${type.name} #${id}`);
  return el;
}

function main(): void {
  const status = byId("status", HTMLElement);
  const table = byId("hotspots", HTMLTableElement).tBodies[0];
  const log = byId("events", HTMLOListElement);
  const canvas = byId("map", HTMLCanvasElement);
  let lon = 0;
  let lat = 1;
  let area: Area | undefined;
  let draw: ReturnType<typeof createMapView> | undefined;
  let current: LiveWindow = { records: 0, eventTime: null, hotspots: [] };
  let windowSize = 1000;
  const recent = (position: number): boolean => current.records - position <= RECENT_WINDOWS * windowSize;
  let ended: string | undefined;
  const tracked = new Map<string, Tracked>();
  const trails = new Map<string, [number, number][]>();
  const emergedDrawn = new Set<string>();

  const boxOf = (
    hotspotId: string | null,
    minValues: number[],
    maxValues: number[],
    state: "live" | "gone",
    fresh = false,
  ): DrawnBox => ({
    hotspotId,
    minLon: minValues[lon],
    minLat: minValues[lat],
    maxLon: maxValues[lon],
    maxLat: maxValues[lat],
    state,
    fresh,
  });

  /** Without an area from the server, the map spans what it has seen, with a margin. */
  const ensureArea = (boxes: readonly DrawnBox[]): void => {
    if (area && draw) return;
    if (boxes.length === 0) return;
    const pad = 0.02;
    area = {
      minLon: Math.min(...boxes.map((b) => b.minLon)) - pad,
      maxLon: Math.max(...boxes.map((b) => b.maxLon)) + pad,
      minLat: Math.min(...boxes.map((b) => b.minLat)) - pad,
      maxLat: Math.max(...boxes.map((b) => b.maxLat)) + pad,
    };
    draw = createMapView(canvas, area);
  };

  const render = (): void => {
    const now = Date.now();
    const boxes: DrawnBox[] = [];
    for (const [id, t] of tracked) {
      if (t.gone && now - t.gone.at < GONE_MS && recent(t.gone.position)) boxes.push(t.gone.box);
      else if (t.gone) tracked.delete(id);
    }
    for (const h of current.hotspots) {
      const t = h.hotspotId === null ? undefined : tracked.get(h.hotspotId);
      const fresh = t?.emergedAt !== undefined && now - t.emergedAt < FRESH_MS && recent(t.emergedPosition ?? 0);
      boxes.push(boxOf(h.hotspotId, h.minValues, h.maxValues, "live", fresh));
    }
    ensureArea(boxes);
    if (!draw) return;
    draw(boxes, trails);
    for (const b of boxes) {
      if (b.state === "live" && b.hotspotId !== null && tracked.get(b.hotspotId)?.emergedAt !== undefined)
        emergedDrawn.add(b.hotspotId);
    }
    if (emergedDrawn.size > 0) document.body.dataset.emergedDrawn = String(emergedDrawn.size);
  };

  const showStatus = (): void => {
    const ids = current.hotspots.filter((h) => h.hotspotId !== null).length;
    const base = `${current.records.toLocaleString("en-US")} records analysed${current.eventTime ? `, up to ${current.eventTime}` : ""}; ${ids} hotspot${ids === 1 ? "" : "s"} in the window`;
    status.textContent = ended ? `${base}. ${ended}` : base;
  };

  const showTable = (): void => {
    table.replaceChildren(
      ...current.hotspots
        .filter((h) => h.hotspotId !== null)
        .map((h) => {
          const id = h.hotspotId as string;
          const row = document.createElement("tr");
          const cells = [id, String(tracked.get(id)?.members ?? ""), tracked.get(id)?.since ?? ""];
          for (const text of cells) {
            const td = document.createElement("td");
            td.textContent = text;
            row.append(td);
          }
          (row.firstChild as HTMLElement).style.color = idColour(id);
          return row;
        }),
    );
  };

  const onEvent = (e: LiveHotspotEvent): void => {
    const t = tracked.get(e.hotspotId) ?? { since: e.eventTime };
    tracked.set(e.hotspotId, t);
    t.members = e.members;
    if (e.type === "emerged" || e.type === "split") {
      t.emergedAt = Date.now();
      t.emergedPosition = e.position;
    }
    if (e.type === "dissolved" || e.type === "merged") {
      t.gone = { at: Date.now(), position: e.position, box: boxOf(e.hotspotId, e.minValues, e.maxValues, "gone") };
      trails.delete(e.hotspotId);
    }
    const item = document.createElement("li");
    const type = document.createElement("span");
    type.className = `type ${e.type}`;
    type.style.color = EVENT_COLOURS[e.type];
    type.textContent = e.type;
    const related =
      e.relatedIds.length > 0
        ? ` (${e.type === "merged" ? "into" : e.type === "split" ? "from" : "with"} ${e.relatedIds.join(", ")})`
        : "";
    item.append(
      type,
      `${e.hotspotId}${related}: ${e.members} members at record ${e.position}${e.eventTime ? `, ${e.eventTime}` : ""}`,
    );
    log.prepend(item);
    while (log.children.length > LOG_ITEMS) log.lastElementChild?.remove();
  };

  const source = new EventSource("events");
  source.addEventListener("hello", (m) => {
    const hello = JSON.parse((m as MessageEvent<string>).data) as LiveHello;
    windowSize = hello.windowSize;
    lon = hello.columns.indexOf("longitude");
    lat = hello.columns.indexOf("latitude");
    if (lon < 0 || lat < 0) {
      status.textContent = `the analysed columns (${hello.columns.join(", ")}) are not longitude and latitude: nothing to draw on a map`;
      source.close();
      return;
    }
    if (hello.area && !draw) {
      area = hello.area;
      draw = createMapView(canvas, area);
    }
  });
  source.addEventListener("hotspot", (m) => {
    onEvent(JSON.parse((m as MessageEvent<string>).data) as LiveHotspotEvent);
    render();
  });
  source.addEventListener("window", (m) => {
    current = JSON.parse((m as MessageEvent<string>).data) as LiveWindow;
    for (const h of current.hotspots) {
      if (h.hotspotId === null) continue;
      const trail = trails.get(h.hotspotId) ?? [];
      trail.push([(h.minValues[lon] + h.maxValues[lon]) / 2, (h.minValues[lat] + h.maxValues[lat]) / 2]);
      if (trail.length > TRAIL_POINTS) trail.shift();
      trails.set(h.hotspotId, trail);
    }
    render();
    showTable();
    showStatus();
  });
  source.addEventListener("end", (m) => {
    ended = (JSON.parse((m as MessageEvent<string>).data) as LiveEnd).message;
    document.body.dataset.ended = "true";
    showStatus();
    // The run is over and its server goes: no reconnecting.
    source.close();
  });
  source.addEventListener("error", () => {
    if (!ended) status.textContent = "disconnected: reconnecting\u2026";
  });
  // Ended hotspots fade out and rings go even when no message comes.
  setInterval(render, 500);
}

main();
