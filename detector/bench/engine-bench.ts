/**
 * npm run bench -w detector: records/s of the HOTSPOTS engine at windowSize 1000 on a clustered
 * workload of player events, next to the brute-force reference and to passes that only parse the
 * input lines and serialize the output records (plain JSON.stringify, and the detector's
 * serializeOutputLine), in one run; then what hotspot tracking adds to the detector's per-record work
 * and to the engine alone (tracking-cost.ts).
 */
import { cpus } from "node:os";
import { HOTSPOTS_RESULT_COLUMN } from "@hotspots/core";
import { HotspotDetector } from "../src/engine";
import { serializeOutputLine, serializeOutputRecord } from "../src/output-record";
import { BruteForceHotspots } from "../__tests__/support/brute-force-hotspots";
import { BENCH_PARAMS as params, BENCH_RECORDS as RECORDS, benchLines } from "./bench-workload";
import { measureTrackingCost, TRACKING_COST_GUARD } from "./tracking-cost";

/** The reference is O(window^2) per record: time fewer records, after its window has filled. */
const REFERENCE_RECORDS = 300;
const TARGET_VS_REFERENCE = 100;
const TARGET_VS_PARSE_AND_SERIALIZE = 0.5;

/** Best of a few runs: the machine may be shared, and the best run is the least disturbed one. */
function rate(records: number, run: () => void, runs = 3): number {
  let best = 0;
  for (let r = 0; r < runs; r++) {
    const start = process.hrtime.bigint();
    run();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.max(best, records / seconds);
  }
  return best;
}

/** Parses each line, gets its output line from `output` (record, analysed values), returns the characters written. */
function pipeline(lines: string[], output: (record: Record<string, unknown>, values: number[]) => string): number {
  let chars = 0;
  for (const line of lines) {
    const record = JSON.parse(line) as Record<string, number>;
    chars += output(record, [record.longitude, record.latitude]).length;
  }
  return chars;
}

/** The yardstick's serialization: the result put into the parsed record, then JSON.stringify of it all. */
function plainOutput(record: Record<string, unknown>, hotspotsResult: string): string {
  record[HOTSPOTS_RESULT_COLUMN] = hotspotsResult;
  return JSON.stringify(record);
}

async function main(): Promise<void> {
  const lines = benchLines(RECORDS);
  const values = lines.map((line) => {
    const r = JSON.parse(line) as Record<string, number>;
    return [r.longitude, r.latitude];
  });

  // A typical result string, so the parse-and-serialize pass writes records of the real size.
  const warm = new HotspotDetector(params);
  for (const v of values.slice(0, params.windowSize)) warm.push(v);
  const typicalResult = warm.hotspotsResult;
  const typicalResultJson = warm.hotspotsResultJson;
  let sink = 0;

  const withEngine = (d: HotspotDetector) => (record: Record<string, unknown>, v: number[]) => {
    d.push(v);
    return serializeOutputLine(record, d.hotspotsResultJson);
  };
  // Warm-up of every pass, then the measured runs.
  pipeline(lines.slice(0, 5000), (record) => plainOutput(record, typicalResult));
  pipeline(lines.slice(0, 5000), (record) => serializeOutputLine(record, typicalResultJson));
  pipeline(lines.slice(0, 5000), withEngine(new HotspotDetector(params)));

  const parseAndSerialize = rate(
    RECORDS,
    () => (sink += pipeline(lines, (record) => plainOutput(record, typicalResult))),
  );
  const parseAndOutputLine = rate(
    RECORDS,
    () => (sink += pipeline(lines, (record) => serializeOutputLine(record, typicalResultJson))),
  );
  const engineAndIo = (() => {
    const output = withEngine(new HotspotDetector(params));
    return rate(RECORDS, () => (sink += pipeline(lines, output)));
  })();
  // The same pipeline with the plain serialization, as before serializeOutputLine: what it saves.
  const engineAndPlainIo = (() => {
    const d = new HotspotDetector(params);
    return rate(RECORDS, () => (sink += pipeline(lines, (record, v) => plainOutput(record, d.push(v)))));
  })();
  const engineOnly = (() => {
    const d = new HotspotDetector(params);
    return rate(RECORDS, () => {
      for (const v of values) sink += d.push(v).length;
    });
  })();
  const reference = new BruteForceHotspots(params);
  for (const v of values.slice(0, params.windowSize)) reference.push(v);
  const referenceLines = lines.slice(params.windowSize, params.windowSize + REFERENCE_RECORDS);
  const referenceAndIo = rate(
    REFERENCE_RECORDS,
    () => (sink += pipeline(referenceLines, (record, v) => serializeOutputRecord(record, reference.push(v)))),
    1,
  );

  const hotspotsSeen = warm.hotspots.length;
  const fmt = (n: number) => Math.round(n).toLocaleString("en-US").padStart(12);
  console.log(
    `HOTSPOTS engine benchmark: windowSize ${params.windowSize}, scanRadius ${params.scanRadius}, minimumPoints ${params.minimumPoints}, columns ${params.columns.join(",")}`,
  );
  console.log(
    `workload: ${RECORDS} clustered player events (70 % in 6 blobs), ${hotspotsSeen} hotspots in a full window`,
  );
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? "unknown cpu"}, node ${process.version}`);
  console.log(`parse + serialize only      ${fmt(parseAndSerialize)} records/s (JSON.stringify of the output record)`);
  console.log(
    `parse + serializeOutputLine ${fmt(parseAndOutputLine)} records/s (the detector's I/O, result already escaped)`,
  );
  console.log(`parse + engine + serialize  ${fmt(engineAndIo)} records/s (push, then serializeOutputLine)`);
  console.log(`  same, plain JSON.stringify${fmt(engineAndPlainIo)} records/s (the output record serialized whole)`);
  console.log(`engine only (push)          ${fmt(engineOnly)} records/s`);
  console.log(`parse + reference + serialize ${fmt(referenceAndIo)} records/s (${REFERENCE_RECORDS} records)`);
  // Both targets compare the engine's own rate: the I/O a pipeline adds is the same for either engine.
  const vsReference = engineAndIo / referenceAndIo;
  const vsParse = engineOnly / parseAndSerialize;
  console.log(
    `engine vs reference (both with parse + serialize): ${vsReference.toFixed(0)}x (target >= ${TARGET_VS_REFERENCE}x)`,
  );
  console.log(
    `engine only vs parse + serialize only: ${vsParse.toFixed(2)}x (target >= ${TARGET_VS_PARSE_AND_SERIALIZE}x)`,
  );
  console.log(`parse + engine + serialize vs parse + serialize only: ${(engineAndIo / parseAndSerialize).toFixed(2)}x`);
  console.log(
    `parse + engine + serialize vs parse + serializeOutputLine: ${(engineAndIo / parseAndOutputLine).toFixed(2)}x`,
  );
  console.log(
    `parse + engine + serialize, serializeOutputLine vs plain JSON.stringify: ${(engineAndIo / engineAndPlainIo).toFixed(2)}x`,
  );
  if (sink === 0) console.log("(nothing written)");
  const tracking = await measureTrackingCost();
  const eventCounts = Object.entries(tracking.events)
    .map(([type, n]) => `${n} ${type}`)
    .join(", ");
  const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)} %`;
  console.log(
    `hotspot tracking (best of ${tracking.samples} passes over ${RECORDS} records, a process per kind of pass, alternated; CPU; events: ${eventCounts}):`,
  );
  console.log(
    `  parse + engine + serialize ${tracking.pipeline.withMs.toFixed(0)} vs ${tracking.pipeline.withoutMs.toFixed(0)} ms: ${pct(tracking.pipeline.overhead)} (guard <= +${TRACKING_COST_GUARD * 100} %)`,
  );
  console.log(
    `  engine only                ${tracking.engine.withMs.toFixed(0)} vs ${tracking.engine.withoutMs.toFixed(0)} ms: ${pct(tracking.engine.overhead)} (no gate: docs/performance.md says why)`,
  );
  const ok =
    vsReference >= TARGET_VS_REFERENCE &&
    vsParse >= TARGET_VS_PARSE_AND_SERIALIZE &&
    tracking.pipeline.overhead <= TRACKING_COST_GUARD;
  console.log(ok ? "targets met" : "TARGETS MISSED");
  if (!ok) process.exitCode = 1;
}

void main();
