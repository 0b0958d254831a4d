import {
  DEFAULT_HOTSPOTS_PARAMETERS,
  EXIT_CODES_HELP,
  parseCliArgs,
  parseNumberFlag,
  runCli,
  WINDOW_SIZE_MAX,
  WINDOW_SIZE_MIN,
} from "@hotspots/core";
import { readGroundTruth, truthPathFor } from "./data/ground-truth";
import { readInputIndex } from "./pipeline/input-index";
import { mapEventsOf, radiusGuide, AWAY_DEGREES } from "./tuning/radius-guide";

const HELP = `Usage: npx tsx local/radius-guide.ts [data/data-simu.csv] [--window N] [--min-points K]

Prints the k-distance table that chose the default scan radius: for candidate radii, the share of
the gathered players' events that are core points, and the count of events far (> ${AWAY_DEGREES} degrees)
from every gathering that would be core points (false hotspots). Needs the ground truth beside the CSV.
${EXIT_CODES_HELP}`;

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(
    argv,
    { window: { type: "string" }, "min-points": { type: "string" }, help: { type: "boolean", short: "h" } },
    { allowPositionals: true },
  );
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const path = positionals[0] ?? "data/data-simu.csv";
  const window =
    values.window === undefined
      ? DEFAULT_HOTSPOTS_PARAMETERS.windowSize
      : parseNumberFlag("--window", values.window, { integer: true, min: WINDOW_SIZE_MIN, max: WINDOW_SIZE_MAX });
  const k =
    values["min-points"] === undefined
      ? DEFAULT_HOTSPOTS_PARAMETERS.minimumPoints
      : parseNumberFlag("--min-points", values["min-points"], { integer: true, min: 2, max: window });
  const truth = readGroundTruth(truthPathFor(path));
  const input = await readInputIndex(path);
  const events = mapEventsOf(input);
  const guide = radiusGuide(events, truth, window, k);
  const f = (x: number) => x.toFixed(4);
  console.log(`${path}: ${guide.windows} windows of ${window} events, k = ${k}`);
  console.log(`distance to the ${k - 1}th nearest neighbour (5% / 50% / 95% / 99%):`);
  console.log(`  gathered players' events (${guide.gatheredEvents}): ${guide.gatheredQuantiles.map(f).join(" / ")}`);
  console.log(`  events away from every gathering (${guide.awayEvents}): ${guide.awayQuantiles.map(f).join(" / ")}`);
  console.log("radius   gathered events that are core   away events that are core");
  for (const r of guide.rows) {
    console.log(
      `${r.radius.toFixed(4).padEnd(8)} ${(r.gatheredCoreShare * 100).toFixed(1).padStart(6)}%${String(r.awayCorePoints).padStart(30)}`,
    );
  }
  console.log(
    guide.suggested === undefined ? "no radius separates the two" : `suggested scan radius: ${guide.suggested}`,
  );
  return 0;
}

runCli("radius-guide", () => main(process.argv.slice(2)));
