/**
 * The typed config: the defaults are valid, the engine override works, and every invalid field
 * fails with a one-line error that names the field and what is accepted.
 */
import { DEFAULT_HOTSPOTS_PARAMETERS } from "@hotspots/core";
import {
  ConfigError,
  DEFAULT_PREFIX,
  ENVIRONMENTS,
  type EnvironmentConfig,
  resolveConfig,
  validateConfig,
  validateEnvironments,
} from "../stacks/config";

const dev = ENVIRONMENTS.dev;

/** A dev config with one part replaced; `as never` lets a test pass a value of the wrong type. */
function devWith(patch: Record<string, unknown>): EnvironmentConfig {
  return { ...dev, ...patch } as EnvironmentConfig;
}

function errorOf(config: EnvironmentConfig): ConfigError {
  try {
    validateConfig(config);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("defaults", () => {
  it("dev and prod are valid, with distinct prefixes and the seed's names in dev", () => {
    expect(validateConfig(ENVIRONMENTS.dev)).toBe(ENVIRONMENTS.dev);
    expect(validateConfig(ENVIRONMENTS.prod)).toBe(ENVIRONMENTS.prod);
    expect(dev.prefix).toBe(DEFAULT_PREFIX);
    expect(DEFAULT_PREFIX).toBe("ubiquitous-octo-spoon");
    expect(ENVIRONMENTS.prod.prefix).not.toBe(dev.prefix);
    expect(() => validateEnvironments([ENVIRONMENTS.dev, ENVIRONMENTS.prod])).not.toThrow();
  });

  it("defaults to the container engine, 2 provisioned shards, the core HOTSPOTS parameters and a local state", () => {
    expect(dev.engine).toBe("container");
    expect(dev.stream).toEqual({ mode: "provisioned", shards: 2, retentionHours: 24 });
    expect(dev.hotspots).toBe(DEFAULT_HOTSPOTS_PARAMETERS);
    expect(dev.stateBackend).toEqual({ type: "local" });
    expect(dev.network.vpcId).toBeUndefined();
  });
});

describe("HOTSPOTS_ENGINE", () => {
  it("overrides the engine of the environment", () => {
    expect(resolveConfig("dev", { HOTSPOTS_ENGINE: "kda-sql" }).engine).toBe("kda-sql");
    expect(resolveConfig("prod", { HOTSPOTS_ENGINE: "container" }).engine).toBe("container");
    expect(resolveConfig("dev", {}).engine).toBe("container");
    expect(resolveConfig("dev", { HOTSPOTS_ENGINE: "" }).engine).toBe("container");
  });

  it("rejects an unknown engine, naming the variable and the accepted values", () => {
    expect(() => resolveConfig("dev", { HOTSPOTS_ENGINE: "flink" })).toThrow(
      'HOTSPOTS_ENGINE: must be one of container, kda-sql, got "flink"',
    );
  });
});

describe("validateConfig names each invalid field", () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ["environment", { environment: "staging" }, /must be one of dev, prod/],
    ["prefix", { prefix: "Bad_Prefix" }, /lowercase letters, digits and '-'/],
    ["prefix", { prefix: "a-prefix-much-too-long-for-bucket-names" }, /must be 3-28/],
    ["region", { region: "moon-1" }, /AWS region name/],
    ["engine", { engine: "flink" }, /must be one of container, kda-sql/],
    ["stream.mode", { stream: { ...dev.stream, mode: "serverless" } }, /provisioned, on-demand/],
    ["stream.shards", { stream: { ...dev.stream, shards: 0 } }, /integer from 1 to/],
    ["stream.retentionHours", { stream: { ...dev.stream, retentionHours: 12 } }, /from 24 to 8760/],
    ["delivery.bufferingSizeMiB", { delivery: { ...dev.delivery, bufferingSizeMiB: 200 } }, /from 1 to 128/],
    [
      "delivery.bufferingIntervalSeconds",
      { delivery: { ...dev.delivery, bufferingIntervalSeconds: 901 } },
      /from 0 to 900/,
    ],
    ["hotspots.windowSize", { hotspots: { ...dev.hotspots, windowSize: 50 } }, /100 to 1000/],
    ["hotspots.scanRadius", { hotspots: { ...dev.hotspots, scanRadius: 0 } }, /> 0/],
    ["hotspots.minimumPoints", { hotspots: { ...dev.hotspots, minimumPoints: 1 } }, /from 2 to windowSize/],
    [
      "hotspots.columns",
      { hotspots: { ...dev.hotspots, columns: ["player_id"] } },
      /unknown column player_id; accepted: latitude/,
    ],
    ["simulator.desiredCount", { simulator: { ...dev.simulator, desiredCount: -1 } }, /integer from 0/],
    ["simulator.batchSize", { simulator: { ...dev.simulator, batchSize: 501 } }, /from 1 to 500/],
    ["simulator.rate", { simulator: { ...dev.simulator, rate: 0 } }, /> 0, or left out/],
    ["simulator.partitionKey", { simulator: { ...dev.simulator, partitionKey: "nobody" } }, /must be one of event_id/],
    ["simulator.cpu", { simulator: { ...dev.simulator, cpu: 300 } }, /must be one of 256, 512, 1024, 2048, 4096/],
    [
      "simulator.memory",
      { simulator: { ...dev.simulator, cpu: 256, memory: 4096 } },
      /with cpu 256 must be one of 512, 1024, 2048/,
    ],
    ["simulator.imageTag", { simulator: { ...dev.simulator, imageTag: "has space" } }, /1-128 letters/],
    ["detector.desiredCount", { detector: { ...dev.detector, desiredCount: 2 } }, /from 0 to 1/],
    ["detector.cpu", { detector: { ...dev.detector, cpu: 128 } }, /must be one of 256/],
    ["detector.memory", { detector: { ...dev.detector, memory: 512 } }, /with cpu 512 must be one of 1024/],
    ["detector.imageTag", { detector: { ...dev.detector, imageTag: "-dash" } }, /not starting with/],
    ["network.vpcId", { network: { ...dev.network, vpcId: "vpc-nothex" } }, /VPC id/],
    [
      "network.subnetIds",
      { network: { ...dev.network, subnetIds: ["subnet-0123456789abcdef0"] } },
      /needs network.vpcId/,
    ],
    [
      "network.subnetIds",
      { network: { ...dev.network, vpcId: "vpc-0123456789abcdef0", subnetIds: [] } },
      /at least one subnet/,
    ],
    [
      "network.subnetIds",
      { network: { ...dev.network, vpcId: "vpc-0123456789abcdef0", subnetIds: ["sn-1"] } },
      /subnet ids/,
    ],
    ["network.assignPublicIp", { network: { ...dev.network, assignPublicIp: "yes" } }, /true or false/],
    ["retention.resultsDays", { retention: { ...dev.retention, resultsDays: 0 } }, /integer from 1/],
    ["retention.rawEventsDays", { retention: { ...dev.retention, rawEventsDays: 1.5 } }, /integer from 1/],
    [
      "retention.noncurrentVersionDays",
      { retention: { ...dev.retention, noncurrentVersionDays: -3 } },
      /integer from 1/,
    ],
    ["retention.logDays", { retention: { ...dev.retention, logDays: 10 } }, /must be one of 1, 3, 5, 7, 14, 30/],
    ["stateBackend.type", { stateBackend: { type: "consul" } }, /must be one of local, s3/],
    [
      "stateBackend.bucket",
      { stateBackend: { type: "s3", bucket: "UPPER", keyPrefix: "k", region: "us-east-1", useLockfile: true } },
      /S3 bucket name/,
    ],
    [
      "stateBackend.keyPrefix",
      { stateBackend: { type: "s3", bucket: "tf-state", keyPrefix: "/k/", region: "us-east-1", useLockfile: true } },
      /without leading or trailing/,
    ],
    [
      "stateBackend.region",
      { stateBackend: { type: "s3", bucket: "tf-state", keyPrefix: "k", region: "", useLockfile: true } },
      /AWS region name/,
    ],
    [
      "stateBackend.useLockfile",
      { stateBackend: { type: "s3", bucket: "tf-state", keyPrefix: "k", region: "us-east-1", useLockfile: "on" } },
      /true or false/,
    ],
    ["sourceDataFile", { sourceDataFile: "" }, /path relative to the repository root/],
  ];

  it.each(cases)("%s", (field, patch, accepted) => {
    const err = errorOf(devWith(patch));
    expect(err.field).toBe(field);
    expect(err.message.startsWith(`${field}: `)).toBe(true);
    expect(err.message).toMatch(accepted);
    expect(err.message).not.toContain("\n");
  });

  it("accepts an explicit network, an on-demand stream, full-speed simulation and an S3 state backend", () => {
    const config = devWith({
      network: { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0"], assignPublicIp: false },
      stream: { mode: "on-demand", shards: 1, retentionHours: 48 },
      simulator: { ...dev.simulator, rate: undefined, imageTag: "v1.2.3" },
      stateBackend: {
        type: "s3",
        bucket: "team-tf-state",
        keyPrefix: "hotspots",
        region: "eu-west-1",
        useLockfile: true,
      },
    });
    expect(validateConfig(config)).toBe(config);
  });
});

describe("validateEnvironments", () => {
  it("rejects two environments sharing a prefix in one region", () => {
    const prod = { ...ENVIRONMENTS.prod, prefix: DEFAULT_PREFIX };
    expect(() => validateEnvironments([ENVIRONMENTS.dev, prod])).toThrow(
      'prod.prefix: "ubiquitous-octo-spoon" is also the prefix of dev in us-east-1',
    );
    expect(() => validateEnvironments([ENVIRONMENTS.dev, { ...prod, region: "eu-west-1" }])).not.toThrow();
  });
});
