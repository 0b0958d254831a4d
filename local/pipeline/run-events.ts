import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { UserError, type HotspotsParameters } from "@hotspots/core";
import type { HotspotEvent, StreamTracking } from "@hotspots/detector";
import type { LiveHello } from "../live/live-messages";
import { LiveMapServer } from "../live/live-server";
import type { InputIndex } from "./input-index";
import { EVENTS_FILE } from "./out-folder";

export { EVENTS_FILE };

/**
 * The hotspot events of one run: collected from the detector's tracking, sent on to the live map
 * when there is one, written to EVENTS_FILE at the end. The detector's output records carry each
 * hotspot's id (HOTSPOTS_RESULT with ids), so the report can label boxes and score ids per record.
 */
export class RunEvents {
  readonly events: HotspotEvent[] = [];
  readonly tracking: StreamTracking;

  constructor(live?: LiveMapServer) {
    this.tracking = {
      resultWithIds: true,
      onEvents: (batch, window) => {
        for (const e of batch) this.events.push(e);
        if (!live) return;
        live.publishEvents(batch);
        live.publishWindow({ records: window.records, eventTime: window.eventTime, hotspots: [...window.hotspots] });
      },
    };
  }

  /**
   * Writes EVENTS_FILE into `dir` (the run's staging folder: it comes into place with the other
   * results when the run succeeds), one event per line in the order the detector emitted them.
   */
  write(dir: string): string {
    const path = join(dir, EVENTS_FILE);
    writeFileSync(path, this.events.map((e) => `${JSON.stringify(e)}\n`).join(""));
    return path;
  }
}

/**
 * Starts the live map on the loopback address (port 0: any free one), drawing over the input's
 * extent. A port it cannot listen on (taken, or not allowed) is a UserError naming --live-port.
 */
export async function startLiveMap(
  port: number,
  input: InputIndex,
  params: HotspotsParameters,
): Promise<LiveMapServer> {
  const hello: LiveHello = { columns: [...params.columns], windowSize: params.windowSize, area: inputArea(input) };
  try {
    return await LiveMapServer.start({ port, hello });
  } catch (error) {
    if (port === 0) throw error;
    throw new UserError(
      `--live-port ${port}: ${(error as Error).message}; try another port, or --live for any free one`,
    );
  }
}

/** The input's longitude/latitude extent with a small margin, or undefined when it has no rows. */
export function inputArea(input: InputIndex): LiveHello["area"] {
  let minLon = Infinity;
  let maxLon = -Infinity;
  let minLat = Infinity;
  let maxLat = -Infinity;
  for (let i = 0; i < input.longitude.length; i++) {
    const lon = input.longitude[i];
    const lat = input.latitude[i];
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  }
  if (!Number.isFinite(minLon)) return undefined;
  const padLon = Math.max((maxLon - minLon) * 0.02, 1e-3);
  const padLat = Math.max((maxLat - minLat) * 0.02, 1e-3);
  return { minLon: minLon - padLon, maxLon: maxLon + padLon, minLat: minLat - padLat, maxLat: maxLat + padLat };
}
