import type { HotspotsParameters } from "@hotspots/core";
import type { HotspotDetector } from "../engine";
import {
  HotspotTracker,
  ResultWithIds,
  type HotspotEvent,
  type TrackerState,
  type TrackingParameters,
} from "../tracking";
import type { CheckpointedState, RestartPoint } from "./checkpoint-store";

/** Hotspot tracking in stream mode: what the caller asks for. */
export interface StreamTracking {
  /** Defaults: DEFAULT_TRACKING_PARAMETERS. */
  readonly parameters?: Partial<TrackingParameters>;
  /** Output records carry HOTSPOTS_RESULT with each hotspot's hotspotId (the opt-in shape); default false. */
  readonly resultWithIds?: boolean;
  /** After each batch of records was written to the sink: the events they triggered, in order, and the window then. */
  readonly onEvents?: (events: readonly HotspotEvent[], window: TrackedWindow) => void;
  /**
   * Where the events go at least once (an EventBridgeSink): put after each batch, and flushed right
   * after the output sink before every checkpoint and on stop, so the events of the records before a
   * checkpoint are accepted before it is saved. A failed put or flush fails the run, the checkpoint
   * not saved: after a restart the records since the last checkpoint give the same events again,
   * with the same eventId.
   */
  readonly eventSink?: HotspotEventSink;
}

/** What the stream detector needs of an event destination; events of one hotspot must stay in the order put. */
export interface HotspotEventSink {
  /** Queues the events in order; may send some (rejects when that fails). */
  put(events: readonly HotspotEvent[]): Promise<void>;
  /** Resolves once every event put before it is accepted; rejects otherwise. */
  flush(): Promise<void>;
}

/** The hotspots of the window after a batch, with their ids. */
export interface TrackedWindow {
  /** Records analysed since the start (the position of the next one). */
  readonly records: number;
  /** event_time of the latest record. */
  readonly eventTime: string | null;
  readonly hotspots: readonly { hotspotId: string | null; density: number; minValues: number[]; maxValues: number[] }[];
}

/**
 * The tracker beside the stream detector's engine: fed after every push with the record's event time,
 * member value and origin; collects the batch's events for StreamTracking.onEvents. It is the stream
 * detector's checkpointed state: restore() starts it, from the saved state when the window was
 * rebuilt as it was, so ids and event counters go on across a restart; it watches the engine only from
 * then on (the records replayed into the window are not events).
 */
export class StreamTracker implements CheckpointedState {
  private tracker: HotspotTracker;
  private readonly withIds: ResultWithIds | undefined;
  private readonly memberColumn: string;
  private events: HotspotEvent[] = [];
  private records = 0;
  private eventTime: string | null = null;

  constructor(
    private readonly engine: HotspotDetector,
    private readonly params: HotspotsParameters,
    private readonly tracking: StreamTracking,
  ) {
    // Validates the parameters now; restore() attaches a tracker to the engine.
    this.tracker = new HotspotTracker(engine, params, tracking.parameters);
    this.memberColumn = this.tracker.tracking.memberColumn;
    this.withIds = tracking.resultWithIds
      ? new ResultWithIds(engine, (root) => this.tracker.hotspotIdOfRoot(root))
      : undefined;
  }

  save(): TrackerState {
    return this.tracker.toState();
  }

  restore(saved: unknown, start: RestartPoint): void {
    const state = saved as TrackerState | undefined;
    if (state !== undefined && start.windowRebuilt) {
      this.tracker = HotspotTracker.restore(this.engine, this.params, this.tracking.parameters ?? {}, state);
    } else {
      this.tracker = new HotspotTracker(this.engine, this.params, this.tracking.parameters);
      // A window rebuilt without the state: its hotspots are new to this tracker.
      if (this.engine.windowLength > 0) this.tracker.componentsRebuilt();
    }
    this.engine.observeComponents(this.tracker);
  }

  /** Call right after engine.push(record's values). */
  afterPush(record: Record<string, unknown>, shardId: string, sequenceNumber: string): void {
    const time = record.event_time;
    const member = record[this.memberColumn];
    this.eventTime = typeof time === "string" ? time : null;
    this.records++;
    const events = this.tracker.afterPush(
      this.eventTime,
      member === undefined || member === null ? undefined : String(member),
      { shardId, sequenceNumber },
    );
    for (const e of events) this.events.push(e);
  }

  /** HOTSPOTS_RESULT of the output record, as a JSON string literal: with ids when asked for. */
  get resultJson(): string {
    return this.withIds ? this.withIds.resultJson : this.engine.hotspotsResultJson;
  }

  /** Hands the batch's events and the window to onEvents, and the events to the event sink. */
  async batchDone(): Promise<void> {
    const events = this.events;
    this.events = [];
    if (this.tracking.eventSink && events.length > 0) await this.tracking.eventSink.put(events);
    if (!this.tracking.onEvents) return;
    const hotspots = this.engine.hotspots.map((h, i) => ({
      hotspotId: this.tracker.hotspotIdOfRoot(this.engine.hotspotRoot(i)),
      density: h.density,
      minValues: [...h.minValues],
      maxValues: [...h.maxValues],
    }));
    this.tracking.onEvents(events, { records: this.records, eventTime: this.eventTime, hotspots });
  }
}
