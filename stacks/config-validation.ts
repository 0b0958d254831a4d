/**
 * The checks that make an invalid setting fail synth with a one-line error naming the field, and
 * the AWS limits they use, each with its source.
 */
import {
  EVENT_FIELD_NAMES,
  EVENTBRIDGE_ARCHIVE_RETENTION_DAYS_MAX,
  HotspotsParameterError,
  KINESIS_MAX_RECORDS_PER_PUT,
  NUMERIC_FIELD_NAMES,
  validateHotspotsParameters,
} from "@hotspots/core";
import {
  type ArchiveConfig,
  ENGINES,
  ENVIRONMENT_NAMES,
  type EnvironmentConfig,
  type HotspotEventsConfig,
  STREAM_MODES,
  type TaskSize,
} from "./config-schema";
import { OperationsSettingsError, validateOperationsSettings } from "./operations/operations-settings";

// ---------------------------------------------------------------------------------------------
// Limits the checks use, each with its source.

/** Kinesis retention: 24 hours (default) to 8760 hours (365 days). (Kinesis Data Streams, Changing the data retention period) */
export const KINESIS_RETENTION_HOURS_MIN = 24;
export const KINESIS_RETENTION_HOURS_MAX = 8760;
/** Firehose S3 buffering size 1..128 MiB, interval 0..900 s. (Firehose API Reference, BufferingHints) */
export const FIREHOSE_BUFFER_MIB_MIN = 1;
export const FIREHOSE_BUFFER_MIB_MAX = 128;
export const FIREHOSE_BUFFER_SECONDS_MIN = 0;
export const FIREHOSE_BUFFER_SECONDS_MAX = 900;
/** Fargate task sizes: memory (MiB) accepted for each CPU value. (ECS Developer Guide, Task CPU and memory) */
export const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
};
/** CloudWatch Logs accepts only these retention values in days. (CloudWatch Logs API Reference, PutRetentionPolicy) */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
/**
 * The Terraform AWS provider appends a 26-character unique suffix to `bucket_prefix` (max 37
 * characters); the longest we build is `<prefix>-results-`, so the prefix may have 28.
 */
export const PREFIX_MAX_LENGTH = 28;
/** ECR image tags: up to 128 characters of letters, digits, _ . - (ECR API Reference, PutImage imageTag). */
const IMAGE_TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PREFIX_PATTERN = /^[a-z][a-z0-9-]*[a-z0-9]$/;
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;
const VPC_ID_PATTERN = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_ID_PATTERN = /^subnet-[0-9a-f]{8,17}$/;
/** S3 bucket names: 3..63 lowercase letters, digits, dots, hyphens. (S3 User Guide, Bucket naming rules) */
const BUCKET_NAME_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

// ---------------------------------------------------------------------------------------------

/** A setting that cannot be deployed; `field` is its dotted path, e.g. `stream.shards`. */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "ConfigError";
  }
}

function fail(field: string, message: string): never {
  throw new ConfigError(field, message);
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function checkInteger(field: string, value: unknown, min: number, max: number): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    fail(field, `must be an integer from ${min} to ${max}, got ${show(value)}`);
  }
}

function checkOneOf<T>(field: string, value: unknown, accepted: readonly T[]): void {
  if (!accepted.includes(value as T)) fail(field, `must be one of ${accepted.join(", ")}, got ${show(value)}`);
}

function checkTaskSize(field: string, size: TaskSize): void {
  const cpus = Object.keys(FARGATE_MEMORY_BY_CPU).map(Number);
  checkOneOf(`${field}.cpu`, size.cpu, cpus);
  const memories = FARGATE_MEMORY_BY_CPU[size.cpu];
  if (!memories.includes(size.memory)) {
    fail(
      `${field}.memory`,
      `with cpu ${size.cpu} must be one of ${memories.join(", ")} (MiB), got ${show(size.memory)}`,
    );
  }
}

function checkImageTag(field: string, tag: unknown): void {
  if (tag === undefined) return;
  if (typeof tag !== "string" || !IMAGE_TAG_PATTERN.test(tag)) {
    fail(field, `must be 1-128 letters, digits, '_', '.', '-' (not starting with '.' or '-'), got ${show(tag)}`);
  }
}

/** Returns the config unchanged, or throws a ConfigError naming the first invalid field. */
export function validateConfig(config: EnvironmentConfig): EnvironmentConfig {
  checkOneOf("environment", config.environment, ENVIRONMENT_NAMES);
  if (
    typeof config.prefix !== "string" ||
    config.prefix.length < 3 ||
    config.prefix.length > PREFIX_MAX_LENGTH ||
    !PREFIX_PATTERN.test(config.prefix)
  ) {
    fail(
      "prefix",
      `must be 3-${PREFIX_MAX_LENGTH} lowercase letters, digits and '-', starting with a letter, got ${show(config.prefix)}`,
    );
  }
  if (typeof config.region !== "string" || !REGION_PATTERN.test(config.region)) {
    fail("region", `must be an AWS region name such as us-east-1, got ${show(config.region)}`);
  }
  checkOneOf("engine", config.engine, ENGINES);

  checkOneOf("stream.mode", config.stream.mode, STREAM_MODES);
  checkInteger("stream.shards", config.stream.shards, 1, 10_000);
  checkInteger(
    "stream.retentionHours",
    config.stream.retentionHours,
    KINESIS_RETENTION_HOURS_MIN,
    KINESIS_RETENTION_HOURS_MAX,
  );

  checkInteger(
    "delivery.bufferingSizeMiB",
    config.delivery.bufferingSizeMiB,
    FIREHOSE_BUFFER_MIB_MIN,
    FIREHOSE_BUFFER_MIB_MAX,
  );
  checkInteger(
    "delivery.bufferingIntervalSeconds",
    config.delivery.bufferingIntervalSeconds,
    FIREHOSE_BUFFER_SECONDS_MIN,
    FIREHOSE_BUFFER_SECONDS_MAX,
  );

  try {
    validateHotspotsParameters(config.hotspots, NUMERIC_FIELD_NAMES);
  } catch (err) {
    if (err instanceof HotspotsParameterError) fail(`hotspots.${err.field}`, err.message);
    throw err;
  }

  const sim = config.simulator;
  checkInteger("simulator.desiredCount", sim.desiredCount, 0, 100);
  checkInteger("simulator.batchSize", sim.batchSize, 1, KINESIS_MAX_RECORDS_PER_PUT);
  if (sim.rate !== undefined && (typeof sim.rate !== "number" || !Number.isFinite(sim.rate) || sim.rate <= 0)) {
    fail(
      "simulator.rate",
      `must be a number of records per second > 0, or left out for full speed, got ${show(sim.rate)}`,
    );
  }
  checkOneOf("simulator.partitionKey", sim.partitionKey, EVENT_FIELD_NAMES);
  checkTaskSize("simulator", sim);
  checkImageTag("simulator.imageTag", sim.imageTag);

  const det = config.detector;
  checkInteger("detector.desiredCount", det.desiredCount, 0, 1);
  checkTaskSize("detector", det);
  checkImageTag("detector.imageTag", det.imageTag);

  const net = config.network;
  if (net.vpcId !== undefined && (typeof net.vpcId !== "string" || !VPC_ID_PATTERN.test(net.vpcId))) {
    fail("network.vpcId", `must be a VPC id such as vpc-0123456789abcdef0, got ${show(net.vpcId)}`);
  }
  if (net.subnetIds !== undefined) {
    if (net.vpcId === undefined)
      fail("network.subnetIds", "needs network.vpcId too (subnets of the default VPC are looked up)");
    if (!Array.isArray(net.subnetIds) || net.subnetIds.length === 0) {
      fail("network.subnetIds", `must list at least one subnet id, got ${show(net.subnetIds)}`);
    }
    const bad = net.subnetIds.find((s) => typeof s !== "string" || !SUBNET_ID_PATTERN.test(s));
    if (bad !== undefined)
      fail("network.subnetIds", `must hold subnet ids such as subnet-0123456789abcdef0, got ${show(bad)}`);
  }
  if (typeof net.assignPublicIp !== "boolean")
    fail("network.assignPublicIp", `must be true or false, got ${show(net.assignPublicIp)}`);

  const ret = config.retention;
  checkInteger("retention.resultsDays", ret.resultsDays, 1, 36_500);
  checkInteger("retention.rawEventsDays", ret.rawEventsDays, 1, 36_500);
  checkInteger("retention.noncurrentVersionDays", ret.noncurrentVersionDays, 1, 36_500);
  checkOneOf("retention.logDays", ret.logDays, LOG_RETENTION_DAYS);

  const archive = config.archive as Partial<ArchiveConfig> | undefined;
  if (typeof archive?.enabled !== "boolean")
    fail("archive.enabled", `must be true or false, got ${show(archive?.enabled)}`);

  const events = config.hotspotEvents as Partial<HotspotEventsConfig> | undefined;
  checkInteger(
    "hotspotEvents.archiveRetentionDays",
    events?.archiveRetentionDays,
    1,
    EVENTBRIDGE_ARCHIVE_RETENTION_DAYS_MAX,
  );
  checkInteger("hotspotEvents.largeHotspotMembers", events?.largeHotspotMembers, 1, 1_000_000_000);

  const state = config.stateBackend;
  checkOneOf("stateBackend.type", state.type, ["local", "s3"]);
  if (state.type === "s3") {
    if (typeof state.bucket !== "string" || !BUCKET_NAME_PATTERN.test(state.bucket)) {
      fail(
        "stateBackend.bucket",
        `must be an S3 bucket name (3-63 lowercase letters, digits, '.', '-'), got ${show(state.bucket)}`,
      );
    }
    if (
      typeof state.keyPrefix !== "string" ||
      state.keyPrefix === "" ||
      state.keyPrefix.startsWith("/") ||
      state.keyPrefix.endsWith("/")
    ) {
      fail(
        "stateBackend.keyPrefix",
        `must be a non-empty S3 key prefix without leading or trailing '/', got ${show(state.keyPrefix)}`,
      );
    }
    if (typeof state.region !== "string" || !REGION_PATTERN.test(state.region)) {
      fail("stateBackend.region", `must be an AWS region name such as us-east-1, got ${show(state.region)}`);
    }
    if (typeof state.useLockfile !== "boolean")
      fail("stateBackend.useLockfile", `must be true or false, got ${show(state.useLockfile)}`);
  }
  if (typeof config.sourceDataFile !== "string" || config.sourceDataFile === "") {
    fail("sourceDataFile", `must be a path relative to the repository root, got ${show(config.sourceDataFile)}`);
  }
  try {
    validateOperationsSettings(config.operations, "operations");
  } catch (err) {
    if (err instanceof OperationsSettingsError) fail(err.field, err.detail);
    throw err;
  }
  return config;
}

/** Two environments in one region must not share a prefix: their resource names would collide. */
export function validateEnvironments(configs: readonly EnvironmentConfig[]): void {
  const seen = new Map<string, string>();
  for (const c of configs) {
    const key = `${c.region}/${c.prefix}`;
    const other = seen.get(key);
    if (other)
      fail(
        `${c.environment}.prefix`,
        `${show(c.prefix)} is also the prefix of ${other} in ${c.region}; use one prefix per environment`,
      );
    seen.set(key, c.environment);
  }
}
