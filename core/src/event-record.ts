/**
 * The one definition of a player event: the CSV columns of data-simu.csv, the JSON record
 * the simulator puts into Kinesis, the input schema of the KDA SQL application and the
 * fields the detector passes through. Change it here and every consumer follows.
 */

import { quoteInput } from "./cli/user-error";

export type FieldKind = "string" | "number" | "integer";

export interface EventField {
  readonly name: string;
  readonly kind: FieldKind;
  /** Column type in the Kinesis Data Analytics SQL input schema. */
  readonly sqlType: string;
  /** Inclusive bounds for numeric fields; a value outside them is a bad row. */
  readonly min?: number;
  readonly max?: number;
  readonly description: string;
}

export const EVENT_FIELDS: readonly EventField[] = [
  { name: "event_id", kind: "string", sqlType: "VARCHAR(64)", description: "Unique id of the event" },
  { name: "event_time", kind: "string", sqlType: "VARCHAR(32)", description: "When it happened, ISO 8601 UTC" },
  {
    name: "player_id",
    kind: "string",
    sqlType: "VARCHAR(64)",
    description: "Who it happened to; the default partition key",
  },
  { name: "event_type", kind: "string", sqlType: "VARCHAR(32)", description: "move, attack, loot, chat, ..." },
  { name: "latitude", kind: "number", sqlType: "DOUBLE", min: -90, max: 90, description: "Degrees north" },
  { name: "longitude", kind: "number", sqlType: "DOUBLE", min: -180, max: 180, description: "Degrees east" },
  { name: "score", kind: "integer", sqlType: "INTEGER", description: "Player score at the event" },
  { name: "health", kind: "integer", sqlType: "INTEGER", min: 0, max: 100, description: "Player health, percent" },
  { name: "speed", kind: "number", sqlType: "DOUBLE", min: 0, description: "Player speed, metres per second" },
];

export interface PlayerEvent {
  event_id: string;
  event_time: string;
  player_id: string;
  event_type: string;
  latitude: number;
  longitude: number;
  score: number;
  health: number;
  speed: number;
}

export const EVENT_FIELD_NAMES: readonly string[] = EVENT_FIELDS.map((f) => f.name);
export const DEFAULT_PARTITION_KEY_FIELD = "player_id";
export const EVENT_TIME_FIELD = "event_time";

export type ParsedEvent = { ok: true; event: PlayerEvent } | { ok: false; reason: string };

const FIELD_BY_NAME = new Map(EVENT_FIELDS.map((f) => [f.name, f]));

export function eventField(name: string): EventField | undefined {
  return FIELD_BY_NAME.get(name);
}

/** The fields that may be analysed by HOTSPOTS: numeric ones. */
export const NUMERIC_FIELD_NAMES: readonly string[] = EVENT_FIELDS.filter((f) => f.kind !== "string").map(
  (f) => f.name,
);

/**
 * Types one row of strings (a CSV row keyed by header) into a PlayerEvent.
 * Pure and allocation-light; returns a reason instead of throwing so callers can count bad rows.
 */
export function parseEvent(row: Readonly<Record<string, string | undefined>>): ParsedEvent {
  const event: Record<string, string | number> = {};
  for (const field of EVENT_FIELDS) {
    const raw = row[field.name];
    if (raw === undefined) return { ok: false, reason: `missing field "${field.name}"` };
    if (field.kind === "string") {
      event[field.name] = raw;
      continue;
    }
    const reason = numericProblem(field, raw);
    if (reason) return { ok: false, reason };
    event[field.name] = Number(raw);
  }
  return { ok: true, event: event as unknown as PlayerEvent };
}

/** Validates an already-decoded JSON object (a stream record) against the definition. */
export function validateEvent(value: unknown): ParsedEvent {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, reason: "record is not a JSON object" };
  }
  const record = value as Record<string, unknown>;
  for (const field of EVENT_FIELDS) {
    const v = record[field.name];
    if (v === undefined) return { ok: false, reason: `missing field "${field.name}"` };
    if (field.kind === "string") {
      if (typeof v !== "string") return { ok: false, reason: `field "${field.name}" must be a string` };
      continue;
    }
    if (typeof v !== "number")
      return { ok: false, reason: `field "${field.name}" must be a number, got ${JSON.stringify(v)}` };
    const reason = numericProblem(field, String(v));
    if (reason) return { ok: false, reason };
  }
  return { ok: true, event: record as unknown as PlayerEvent };
}

function numericProblem(field: EventField, raw: string): string | undefined {
  const text = raw.trim();
  const value = Number(text);
  if (text === "" || !Number.isFinite(value)) {
    return `field "${field.name}" must be a number, got ${quoteInput(raw, 60)}`;
  }
  if (field.kind === "integer" && !Number.isInteger(value)) {
    return `field "${field.name}" must be an integer, got ${quoteInput(raw, 60)}`;
  }
  if ((field.min !== undefined && value < field.min) || (field.max !== undefined && value > field.max)) {
    return `field "${field.name}" must be within ${rangeText(field)}, got ${text}`;
  }
  return undefined;
}

function rangeText(field: EventField): string {
  if (field.min !== undefined && field.max !== undefined) return `[${field.min}, ${field.max}]`;
  if (field.min !== undefined) return `>= ${field.min}`;
  return `<= ${field.max}`;
}
