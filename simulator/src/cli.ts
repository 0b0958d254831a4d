#!/usr/bin/env node
import type { S3Client } from "@aws-sdk/client-s3";
import { createSimulatorKinesisClient, createSimulatorS3Client } from "./aws-clients";
import { HELP, parseConfig } from "./config";
import { SimulatorInputError } from "./errors";
import { progressBar, progressLogLine, summaryLogLine, summaryText } from "./progress-output";
import { runSimulator, type SimulatorSummary } from "./simulator";

/** The command line: flags and environment in, summary out, exit code 0, 1 or 2 (see --help). */
async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let config;
  try {
    config = parseConfig(argv, env);
  } catch (error) {
    return fail(error);
  }
  if (config.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const tty = process.stderr.isTTY === true;
  const kinesis = createSimulatorKinesisClient(config.clients, env);
  const s3: S3Client | undefined = config.input!.kind === "file" ? undefined : createSimulatorS3Client(config.clients, env);

  // ECS stops a task with SIGTERM, then SIGKILL after its stop timeout; Ctrl-C sends SIGINT.
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) {
      process.stderr.write(`simulator: ${signal} again, exiting now\n`);
      process.exit(1);
    }
    log(tty, `${signal}: stopped reading, sending what was read`);
    stop.abort();
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);

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
      signal: stop.signal,
      progressIntervalMs: config.progressIntervalMs ?? (tty ? 1000 : undefined),
      onProgress: (p) => (tty ? process.stderr.write(`\r\x1b[2K${progressBar(p)}`) : process.stdout.write(`${progressLogLine(p)}\n`)),
    });
  } catch (error) {
    return fail(error);
  } finally {
    kinesis.destroy();
    s3?.destroy();
  }
  if (tty) process.stderr.write("\n");
  process.stdout.write(`${tty ? summaryText(summary) : summaryLogLine(summary)}\n`);
  if (summary.error) process.stderr.write(`simulator: ${summary.error}\n`);
  return summary.exitCode;
}

function fail(error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`simulator: ${message.split("\n")[0]}\n`);
  return error instanceof SimulatorInputError ? error.exitCode : 1;
}

function log(tty: boolean, message: string): void {
  if (tty) process.stderr.write(`\n${message}\n`);
  else process.stdout.write(`${JSON.stringify({ level: "info", message })}\n`);
}

main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.exitCode = fail(error);
  },
);
