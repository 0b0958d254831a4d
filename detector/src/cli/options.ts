import {
  DEFAULT_HOTSPOTS_PARAMETERS,
  HotspotsParameterError,
  decimalNumber,
  parseCliArgs,
  quoteInput,
  UserError,
  validateHotspotsParameters,
  type HotspotsParameters,
  DETECTOR_ENV,
} from "@hotspots/core";
import {
  TRACKING_SETTINGS,
  TrackingParameterError,
  trackingParametersFrom,
  type TrackingParameters,
} from "../tracking";

/** A mistake in the command line or the environment: one line naming the input, exit status 2. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Flags that take a value. */
const VALUE_FLAGS = [
  "input",
  "output",
  "columns",
  "window-size",
  "scan-radius",
  "min-points",
  "stream",
  "delivery-stream",
  "output-dir",
  "checkpoint-file",
  "checkpoint-bucket",
  "checkpoint-prefix",
  "region",
  "kinesis-endpoint",
  "firehose-endpoint",
  "s3-endpoint",
  "metrics-interval",
  "event-bus-name",
  "eventbridge-endpoint",
  "events",
  "emerge-after",
  "dissolve-after",
  "changed-distance",
  "changed-share",
  "changed-every",
  "member-column",
  "member-values-cap",
  "h3-resolution",
  "min-distinct-members",
] as const;

export type ValueFlag = (typeof VALUE_FLAGS)[number];

const FLAG_SPECS = {
  ...(Object.fromEntries(VALUE_FLAGS.map((f) => [f, { type: "string" }])) as Record<ValueFlag, { type: "string" }>),
  help: { type: "boolean", short: "h" },
  "result-ids": { type: "boolean" },
} as const;

export interface ParsedArgs {
  readonly command: "offline" | "stream";
  readonly help: boolean;
  readonly flags: ReadonlyMap<ValueFlag, string>;
  /** --result-ids was given. */
  readonly resultIds: boolean;
}

/** `[stream|offline] --flag value | --flag=value ...`; unknown flags and missing values are usage errors. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const { values, positionals } = parseCliArgs(argv, FLAG_SPECS, { allowPositionals: true });
  const [command, ...rest] = positionals;
  if (command !== undefined && command !== "stream" && command !== "offline") {
    throw new UsageError(
      `unexpected argument ${quoteInput(command)}; the commands are offline (the default) and stream (see --help)`,
    );
  }
  if (rest.length > 0) throw new UsageError(`unexpected argument ${quoteInput(rest[0])} (see --help)`);
  const flags = new Map<ValueFlag, string>();
  for (const flag of VALUE_FLAGS) {
    const value = values[flag];
    if (value !== undefined) flags.set(flag, value);
  }
  return {
    command: command === "stream" ? "stream" : "offline",
    help: values.help === true,
    flags,
    resultIds: values["result-ids"] === true,
  };
}

/** The tracking settings from flags, else HOTSPOTS_TRACK_* variables, else defaults; a bad one names its source. */
export function resolveTracking(
  flags: ReadonlyMap<ValueFlag, string>,
  env: Readonly<Record<string, string | undefined>>,
): TrackingParameters {
  try {
    return trackingParametersFrom((setting) => {
      const fromFlag = flags.get(setting.flag as ValueFlag);
      if (fromFlag !== undefined) return { text: fromFlag, source: `--${setting.flag}` };
      const fromEnv = env[setting.env];
      return fromEnv !== undefined && fromEnv !== "" ? { text: fromEnv, source: setting.env } : undefined;
    });
  } catch (error) {
    if (error instanceof TrackingParameterError) throw new UsageError(error.message);
    throw error;
  }
}

/** Whether HOTSPOTS_RESULT carries hotspot ids: --result-ids, else HOTSPOTS_RESULT_IDS (true or false), else not. */
export function resolveResultIds(args: ParsedArgs, env: Readonly<Record<string, string | undefined>>): boolean {
  if (args.resultIds) return true;
  const text = env[DETECTOR_ENV.resultIds];
  if (text === undefined || text === "" || text === "false") return false;
  if (text === "true") return true;
  throw new UsageError(`HOTSPOTS_RESULT_IDS must be true or false, got ${quoteInput(text)}`);
}

/** Tracking flags are named in TRACKING_SETTINGS; each must be a value flag here. */
for (const setting of TRACKING_SETTINGS) {
  if (!(VALUE_FLAGS as readonly string[]).includes(setting.flag))
    throw new Error(`detect: no --${setting.flag} flag for ${setting.key}`);
}

/** Where each HOTSPOTS parameter comes from: a flag, else an environment variable (the ECS task's), else the default. */
const PARAMETER_SOURCES: Record<keyof HotspotsParameters, { flag: ValueFlag; env: string }> = {
  windowSize: { flag: "window-size", env: DETECTOR_ENV.windowSize },
  scanRadius: { flag: "scan-radius", env: DETECTOR_ENV.scanRadius },
  minimumPoints: { flag: "min-points", env: DETECTOR_ENV.minimumPoints },
  columns: { flag: "columns", env: DETECTOR_ENV.columns },
};

/**
 * The HOTSPOTS parameters from flags, environment and defaults, validated by core's one rule set.
 * A bad value fails with the name of the flag or variable that supplied it.
 * `allowedColumns` is the set of columns the input has, when known.
 */
export function resolveParameters(
  flags: ReadonlyMap<ValueFlag, string>,
  env: Readonly<Record<string, string | undefined>>,
  allowedColumns?: readonly string[],
): HotspotsParameters {
  const sourceOf = {} as Record<keyof HotspotsParameters, string>;
  const raw = {} as Record<keyof HotspotsParameters, string | undefined>;
  for (const [field, source] of Object.entries(PARAMETER_SOURCES) as [
    keyof HotspotsParameters,
    { flag: ValueFlag; env: string },
  ][]) {
    const fromFlag = flags.get(source.flag);
    const fromEnv = env[source.env];
    raw[field] = fromFlag ?? (fromEnv !== undefined && fromEnv !== "" ? fromEnv : undefined);
    sourceOf[field] = fromFlag !== undefined ? `--${source.flag}` : raw[field] !== undefined ? source.env : field;
  }
  const number = (text: string | undefined, fallback: number) => (text === undefined ? fallback : decimalNumber(text));
  const params: HotspotsParameters = {
    windowSize: number(raw.windowSize, DEFAULT_HOTSPOTS_PARAMETERS.windowSize),
    scanRadius: number(raw.scanRadius, DEFAULT_HOTSPOTS_PARAMETERS.scanRadius),
    minimumPoints: number(raw.minimumPoints, DEFAULT_HOTSPOTS_PARAMETERS.minimumPoints),
    columns:
      raw.columns === undefined
        ? DEFAULT_HOTSPOTS_PARAMETERS.columns
        : raw.columns
            .split(",")
            .map((c) => c.trim())
            .filter((c) => c !== ""),
  };
  try {
    return validateHotspotsParameters(params, allowedColumns);
  } catch (error) {
    if (!(error instanceof HotspotsParameterError)) throw error;
    // core names the field; the user knows the flag or variable they set.
    let message = sourceOf[error.field] + error.message.slice(error.field.length);
    const text = raw[error.field];
    if (text !== undefined && message.endsWith("got NaN")) message = message.slice(0, -3) + quoteInput(text);
    throw new UsageError(message);
  }
}
