/**
 * Record sizes and GZIP ratios measured on the environment's own event file, so the estimate
 * uses the bytes the pipeline will really send rather than a guess.
 */
import { gzipSync } from "node:zlib";
import { HOTSPOT_DETAIL_TYPES, HOTSPOT_EVENT_SOURCE, HOTSPOTS_RESULT_COLUMN, parseEvent } from "@hotspots/core";

export interface MeasuredRecords {
  /** Valid rows measured. */
  readonly rows: number;
  /** Rows skipped because parseEvent refused them. */
  readonly badRows: number;
  /** Mean bytes of one event as the JSON record the simulator puts into Kinesis. */
  readonly eventBytes: number;
  /** Mean bytes of one detector output record: the event plus HOTSPOTS_RESULT. */
  readonly outputBytes: number;
  /** GZIP size / raw size of newline-delimited event records (the raw archive). */
  readonly eventCompressionRatio: number;
  /** GZIP size / raw size of newline-delimited output records (the results). */
  readonly outputCompressionRatio: number;
  /** Bytes of one hotspot lifecycle event as a PutEvents entry (assumedHotspotEvent with the file's player ids). */
  readonly hotspotEventBytes: number;
}

/** The member values a hotspot event lists at most (the tracker's default cap). */
export const ASSUMED_MEMBER_VALUES = 50;

/**
 * A `changed` event of a hotspot holding ASSUMED_MEMBER_VALUES players of the file (the event shape
 * of the detector's tracking: ids, the triggering record, centroid and box over longitude and
 * latitude, members, member values, H3 cell), at the precision the detector prints.
 */
export function assumedHotspotEvent(playerIds: readonly string[], eventTime: string): Record<string, unknown> {
  const values = [...playerIds].sort().slice(0, ASSUMED_MEMBER_VALUES);
  return {
    eventId: "h-1a:12",
    type: "changed",
    hotspotId: "h-1a",
    relatedIds: [],
    eventTime,
    position: 1234567,
    shardId: "shardId-000000000001",
    sequenceNumber: "49590338271490256608559692538361571095921575989136588898",
    centroid: [-122.382511, 47.539637],
    minValues: [-122.389012, 47.533137],
    maxValues: [-122.376011, 47.546138],
    density: 152.8463017,
    members: 140,
    memberValues: { column: "player_id", values, count: Math.max(values.length, 97) },
    h3: { resolution: 9, cell: "8928d557067ffff" },
  };
}

/**
 * An assumed HOTSPOTS_RESULT: one hotspot over the two default columns, numbers at the precision
 * the detector prints. Real results hold zero to a few hotspots; this is the typical size.
 */
export const ASSUMED_HOTSPOTS_RESULT = JSON.stringify({
  hotspots: [{ density: 152.8463017, minValues: [-122.389012, 47.533137], maxValues: [-122.376011, 47.546138] }],
});

/** Firehose compresses whole buffered objects; 5 MiB is the default buffer, enough for a stable ratio. */
const COMPRESSION_SAMPLE_BYTES = 5 * 1024 * 1024;

/**
 * Measures the event file (CSV with a header row, unquoted fields as data-simu.csv is written).
 * Throws a one-line error naming the file's problem when it has no valid row or a quoted field.
 */
export function measureRecords(csvText: string, source = "the event file"): MeasuredRecords {
  const lines = csvText.split(/\r?\n/).filter((l) => l !== "");
  if (lines.length < 2) throw new Error(`${source} must have a header row and at least one event row`);
  const header = lines[0].split(",");
  let rows = 0;
  let badRows = 0;
  let eventTotal = 0;
  let outputTotal = 0;
  const eventSample: string[] = [];
  const outputSample: string[] = [];
  const players = new Set<string>();
  let firstTime = "";
  let sampled = 0;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].includes('"'))
      throw new Error(`${source} line ${i + 1} has a quoted field; the size estimate reads unquoted CSV only`);
    const values = lines[i].split(",");
    const row: Record<string, string> = {};
    header.forEach((name, j) => {
      row[name] = values[j];
    });
    const parsed = parseEvent(row);
    if (!parsed.ok) {
      badRows++;
      continue;
    }
    const event = JSON.stringify(parsed.event);
    const output = JSON.stringify({ ...parsed.event, [HOTSPOTS_RESULT_COLUMN]: ASSUMED_HOTSPOTS_RESULT });
    rows++;
    if (players.size < ASSUMED_MEMBER_VALUES && row.player_id) players.add(row.player_id);
    if (firstTime === "" && row.event_time) firstTime = row.event_time;
    eventTotal += Buffer.byteLength(event);
    outputTotal += Buffer.byteLength(output);
    if (sampled < COMPRESSION_SAMPLE_BYTES) {
      eventSample.push(event);
      outputSample.push(output);
      sampled += output.length + 1;
    }
  }
  if (rows === 0) throw new Error(`${source} has no valid event row (${badRows} rows refused)`);
  return {
    rows,
    badRows,
    eventBytes: eventTotal / rows,
    outputBytes: outputTotal / rows,
    eventCompressionRatio: gzipRatio(eventSample),
    outputCompressionRatio: gzipRatio(outputSample),
    hotspotEventBytes:
      Buffer.byteLength(HOTSPOT_EVENT_SOURCE) +
      Buffer.byteLength(HOTSPOT_DETAIL_TYPES.changed) +
      Buffer.byteLength(JSON.stringify(assumedHotspotEvent([...players], firstTime))),
  };
}

function gzipRatio(records: string[]): number {
  const raw = Buffer.from(`${records.join("\n")}\n`);
  return gzipSync(raw).length / raw.length;
}
