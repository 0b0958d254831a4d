/** The checks of a run, in order, and the dry run's description of them. */
import type { EnvironmentConfig } from "../../stacks/config";
import type { Check } from "./check";
import { alarmCheck } from "./checks/alarm-check";
import { athenaCheck } from "./checks/athena-check";
import { lagMetricCheck } from "./checks/lag-metric-check";
import { roundTripCheck, type RoundTripSettings } from "./checks/round-trip-check";
import { serviceCheck } from "./checks/services-check";
import { streamCheck } from "./checks/stream-check";
import type { CheckName } from "./options";
import type { DeployedNames } from "./stack-outputs";

export function verifyChecks(skip: readonly CheckName[], roundTrip: RoundTripSettings = {}): Check[] {
  const all = [
    streamCheck,
    serviceCheck("detector"),
    serviceCheck("simulator"),
    roundTripCheck(roundTrip),
    lagMetricCheck,
    athenaCheck,
    alarmCheck,
  ];
  return all.filter((c) => !skip.includes(c.name));
}

/** What --dry-run prints: the target, the names, then each check and its calls. */
export function describePlan(
  config: EnvironmentConfig,
  names: DeployedNames,
  namesFrom: string,
  checks: readonly Check[],
): string {
  const lines = [
    `verify --env ${config.environment}: region ${config.region}, engine ${config.engine}, names from ${namesFrom}`,
    ...Object.entries(names)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `  ${k.padEnd(17)} ${v}`),
    `  shards            ${config.stream.mode === "provisioned" ? config.stream.shards : "on demand"}`,
    `  buffering         ${config.delivery.bufferingIntervalSeconds} s / ${config.delivery.bufferingSizeMiB} MiB`,
    `  hotspots          windowSize ${config.hotspots.windowSize}, scanRadius ${config.hotspots.scanRadius}, minimumPoints ${config.hotspots.minimumPoints}, columns ${config.hotspots.columns.join(",")}`,
    "Checks, in order (nothing is deleted; what is written carries the run id):",
  ];
  for (const check of checks) {
    lines.push(`  ${check.name}`);
    for (const call of check.plan) lines.push(`    ${call}`);
  }
  return lines.join("\n");
}
