import { once } from "node:events";
import type { Writable } from "node:stream";
import type { HotspotsParameters } from "@hotspots/core";
import type { HotspotDetector } from "../engine";
import { HotspotTracker, ResultWithIds, type TrackingParameters } from "../tracking";

/** Hotspot tracking in an offline run: what to track with and what to write. */
export interface OfflineTrackingOptions {
  readonly params: TrackingParameters;
  /** Where the lifecycle events go, one JSON object per line; none when absent. */
  readonly events?: Writable;
  /** Adds each hotspot's hotspotId to HOTSPOTS_RESULT. */
  readonly resultIds: boolean;
}

/** Events are written in chunks of about this many characters, as the output records are. */
const WRITE_CHUNK_CHARS = 64 * 1024;

/** A tracker attached to the run's engine, its events buffered into NDJSON and its ids put into the result on request. */
export class OfflineTracking {
  private readonly tracker: HotspotTracker;
  private readonly withIds: ResultWithIds | undefined;
  private readonly memberColumn: string;
  private chunk = "";
  eventsWritten = 0;

  constructor(
    private readonly detector: HotspotDetector,
    hotspots: HotspotsParameters,
    private readonly options: OfflineTrackingOptions,
  ) {
    this.tracker = new HotspotTracker(detector, hotspots, options.params);
    detector.observeComponents(this.tracker);
    this.memberColumn = options.params.memberColumn;
    this.withIds = options.resultIds
      ? new ResultWithIds(detector, (root) => this.tracker.hotspotIdOfRoot(root))
      : undefined;
  }

  /** After the engine took `record`: tracks it, and returns the record's result as a JSON string literal. */
  afterPush(record: Record<string, unknown>): string {
    const time = record.event_time;
    const member = record[this.memberColumn];
    const events = this.tracker.afterPush(
      typeof time === "string" ? time : time === undefined || time === null ? null : String(time),
      member === undefined || member === null || member === "" ? undefined : String(member),
    );
    if (this.options.events !== undefined) {
      for (const event of events) this.chunk += `${JSON.stringify(event)}\n`;
      this.eventsWritten += events.length;
    }
    return this.withIds === undefined ? this.detector.hotspotsResultJson : this.withIds.resultJson;
  }

  /** Writes the buffered events when there are enough of them, or all of them with `all`. */
  async flush(all = false): Promise<void> {
    const out = this.options.events;
    if (out === undefined || this.chunk === "" || (!all && this.chunk.length < WRITE_CHUNK_CHARS)) return;
    const ok = out.write(this.chunk);
    this.chunk = "";
    if (!ok) await once(out, "drain");
  }
}
