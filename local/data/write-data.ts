import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { dirname } from "node:path";
import { csvHeader, csvLine } from "./csv-format";
import { generateEvents, type GenerateOptions } from "./generate-events";
import { truthPathFor, type GroundTruth } from "./ground-truth";

/** Generates the events and writes the CSV and, beside it, the ground truth. */
export async function writeGeneratedData(csvPath: string, options: GenerateOptions): Promise<{ rows: number; truthPath: string; truth: GroundTruth }> {
  const { events, truth } = generateEvents(options);
  mkdirSync(dirname(csvPath), { recursive: true });
  const file = createWriteStream(csvPath);
  file.write(csvHeader() + "\n");
  for (const event of events) {
    if (!file.write(csvLine(event) + "\n")) await once(file, "drain");
  }
  file.end();
  await once(file, "finish");
  const truthPath = truthPathFor(csvPath);
  writeFileSync(truthPath, JSON.stringify(truth, null, 2) + "\n");
  return { rows: events.length, truthPath, truth };
}
