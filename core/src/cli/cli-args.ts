import { parseArgs } from "node:util";
import { quoteInput, UserError } from "./user-error";

export interface FlagSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
}

export type FlagValues<O extends Record<string, FlagSpec>> = {
  [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : string;
} & { verbose?: boolean };

/** Every CLI takes --verbose: a stack trace with the error message (as DEBUG=1 does). */
const COMMON_FLAGS = { verbose: { type: "boolean" } } as const satisfies Record<string, FlagSpec>;

/** A token that is a negative number, not a flag: `-5`, `-0.5`, `-.5`, `-1e3`. */
const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/**
 * node:util parseArgs with the project's rules: strict, every value read as a string (numbers are
 * checked after, by parseNumberFlag, which names the flag and its range), a negative number taken
 * as a flag's value (parseArgs would call `--window-size -5` ambiguous), and every mistake a
 * one-line UserError naming the flag and what is accepted.
 */
export function parseCliArgs<O extends Record<string, FlagSpec>>(
  argv: readonly string[],
  flags: O,
  options: { readonly allowPositionals?: boolean } = {},
): { values: FlagValues<O>; positionals: string[] } {
  const all: Record<string, FlagSpec> = { ...flags, ...COMMON_FLAGS };
  const byShort = new Map(
    Object.entries(all).flatMap(([name, spec]) => (spec.short ? [[spec.short, name] as const] : [])),
  );
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    const name = token.startsWith("--") ? token.slice(2) : /^-[^-]$/.test(token) ? byShort.get(token[1]) : undefined;
    const next = argv[i + 1];
    if (name !== undefined && all[name]?.type === "string" && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      args.push(`--${name}=${next}`);
      i++;
    } else {
      args.push(token);
    }
  }
  try {
    const { values, positionals } = parseArgs({
      args,
      options: all,
      strict: true,
      allowPositionals: options.allowPositionals ?? false,
    });
    return { values: values as FlagValues<O>, positionals };
  } catch (error) {
    throw new UserError(describeParseError(error as Error & { code?: string }, args, all));
  }
}

function describeParseError(
  error: Error & { code?: string },
  args: readonly string[],
  flags: Record<string, FlagSpec>,
): string {
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? "";
  const accepted = `accepted: ${Object.keys(flags)
    .map((f) => `--${f}`)
    .join(", ")} (see --help)`;
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${quoteInput(quoted)}; ${accepted}`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument ${quoteInput(quoted)}; ${accepted}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      // "Option '-r, --rate <value>' argument missing": the long name is the one the user knows.
      const flag = /--[^\s<]+/.exec(quoted)?.[0] ?? quoted.split(" ")[0];
      if (/does not take an argument/.test(error.message)) return `${flag} takes no value`;
      if (/ambiguous/.test(error.message)) {
        const at = args.findIndex(
          (a) => a === flag || (a.startsWith("-") && !a.startsWith("--") && flags[flag.slice(2)]?.short === a.slice(1)),
        );
        const next = args[at + 1] ?? "";
        return `${flag} needs a value, got ${quoteInput(next)}, which looks like a flag (write ${flag}=VALUE if it is the value)`;
      }
      return `${flag} needs a value (see --help)`;
    }
    default:
      return `${error.message.split("\n")[0]} (see --help)`;
  }
}

export interface NumberRange {
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** The minimum itself is not allowed: `> min`. */
  readonly minExclusive?: boolean;
  /** What a special value means, said in the message: "0: as fast as it can". */
  readonly note?: string;
}

const INTEGER_TEXT = /^[+-]?\d+$/;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** "an integer from 1 to 100", "a number > 0", "a number >= 0 (0: as fast as it can)". */
export function describeRange(range: NumberRange): string {
  const kind = range.integer ? "an integer" : "a number";
  let bounds = "";
  if (range.min !== undefined && range.max !== undefined && !range.minExclusive)
    bounds = ` from ${range.min} to ${range.max}`;
  else if (range.min !== undefined)
    bounds = ` ${range.minExclusive ? ">" : ">="} ${range.min}${range.max !== undefined ? ` and <= ${range.max}` : ""}`;
  else if (range.max !== undefined) bounds = ` <= ${range.max}`;
  return `${kind}${bounds}${range.note ? ` (${range.note})` : ""}`;
}

/**
 * A flag's (or an environment variable's) text as a number within `range`; otherwise a UserError
 * naming `name`, the range and what was given: `--window-size must be an integer from 100 to 1000, got "-5"`.
 */
export function parseNumberFlag(name: string, raw: string, range: NumberRange): number {
  const text = raw.trim();
  const value = Number(text);
  const ok =
    (range.integer ? INTEGER_TEXT : NUMBER_TEXT).test(text) &&
    Number.isFinite(value) &&
    (range.min === undefined || (range.minExclusive ? value > range.min : value >= range.min)) &&
    (range.max === undefined || value <= range.max);
  if (!ok) throw new UserError(`${name} must be ${describeRange(range)}, got ${quoteInput(raw)}`);
  return value;
}

/** A decimal number written out (no hex, no "Infinity", no empty text), else NaN: for checks made elsewhere (core's parameter rules). */
export function decimalNumber(text: string): number {
  const trimmed = text.trim();
  return NUMBER_TEXT.test(trimmed) ? Number(trimmed) : NaN;
}
