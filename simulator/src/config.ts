import {
  DEFAULT_PARTITION_KEY_FIELD,
  ECS_DEFAULT_STOP_TIMEOUT_SECONDS,
  KINESIS_MAX_RECORDS_PER_PUT,
  parseCliArgs,
  parseNumberFlag,
  type NumberRange,
  SHARED_ENV,
  SIMULATOR_ENV,
} from "@hotspots/core";
import type { SimulatorClientSettings } from "./aws-clients";
import { SimulatorInputError } from "./errors";
import { parseInput, type InputSpec } from "./input-source";
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_PROGRESS_INTERVAL_MS,
  MAX_ATTEMPTS_LIMIT,
  MAX_IN_FLIGHT_LIMIT,
} from "./simulator";

/** --rate 0 means the same here as in `npm start`. */
const RATE_ZERO = "0: as fast as the stream accepts";

export const HELP = `Usage: simulate --input <file|s3://bucket/key|s3://bucket/prefix/> --stream <name> [options]

Streams the rows of a player-event CSV into a Kinesis data stream, one JSON record per row.
A malformed row (broken quoting, a wrong field count, a bad number, a line over 1 MiB) is skipped
and counted, and the summary names it by line; a missing, empty or binary file or a header
without the event columns stops the run before anything is sent.
Exits 0 when every valid row was accepted (or when stopped by SIGTERM, as ECS stops a task),
1 when records were left unsent, 2 on bad input (a missing file, bucket, object or stream, a bad
header, or a bad flag), 130 when stopped by Ctrl-C (SIGINT).

Input and stream
  --input, -i <source>       CSV file, s3://bucket/key, or s3://bucket/prefix/ (every object under it,
                             in key order). Env: SRC_DATA_BUCKET and PREFIX (every object under PREFIX)
  --stream, -s <name>        Kinesis data stream. Env: STREAM_NAME
  --region <region>          AWS region. Env: AWS_REGION
  --endpoint <url>           Kinesis endpoint override, for a local emulator. Env: KINESIS_ENDPOINT
  --s3-endpoint <url>        S3 endpoint override, for a local S3. Env: S3_ENDPOINT
  --partition-key <column>   Column whose value is the partition key (default ${DEFAULT_PARTITION_KEY_FIELD}). Env: PARTITION_KEY

Batching and pacing
  --batch-size <n>           Records per PutRecords request, 1..${KINESIS_MAX_RECORDS_PER_PUT} (default ${DEFAULT_BATCH_SIZE}). Env: BATCH_SIZE
  --max-in-flight <n>        Batches in flight at most (default ${DEFAULT_MAX_IN_FLIGHT}); halves while the stream throttles.
                             Env: MAX_IN_FLIGHT
  --max-attempts <n>         Requests per batch before giving up, the first included (default 8). Env: MAX_ATTEMPTS
  --rate <n>                 Records per second; 0 or unset: as fast as the stream accepts. Env: RATE
  --replay                   Follow the rows' event_time instead of a fixed rate
  --speed <x>                With --replay: play x times faster (default 1)
  --loop                     Stream the input again and again until stopped (the ECS service mode)

Stopping and output
  --drain-timeout <s>        On SIGTERM/SIGINT: seconds to finish the batches in flight, under the
                             ECS stop timeout of ${ECS_DEFAULT_STOP_TIMEOUT_SECONDS} s (default ${DEFAULT_DRAIN_TIMEOUT_MS / 1000}). Env: DRAIN_TIMEOUT_SECONDS
  --progress-interval <s>    Seconds between progress reports (default 1 on a terminal, ${DEFAULT_PROGRESS_INTERVAL_MS / 1000} otherwise).
                             A progress bar on a terminal, one JSON line per report otherwise.
                             Env: PROGRESS_INTERVAL_SECONDS
  --verbose                  With an error, print its stack trace too (as DEBUG=1 does)
  --help, -h                 This text

Example
  npm run simulate -- --input data/data-simu.csv --stream hotspots-dev-events --endpoint http://127.0.0.1:4567
`;

export interface SimulatorConfig {
  readonly help: boolean;
  readonly input?: InputSpec;
  readonly streamName: string;
  readonly clients: SimulatorClientSettings;
  readonly batchSize?: number;
  readonly maxInFlight?: number;
  readonly maxAttempts?: number;
  readonly rate?: number;
  readonly replay: boolean;
  readonly speed?: number;
  readonly loop: boolean;
  readonly partitionKey?: string;
  readonly drainTimeoutMs?: number;
  readonly progressIntervalMs?: number;
}

/** Flags win over environment variables. Throws a one-line SimulatorInputError for anything it cannot use. */
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv): SimulatorConfig {
  const { values } = parseCliArgs(argv, {
    input: { type: "string", short: "i" },
    stream: { type: "string", short: "s" },
    region: { type: "string" },
    endpoint: { type: "string" },
    "s3-endpoint": { type: "string" },
    "partition-key": { type: "string" },
    "batch-size": { type: "string" },
    "max-in-flight": { type: "string" },
    "max-attempts": { type: "string" },
    rate: { type: "string" },
    replay: { type: "boolean" },
    speed: { type: "string" },
    loop: { type: "boolean" },
    "drain-timeout": { type: "string" },
    "progress-interval": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  const help = values.help === true;
  const text = (flag: string, envName?: string): { value: string; from: string } | undefined => {
    const v = (values as Record<string, string | boolean | undefined>)[flag];
    if (typeof v === "string") return { value: v, from: `--${flag}` };
    const e = envName ? env[envName] : undefined;
    if (e !== undefined && e !== "") return { value: e, from: envName! };
    return undefined;
  };
  const number = (flag: string, envName: string | undefined, range: NumberRange): number | undefined => {
    const t = text(flag, envName);
    return t === undefined ? undefined : parseNumberFlag(t.from, t.value, range);
  };
  const seconds = (flag: string, envName: string, range: NumberRange): number | undefined => {
    const s = number(flag, envName, range);
    return s === undefined ? undefined : s * 1000;
  };

  let input: InputSpec | undefined;
  const inputFlag = values.input;
  const sourceBucket = env[SIMULATOR_ENV.sourceBucket];
  if (typeof inputFlag === "string") input = parseInput(inputFlag);
  else if (sourceBucket) {
    // The seed's settings: every object whose key starts with PREFIX in SRC_DATA_BUCKET (parseInput checks the bucket name).
    parseInput(`s3://${sourceBucket}/`);
    input = { kind: "s3-prefix", bucket: sourceBucket, prefix: env[SIMULATOR_ENV.sourcePrefix] ?? "" };
  }
  if (!help && !input)
    throw new SimulatorInputError(
      "no input: give --input <file|s3://bucket/key|s3://bucket/prefix/> or SRC_DATA_BUCKET (see --help)",
    );
  const streamName = text("stream", SHARED_ENV.streamName)?.value ?? "";
  if (!help && !streamName)
    throw new SimulatorInputError("no stream: give --stream <name> or STREAM_NAME (see --help)");
  const replay = values.replay === true;
  const speed = number("speed", undefined, { min: 0, minExclusive: true });
  const rate = number("rate", SIMULATOR_ENV.rate, { min: 0, note: RATE_ZERO });

  return {
    help,
    input,
    streamName,
    clients: {
      region: text("region", SHARED_ENV.region)?.value,
      kinesisEndpoint: endpoint(text("endpoint", SHARED_ENV.kinesisEndpoint)),
      s3Endpoint: endpoint(text("s3-endpoint", SHARED_ENV.s3Endpoint)),
    },
    batchSize: number("batch-size", SIMULATOR_ENV.batchSize, {
      integer: true,
      min: 1,
      max: KINESIS_MAX_RECORDS_PER_PUT,
    }),
    maxInFlight: number("max-in-flight", SIMULATOR_ENV.maxInFlight, {
      integer: true,
      min: 1,
      max: MAX_IN_FLIGHT_LIMIT,
    }),
    maxAttempts: number("max-attempts", SIMULATOR_ENV.maxAttempts, { integer: true, min: 1, max: MAX_ATTEMPTS_LIMIT }),
    // A RATE left in the environment does not fight an explicit --replay.
    rate: (replay && typeof values.rate !== "string") || rate === 0 ? undefined : rate,
    replay,
    speed,
    loop: values.loop === true,
    partitionKey: text("partition-key", SIMULATOR_ENV.partitionKey)?.value,
    drainTimeoutMs: seconds("drain-timeout", SIMULATOR_ENV.drainTimeoutSeconds, {
      min: 0,
      note: `under the ECS stop timeout of ${ECS_DEFAULT_STOP_TIMEOUT_SECONDS} s`,
    }),
    progressIntervalMs: seconds("progress-interval", SIMULATOR_ENV.progressIntervalSeconds, {
      min: 0,
      minExclusive: true,
    }),
  };
}

function endpoint(t: { value: string; from: string } | undefined): string | undefined {
  if (!t) return undefined;
  let url: URL;
  try {
    url = new URL(t.value);
  } catch {
    throw new SimulatorInputError(
      `${t.from} must be a URL such as http://127.0.0.1:4567, got ${JSON.stringify(t.value)}`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new SimulatorInputError(`${t.from} must be an http:// or https:// URL, got ${JSON.stringify(t.value)}`);
  }
  return t.value;
}
