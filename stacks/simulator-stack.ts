/**
 * The simulator of one environment: a Fargate service that loops over the event file in the
 * source bucket and puts its rows into the stream. Desired count 0 keeps it defined but stopped.
 */
import type { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { SHARED_ENV, SIMULATOR_ENV } from "@hotspots/core";
import type { EnvironmentConfig } from "./config";
import { type DataStack, SOURCE_DATA_PREFIX } from "./data-stack";
import { EnvironmentStack } from "./environment-stack";
import { FargateService } from "./constructs/fargate-service";
import { readEventFiles, writeStream, useKey } from "./grants";
import { imageTag } from "./image-tag";
import { REPO_ROOT } from "./paths";

export interface SimulatorStackProps {
  readonly data: DataStack;
}

export class SimulatorStack extends EnvironmentStack {
  public readonly simulator: FargateService;
  /** The image tag the task definition uses (npm run image:push pushes the same). */
  public readonly imageTag: string;

  constructor(scope: Construct, id: string, config: EnvironmentConfig, props: SimulatorStackProps) {
    super(scope, id, config);
    const { data } = props;
    const sim = config.simulator;
    const sourceBucket = data.sourceBucket.bucket;
    const repository = data.repositories.simulator;
    this.imageTag = imageTag(REPO_ROOT, "simulator", sim.imageTag);

    this.simulator = new FargateService(this, "simulator", {
      name: `${config.prefix}-simulator`,
      description: "Event simulator",
      clusterArn: data.cluster.arn,
      image: `${repository.repositoryUrl}:${this.imageTag}`,
      repositoryArn: repository.arn,
      command: ["--loop"],
      environment: {
        [SHARED_ENV.streamName]: data.stream.name,
        [SIMULATOR_ENV.sourceBucket]: sourceBucket.bucket,
        [SIMULATOR_ENV.sourcePrefix]: SOURCE_DATA_PREFIX,
        [SIMULATOR_ENV.batchSize]: String(sim.batchSize),
        // Empty = as fast as the stream accepts.
        [SIMULATOR_ENV.rate]: sim.rate === undefined ? "" : String(sim.rate),
        [SIMULATOR_ENV.partitionKey]: sim.partitionKey,
        [SHARED_ENV.region]: config.region,
      },
      size: sim,
      desiredCount: sim.desiredCount,
      taskStatements: [
        ...readEventFiles(sourceBucket.arn, SOURCE_DATA_PREFIX),
        ...writeStream(data.stream),
        // GenerateDataKey: writing to the KMS-encrypted stream; Decrypt: reading the SSE-KMS event file.
        useKey(data.key, ["writeStream", "readObjects"]),
      ],
      network: config.network,
      region: config.region,
      logRetentionDays: config.retention.logDays,
      account: this.account,
    });

    new TerraformOutput(this, "simulator_service_name", {
      value: this.simulator.service.name,
      description: "ECS service of the simulator",
    });
    new TerraformOutput(this, "simulator_image", {
      value: `${repository.repositoryUrl}:${this.imageTag}`,
      description: "Image the simulator runs",
    });
  }
}
