import { parseStartConfig, START_HELP } from "./pipeline/start-config";
import { eventSummaryLines } from "./pipeline/event-summary";
import { runLocalJob, type LocalJobProgress, type LocalJobResult } from "./pipeline/local-job";
import { SimulatorInputError } from "@hotspots/simulator";
import { LocalInputError } from "./data/input-error";

/** `npm start`: the whole pipeline on this machine. Exit 0 done, 1 failed, 2 bad input, 130 stopped. */
async function main(argv: readonly string[]): Promise<number> {
  let config;
  try {
    config = parseStartConfig(argv);
  } catch (error) {
    process.stderr.write(`npm start: ${(error as Error).message}\n`);
    return 2;
  }
  if (config.help) {
    process.stdout.write(START_HELP);
    return 0;
  }

  // The SDK warns that its 2027 releases need Node 22; the pinned release runs on 20 (see package.json engines).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) {
      process.stderr.write(`\n${signal} again: exiting now\n`);
      process.exit(130);
    }
    process.stderr.write(`\n${signal}: stopping the simulator and the detector (again to exit now)\n`);
    stop.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const { params } = config;
  console.log(
    `npm start: ${config.input} -> embedded Kinesis stream ${config.streamName} (${config.shards} shards, ${config.rate === undefined ? "unpaced" : `${config.rate} records/s`}) -> ` +
      `HOTSPOTS(window ${params.windowSize}, radius ${params.scanRadius}, min points ${params.minimumPoints}; ${params.columns.join(",")}) -> ${config.out}/`,
  );
  let result: LocalJobResult;
  try {
    result = await runLocalJob({ ...config, signal: stop.signal, onProgress: printProgress });
  } catch (error) {
    const message = (error as Error).message.split("\n")[0];
    process.stderr.write(`npm start: ${message}\n`);
    return error instanceof SimulatorInputError || error instanceof LocalInputError ? 2 : 1;
  }
  if (result.stoppedBy === "signal") {
    console.log(
      `stopped: ${result.simulator.recordsSent} records streamed, ${result.detector.recordsOut} output records delivered under ${config.out}/hotspots/; no report`,
    );
    return 130;
  }
  printSummary(result, config.out);
  return result.simulator.exitCode === 0 ? 0 : 1;
}

let lastLine = 0;
function printProgress(p: LocalJobProgress): void {
  const now = Date.now();
  if (p.stage !== "evaluating" && now - lastLine < 1000) return;
  lastLine = now;
  const d = p.detector;
  const detector = d ? `detector read ${d.recordsIn.toLocaleString("en-US")}, ${d.hotspots} hotspot${d.hotspots === 1 ? "" : "s"} in its window` : "detector waiting";
  if (p.stage === "streaming" && p.simulator) {
    const s = p.simulator;
    const share = s.totalBytes ? ` (${Math.floor((100 * s.bytesRead) / s.totalBytes)}%)` : "";
    console.log(`  streamed ${s.recordsSent.toLocaleString("en-US")}${share} at ${s.recordsPerSecond.toLocaleString("en-US")} rec/s; ${detector}`);
  } else if (p.stage === "draining") {
    console.log(`  all ${p.sent?.toLocaleString("en-US")} records streamed; ${detector}`);
  } else {
    console.log(`  evaluating ${d?.recordsOut.toLocaleString("en-US")} output records and writing the report`);
  }
}

function printSummary(r: LocalJobResult, out: string): void {
  const e = r.evaluation!;
  const lines = [
    `done in ${(r.elapsedMs / 1000).toFixed(1)} s`,
    `  records streamed   ${r.simulator.recordsSent} of ${r.simulator.rowsRead} rows read` +
      (r.simulator.rowsSkipped > 0 ? ` (${r.simulator.rowsSkipped} bad rows skipped)` : ""),
    ...r.simulator.skipped.map((k) => `    skipped: ${k.source} line ${k.line}: ${k.reason}`),
    `  output records     ${r.detector.recordsOut} in ${r.output.files.length} file${r.output.files.length === 1 ? "" : "s"} under ${out}/hotspots/`,
    e.spatial
      ? `  hotspots           ${e.tracks.length} detected` + (e.truth ? `, ${e.tracks.filter((t) => t.truthId).length} of them matching an injected one` : "")
      : `  hotspots           ${e.detections} boxes over all records (not on the map, so not followed)`,
  ];
  if (e.truth) {
    const found = e.truth.hotspots.filter((h) => h.found).length;
    lines.push(
      `  injected found     ${found} of ${e.truth.hotspots.length}`,
      `  precision          ${(e.truth.precision * 100).toFixed(1)}%   recall ${(e.truth.recall * 100).toFixed(1)}%`,
      `  mean delay         ${e.truth.meanDelayRecords?.toFixed(0) ?? "n/a"} records, ${e.truth.meanDelaySeconds?.toFixed(1) ?? "n/a"} s`,
    );
  } else if (!e.spatial) {
    lines.push(`  ground truth       not scored: the analysed columns are not longitude and latitude`);
  } else {
    lines.push(`  ground truth       none at ${r.truthPath}: precision and recall not computed`);
  }
  lines.push(...eventSummaryLines(r.events, r.eventsPath, r.eventScore));
  lines.push(`  report             ${r.reportPath}`);
  console.log(lines.join("\n"));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`npm start: ${error.message}\n`);
    process.exit(1);
  },
);
