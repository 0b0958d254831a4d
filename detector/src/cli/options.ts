import {
  DEFAULT_HOTSPOTS_PARAMETERS,
  HotspotsParameterError,
  validateHotspotsParameters,
  type HotspotsParameters,
} from "@hotspots/core";

/** A mistake in the command line or the environment: one line naming the input, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Flags that take a value, and the boolean ones. */
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
] as const;
const BOOLEAN_FLAGS = ["help"] as const;

export type ValueFlag = (typeof VALUE_FLAGS)[number];

export interface ParsedArgs {
  readonly command: "offline" | "stream";
  readonly help: boolean;
  readonly flags: ReadonlyMap<ValueFlag, string>;
}

/** `[stream] --flag value | --flag=value ...`; unknown flags and missing values are usage errors. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const flags = new Map<ValueFlag, string>();
  let help = false;
  let command: ParsedArgs["command"] = "offline";
  let rest = argv;
  if (rest[0] === "stream") {
    command = "stream";
    rest = rest.slice(1);
  } else if (rest[0] === "offline") {
    rest = rest.slice(1);
  }
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "-h" || arg === "--help") {
      help = true;
      continue;
    }
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument "${arg}"; see --help`);
    const eq = arg.indexOf("=");
    const name = (eq === -1 ? arg.slice(2) : arg.slice(2, eq)) as ValueFlag;
    if ((BOOLEAN_FLAGS as readonly string[]).includes(name)) {
      help = true;
      continue;
    }
    if (!(VALUE_FLAGS as readonly string[]).includes(name)) {
      throw new UsageError(`unknown option --${name}; accepted: ${[...VALUE_FLAGS, ...BOOLEAN_FLAGS].map((f) => `--${f}`).join(", ")}`);
    }
    const value = eq === -1 ? rest[++i] : arg.slice(eq + 1);
    if (value === undefined || (eq === -1 && value.startsWith("--"))) throw new UsageError(`--${name} needs a value`);
    flags.set(name, value);
  }
  return { command, help, flags };
}

/** Where each HOTSPOTS parameter comes from: a flag, else an environment variable (the ECS task's), else the default. */
const PARAMETER_SOURCES: Record<keyof HotspotsParameters, { flag: ValueFlag; env: string }> = {
  windowSize: { flag: "window-size", env: "HOTSPOTS_WINDOW_SIZE" },
  scanRadius: { flag: "scan-radius", env: "HOTSPOTS_SCAN_RADIUS" },
  minimumPoints: { flag: "min-points", env: "HOTSPOTS_MIN_POINTS" },
  columns: { flag: "columns", env: "HOTSPOTS_COLUMNS" },
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
  for (const [field, source] of Object.entries(PARAMETER_SOURCES) as [keyof HotspotsParameters, { flag: ValueFlag; env: string }][]) {
    const fromFlag = flags.get(source.flag);
    const fromEnv = env[source.env];
    raw[field] = fromFlag ?? (fromEnv !== undefined && fromEnv !== "" ? fromEnv : undefined);
    sourceOf[field] = fromFlag !== undefined ? `--${source.flag}` : raw[field] !== undefined ? source.env : field;
  }
  const number = (text: string | undefined, fallback: number) => (text === undefined ? fallback : text.trim() === "" ? NaN : Number(text));
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
    if (text !== undefined && message.endsWith("got NaN")) message = message.slice(0, -3) + JSON.stringify(text);
    throw new UsageError(message);
  }
}
