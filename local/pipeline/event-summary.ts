import type { HotspotEvent } from "@hotspots/detector";
import { formatEventScore, type EventScore } from "../evaluation/event-scoring";

/** The summary lines of npm start about the hotspot events: how many of each type, where, and their scoring. */
export function eventSummaryLines(
  events: readonly HotspotEvent[],
  eventsPath: string,
  score: EventScore | undefined,
): string[] {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
  const byType = ["emerged", "changed", "merged", "split", "dissolved"]
    .map((t) => `${counts.get(t) ?? 0} ${t}`)
    .join(", ");
  const lines = [`  hotspot events     ${events.length} (${byType}) in ${eventsPath}`];
  if (!score) return lines;
  lines.push(`  ${formatEventScore(score)}`);
  if (score.meanDelayRecords !== undefined) {
    lines.push(
      `  emerged after      ${score.meanDelayRecords.toFixed(0)} records, ${score.meanDelaySeconds?.toFixed(1)} s on average from an injected hotspot's start`,
    );
  }
  return lines;
}
