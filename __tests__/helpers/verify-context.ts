/** A VerifyContext for tests: real SDK clients on loopback endpoints and a clock that sleeps instantly. */
import { ENVIRONMENTS, type EnvironmentConfig } from "../../stacks/config";
import type { VerifyContext } from "../../scripts/verify/check";
import { createVerifyClients, type ServiceEndpoints } from "../../scripts/verify/clients";
import type { DeployedNames } from "../../scripts/verify/stack-outputs";

export const DEV = ENVIRONMENTS.dev;
/** s3rver accepts only its built-in key; kinesalite and the recorded answers accept any. */
export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
export const TOPIC = "arn:aws:sns:us-east-1:123456789012:ubiquitous-octo-spoon-alarms";

export const DEV_NAMES: DeployedNames = {
  streamName: "ubiquitous-octo-spoon-stream",
  resultsBucket: "ubiquitous-octo-spoon-results-20261129142012345600000001",
  clusterName: "ubiquitous-octo-spoon-cluster",
  simulatorService: "ubiquitous-octo-spoon-simulator",
  detectorService: "ubiquitous-octo-spoon-detector",
  athenaWorkgroup: "ubiquitous-octo-spoon-results",
  resultsTable: "ubiquitous_octo_spoon_results.hotspots",
  alarmTopicArn: TOPIC,
};

export interface TestContext extends VerifyContext {
  readonly lines: string[];
  /** Virtual milliseconds slept so far. */
  slept(): number;
  destroy(): void;
}

export function testContext(
  endpoints: ServiceEndpoints,
  options: { config?: EnvironmentConfig; names?: DeployedNames; realTime?: boolean } = {},
): TestContext {
  const clients = createVerifyClients("us-east-1", endpoints, S3RVER_CREDENTIALS);
  const lines: string[] = [];
  let virtual = 0;
  const start = Date.now();
  return {
    config: options.config ?? DEV,
    names: options.names ?? DEV_NAMES,
    clients,
    runId: "verify-20261129T150102Z-beef",
    progress: (line) => lines.push(line),
    lines,
    sleep: options.realTime
      ? (ms) => new Promise((resolve) => setTimeout(resolve, ms))
      : async (ms) => {
          virtual += ms;
        },
    now: options.realTime ? () => Date.now() : () => start + virtual,
    slept: () => virtual,
    destroy: () => clients.destroy(),
  };
}
