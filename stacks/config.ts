/**
 * The configuration of each deployment environment: the defaults of dev and prod, and
 * resolveConfig, which applies the HOTSPOTS_ENGINE override and validates the result.
 */
import { DEFAULT_HOTSPOTS_PARAMETERS, DEFAULT_PARTITION_KEY_FIELD } from "@hotspots/core";
import {
  DEFAULT_PREFIX,
  type Engine,
  ENGINE_OVERRIDE_VARIABLE,
  ENGINES,
  type EnvironmentConfig,
  type EnvironmentName,
} from "./config-schema";
import { ConfigError, validateConfig } from "./config-validation";
import { DEFAULT_OPERATIONS_SETTINGS } from "./operations/operations-settings";

export * from "./config-schema";
export * from "./config-validation";

const BASE: Omit<EnvironmentConfig, "environment" | "prefix"> = {
  region: "us-east-1",
  engine: "container",
  stream: { mode: "provisioned", shards: 2, retentionHours: 24 },
  delivery: { bufferingSizeMiB: 5, bufferingIntervalSeconds: 60 },
  hotspots: DEFAULT_HOTSPOTS_PARAMETERS,
  simulator: {
    desiredCount: 1,
    batchSize: 200,
    rate: 500,
    partitionKey: DEFAULT_PARTITION_KEY_FIELD,
    cpu: 256,
    memory: 512,
  },
  detector: { desiredCount: 1, cpu: 512, memory: 1024 },
  network: { assignPublicIp: true },
  retention: { resultsDays: 30, rawEventsDays: 7, noncurrentVersionDays: 7, logDays: 30 },
  archive: { enabled: true },
  hotspotEvents: { archiveRetentionDays: 7, largeHotspotMembers: 100 },
  stateBackend: { type: "local" },
  sourceDataFile: "data/data-simu.csv",
  operations: DEFAULT_OPERATIONS_SETTINGS,
};

/**
 * dev keeps the seed's resource names (`ubiquitous-octo-spoon-stream`, ...); prod gets its own
 * prefix so both can share an account and region, a longer retention and the simulator off.
 */
export const ENVIRONMENTS: Readonly<Record<EnvironmentName, EnvironmentConfig>> = {
  dev: { ...BASE, environment: "dev", prefix: DEFAULT_PREFIX },
  prod: {
    ...BASE,
    environment: "prod",
    prefix: `${DEFAULT_PREFIX}-prod`,
    stream: { ...BASE.stream, retentionHours: 72 },
    simulator: { ...BASE.simulator, desiredCount: 0 },
    retention: { ...BASE.retention, resultsDays: 365, logDays: 90 },
  },
};

/**
 * The config of one environment as synth uses it: the defaults, the HOTSPOTS_ENGINE override
 * from the environment variables, validated.
 */
export function resolveConfig(
  environment: EnvironmentName,
  env: Readonly<Record<string, string | undefined>> = {},
  overrides: Partial<EnvironmentConfig> = {},
): EnvironmentConfig {
  let config: EnvironmentConfig = { ...ENVIRONMENTS[environment], ...overrides };
  const engine = env[ENGINE_OVERRIDE_VARIABLE];
  if (engine !== undefined && engine !== "") {
    if (!(ENGINES as readonly string[]).includes(engine)) {
      throw new ConfigError(
        ENGINE_OVERRIDE_VARIABLE,
        `must be one of ${ENGINES.join(", ")}, got ${JSON.stringify(engine)}`,
      );
    }
    config = { ...config, engine: engine as Engine };
  }
  return validateConfig(config);
}
