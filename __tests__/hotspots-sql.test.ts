/**
 * Rendering sql/hotspots.sql: only the configured columns reach HOTSPOTS as numbers, every other
 * numeric field passes through as text and comes back as its SQL type; the template is complete.
 */
import { readFileSync } from "node:fs";
import { DEFAULT_HOTSPOTS_PARAMETERS, EVENT_FIELDS, NUMERIC_FIELD_NAMES } from "@hotspots/core";
import {
  inputRecordColumns,
  renderHotspotsSql,
  renderTemplate,
  SQL_TEMPLATE_FILE,
  sqlPlaceholders,
} from "../stacks/hotspots-sql";

const template = readFileSync(SQL_TEMPLATE_FILE, "utf8");

/** The lines of the cursor, between CURSOR(SELECT STREAM and FROM "SOURCE_SQL_STREAM_001". */
function cursorLines(sql: string): string[] {
  const match = /CURSOR\(SELECT STREAM\n([\s\S]*?)\n\s*FROM "SOURCE_SQL_STREAM_001"\)/.exec(sql);
  if (!match) throw new Error("no cursor in the SQL");
  return match[1].split(",\n").map((l) => l.trim());
}

describe("the template", () => {
  it("uses exactly the placeholders the renderer fills", () => {
    const used = new Set([...template.matchAll(/\{\{([A-Z_]+)\}\}/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.keys(sqlPlaceholders(DEFAULT_HOTSPOTS_PARAMETERS)).sort());
  });

  it("explains the pass-through casts in a comment", () => {
    expect(template).toMatch(/-- Why the casts: HOTSPOTS analyses EVERY numeric column of its cursor/);
  });

  it("an unknown placeholder is an error that names it", () => {
    expect(() => renderTemplate("{{WINDOW_SIZE}} {{NOPE}}", { WINDOW_SIZE: "1" })).toThrow(
      "sql/hotspots.sql: unknown placeholder {{NOPE}}; known: WINDOW_SIZE",
    );
  });
});

describe("rendering", () => {
  it("puts the analysed columns first, in order, and casts every other numeric field to VARCHAR", () => {
    const sql = renderHotspotsSql({ ...DEFAULT_HOTSPOTS_PARAMETERS, columns: ["speed", "latitude"] });
    const cursor = cursorLines(sql);
    expect(cursor.slice(0, 2)).toEqual(['"speed"', '"latitude"']);
    const numericInCursor = cursor.filter((line) => NUMERIC_FIELD_NAMES.some((n) => line === `"${n}"`));
    expect(numericInCursor).toEqual(['"speed"', '"latitude"']);
    for (const other of NUMERIC_FIELD_NAMES.filter((n) => n !== "speed" && n !== "latitude")) {
      expect(cursor).toContain(`CAST("${other}" AS VARCHAR(32)) AS "${other}"`);
      const sqlType = EVENT_FIELDS.find((f) => f.name === other)!.sqlType;
      expect(sql).toContain(`CAST("${other}" AS ${sqlType}) AS "${other}"`);
    }
    expect(cursor).toHaveLength(EVENT_FIELDS.length);
  });

  it("declares every event field and HOTSPOTS_RESULT in the output stream, in record order", () => {
    const sql = renderHotspotsSql(DEFAULT_HOTSPOTS_PARAMETERS);
    const declared = [...sql.matchAll(/^ {4}"(\w+)" [A-Z]+/gm)].map((m) => m[1]);
    expect(declared).toEqual([...EVENT_FIELDS.map((f) => f.name), "HOTSPOTS_RESULT"]);
  });

  it("writes the parameters as SQL literals", () => {
    const sql = renderHotspotsSql({ windowSize: 250, scanRadius: 1e-7, minimumPoints: 3, columns: ["longitude"] });
    expect(sql).toMatch(/\),\n\s+250,\n\s+1E-7,\n\s+3\)\);\n$/);
    expect(sql).not.toContain("{{");
  });

  it("refuses a column that is not a numeric event field", () => {
    expect(() => renderHotspotsSql({ ...DEFAULT_HOTSPOTS_PARAMETERS, columns: ["player_id"] })).toThrow(
      "hotspots.columns: player_id is not a numeric event field",
    );
  });
});

describe("inputRecordColumns", () => {
  it("maps each event field from the JSON record with its SQL type", () => {
    expect(inputRecordColumns()).toEqual(
      EVENT_FIELDS.map((f) => ({ name: f.name, sqlType: f.sqlType, mapping: `$.${f.name}` })),
    );
  });
});
