import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { createKinesisClient, createStream, DEFAULT_HOTSPOTS_PARAMETERS, HOTSPOTS_RESULT_COLUMN, startEmbeddedKinesis, type EmbeddedKinesis } from "@hotspots/core";
import { generateEvents } from "../../local/data/generate-events";
import { compareSequenceNumbers } from "../src/stream/arrival-order";
import type { Checkpoints } from "../src";
import { completeLines, runDetectorToFile, type DetectorToFile } from "./support/detector-to-file";
import { putEvents, type PutPosition } from "./support/stream-fixtures";

const ROOT = join(__dirname, "..", "..");
const CHILD = join(__dirname, "support", "stream-detector-child.ts");
const EVENTS = 4000;

/** Runs the detector in a child process and SIGKILLs it as soon as `killWhen` holds for a progress line. */
function runUntilKilled(config: DetectorToFile, killWhen: (recordsIn: number, checkpointsSaved: number, previousCheckpoints: number) => boolean) {
  return new Promise<{ signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
    // tsx as a loader, not its CLI: the CLI runs the script in a second process, which a kill of the first would leave running.
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, JSON.stringify(config)], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_NO_WARNINGS: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 45_000);
    let stdout = "";
    let stderr = "";
    let checkpoints = 0;
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.on("data", (d) => {
      stdout += d;
      const lines = stdout.split("\n");
      stdout = lines.pop() ?? "";
      for (const line of lines) {
        const [, recordsIn, saved] = line.split(" ").map(Number);
        if (killWhen(recordsIn, saved, checkpoints)) child.kill("SIGKILL");
        checkpoints = saved;
      }
    });
    child.on("error", reject);
    child.on("close", (_code, signal) => {
      clearTimeout(timer);
      resolve({ signal, stderr });
    });
  });
}

interface Comparison {
  /** Event ids whose every delivery is byte for byte the reference run's output line. */
  identical: number;
  missing: string[];
  /** Event ids delivered more than once. */
  duplicated: string[];
  /** Of those, the ones the last checkpoint before the crash covered (should not repeat). */
  duplicatedBeforeCheckpoint: string[];
}

function compareWithReference(
  reference: ReadonlyMap<string, string>,
  delivered: readonly string[],
  checkpoint: Checkpoints,
  put: ReadonlyMap<string, PutPosition>,
): Comparison {
  const deliveries = new Map<string, string[]>();
  for (const line of delivered) {
    const id = JSON.parse(line).event_id as string;
    deliveries.set(id, [...(deliveries.get(id) ?? []), line]);
  }
  const duplicated = [...deliveries].filter(([, lines]) => lines.length > 1).map(([id]) => id);
  const covered = (id: string) => {
    const { shardId, sequenceNumber } = put.get(id) as PutPosition;
    const last = checkpoint.shards[shardId]?.sequenceNumber;
    return last !== undefined && compareSequenceNumbers(sequenceNumber, last) <= 0;
  };
  return {
    identical: [...deliveries].filter(([id, lines]) => lines.every((l) => l === reference.get(id))).length,
    missing: [...reference.keys()].filter((id) => !deliveries.has(id)),
    duplicated,
    duplicatedBeforeCheckpoint: duplicated.filter(covered),
  };
}

describe("warm restart against kinesalite", () => {
  let kinesis: EmbeddedKinesis;
  let client: KinesisClient;
  let dir: string;

  beforeAll(async () => {
    kinesis = await startEmbeddedKinesis();
    client = createKinesisClient({ endpoint: kinesis.endpoint });
    dir = await mkdtemp(join(tmpdir(), "detector-restart-"));
  });
  afterAll(async () => {
    client.destroy();
    await kinesis.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("after a SIGKILL mid-stream, a restart on the same checkpoints gives every record an uninterrupted run's output", async () => {
    const streamName = "restart-killed";
    await createStream(client, streamName, 2);
    const { events } = generateEvents({ players: 300, events: EVENTS, seed: 5 });
    const positions = await putEvents(client, streamName, events);
    const put = new Map(events.map((e, i) => [e.event_id, positions[i]]));
    const base = { endpoint: kinesis.endpoint, streamName, params: DEFAULT_HOTSPOTS_PARAMETERS, checkpointIntervalMs: 600 };

    // The reference: one uninterrupted run over the whole stream.
    const referenceFile = join(dir, "reference.ndjson");
    await runDetectorToFile({ ...base, checkpointFile: join(dir, "reference.json"), outputFile: referenceFile, stopAtIds: EVENTS });
    const referenceLines = completeLines(await readFile(referenceFile, "utf8"));
    const reference = new Map(referenceLines.map((l) => [JSON.parse(l).event_id as string, l]));
    expect(referenceLines).toHaveLength(EVENTS);
    expect(reference.size).toBe(EVENTS);
    const withHotspots = referenceLines.filter((l) => JSON.parse(JSON.parse(l)[HOTSPOTS_RESULT_COLUMN]).hotspots.length > 0);
    expect(withHotspots.length).toBeGreaterThan(EVENTS / 4);

    // The killed run: 100 records per GetRecords so it takes a few seconds; killed in the
    // iteration after a checkpoint, so records were delivered that no checkpoint covers (the next
    // one is 1.5 s away, ample for the kill to land).
    const checkpointFile = join(dir, "checkpoints.json");
    const outputFile = join(dir, "output.ndjson");
    const killed = await runUntilKilled(
      { ...base, checkpointFile, outputFile, getRecordsLimit: 100, checkpointIntervalMs: 1500 },
      (recordsIn, saved, before) => saved > before && recordsIn >= EVENTS * 0.3,
    );
    expect(killed).toEqual({ signal: "SIGKILL", stderr: "" });
    const atCrash = JSON.parse(await readFile(checkpointFile, "utf8")) as Checkpoints;
    const deliveredAtCrash = completeLines(await readFile(outputFile, "utf8")).length;
    expect(atCrash.position).toBeGreaterThan(0);
    expect(atCrash.windowLength).toBe(DEFAULT_HOTSPOTS_PARAMETERS.windowSize);
    expect(deliveredAtCrash).toBeGreaterThan(atCrash.position ?? 0);
    expect(deliveredAtCrash).toBeLessThan(EVENTS);

    // The restart, on the same checkpoints and output.
    const warnings: string[] = [];
    const restarted = await runDetectorToFile({ ...base, checkpointFile, outputFile, stopAtIds: EVENTS }, { warn: (w) => warnings.push(w) });
    expect(warnings).toEqual([]);
    expect(restarted.recordsReplayed).toBe(DEFAULT_HOTSPOTS_PARAMETERS.windowSize);
    expect(restarted.position).toBe(EVENTS);
    expect(restarted.recordsIn).toBe(EVENTS - (atCrash.position ?? 0));

    const delivered = completeLines(await readFile(outputFile, "utf8"));
    const comparison = compareWithReference(reference, delivered, atCrash, put);
    expect(comparison.missing).toEqual([]);
    expect(comparison.duplicatedBeforeCheckpoint).toEqual([]);
    expect(comparison.duplicated.length).toBe(deliveredAtCrash - (atCrash.position ?? 0));
    expect(comparison.identical).toBe(EVENTS);
  });
});
