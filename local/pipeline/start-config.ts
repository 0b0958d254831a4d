import {
  decimalNumber,
  DEFAULT_HOTSPOTS_PARAMETERS,
  EXIT_CODES_HELP,
  HotspotsParameterError,
  KINESIS_SHARD_RECORDS_PER_SECOND,
  NUMERIC_FIELD_NAMES,
  parseCliArgs,
  parseNumberFlag,
  quoteInput,
  UserError,
  validateHotspotsParameters,
  type HotspotsParameters,
} from "@hotspots/core";
import { ENVIRONMENTS } from "../../stacks/config";
import { OUT_MARKER } from "./out-folder";

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
  /** Serve the live map on this loopback port while the run lasts (0: any free port); undefined: no live map. */
  readonly live: { readonly port: number } | undefined;
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
                    [--live] [--live-port N]

Runs the whole pipeline on this machine: an embedded Kinesis (kinesalite, in memory, on a free
loopback port), the simulator streaming the CSV into it, the HOTSPOTS detector reading the
stream and writing its results as Firehose would (NDJSON under DIR/hotspots/YYYY/MM/DD/HH/, each
hotspot with its id) and its hotspot events (DIR/events.ndjson), then an evaluation against the
ground truth beside the CSV and DIR/report.html.

  --input PATH        player-event CSV (default ${DEFAULT_INPUT}); its ground truth, when present,
                      is PATH without .csv plus .truth.json
  --scan-radius R     HOTSPOTS scanRadius, > 0, in the columns' units (default ${DEFAULT_HOTSPOTS_PARAMETERS.scanRadius})
  --window-size N     HOTSPOTS windowSize, 100..1000 (default ${DEFAULT_HOTSPOTS_PARAMETERS.windowSize})
  --min-points K      HOTSPOTS minimumNumberOfPointsInAHotspot, 2..window size (default ${DEFAULT_HOTSPOTS_PARAMETERS.minimumPoints})
  --columns A,B       analysed numeric columns (default ${DEFAULT_HOTSPOTS_PARAMETERS.columns.join(",")});
                      accepted: ${NUMERIC_FIELD_NAMES.join(", ")}
  --shards N          shards of the local stream, 1..${MAX_LOCAL_SHARDS} (default ${DEFAULT_SHARDS})
  --rate N            records/s the simulator puts (default: shards x ${KINESIS_SHARD_RECORDS_PER_SECOND}, the stream's
                      write capacity on AWS); 0: as fast as it can (as in npm run simulate)
  --out DIR           output folder (default ${DEFAULT_OUT}): new, empty, or one npm start made (it marks it
                      with ${OUT_MARKER}); a run writes beside the previous results and replaces
                      DIR/hotspots, DIR/checkpoints, DIR/events.ndjson and DIR/report.html only when it succeeds
  --live              serve a live map of the hotspots while the run lasts, on 127.0.0.1 at a free
                      port (printed): the page, and GET /events, a text/event-stream of hotspot
                      events and of the window's hotspots
  --live-port N       the live map's port, 1..65535 (implies --live)
  --verbose           with an error, print its stack trace too (as DEBUG=1 does)
  --help              this text

Malformed rows (broken quoting, a wrong field count, a bad number, a line over 1 MiB) are skipped
and counted, named by line in the summary. A missing, empty or binary file or a header without
the event columns stops the run before DIR is touched. An --out that holds the input is refused.
${EXIT_CODES_HELP}

Example: npm start -- --input my.csv --scan-radius 0.01
`;

/** --rate 0 means the same here as in `npm run simulate`. */
export const RATE_RANGE = { min: 0, note: "0: as fast as it can" } as const;

/** Parses the flags of `npm start`; throws a one-line UserError naming the flag and what it accepts. */
export function parseStartConfig(argv: readonly string[]): StartConfig {
  const { values } = parseCliArgs(argv, {
    input: { type: "string" },
    out: { type: "string" },
    "scan-radius": { type: "string" },
    "window-size": { type: "string" },
    "min-points": { type: "string" },
    columns: { type: "string" },
    shards: { type: "string" },
    rate: { type: "string" },
    live: { type: "boolean" },
    "live-port": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  const shards =
    values.shards === undefined
      ? DEFAULT_SHARDS
      : parseNumberFlag("--shards", values.shards, { integer: true, min: 1, max: MAX_LOCAL_SHARDS });
  const rate = values.rate === undefined ? defaultRate(shards) : parseNumberFlag("--rate", values.rate, RATE_RANGE);
  const livePort =
    values["live-port"] === undefined
      ? undefined
      : parseNumberFlag("--live-port", values["live-port"], { integer: true, min: 1, max: 65535 });
  const number = (raw: string | undefined, fallback: number) => (raw === undefined ? fallback : decimalNumber(raw));
  const params: HotspotsParameters = {
    windowSize: number(values["window-size"], DEFAULT_HOTSPOTS_PARAMETERS.windowSize),
    scanRadius: number(values["scan-radius"], DEFAULT_HOTSPOTS_PARAMETERS.scanRadius),
    minimumPoints: number(values["min-points"], DEFAULT_HOTSPOTS_PARAMETERS.minimumPoints),
    columns:
      values.columns === undefined
        ? DEFAULT_HOTSPOTS_PARAMETERS.columns
        : values.columns.split(",").map((c) => c.trim()),
  };
  try {
    validateHotspotsParameters(params, NUMERIC_FIELD_NAMES);
  } catch (err) {
    if (!(err instanceof HotspotsParameterError)) throw err;
    // core names the field; the user knows the flag.
    const flag = {
      windowSize: "--window-size",
      scanRadius: "--scan-radius",
      minimumPoints: "--min-points",
      columns: "--columns",
    } as const;
    const raw = {
      windowSize: values["window-size"],
      scanRadius: values["scan-radius"],
      minimumPoints: values["min-points"],
      columns: values.columns,
    }[err.field];
    let message = flag[err.field] + err.message.slice(err.field.length);
    if (raw !== undefined && message.endsWith("got NaN")) message = message.slice(0, -3) + quoteInput(raw);
    throw new UserError(message);
  }
  return {
    help: values.help === true,
    input: values.input ?? DEFAULT_INPUT,
    out: values.out ?? DEFAULT_OUT,
    streamName: DEFAULT_STREAM_NAME,
    shards,
    rate: rate === 0 ? undefined : rate,
    params,
    live: livePort !== undefined ? { port: livePort } : values.live === true ? { port: 0 } : undefined,
  };
}
