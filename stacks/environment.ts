/**
 * The stacks of one environment, named `hotspots-<env>-<part>` so that
 * `cdktf deploy 'hotspots-dev*'` selects a whole environment. Cross-stack values pass as typed
 * props; cdktf turns them into outputs and remote-state lookups.
 */
import type { Construct } from "constructs";
import { AnalyticsStack } from "./analytics-stack";
import type { EnvironmentConfig } from "./config";
import { DataStack } from "./data-stack";
import { SimulatorStack } from "./simulator-stack";
import { OperationsStack } from "./operations/operations-stack";

export interface EnvironmentStacks {
  readonly config: EnvironmentConfig;
  readonly data: DataStack;
  readonly analytics: AnalyticsStack;
  readonly simulator: SimulatorStack;
  /** Alarms, dashboard, Athena table; absent when `operations.enabled` is false. */
  readonly operations?: OperationsStack;
}

export function stackId(config: EnvironmentConfig, part: "data" | "analytics" | "simulator" | "operations"): string {
  return `hotspots-${config.environment}-${part}`;
}

export function createEnvironmentStacks(scope: Construct, config: EnvironmentConfig): EnvironmentStacks {
  const data = new DataStack(scope, stackId(config, "data"), config);
  const analytics = new AnalyticsStack(scope, stackId(config, "analytics"), config, { data });
  const simulator = new SimulatorStack(scope, stackId(config, "simulator"), config, { data });
  const operations = config.operations.enabled
    ? new OperationsStack(scope, stackId(config, "operations"), config, {
        data,
        analytics,
        simulator,
        settings: config.operations,
      })
    : undefined;
  return { config, data, analytics, simulator, operations };
}
