import { EXIT_STOPPED, runCli, type CliRun } from "@hotspots/core";
import { parseStartConfig, START_HELP } from "./pipeline/start-config";
import { eventSummaryLines } from "./pipeline/event-summary";
import { runLocalJob, type LocalJobProgress, type LocalJobResult } from "./pipeline/local-job";

/** `npm start`: the whole pipeline on this machine. Exit 0 done, 1 failed, 2 bad flag or input, 130 stopped. */
async function main(argv: readonly string[], run: CliRun): Promise<number> {
  const config = parseStartConfig(argv);
  if (config.help) {
    process.stdout.write(START_HELP);
    return 0;
  }
  const { params } = config;
  const banner = () =>
    console.log(
      `npm start: ${config.input} -> embedded Kinesis stream ${config.streamName} (${config.shards} shards, ${config.rate === undefined ? "unpaced" : `${config.rate} records/s`}) -> ` +
        `HOTSPOTS(window ${params.windowSize}, radius ${params.scanRadius}, min points ${params.minimumPoints}; ${params.columns.join(",")}) -> ${config.out}/`,
    );
  const live = config.live && {
    port: config.live.port,
    onListening: (url: string) => console.log(`live map: ${url} (served while the run lasts)`),
  };
  const result: LocalJobResult = await runLocalJob({
    ...config,
    live,
    signal: run.signal,
    onProgress: printProgress,
    onStart: banner,
  });
  if (result.stoppedBy === "signal") {
    console.log(
      `stopped: ${result.simulator.recordsSent} records streamed; ${config.out}/ left as it was (no new results, no report)`,
    );
    return EXIT_STOPPED;
  }
  printSummary(result, config.out);
  return 0;
}

let lastLine = 0;
function printProgress(p: LocalJobProgress): void {
  const now = Date.now();
  if (p.stage !== "evaluating" && now - lastLine < 1000) return;
  lastLine = now;
  const d = p.detector;
  const detector = d
    ? `detector read ${d.recordsIn.toLocaleString("en-US")}, ${d.hotspots} hotspot${d.hotspots === 1 ? "" : "s"} in its window`
    : "detector waiting";
  if (p.stage === "streaming" && p.simulator) {
    const s = p.simulator;
    const share = s.totalBytes ? ` (${Math.floor((100 * s.bytesRead) / s.totalBytes)}%)` : "";
    console.log(
      `  streamed ${s.recordsSent.toLocaleString("en-US")}${share} at ${s.recordsPerSecond.toLocaleString("en-US")} rec/s; ${detector}`,
    );
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
    ...(r.simulator.rowsSkipped > r.simulator.skipped.length
      ? [`    ... and ${r.simulator.rowsSkipped - r.simulator.skipped.length} more`]
      : []),
    `  output records     ${r.detector.recordsOut} in ${r.output.files.length} file${r.output.files.length === 1 ? "" : "s"} under ${out}/hotspots/`,
    e.spatial
      ? `  hotspots           ${e.tracks.length} detected${e.truth ? `, ${e.tracks.filter((t) => t.truthId).length} of them matching an injected one` : ""}`
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

runCli("npm start", (run) => main(process.argv.slice(2), run), {
  onStop: (signal) =>
    process.stderr.write(`\n${signal}: stopping the simulator and the detector (again to exit now)\n`),
});
