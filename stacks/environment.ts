/**
 * The stacks of one environment, named `hotspots-<env>-<part>` so that
 * `cdktf deploy 'hotspots-dev*'` selects a whole environment. Cross-stack values pass as typed
 * props; cdktf turns them into outputs and remote-state lookups.
 */
import { Construct } from "constructs";
import { AnalyticsStack } from "./analytics-stack";
import { EnvironmentConfig } from "./config";
import { DataStack } from "./data-stack";
import { SimulatorStack } from "./simulator-stack";

export interface EnvironmentStacks {
  readonly config: EnvironmentConfig;
  readonly data: DataStack;
  readonly analytics: AnalyticsStack;
  readonly simulator: SimulatorStack;
}

export function stackId(config: EnvironmentConfig, part: "data" | "analytics" | "simulator"): string {
  return `hotspots-${config.environment}-${part}`;
}

export function createEnvironmentStacks(scope: Construct, config: EnvironmentConfig): EnvironmentStacks {
  const data = new DataStack(scope, stackId(config, "data"), config);
  const analytics = new AnalyticsStack(scope, stackId(config, "analytics"), config, { data });
  const simulator = new SimulatorStack(scope, stackId(config, "simulator"), config, { data });
  return { config, data, analytics, simulator };
}
