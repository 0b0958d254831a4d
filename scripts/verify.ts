/**
 * npm run verify -- --env dev [--outputs outputs-dev.json] [--dry-run]
 *
 * Checks a deployed environment end to end from its stack outputs and the AWS APIs; see
 * VERIFY_USAGE (scripts/verify/options.ts) and docs/deploy-checklist.md.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { ConfigError, resolveConfig, type EnvironmentName } from "../stacks/config";
import { runChecks, type VerifyContext } from "./verify/check";
import { createVerifyClients, type LocalCredentials, type ServiceEndpoints } from "./verify/clients";
import { defaultBurstSize, newRunId } from "./verify/marked-events";
import {
  DEFAULT_RESULTS_MARGIN_SECONDS,
  defaultOutputsFile,
  outputsHint,
  parseVerifyOptions,
  VERIFY_USAGE,
  VerifyUsageError,
} from "./verify/options";
import { describePlan, verifyChecks } from "./verify/plan";
import { OutputsError, plannedNames, readDeployedNames } from "./verify/stack-outputs";

export interface VerifyIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Loopback endpoints, for tests; a real run leaves them to the SDK. */
  readonly endpoints?: ServiceEndpoints;
  readonly credentials?: LocalCredentials;
  readonly pollIntervalMs?: number;
}

/** Runs the command line; resolves to the exit status (0 all held, 1 a check failed, 2 usage). */
export async function verifyMain(argv: readonly string[], io: VerifyIo): Promise<number> {
  try {
    const options = parseVerifyOptions(argv);
    if (options.help) {
      io.stdout(VERIFY_USAGE);
      return 0;
    }
    const config = resolveConfig(options.environment, io.env);
    // The dry run works without the file (offline, before any deploy); a run needs it.
    const outputsFile = options.outputsFile ?? defaultOutputsFile(options.environment);
    const useOutputs = !options.dryRun || options.outputsFile !== undefined || existsSync(outputsFile);
    const names = useOutputs
      ? readDeployedNames(await readOutputs(outputsFile, options.environment), outputsFile, config)
      : plannedNames(config);
    const checks = verifyChecks(options.skip, {
      events: options.events ?? defaultBurstSize(config.hotspots),
      waitSeconds: options.waitSeconds ?? config.delivery.bufferingIntervalSeconds + DEFAULT_RESULTS_MARGIN_SECONDS,
      pollIntervalMs: io.pollIntervalMs,
    });
    if (options.dryRun) {
      io.stdout(
        describePlan(
          config,
          names,
          useOutputs ? outputsFile : `the config (no ${outputsFile}: <placeholders> come from the outputs)`,
          checks,
        ),
      );
      return 0;
    }
    const clients = createVerifyClients(config.region, io.endpoints, io.credentials);
    try {
      const context: VerifyContext = {
        config,
        names,
        clients,
        runId: newRunId(new Date()),
        progress: io.stdout,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        now: () => Date.now(),
      };
      io.stdout(`verify --env ${config.environment} (${config.region}), run ${context.runId}`);
      const outcomes = await runChecks(checks, context, io.stdout);
      return outcomes.every((o) => o.ok) ? 0 : 1;
    } finally {
      clients.destroy();
    }
  } catch (error) {
    if (error instanceof VerifyUsageError || error instanceof OutputsError || error instanceof ConfigError) {
      io.stderr(`verify: ${(error as Error).message}`);
      return 2;
    }
    throw error;
  }
}

async function readOutputs(file: string, environment: EnvironmentName): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new OutputsError(
      `outputs file ${file}: ${missing ? `no such file; ${outputsHint(environment, file)}` : (error as Error).message}`,
    );
  }
}

if (require.main === module) {
  verifyMain(process.argv.slice(2), {
    stdout: (line) => console.log(line),
    stderr: (line) => console.error(line),
    env: process.env,
  }).then(
    (status) => process.exit(status),
    (error) => {
      console.error(`verify: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
