/**
 * Hotspot lifecycle events per record, measured by running the detector's engine and tracker over
 * the environment's event file, as the container does in stream mode (default tracking settings, the
 * ones the ECS task runs with). The tracker counts in records, not in seconds, so events per record
 * times the stream's record rate is the event rate.
 */
import { parseEvent, type HotspotsParameters } from "@hotspots/core";
import { HotspotDetector, HotspotTracker } from "@hotspots/detector";

export interface MeasuredEventRate {
  /** Valid rows run through the detector. */
  readonly records: number;
  /** Lifecycle events the tracker gave over them. */
  readonly events: number;
}

/** Runs the file (CSV with a header row, unquoted fields, in file order) through the engine and tracker. */
export function measureHotspotEventRate(
  csvText: string,
  params: HotspotsParameters,
  source = "the event file",
): MeasuredEventRate {
  const lines = csvText.split(/\r?\n/).filter((l) => l !== "");
  if (lines.length < 2) throw new Error(`${source} must have a header row and at least one event row`);
  const header = lines[0].split(",");
  const engine = new HotspotDetector(params);
  const tracker = new HotspotTracker(engine, params);
  engine.observeComponents(tracker);
  const member = tracker.tracking.memberColumn;
  const values = new Float64Array(params.columns.length);
  let records = 0;
  let events = 0;
  for (let i = 1; i < lines.length; i++) {
    const fields = lines[i].split(",");
    const row: Record<string, string> = {};
    header.forEach((name, j) => {
      row[name] = fields[j];
    });
    const parsed = parseEvent(row);
    if (!parsed.ok) continue;
    const event = parsed.event as unknown as Record<string, string | number>;
    params.columns.forEach((c, j) => {
      values[j] = Number(event[c]);
    });
    engine.push(values);
    const memberValue = event[member];
    events += tracker.afterPush(
      String(event.event_time),
      memberValue === undefined ? undefined : String(memberValue),
    ).length;
    records++;
  }
  if (records === 0) throw new Error(`${source} has no valid event row`);
  return { records, events };
}
