import { spawn } from "node:child_process";
import { join } from "node:path";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { createStream, startEmbeddedKinesis, type EmbeddedKinesis } from "@hotspots/core";
import { createSimulatorKinesisClient } from "../src";
import { eventCsv, tempDir, writeTemp } from "./support/events";
import { readAllRecords } from "./support/stream-reader";

const ROOT = join(__dirname, "..", "..");
const CLI = join(ROOT, "simulator", "src", "cli.ts");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as `npm run simulate` does; `whileRunning` may signal the child. */
function simulate(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  whileRunning?: (child: ReturnType<typeof spawn>, stdout: () => string) => void,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_NO_WARNINGS: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    whileRunning?.(child, () => stdout);
  });
}

const jsonLines = (text: string) =>
  text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));

describe("simulate (the command line)", () => {
  let kinesis: EmbeddedKinesis;
  let client: KinesisClient;
  let dir: string;
  beforeAll(async () => {
    kinesis = await startEmbeddedKinesis();
    client = createSimulatorKinesisClient({ kinesisEndpoint: kinesis.endpoint });
    await createStream(client, "cli-events", 2);
    dir = tempDir();
  });
  afterAll(async () => {
    client.destroy();
    await kinesis.close();
  });

  it("on SIGTERM in the middle of a run, sends what it read, prints the summary and exits 0", async () => {
    const input = writeTemp(dir, "rows.csv", eventCsv(500));
    const run = await simulate(
      [
        "--input",
        input,
        "--stream",
        "cli-events",
        "--endpoint",
        kinesis.endpoint,
        "--loop",
        "--progress-interval",
        "0.05",
      ],
      {},
      (child, stdout) => {
        const poll = setInterval(() => {
          // Wait until records are flowing, then stop the task as ECS does.
          if (jsonLines(stdout()).some((l) => l.message === "progress" && l.recordsSent > 0)) {
            clearInterval(poll);
            child.kill("SIGTERM");
          }
        }, 20);
      },
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines.some((l) => l.message === "SIGTERM: stopped reading, sending what was read (again to exit now)")).toBe(
      true,
    );
    const summary = lines.find((l) => l.message === "summary");
    expect(summary).toMatchObject({ stoppedBy: "signal", unsent: 0, exitCode: 0 });
    expect(summary.recordsSent).toBe(summary.rowsRead);
    expect(await readAllRecords(client, "cli-events")).toHaveLength(summary.recordsSent);
  });

  it("exits 2 with one line for a missing file, a missing stream and a bad flag", async () => {
    const good = writeTemp(dir, "good.csv", eventCsv(2));
    const cases: Array<[string[], string]> = [
      [
        ["--input", join(dir, "absent.csv"), "--stream", "cli-events", "--endpoint", kinesis.endpoint],
        `simulator: input ${join(dir, "absent.csv")}: no such file; accepted: a CSV file path, s3://bucket/key or s3://bucket/prefix/\n`,
      ],
      [
        ["--input", good, "--stream", "absent", "--endpoint", kinesis.endpoint],
        "simulator: stream absent: not found; create it or give another --stream\n",
      ],
      [
        ["--input", good, "--stream", "cli-events", "--batch-size", "many"],
        'simulator: --batch-size must be an integer from 1 to 500, got "many"\n',
      ],
    ];
    for (const [args, message] of cases) {
      const run = await simulate(args);
      expect([run.code, run.stderr, run.stdout]).toEqual([2, message, ""]);
    }
  });

  it("takes its settings from the environment as the ECS task gives them", async () => {
    await createStream(client, "cli-env", 1);
    const input = writeTemp(dir, "env.csv", eventCsv(30));
    const run = await simulate(["--input", input], {
      STREAM_NAME: "cli-env",
      KINESIS_ENDPOINT: kinesis.endpoint,
      BATCH_SIZE: "7",
      PARTITION_KEY: "event_type",
    });
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout).find((l) => l.message === "summary")).toMatchObject({ recordsSent: 30, exitCode: 0 });
    const records = await readAllRecords(client, "cli-env");
    expect(records.map((r) => r.partitionKey)).toEqual(Array(30).fill("move"));
  });

  it("--help lists every flag and environment variable", async () => {
    const run = await simulate(["--help"]);
    expect(run.code).toBe(0);
    for (const word of [
      "--input",
      "--stream",
      "--region",
      "--endpoint",
      "--s3-endpoint",
      "--partition-key",
      "--batch-size",
      "--max-in-flight",
      "--max-attempts",
      "--rate",
      "--replay",
      "--speed",
      "--loop",
      "--drain-timeout",
      "--progress-interval",
      "STREAM_NAME",
      "SRC_DATA_BUCKET",
      "PREFIX",
      "BATCH_SIZE",
      "RATE",
      "PARTITION_KEY",
      "AWS_REGION",
      "KINESIS_ENDPOINT",
      "S3_ENDPOINT",
    ]) {
      expect(run.stdout).toContain(word);
    }
  });
});
