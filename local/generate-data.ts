import { parseArgs } from "node:util";
import { DEFAULT_GENERATE_OPTIONS } from "./data/generate-events";
import { writeGeneratedData } from "./data/write-data";

const HELP = `Usage: npm run generate-data -- --out data/data-simu.csv [--players N] [--events N] [--seed S]

Writes deterministic synthetic player events (CSV, the event fields in order) and, beside the
CSV, the ground truth of the hotspots the script injects (<name>.truth.json).

  --out PATH      CSV file to write (required)
  --players N     number of players, >= 10 (default ${DEFAULT_GENERATE_OPTIONS.players})
  --events N      number of rows, >= 100 (default ${DEFAULT_GENERATE_OPTIONS.events})
  --seed S        non-negative integer seed (default ${DEFAULT_GENERATE_OPTIONS.seed})
  --help          this text`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: "string" },
      players: { type: "string" },
      events: { type: "string" },
      seed: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (!values.out) throw new Error("--out is required: the CSV file to write, e.g. --out data/data-simu.csv");
  const out = values.out;
  const options = {
    players: integerFlag("--players", values.players, DEFAULT_GENERATE_OPTIONS.players),
    events: integerFlag("--events", values.events, DEFAULT_GENERATE_OPTIONS.events),
    seed: integerFlag("--seed", values.seed, DEFAULT_GENERATE_OPTIONS.seed),
  };
  const { rows, truthPath, truth } = await writeGeneratedData(out, options);
  console.log(`${out}: ${rows} events of ${options.players} players, seed ${options.seed}`);
  console.log(`${truthPath}: ${truth.hotspots.length} injected hotspots`);
}

function integerFlag(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

main().catch((err: Error) => {
  console.error(`generate-data: ${err.message}`);
  process.exit(1);
});
