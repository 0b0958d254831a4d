import { parseArgs } from "node:util";
import {
  DEFAULT_HOTSPOTS_PARAMETERS,
  KINESIS_SHARD_RECORDS_PER_SECOND,
  NUMERIC_FIELD_NAMES,
  validateHotspotsParameters,
  type HotspotsParameters,
} from "@hotspots/core";
import { ENVIRONMENTS } from "../../stacks/config";

/** The dev environment's stream, so `npm start` runs what `cdktf deploy hotspots-dev` creates. */
export const DEFAULT_STREAM_NAME = `${ENVIRONMENTS.dev.prefix}-stream`;
export const DEFAULT_SHARDS = ENVIRONMENTS.dev.stream.shards;
/** The delivery stream's name appears in each output object's name, as Firehose writes it. */
export const DEFAULT_DELIVERY_STREAM_NAME = `${ENVIRONMENTS.dev.prefix}-delivery`;
export const DEFAULT_INPUT = ENVIRONMENTS.dev.sourceDataFile;
export const DEFAULT_OUT = "out";
/** kinesalite is started with this shard limit (core/src/embedded-kinesis.ts). */
export const MAX_LOCAL_SHARDS = 100;

export interface StartConfig {
  readonly help: boolean;
  readonly input: string;
  readonly out: string;
  readonly streamName: string;
  readonly shards: number;
  /** Records/s the simulator puts; undefined: as fast as it can. */
  readonly rate: number | undefined;
  readonly params: HotspotsParameters;
}

/**
 * By default the simulator puts at the stream's write capacity, as a provisioned stream on AWS
 * allows (1000 records/s per shard): the detector then reads while the records arrive. The
 * in-memory emulator enforces no shard limit, and a flood of writes leaves its reads behind.
 */
export function defaultRate(shards: number): number {
  return shards * KINESIS_SHARD_RECORDS_PER_SECOND;
}

export const START_HELP = `Usage: npm start -- [--input data.csv] [--scan-radius R] [--window-size N] [--min-points K]
                    [--columns longitude,latitude] [--shards N] [--rate N] [--out DIR]

Runs the whole pipeline on this machine: an embedded Kinesis (kinesalite, in memory, on a free
loopback port), the simulator streaming the CSV into it, the HOTSPOTS detector reading the
stream and writing its results as Firehose would (NDJSON under DIR/hotspots/YYYY/MM/DD/HH/),
then an evaluation against the ground truth beside the CSV and DIR/report.html.

  --input PATH        player-event CSV (default ${DEFAULT_INPUT}); its ground truth, when present,
                      is PATH without .csv plus .truth.json
  --scan-radius R     HOTSPOTS scanRadius, > 0, in the columns' units (default ${DEFAULT_HOTSPOTS_PARAMETERS.scanRadius})
  --window-size N     HOTSPOTS windowSize, 100..1000 (default ${DEFAULT_HOTSPOTS_PARAMETERS.windowSize})
  --min-points K      HOTSPOTS minimumNumberOfPointsInAHotspot, 2..window size (default ${DEFAULT_HOTSPOTS_PARAMETERS.minimumPoints})
  --columns A,B       analysed numeric columns (default ${DEFAULT_HOTSPOTS_PARAMETERS.columns.join(",")});
                      accepted: ${NUMERIC_FIELD_NAMES.join(", ")}
  --shards N          shards of the local stream, 1..${MAX_LOCAL_SHARDS} (default ${DEFAULT_SHARDS})
  --rate N            records/s the simulator puts (default: shards x ${KINESIS_SHARD_RECORDS_PER_SECOND}, the stream's
                      write capacity on AWS); 0: as fast as it can
  --out DIR           output folder (default ${DEFAULT_OUT}); DIR/hotspots and DIR/checkpoints are replaced
  --help              this text

Example: npm start -- --input my.csv --scan-radius 0.01
`;

/** Parses the flags of `npm start`; throws a one-line error naming the flag and what it accepts. */
export function parseStartConfig(argv: readonly string[]): StartConfig {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        input: { type: "string" },
        out: { type: "string" },
        "scan-radius": { type: "string" },
        "window-size": { type: "string" },
        "min-points": { type: "string" },
        columns: { type: "string" },
        shards: { type: "string" },
        rate: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new Error(`${(err as Error).message.split("\n")[0]} See --help.`);
  }
  const shards = integer("--shards", values.shards, DEFAULT_SHARDS);
  if (shards < 1 || shards > MAX_LOCAL_SHARDS) throw new Error(`--shards must be from 1 to ${MAX_LOCAL_SHARDS}, got ${shards}`);
  const rate = integer("--rate", values.rate, defaultRate(shards));
  if (rate < 0) throw new Error(`--rate must be 0 (as fast as possible) or a number of records/s, got ${rate}`);
  const params: HotspotsParameters = {
    windowSize: integer("--window-size", values["window-size"], DEFAULT_HOTSPOTS_PARAMETERS.windowSize),
    scanRadius: number("--scan-radius", values["scan-radius"], DEFAULT_HOTSPOTS_PARAMETERS.scanRadius),
    minimumPoints: integer("--min-points", values["min-points"], DEFAULT_HOTSPOTS_PARAMETERS.minimumPoints),
    columns: values.columns === undefined ? DEFAULT_HOTSPOTS_PARAMETERS.columns : values.columns.split(",").map((c) => c.trim()),
  };
  try {
    validateHotspotsParameters(params, NUMERIC_FIELD_NAMES);
  } catch (err) {
    const flag = { windowSize: "--window-size", scanRadius: "--scan-radius", minimumPoints: "--min-points", columns: "--columns" } as const;
    const field = (err as { field?: keyof typeof flag }).field;
    throw new Error(field ? `${flag[field]}: ${(err as Error).message}` : (err as Error).message);
  }
  return {
    help: values.help === true,
    input: values.input ?? DEFAULT_INPUT,
    out: values.out ?? DEFAULT_OUT,
    streamName: DEFAULT_STREAM_NAME,
    shards,
    rate: rate === 0 ? undefined : rate,
    params,
  };
}

function integer(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new Error(`${flag} must be an integer, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

function number(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value)) throw new Error(`${flag} must be a number, got ${JSON.stringify(raw)}`);
  return value;
}
