/**
 * The simulator of one environment: a Fargate service that loops over the event file in the
 * source bucket and puts its rows into the stream. Desired count 0 keeps it defined but stopped.
 */
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { EnvironmentConfig } from "./config";
import { DataStack, SOURCE_DATA_PREFIX } from "./data-stack";
import { EnvironmentStack } from "./environment-stack";
import { FargateService } from "./constructs/fargate-service";
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
        STREAM_NAME: data.stream.name,
        SRC_DATA_BUCKET: sourceBucket.bucket,
        PREFIX: SOURCE_DATA_PREFIX,
        BATCH_SIZE: String(sim.batchSize),
        // Empty = as fast as the stream accepts.
        RATE: sim.rate === undefined ? "" : String(sim.rate),
        PARTITION_KEY: sim.partitionKey,
        AWS_REGION: config.region,
      },
      size: sim,
      desiredCount: sim.desiredCount,
      taskStatements: [
        { Sid: "ReadTheEventFiles", Action: ["s3:GetObject"], Resource: `${sourceBucket.arn}/${SOURCE_DATA_PREFIX}*` },
        {
          Sid: "ListTheEventFiles",
          Action: ["s3:ListBucket"],
          Resource: sourceBucket.arn,
          Condition: { StringLike: { "s3:prefix": [SOURCE_DATA_PREFIX, `${SOURCE_DATA_PREFIX}*`] } },
        },
        {
          Sid: "PutIntoTheStream",
          Action: ["kinesis:PutRecord", "kinesis:PutRecords", "kinesis:DescribeStreamSummary", "kinesis:ListShards"],
          Resource: data.stream.arn,
        },
        // GenerateDataKey: writing to the KMS-encrypted stream; Decrypt: reading the SSE-KMS event file.
        { Sid: "UseTheProjectKey", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: data.key.arn },
      ],
      network: config.network,
      region: config.region,
      logRetentionDays: config.retention.logDays,
      account: this.account,
    });

    new TerraformOutput(this, "simulator_service_name", { value: this.simulator.service.name, description: "ECS service of the simulator" });
    new TerraformOutput(this, "simulator_image", { value: `${repository.repositoryUrl}:${this.imageTag}`, description: "Image the simulator runs" });
  }
}
