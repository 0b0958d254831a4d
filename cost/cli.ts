/**
 * `npm run cost -- --env dev`: the monthly cost of an environment's typed config, as a table.
 */
import { readFileSync } from "node:fs";
import { EXIT_CODES_HELP, parseCliArgs, quoteInput, runCli, UserError } from "@hotspots/core";
import { resolve } from "node:path";
import { ConfigError, ENVIRONMENT_NAMES, type EnvironmentName, resolveConfig } from "../stacks/config";
import { costInputsFromConfig } from "./config-inputs";
import { estimateMonthlyCost } from "./estimate";
import { renderCostTable } from "./format";
import { US_EAST_1_PRICES } from "./prices";
import { measureHotspotEventRate } from "./event-rate";
import { measureRecords } from "./record-size";

const HELP = `Usage: npm run cost -- [--env ${ENVIRONMENT_NAMES.join("|")}]

Prints the monthly cost of one environment from its typed config (stacks/config.ts): Kinesis
shard-hours or on-demand, PUT payload units, Firehose GB ingested, Fargate vCPU and GB hours,
S3 storage of the results and of the raw archive (when archive.enabled), the hotspot events (engine
container: EventBridge events and archive, SQS requests of the events queue), alarms, dashboard,
KMS keys, and the KDA SQL KPU-hours for comparison. Record sizes, and hotspot events per record (the
detector's tracker run over it), are measured on the environment's event file.
Unit prices (list prices, us-east-1, with their date) are in cost/prices.ts.

Options:
  --env NAME   environment to estimate (default: dev)
  --verbose    with an error, print its stack trace too (as DEBUG=1 does)
  -h, --help   show this help
HOTSPOTS_ENGINE=kda-sql|container overrides the engine, as in synth.
${EXIT_CODES_HELP}`;

const REPO_ROOT = resolve(__dirname, "..");

export function parseArgs(argv: readonly string[]): { help: true } | { help: false; env: EnvironmentName } {
  const { values } = parseCliArgs(argv, { env: { type: "string" }, help: { type: "boolean", short: "h" } });
  if (values.help) return { help: true };
  const env = values.env ?? "dev";
  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(env)) {
    throw new UserError(`--env must be one of ${ENVIRONMENT_NAMES.join(", ")}, got ${quoteInput(env)}`);
  }
  return { help: false, env: env as EnvironmentName };
}

/** The printed report of one environment (what the README shows for dev). */
export function costReport(
  env: EnvironmentName,
  variables: Readonly<Record<string, string | undefined>>,
): { report: string; region: string } {
  const config = resolveConfig(env, variables);
  const dataFile = resolve(REPO_ROOT, config.sourceDataFile);
  const csv = readFileSync(dataFile, "utf8");
  const measured = measureRecords(csv, config.sourceDataFile);
  // Only the container engine has hotspot events.
  const eventRate =
    config.engine === "container"
      ? measureHotspotEventRate(csv, config.hotspots, config.sourceDataFile)
      : { records: 1, events: 0 };
  const { inputs, assumptions } = costInputsFromConfig(config, measured, eventRate);
  const estimate = estimateMonthlyCost(inputs, US_EAST_1_PRICES);
  const stream = config.stream.mode === "provisioned" ? `${config.stream.shards} shards` : "on-demand";
  const title = `Monthly cost of ${env} (engine ${config.engine}, stream ${stream}, ${config.region})`;
  return { report: renderCostTable(title, estimate, assumptions), region: config.region };
}

function main(): number {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  let costed: { report: string; region: string };
  try {
    costed = costReport(args.env, process.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new UserError(`invalid configuration: ${error.message}`);
    const e = error as NodeJS.ErrnoException;
    if (e.code === "ENOENT")
      throw new UserError(
        `${args.env}'s event file is missing (${quoteInput(e.path ?? "")}); cost measures record sizes on it`,
      );
    throw error;
  }
  const { report, region } = costed;
  if (region !== US_EAST_1_PRICES.region) {
    console.error(`Note: ${args.env} deploys to ${region}; the prices are those of ${US_EAST_1_PRICES.region}.`);
  }
  console.log(report);
  return 0;
}

if (require.main === module) {
  runCli("npm run cost", async () => main());
}
