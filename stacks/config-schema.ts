/**
 * What an environment's configuration is: its typed fields and the names they accept. The
 * defaults live in config.ts, the checks in config-validation.ts.
 */
import type { HotspotsParameters } from "@hotspots/core";
import type { OperationsSettings } from "./operations/operations-settings";

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
