/**
 * What every stack of an environment shares: the AWS provider (region from config, project and
 * environment tags on every resource), the state backend and the account lookup used by trust
 * policies (so no account id is ever written down).
 */
import type { Construct } from "constructs";
import { LocalBackend, S3Backend, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { type EnvironmentConfig, PROJECT_TAG } from "./config";

/** The repository root, seen from cdktf.out/stacks/<id>/ where Terraform runs. */
export const LOCAL_STATE_DIR = "../../..";

export class EnvironmentStack extends TerraformStack {
  public readonly config: EnvironmentConfig;
  public readonly account: DataAwsCallerIdentity;

  constructor(scope: Construct, id: string, config: EnvironmentConfig) {
    super(scope, id);
    this.config = config;
    new AwsProvider(this, "aws", {
      region: config.region,
      defaultTags: [{ tags: { project: PROJECT_TAG, environment: config.environment } }],
    });
    configureBackend(this, id, config);
    this.account = new DataAwsCallerIdentity(this, "account");
  }
}

function configureBackend(stack: TerraformStack, id: string, config: EnvironmentConfig): void {
  const state = config.stateBackend;
  if (state.type === "local") {
    // One state file per stack at the repository root (ignored by git: *.tfstate). Terraform runs
    // in cdktf.out/stacks/<id>/, hence the relative path; it also serves the other stacks' lookups.
    new LocalBackend(stack, { path: `${LOCAL_STATE_DIR}/terraform.${id}.tfstate` });
    return;
  }
  const backend = new S3Backend(stack, {
    bucket: state.bucket,
    key: `${state.keyPrefix}/${id}.tfstate`,
    region: state.region,
    encrypt: true,
  });
  // cdktf 0.21 predates `use_lockfile` (S3-native locking, Terraform >= 1.10): set it directly.
  backend.addOverride("use_lockfile", state.useLockfile);
}
