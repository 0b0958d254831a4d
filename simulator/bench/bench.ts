/**
 * npm run bench -w simulator (after building core and the simulator: the script does both).
 *
 * Records/s of the simulator's CLI, as the image runs it (node simulator/dist/cli.js), against a
 * loopback sink that accepts every PutRecords at once, next to a plain csv-parse pass over the
 * same file, in one run; and the CLI's peak RSS on a 1M-row file. Each runs in its own child
 * process (the sink runs in this one). The two alternate for BENCH_ROUNDS rounds (default 3) and
 * the medians are compared, so a slow moment of a shared machine does not decide the ratio.
 * Targets: at least a quarter of the csv-parse rate, peak RSS under 150 MB; exits 1 when either is missed.
 * BENCH_ROWS changes the file size. It also prints the CPU cost of PutRecords through `send` alone (put-records-cost.ts).
 */
import { execFileSync, spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { EVENT_FIELD_NAMES } from "@hotspots/core";
import { startInstantSink } from "./instant-sink";
import { putRecordsSendRates } from "./put-records-cost";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TARGET_RATIO = 0.25;
const TARGET_RSS_MB = 150;
const CLI = join(__dirname, "..", "dist", "cli.js");
const MB = 1e6;

/** Rows shaped like data-simu.csv: 1000 players over a city, 5 ms apart. */
async function writeEvents(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${EVENT_FIELD_NAMES.join(",")}\n`);
  const start = Date.UTC(2026, 5, 1, 18);
  let chunk = "";
  for (let i = 0; i < rows; i++) {
    const lat = (47.5 + ((i * 7919) % 20000) / 1e5).toFixed(6);
    const lon = (-122.4 + ((i * 104729) % 20000) / 1e5).toFixed(6);
    chunk += `ev-${i},${new Date(start + i * 5).toISOString()},player-${String(i % 1000).padStart(4, "0")},move,${lat},${lon},${i % 5000},${i % 101},${(i % 90) / 10}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
}

/** The yardstick: csv-parse's default parser over the file, nothing else. */
const CSV_PARSE_PASS = `
const { parse } = require(${JSON.stringify(require.resolve("csv-parse"))});
const { createReadStream } = require("node:fs");
(async () => {
  const started = process.hrtime.bigint();
  let rows = -1; // the header
  for await (const _ of createReadStream(process.argv[1], { highWaterMark: 256 * 1024 }).pipe(parse({ bom: true }))) rows++;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({ rows, seconds, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
})();`;

interface ChildRun {
  stdout: string;
  /** Peak resident set (VmHWM), read from /proc while the child runs. */
  peakRssBytes: number;
}

function run(args: string[]): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, NODE_NO_WARNINGS: "1" },
    });
    let stdout = "";
    let peakRssBytes = 0;
    const poll = setInterval(() => {
      try {
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        if (hwm) peakRssBytes = Math.max(peakRssBytes, Number(hwm[1]) * 1024);
      } catch {
        // the child has just exited
      }
    }, 20);
    child.stdout.on("data", (d) => (stdout += d));
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(poll);
      if (code === 0) resolve({ stdout, peakRssBytes });
      else reject(new Error(`${args.join(" ").slice(0, 80)} exited with ${code}`));
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "simulator-bench-"));
  const file = join(dir, "events.csv");
  try {
    await writeEvents(file, ROWS);
    const csvRates: number[] = [];
    const simRates: number[] = [];
    let peakRssBytes = 0;
    let csvPeakRssBytes = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const csv = JSON.parse((await run(["-e", CSV_PARSE_PASS, file])).stdout);
      csvRates.push(csv.rows / csv.seconds);
      csvPeakRssBytes = Math.max(csvPeakRssBytes, csv.peakRssBytes);
      const sink = await startInstantSink();
      const sim = await run([CLI, "--input", file, "--stream", "bench", "--endpoint", sink.endpoint]);
      await sink.close();
      const summary = JSON.parse(sim.stdout.trim().split("\n").pop()!);
      if (summary.recordsSent !== ROWS || sink.records() !== ROWS) {
        throw new Error(`the simulator sent ${summary.recordsSent} of ${ROWS} rows (the sink saw ${sink.records()})`);
      }
      simRates.push(summary.recordsSent / (summary.elapsedMs / 1000));
      peakRssBytes = Math.max(peakRssBytes, sim.peakRssBytes);
    }

    const send = await putRecordsSendRates();
    const csvRate = median(csvRates);
    const simRate = median(simRates);
    const ratio = simRate / csvRate;
    const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
    const range = (rates: number[]) => `${fmt(Math.min(...rates))} to ${fmt(Math.max(...rates))}`;
    const load = loadavg()
      .map((l) => l.toFixed(1))
      .join(" / ");
    console.log(
      `machine   : ${execFileSync("nproc").toString().trim()} cores, ${cpus()[0]?.model ?? "unknown CPU"}, node ${process.version}; load average ${load} (1 / 5 / 15 min)`,
    );
    console.log(
      `file      : ${fmt(ROWS)} rows, ${(statSync(file).size / MB).toFixed(0)} MB; medians of ${ROUNDS} rounds`,
    );
    console.log(
      `csv-parse : ${fmt(csvRate)} rows/s (rounds: ${range(csvRates)}; peak RSS ${(csvPeakRssBytes / MB).toFixed(0)} MB)`,
    );
    console.log(`simulator : ${fmt(simRate)} records/s (rounds: ${range(simRates)}; batches of 200, 4 in flight)`);
    console.log(
      `PutRecords: ${fmt(send.simulator)} records per CPU-second through the simulator's client's send alone (${fmt(send.stock)} with the SDK's client as it comes; no network)`,
    );
    console.log(
      `ratio     : ${ratio.toFixed(2)} of the csv-parse rate (rounds: ${simRates.map((r, i) => (r / csvRates[i]).toFixed(2)).join(", ")}; target >= ${TARGET_RATIO})`,
    );
    console.log(`peak RSS  : ${(peakRssBytes / MB).toFixed(0)} MB (target < ${TARGET_RSS_MB} MB)`);
    if (ratio < TARGET_RATIO || peakRssBytes / MB >= TARGET_RSS_MB) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
main();
