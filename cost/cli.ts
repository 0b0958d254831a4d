/**
 * `npm run cost -- --env dev`: the monthly cost of an environment's typed config, as a table.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError, ENVIRONMENT_NAMES, EnvironmentName, resolveConfig } from "../stacks/config";
import { costInputsFromConfig } from "./config-inputs";
import { estimateMonthlyCost } from "./estimate";
import { renderCostTable } from "./format";
import { US_EAST_1_PRICES } from "./prices";
import { measureRecords } from "./record-size";

const HELP = `Usage: npm run cost -- [--env ${ENVIRONMENT_NAMES.join("|")}]

Prints the monthly cost of one environment from its typed config (stacks/config.ts): Kinesis
shard-hours or on-demand, PUT payload units, Firehose GB ingested, Fargate vCPU and GB hours,
S3 storage of the results and of the raw archive (when archive.enabled), the hotspot events (engine
container: EventBridge events and archive, SQS requests of the events queue), alarms, dashboard,
KMS keys, and the KDA SQL KPU-hours for comparison. Record sizes are measured on the environment's event file.
Unit prices (list prices, us-east-1, with their date) are in cost/prices.ts.

Options:
  --env NAME   environment to estimate (default: dev)
  -h, --help   show this help
HOTSPOTS_ENGINE=kda-sql|container overrides the engine, as in synth.`;

const REPO_ROOT = resolve(__dirname, "..");

export function parseArgs(argv: readonly string[]): { help: true } | { help: false; env: EnvironmentName } {
  let env: string = "dev";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") return { help: true };
    if (arg === "--env" || arg.startsWith("--env=")) {
      const value = arg === "--env" ? argv[++i] : arg.slice("--env=".length);
      if (value === undefined || value === "") throw new Error(`--env needs a value: one of ${ENVIRONMENT_NAMES.join(", ")}`);
      env = value;
      continue;
    }
    throw new Error(`unknown argument ${JSON.stringify(arg)}; accepted: --env ${ENVIRONMENT_NAMES.join("|")}, --help`);
  }
  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(env)) {
    throw new Error(`--env must be one of ${ENVIRONMENT_NAMES.join(", ")}, got ${JSON.stringify(env)}`);
  }
  return { help: false, env: env as EnvironmentName };
}

/** The printed report of one environment (what the README shows for dev). */
export function costReport(env: EnvironmentName, variables: Readonly<Record<string, string | undefined>>): { report: string; region: string } {
  const config = resolveConfig(env, variables);
  const dataFile = resolve(REPO_ROOT, config.sourceDataFile);
  const measured = measureRecords(readFileSync(dataFile, "utf8"), config.sourceDataFile);
  const { inputs, assumptions } = costInputsFromConfig(config, measured);
  const estimate = estimateMonthlyCost(inputs, US_EAST_1_PRICES);
  const stream = config.stream.mode === "provisioned" ? `${config.stream.shards} shards` : "on-demand";
  const title = `Monthly cost of ${env} (engine ${config.engine}, stream ${stream}, ${config.region})`;
  return { report: renderCostTable(title, estimate, assumptions), region: config.region };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(HELP);
    return;
  }
  const { report, region } = costReport(args.env, process.env);
  if (region !== US_EAST_1_PRICES.region) {
    console.error(`Note: ${args.env} deploys to ${region}; the prices are those of ${US_EAST_1_PRICES.region}.`);
  }
  console.log(report);
}

if (require.main === module) {
  try {
    main();
  } catch (err) {
    const message = err instanceof ConfigError ? `Invalid configuration: ${err.message}` : err instanceof Error ? err.message : String(err);
    console.error(`npm run cost: ${message}`);
    process.exit(2);
  }
}
