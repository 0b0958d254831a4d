#!/usr/bin/env node
/**
 * detect: the HOTSPOTS engine from the command line, offline over a file or on a Kinesis stream.
 * See HELP (cli/help.ts) and the README's detector section.
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import type { Writable } from "node:stream";
import {
  AtomicOutput,
  checkFile,
  checkTextFile,
  EXIT_STOPPED,
  quoteInput,
  reportError,
  runCli,
  SHARED_ENV,
} from "@hotspots/core";
import { HELP } from "./cli/help";
import {
  parseArgs,
  resolveParameters,
  resolveResultIds,
  resolveTracking,
  UsageError,
  type ParsedArgs,
} from "./cli/options";
import { ACCEPTED_INPUT_EXTENSIONS, csvHeader, inputFormat } from "./offline/input-records";
import { describeOfflineSummary, runOffline } from "./offline/run-offline";
import { runStreamCommand } from "./cli/stream-command";

export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted by SIGTERM/SIGINT in a process: stream mode delivers and stops, offline mode stops and keeps no output. */
  readonly signal?: AbortSignal;
  /** The signal that stopped the run: SIGINT (Ctrl-C) exits 130, SIGTERM (how ECS stops the service) 0. */
  readonly stoppedBy?: () => NodeJS.Signals | undefined;
}

/** Runs the command line; resolves to the exit status (0 done, 1 failed, 2 bad flag or input, 130 stopped). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    // The container runs with no arguments: stream mode when STREAM_NAME is set.
    const containerDefault = argv.length === 0 && Boolean(io.env[SHARED_ENV.streamName]);
    const args = containerDefault ? parseArgs(["stream"]) : parseArgs(argv);
    if (args.help || (argv.length === 0 && !containerDefault)) {
      io.stdout.write(HELP);
      return 0;
    }
    if (args.command === "stream") {
      const code = await runStreamCommand(args, io);
      return code === 0 && io.stoppedBy?.() === "SIGINT" ? EXIT_STOPPED : code;
    }
    return await runOfflineCommand(args, io);
  } catch (error) {
    const verbose = io.env.DEBUG === "1" || argv.includes("--verbose");
    return reportError("detect", error, verbose, (text) => void io.stderr.write(text));
  }
}

async function runOfflineCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const input = args.flags.get("input");
  if (input === undefined)
    throw new UsageError("--input is required (a .csv or .ndjson file), or use `detect stream`; see --help");
  const name = `--input ${quoteInput(input)}`;
  const format = inputFormat(input);
  if (format === undefined)
    throw new UsageError(`${name}: unknown file type; accepted: ${ACCEPTED_INPUT_EXTENSIONS.join(", ")}`);
  const params = resolveParameters(args.flags, io.env);
  // Everything about the input is checked before the output is touched.
  if (format === "ndjson") checkTextFile(input, name);
  else checkFile(input, name);
  const header = format === "csv" ? await csvHeader(input, name, params.columns) : undefined;
  const tracking = resolveTracking(args.flags, io.env);
  const resultIds = resolveResultIds(args, io.env);
  const outputPath = args.flags.get("output");
  const eventsPath = args.flags.get("events");
  const output =
    outputPath === undefined ? undefined : AtomicOutput.prepare(outputPath, { flag: "--output", inputs: [input] });
  const events =
    eventsPath === undefined ? undefined : AtomicOutput.prepare(eventsPath, { flag: "--events", inputs: [input] });
  if (output && events && output.target === events.target) {
    output.discard();
    events.discard();
    throw new UsageError(`--events ${quoteInput(eventsPath!)} is the --output file; give another path`);
  }
  const file = output ? createWriteStream(output.path, { flags: "wx", encoding: "utf8" }) : undefined;
  const eventsFile = events ? createWriteStream(events.path, { flags: "wx", encoding: "utf8" }) : undefined;
  const trackingRun = eventsFile || resultIds ? { params: tracking, events: eventsFile, resultIds } : undefined;
  try {
    const summary = await runOffline({
      input,
      format,
      header,
      params,
      out: file ?? io.stdout,
      signal: io.signal,
      tracking: trackingRun,
    });
    for (const stream of [file, eventsFile]) {
      if (!stream) continue;
      stream.end();
      await once(stream, "finish");
    }
    if (summary.stopped) {
      output?.discard();
      events?.discard();
      const kept = [outputPath, eventsPath].filter((p) => p !== undefined).map((p) => quoteInput(p!));
      io.stderr.write(
        `detect: stopped after ${summary.recordsIn} records${kept.length > 0 ? `; ${kept.join(" and ")} left as ${kept.length > 1 ? "they were" : "it was"}` : ""}\n`,
      );
      return EXIT_STOPPED;
    }
    output?.commit();
    events?.commit();
    io.stderr.write(`${describeOfflineSummary(summary)}\n`);
    return 0;
  } finally {
    file?.destroy();
    eventsFile?.destroy();
    output?.discard();
    events?.discard();
  }
}

if (require.main === module) {
  runCli("detect", (run) =>
    main(process.argv.slice(2), {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      signal: run.signal,
      stoppedBy: run.stoppedBy,
    }),
  );
}
