import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { AtomicOutput } from "@hotspots/core";
import { csvHeader, csvLine } from "./csv-format";
import { generateEvents, type GenerateOptions } from "./generate-events";
import { truthPathFor, type GroundTruth } from "./ground-truth";

export interface WrittenData {
  readonly rows: number;
  readonly truthPath: string;
  readonly truth: GroundTruth;
}

/**
 * Generates the events and writes the CSV and, beside it, the ground truth, each under a temporary
 * name renamed into place once both are written. Rejects with `signal`'s reason when it stops the
 * run (nothing is replaced then). The CSV's folder must exist: a typo in a path creates no folders.
 */
export async function writeGeneratedData(
  csvPath: string,
  options: GenerateOptions,
  signal?: AbortSignal,
): Promise<WrittenData> {
  const truthPath = truthPathFor(csvPath);
  const csvOut = AtomicOutput.prepare(csvPath, { flag: "--out" });
  const truthOut = AtomicOutput.prepare(truthPath, { flag: "--out (its ground truth)" });
  const { events, truth } = generateEvents(options);
  const file = createWriteStream(csvOut.path, { flags: "wx" });
  try {
    file.write(`${csvHeader()}\n`);
    for (const event of events) {
      signal?.throwIfAborted();
      if (!file.write(`${csvLine(event)}\n`)) await once(file, "drain");
    }
    file.end();
    await once(file, "finish");
    await writeFile(truthOut.path, `${JSON.stringify(truth, null, 2)}\n`, { flag: "wx" });
    csvOut.commit();
    truthOut.commit();
    return { rows: events.length, truthPath, truth };
  } finally {
    file.destroy();
    csvOut.discard();
    truthOut.discard();
  }
}
