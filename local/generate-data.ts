import {
  EXIT_CODES_HELP,
  EXIT_STOPPED,
  parseCliArgs,
  parseNumberFlag,
  runCli,
  UserError,
  type CliRun,
} from "@hotspots/core";
import { DEFAULT_GENERATE_OPTIONS, MAX_EVENTS, MIN_EVENTS, MIN_PLAYERS } from "./data/generate-events";
import { writeGeneratedData } from "./data/write-data";

const HELP = `Usage: npm run generate-data -- --out data/data-simu.csv [--players N] [--events N] [--seed S]

Writes deterministic synthetic player events (CSV, the event fields in order) and, beside the
CSV, the ground truth of the hotspots the script injects (<name>.truth.json). Both are written
under temporary names and renamed into place at the end: a failed or stopped run leaves earlier
files as they were.

  --out PATH      CSV file to write (required)
  --players N     number of players, an integer >= ${MIN_PLAYERS} (default ${DEFAULT_GENERATE_OPTIONS.players})
  --events N      number of rows, an integer from ${MIN_EVENTS} to ${MAX_EVENTS} (default ${DEFAULT_GENERATE_OPTIONS.events})
  --seed S        non-negative integer seed (default ${DEFAULT_GENERATE_OPTIONS.seed})
  --verbose       with an error, print its stack trace too (as DEBUG=1 does)
  --help          this text

${EXIT_CODES_HELP}`;

async function main(argv: readonly string[], run: CliRun): Promise<number> {
  const { values } = parseCliArgs(argv, {
    out: { type: "string" },
    players: { type: "string" },
    events: { type: "string" },
    seed: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (!values.out) throw new UserError("--out is required: the CSV file to write, e.g. --out data/data-simu.csv");
  const out = values.out;
  const integer = (
    flag: string,
    raw: string | undefined,
    fallback: number,
    min: number,
    max = Number.MAX_SAFE_INTEGER,
  ) =>
    raw === undefined
      ? fallback
      : parseNumberFlag(flag, raw, { integer: true, min, max: max === Number.MAX_SAFE_INTEGER ? undefined : max });
  const options = {
    players: integer("--players", values.players, DEFAULT_GENERATE_OPTIONS.players, MIN_PLAYERS),
    events: integer("--events", values.events, DEFAULT_GENERATE_OPTIONS.events, MIN_EVENTS, MAX_EVENTS),
    seed: integer("--seed", values.seed, DEFAULT_GENERATE_OPTIONS.seed, 0),
  };
  let written: Awaited<ReturnType<typeof writeGeneratedData>>;
  try {
    written = await writeGeneratedData(out, options, run.signal);
  } catch (error) {
    if (!run.signal.aborted) throw error;
    console.log(`stopped: ${out} left as it was`);
    return EXIT_STOPPED;
  }
  console.log(`${out}: ${written.rows} events of ${options.players} players, seed ${options.seed}`);
  console.log(`${written.truthPath}: ${written.truth.hotspots.length} injected hotspots`);
  return 0;
}

runCli("generate-data", (run) => main(process.argv.slice(2), run));
