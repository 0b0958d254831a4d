import { parseArgs } from "node:util";
import { DEFAULT_HOTSPOTS_PARAMETERS } from "@hotspots/core";
import { readGroundTruth, truthPathFor } from "./data/ground-truth";
import { readInputIndex } from "./pipeline/input-index";
import { mapEventsOf, radiusGuide, AWAY_DEGREES } from "./tuning/radius-guide";

const HELP = `Usage: npx tsx local/radius-guide.ts [data/data-simu.csv] [--window N] [--min-points K]

Prints the k-distance table that chose the default scan radius: for candidate radii, the share of
the gathered players' events that are core points, and the count of events far (> ${AWAY_DEGREES} degrees)
from every gathering that would be core points (false hotspots). Needs the ground truth beside the CSV.`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { window: { type: "string" }, "min-points": { type: "string" }, help: { type: "boolean" } },
  });
  if (values.help) return void console.log(HELP);
  const path = positionals[0] ?? "data/data-simu.csv";
  const window = Number(values.window ?? DEFAULT_HOTSPOTS_PARAMETERS.windowSize);
  const k = Number(values["min-points"] ?? DEFAULT_HOTSPOTS_PARAMETERS.minimumPoints);
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
    console.log(`${r.radius.toFixed(4).padEnd(8)} ${(r.gatheredCoreShare * 100).toFixed(1).padStart(6)}%${String(r.awayCorePoints).padStart(30)}`);
  }
  console.log(guide.suggested === undefined ? "no radius separates the two" : `suggested scan radius: ${guide.suggested}`);
}

main().catch((err: Error) => {
  console.error(`radius-guide: ${err.message}`);
  process.exit(1);
});
