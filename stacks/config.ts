/**
 * Typed configuration of one deployment environment, the defaults of dev and prod, and the
 * checks that make an invalid setting fail synth with a one-line error naming the field.
 */
import {
  DEFAULT_HOTSPOTS_PARAMETERS,
  EVENT_FIELD_NAMES,
  HotspotsParameterError,
  type HotspotsParameters,
  KINESIS_MAX_RECORDS_PER_PUT,
  NUMERIC_FIELD_NAMES,
  DEFAULT_PARTITION_KEY_FIELD,
  EVENTBRIDGE_ARCHIVE_RETENTION_DAYS_MAX,
  validateHotspotsParameters,
} from "@hotspots/core";
import {
  DEFAULT_OPERATIONS_SETTINGS,
  type OperationsSettings,
  OperationsSettingsError,
  validateOperationsSettings,
} from "./operations/operations-settings";

export const ENGINES = ["container", "kda-sql"] as const;
/** `container`: the HOTSPOTS detector on ECS Fargate. `kda-sql`: a Kinesis Data Analytics SQL application. */
export type Engine = (typeof ENGINES)[number];

export const STREAM_MODES = ["provisioned", "on-demand"] as const;
export type StreamMode = (typeof STREAM_MODES)[number];

export const ENVIRONMENT_NAMES = ["dev", "prod"] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** Name of the environment variable that overrides the engine at synth time. */
export const ENGINE_OVERRIDE_VARIABLE = "HOTSPOTS_ENGINE";

export const DEFAULT_PREFIX = "ubiquitous-octo-spoon";
export const PROJECT_TAG = "ubiquitous-octo-spoon";

export interface StreamConfig {
  readonly mode: StreamMode;
  /** Shards of a provisioned stream (ignored on demand). */
  readonly shards: number;
  readonly retentionHours: number;
}

export interface DeliveryConfig {
  /** Firehose buffering hints: deliver when this much data is buffered ... */
  readonly bufferingSizeMiB: number;
  /** ... or when this many seconds have passed, whichever comes first. */
  readonly bufferingIntervalSeconds: number;
}

export interface TaskSize {
  /** Fargate CPU units (1024 = one vCPU). */
  readonly cpu: number;
  /** Fargate memory in MiB; must fit the CPU (see FARGATE_MEMORY_BY_CPU). */
  readonly memory: number;
}

export interface SimulatorConfig extends TaskSize {
  /** Running tasks; 0 keeps the service defined but stopped. */
  readonly desiredCount: number;
  /** Records per PutRecords call. */
  readonly batchSize: number;
  /** Records per second across the task; undefined = as fast as the stream accepts. */
  readonly rate?: number;
  /** Event column whose value is the Kinesis partition key. */
  readonly partitionKey: string;
  /** Tag of an image built elsewhere; default: the content hash of simulator/ + core/. */
  readonly imageTag?: string;
}

export interface DetectorConfig extends TaskSize {
  /** 0 (stopped) or 1: a single detector reads every shard, a second one would emit duplicates. */
  readonly desiredCount: number;
  /** Tag of an image built elsewhere; default: the content hash of detector/ + core/. */
  readonly imageTag?: string;
}

export interface NetworkConfig {
  /** Explicit VPC; undefined = the account's default VPC (looked up at plan time). */
  readonly vpcId?: string;
  /** Explicit subnets of vpcId; undefined = every subnet of the VPC. */
  readonly subnetIds?: readonly string[];
  /** Tasks need a route to the AWS APIs: a public IP in the default VPC's public subnets, or a NAT. */
  readonly assignPublicIp: boolean;
}

export interface RetentionConfig {
  /** Days before delivered results (and delivery errors) expire. */
  readonly resultsDays: number;
  /** Days before the raw event archive expires. */
  readonly rawEventsDays: number;
  /** Days before a non-current object version expires (versioning keeps overwritten objects). */
  readonly noncurrentVersionDays: number;
  /** CloudWatch Logs retention of every log group. */
  readonly logDays: number;
}

export interface ArchiveConfig {
  /**
   * The `<prefix>-archive` delivery stream copying the raw events from the stream to raw/ in the
   * source bucket. Firehose bills each ~200 B event as 5 KB, so it is most of the bill; false
   * drops the delivery stream, its role, log group, alarms and dashboard lines.
   */
  readonly enabled: boolean;
}

/**
 * The hotspot lifecycle events of the detector (engine "container"; the kda-sql engine has none):
 * the EventBridge bus `<prefix>-hotspots`, its archive, the events queue and the large-hotspot alert.
 */
export interface HotspotEventsConfig {
  /** Days the bus's archive keeps every event for replay. */
  readonly archiveRetentionDays: number;
  /** An `emerged` event with at least this many members also goes to the alarm topic. */
  readonly largeHotspotMembers: number;
}

export type StateBackendConfig =
  | { readonly type: "local" }
  | {
      readonly type: "s3";
      readonly bucket: string;
      /** Each stack keeps its state at `<keyPrefix>/<stack id>.tfstate`. */
      readonly keyPrefix: string;
      readonly region: string;
      /** S3-native state locking (Terraform >= 1.10), no DynamoDB table needed. */
      readonly useLockfile: boolean;
    };

export interface EnvironmentConfig {
  readonly environment: EnvironmentName;
  /** Names every resource: `<prefix>-stream`, `<prefix>-delivery`, ... */
  readonly prefix: string;
  readonly region: string;
  readonly engine: Engine;
  readonly stream: StreamConfig;
  readonly delivery: DeliveryConfig;
  readonly hotspots: HotspotsParameters;
  readonly simulator: SimulatorConfig;
  readonly detector: DetectorConfig;
  readonly network: NetworkConfig;
  readonly retention: RetentionConfig;
  /** The raw-event archive (a second reader of the stream). */
  readonly archive: ArchiveConfig;
  /** The hotspot event bus and what hangs off it (engine "container" only). */
  readonly hotspotEvents: HotspotEventsConfig;
  readonly stateBackend: StateBackendConfig;
  /** The event file uploaded to the source bucket, relative to the repository root. */
  readonly sourceDataFile: string;
  /** Alarms, dashboard and the Athena table over the results (stacks/operations). */
  readonly operations: OperationsSettings;
}

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
      fail(ENGINE_OVERRIDE_VARIABLE, `must be one of ${ENGINES.join(", ")}, got ${show(engine)}`);
    }
    config = { ...config, engine: engine as Engine };
  }
  return validateConfig(config);
}
