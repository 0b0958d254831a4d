/**
 * The SQL engine's two inputs derived from the one event record definition: the application
 * code (sql/hotspots.sql rendered with the HOTSPOTS parameters) and the input record schema.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { EVENT_FIELDS, type EventField, type HotspotsParameters } from "@hotspots/core";
import { REPO_ROOT } from "./paths";

export const SQL_TEMPLATE_FILE = resolve(REPO_ROOT, "sql/hotspots.sql");

/** Numbers that must pass HOTSPOTS unanalysed travel as text this wide (a DOUBLE prints in < 25 characters). */
export const PASS_THROUGH_VARCHAR = "VARCHAR(32)";

const INDENT_COLUMNS = "    ";
const INDENT_SELECT = "      ";
const INDENT_CURSOR = "        ";

function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A SQL numeric literal: plain decimal, or E notation for very small or large values. */
function sqlNumber(value: number): string {
  return String(value).toUpperCase();
}

function isNumeric(field: EventField): boolean {
  return field.kind !== "string";
}

/** The values of every {{PLACEHOLDER}} of the template. */
export function sqlPlaceholders(
  params: HotspotsParameters,
  fields: readonly EventField[] = EVENT_FIELDS,
): Record<string, string> {
  const analysed = new Set(params.columns);
  const byName = new Map(fields.map((f) => [f.name, f]));
  for (const column of params.columns) {
    const field = byName.get(column);
    if (!field || !isNumeric(field)) throw new Error(`hotspots.columns: ${column} is not a numeric event field`);
  }
  const others = fields.filter((f) => !analysed.has(f.name));
  const cursor = [
    ...params.columns.map((c) => quoted(c)),
    ...others.map((f) =>
      isNumeric(f) ? `CAST(${quoted(f.name)} AS ${PASS_THROUGH_VARCHAR}) AS ${quoted(f.name)}` : quoted(f.name),
    ),
  ];
  const output = fields.map((f) =>
    isNumeric(f) && !analysed.has(f.name)
      ? `CAST(${quoted(f.name)} AS ${f.sqlType}) AS ${quoted(f.name)}`
      : quoted(f.name),
  );
  return {
    ANALYSED_COLUMNS: params.columns.join(", "),
    OUTPUT_COLUMNS: fields.map((f) => `${INDENT_COLUMNS}${quoted(f.name)} ${f.sqlType}`).join(",\n"),
    OUTPUT_SELECT: output.map((s) => `${INDENT_SELECT}${s}`).join(",\n"),
    CURSOR_SELECT: cursor.map((s) => `${INDENT_CURSOR}${s}`).join(",\n"),
    WINDOW_SIZE: String(params.windowSize),
    SCAN_RADIUS: sqlNumber(params.scanRadius),
    MINIMUM_POINTS: String(params.minimumPoints),
  };
}

/** Fills every {{NAME}} of the template; an unknown or unfilled placeholder is an error. */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  const rendered = template.replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined)
      throw new Error(`sql/hotspots.sql: unknown placeholder {{${name}}}; known: ${Object.keys(values).join(", ")}`);
    return value;
  });
  return rendered;
}

/** The application code for these parameters, from sql/hotspots.sql. */
export function renderHotspotsSql(
  params: HotspotsParameters,
  template = readFileSync(SQL_TEMPLATE_FILE, "utf8"),
): string {
  return renderTemplate(template, sqlPlaceholders(params));
}

export interface InputColumn {
  readonly name: string;
  readonly sqlType: string;
  readonly mapping: string;
}

/** The input schema of the SQL application: one column per event field, mapped from the JSON record. */
export function inputRecordColumns(fields: readonly EventField[] = EVENT_FIELDS): InputColumn[] {
  return fields.map((f) => ({ name: f.name, sqlType: f.sqlType, mapping: `$.${f.name}` }));
}
