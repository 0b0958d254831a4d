/**
 * Where Fargate tasks run: the account's default VPC and all its subnets (looked up at plan
 * time), or the VPC and subnets named in config; and a security group that accepts no inbound
 * traffic and lets out only HTTPS, which is all the tasks need (ECR, S3, Kinesis, Firehose, Logs).
 */
import { Construct } from "constructs";
import { DataAwsSubnets } from "@cdktf/provider-aws/lib/data-aws-subnets";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import type { NetworkConfig } from "../config";

const HTTPS_PORT = 443;

export interface TaskNetworkProps {
  /** Security group name, e.g. `<prefix>-simulator`. */
  readonly name: string;
  readonly network: NetworkConfig;
}

export class TaskNetwork extends Construct {
  public readonly vpcId: string;
  public readonly subnetIds: string[];
  public readonly securityGroup: SecurityGroup;
  public readonly assignPublicIp: boolean;

  constructor(scope: Construct, id: string, props: TaskNetworkProps) {
    super(scope, id);
    const { network } = props;
    if (network.vpcId !== undefined) {
      this.vpcId = network.vpcId;
    } else {
      this.vpcId = new DataAwsVpc(this, "default-vpc", { default: true }).id;
    }
    if (network.subnetIds !== undefined) {
      this.subnetIds = [...network.subnetIds];
    } else {
      this.subnetIds = new DataAwsSubnets(this, "subnets", { filter: [{ name: "vpc-id", values: [this.vpcId] }] }).ids;
    }
    this.assignPublicIp = network.assignPublicIp;

    this.securityGroup = new SecurityGroup(this, "security-group", {
      name: props.name,
      description: `${props.name} tasks: no inbound, HTTPS out to the AWS APIs`,
      vpcId: this.vpcId,
      revokeRulesOnDelete: true,
    });
    new VpcSecurityGroupEgressRule(this, "https-out", {
      securityGroupId: this.securityGroup.id,
      description: "HTTPS to the AWS service endpoints",
      ipProtocol: "tcp",
      fromPort: HTTPS_PORT,
      toPort: HTTPS_PORT,
      cidrIpv4: "0.0.0.0/0",
    });
  }
}
