import type { SimulatorProgress, SimulatorSummary } from "./simulator";

const BAR_WIDTH = 24;

/** One terminal line: a bar for the current pass, records/s and the ETA. */
export function progressBar(p: SimulatorProgress): string {
  const fraction = p.totalBytes ? Math.min(1, p.bytesRead / p.totalBytes) : undefined;
  const filled = fraction === undefined ? 0 : Math.round(fraction * BAR_WIDTH);
  const bar =
    fraction === undefined
      ? ""
      : `[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}] ${Math.floor(fraction * 100)}% `;
  const eta = p.etaSeconds === undefined ? "" : `  ETA ${clock(p.etaSeconds)}`;
  const pass = p.pass > 1 ? `pass ${p.pass}  ` : "";
  const trouble =
    (p.retriedEntries + p.requestRetries > 0 ? `  retries ${p.retriedEntries + p.requestRetries}` : "") +
    (p.rowsSkipped > 0 ? `  skipped ${p.rowsSkipped}` : "");
  return `${pass}${bar}${p.recordsSent.toLocaleString("en-US")} sent  ${p.recordsPerSecond.toLocaleString("en-US")} rec/s${eta}${trouble}`;
}

/** One JSON log line (CloudWatch Logs reads one event per line). */
export function progressLogLine(p: SimulatorProgress): string {
  return JSON.stringify({ level: "info", message: "progress", ...p });
}

export function summaryText(s: SimulatorSummary): string {
  const lines = [
    `${s.input} -> ${s.streamName}: ${s.stoppedBy === "end" ? "done" : s.stoppedBy === "signal" ? "stopped" : "failed"} in ${(s.elapsedMs / 1000).toFixed(1)} s${s.passes > 1 ? `, ${s.passes} passes` : ""}`,
    `  rows read      ${s.rowsRead}`,
    `  records sent   ${s.recordsSent}`,
    `  retries        ${s.retriedEntries} records, ${s.requestRetries} requests (${s.throttledAttempts} throttled)`,
    `  rows skipped   ${s.rowsSkipped}`,
    ...s.skipped.map((r) => `    ${r.source} line ${r.line}: ${r.reason}`),
    `  unsent         ${s.unsent}${
      s.unsent > 0
        ? ` (${Object.entries(s.unsentByError)
            .map(([code, n]) => `${code} x${n}`)
            .join(", ")})`
        : ""
    }`,
  ];
  if (s.rowsSkipped > s.skipped.length)
    lines.splice(lines.length - 1, 0, `    ... and ${s.rowsSkipped - s.skipped.length} more`);
  return lines.join("\n");
}

export function summaryLogLine(s: SimulatorSummary): string {
  return JSON.stringify({ level: s.exitCode === 0 ? "info" : "error", message: "summary", ...s });
}

function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  return `${h > 0 ? `${h}:` : ""}${h > 0 ? String(m).padStart(2, "0") : m}:${String(s).padStart(2, "0")}`;
}
