-- HOTSPOTS over the player events, for the Kinesis Data Analytics SQL engine (engine "kda-sql").
-- A template: stacks/hotspots-sql.ts fills each placeholder in double braces at synth from the event record
-- definition (core/src/event-record.ts) and the environment's HOTSPOTS parameters, the same ones
-- the detector uses.
--
-- Why the casts: HOTSPOTS analyses EVERY numeric column of its cursor, and only the configured
-- columns ({{ANALYSED_COLUMNS}}) must count. So the cursor selects those as they are, first and in
-- the configured order (the order of minValues/maxValues in HOTSPOTS_RESULT), and casts every other
-- numeric field to VARCHAR, which HOTSPOTS passes through unanalysed. The pump then casts them back
-- to their SQL type, so the output has the shape of the detector's: every event field with numbers
-- as numbers, plus HOTSPOTS_RESULT (a JSON string).

CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
{{OUTPUT_COLUMNS}},
    "HOTSPOTS_RESULT" VARCHAR(10000));

CREATE OR REPLACE PUMP "HOTSPOTS_PUMP" AS
  INSERT INTO "DESTINATION_SQL_STREAM"
    SELECT STREAM
{{OUTPUT_SELECT}},
      "HOTSPOTS_RESULT"
    FROM TABLE(HOTSPOTS(
      CURSOR(SELECT STREAM
{{CURSOR_SELECT}}
        FROM "SOURCE_SQL_STREAM_001"),
      {{WINDOW_SIZE}},
      {{SCAN_RADIUS}},
      {{MINIMUM_POINTS}}));
