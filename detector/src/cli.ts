#!/usr/bin/env node
/**
 * detect: the HOTSPOTS engine from the command line, offline over a file or on a Kinesis stream.
 * See HELP (cli/help.ts) and the README's detector section.
 */
import { access } from "node:fs/promises";
import type { Writable } from "node:stream";
import { HELP } from "./cli/help";
import { parseArgs, resolveParameters, UsageError, type ParsedArgs } from "./cli/options";
import { ACCEPTED_INPUT_EXTENSIONS, csvHeader, inputFormat } from "./offline/input-records";
import { describeOfflineSummary, runOffline } from "./offline/run-offline";
import { runStreamCommand } from "./cli/stream-command";

export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborts stream mode (SIGTERM/SIGINT in a process). */
  readonly signal?: AbortSignal;
}

/** Runs the command line; resolves to the exit status. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    // The container runs with no arguments: stream mode when STREAM_NAME is set.
    const containerDefault = argv.length === 0 && Boolean(io.env.STREAM_NAME);
    const args = containerDefault ? parseArgs(["stream"]) : parseArgs(argv);
    if (args.help || (argv.length === 0 && !containerDefault)) {
      io.stdout.write(HELP);
      return 0;
    }
    if (args.command === "stream") return await runStreamCommand(args, io);
    return await runOfflineCommand(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`detect: ${error.message}\n`);
      return 2;
    }
    io.stderr.write(`detect: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

async function runOfflineCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const input = args.flags.get("input");
  if (input === undefined) throw new UsageError("--input is required (a .csv or .ndjson file), or use `detect stream`; see --help");
  const format = inputFormat(input);
  if (format === undefined) {
    throw new UsageError(`--input ${input}: unknown file type; accepted: ${ACCEPTED_INPUT_EXTENSIONS.join(", ")}`);
  }
  try {
    await access(input);
  } catch {
    throw new UsageError(`--input ${input}: file not found`);
  }
  // A CSV names its columns up front, so an unknown analysed column fails before any work.
  const header = format === "csv" ? await csvHeader(input) : undefined;
  const params = resolveParameters(args.flags, io.env, header);
  const summary = await runOffline({ input, format, params, output: args.flags.get("output"), stdout: io.stdout });
  io.stderr.write(describeOfflineSummary(summary) + "\n");
  return 0;
}

if (require.main === module) {
  const controller = new AbortController();
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => controller.abort());
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal }).then(
    (code) => {
      process.exitCode = code;
    },
  );
}
