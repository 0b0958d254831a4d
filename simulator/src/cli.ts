#!/usr/bin/env node
import type { S3Client } from "@aws-sdk/client-s3";
import { EXIT_STOPPED, firstLine, runCli, type CliRun } from "@hotspots/core";
import { createSimulatorKinesisClient, createSimulatorS3Client } from "./aws-clients";
import { HELP, parseConfig } from "./config";
import { progressBar, progressLogLine, summaryLogLine, summaryText } from "./progress-output";
import { runSimulator, type SimulatorSummary } from "./simulator";

const tty = process.stderr.isTTY === true;

/** The command line: flags and environment in, summary out, exit code 0, 1, 2 or 130 (see --help). */
async function main(argv: readonly string[], env: NodeJS.ProcessEnv, run: CliRun): Promise<number> {
  const config = parseConfig(argv, env);
  if (config.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const kinesis = createSimulatorKinesisClient(config.clients, env);
  const s3: S3Client | undefined =
    config.input!.kind === "file" ? undefined : createSimulatorS3Client(config.clients, env);
  let summary: SimulatorSummary;
  try {
    summary = await runSimulator({
      input: config.input!,
      streamName: config.streamName,
      kinesis,
      s3,
      batchSize: config.batchSize,
      maxInFlight: config.maxInFlight,
      maxAttempts: config.maxAttempts,
      rate: config.rate,
      replay: config.replay,
      speed: config.speed,
      loop: config.loop,
      partitionKey: config.partitionKey,
      drainTimeoutMs: config.drainTimeoutMs,
      signal: run.signal,
      progressIntervalMs: config.progressIntervalMs ?? (tty ? 1000 : undefined),
      onProgress: (p) =>
        tty ? process.stderr.write(`\r\x1b[2K${progressBar(p)}`) : process.stdout.write(`${progressLogLine(p)}\n`),
    });
  } finally {
    kinesis.destroy();
    s3?.destroy();
  }
  if (tty) process.stderr.write("\n");
  process.stdout.write(`${tty ? summaryText(summary) : summaryLogLine(summary)}\n`);
  if (summary.error) process.stderr.write(`simulator: ${firstLine(summary.error)}\n`);
  // SIGTERM is how ECS stops the service: a clean end. Ctrl-C (SIGINT) is a user stopping a run.
  if (summary.exitCode === 0 && run.stoppedBy() === "SIGINT") return EXIT_STOPPED;
  return summary.exitCode;
}

function log(message: string): void {
  if (tty) process.stderr.write(`\n${message}\n`);
  else process.stdout.write(`${JSON.stringify({ level: "info", message })}\n`);
}

// ECS stops a task with SIGTERM, then SIGKILL after its stop timeout; Ctrl-C sends SIGINT.
runCli("simulator", (run) => main(process.argv.slice(2), process.env, run), {
  onStop: (signal) => log(`${signal}: stopped reading, sending what was read (again to exit now)`),
});
