import type { Evaluation } from "../evaluation/evaluate";
import { reportScript, reportStyles } from "./report-assets";
import { buildReportData, type ReportInput } from "./report-data";
import type { ReportData } from "./report-data-types";

/**
 * The report as one self-contained HTML string: inline CSS, inline script (client/, bundled at
 * render time), the data as inline JSON. It loads nothing from the network, so it opens from disk
 * anywhere. A run with no records gets the same summary and a line that says there is nothing to plot.
 */
export function renderReport(input: ReportInput): string {
  const data = buildReportData(input);
  const { evaluation: e, params } = input;
  const json = JSON.stringify(data).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(input.title)}</title>
<style>${reportStyles()}</style>
</head>
<body>
<header>
  <h1>${esc(input.title)}</h1>
  <p class="sub">${esc(input.inputPath)} &middot; ${e.records.toLocaleString("en-US")} records &middot; HOTSPOTS(window ${params.windowSize}, radius ${params.scanRadius}, min points ${params.minimumPoints}) over ${esc(params.columns.join(", "))}</p>
</header>
<main>
${plotSection(data)}
<section class="side">
  <h2>Summary</h2>
  ${summaryTable(e)}
  ${e.truth && data.records > 0 ? `<h2>Injected hotspots up close</h2>\n  <p class="note">Each at the middle of its interval: the window's events and the boxes detected then; click one to jump there.</p>\n  <div id="insets" class="insets"></div>` : `<div id="insets"></div>`}
  ${truthTable(e)}
  <h2>Parameters</h2>
  <table id="parameters">
    <tr><th>windowSize</th><td>${params.windowSize}</td></tr>
    <tr><th>scanRadius</th><td>${params.scanRadius}</td></tr>
    <tr><th>minimumPoints</th><td>${params.minimumPoints}</td></tr>
    <tr><th>columns</th><td>${esc(params.columns.join(", "))}</td></tr>
    ${Object.entries(input.run)
      .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
      .join("\n    ")}
  </table>
  <p class="note">A detected box matches an injected hotspot when its centre lies within the hotspot's radius of the
  hotspot's centre, while the detector's window holds records of its active interval. Precision counts boxes over
  all records; recall counts injected hotspots found at least once; the delay runs from a hotspot's first record
  to its first matching box.</p>
</section>
</main>
<script type="application/json" id="report-data">${json}</script>
<script>${reportScript()}</script>
</body>
</html>
`;
}

function plotSection(data: ReportData): string {
  if (data.records === 0) {
    return `<section class="plot" id="plot">
  <p id="frame-info" class="info empty">No records to plot: the detector received none. The input had no data rows, or every row was skipped.</p>
</section>`;
  }
  return `<section class="plot" id="plot">
  <canvas id="map" role="img" aria-label="Map of the events with the detected hotspot boxes and the ground-truth hotspots"></canvas>
  <div class="controls">
    <button id="play" type="button">&#9654; Play</button>
    <input id="frame" type="range" min="0" max="0" value="0" aria-label="Position in the run">
  </div>
  <div id="frame-info" class="info"></div>
  <canvas id="timeline" aria-label="Timeline of injected and detected hotspots"></canvas>
  <div class="keys">
    <span><i class="swatch truth"></i>injected hotspot (ground truth), while on</span>
    <span><i class="swatch false"></i>detected, matching no truth</span>
    <span>density <i id="legend" class="ramp"></i> ${fmt(data.densityRange[0])} &ndash; ${fmt(data.densityRange[1])} records per square degree</span>
    <span><i class="swatch dot"></i>events in the window &middot; faint: the whole run</span>
  </div>
</section>`;
}

function summaryTable(e: Evaluation): string {
  const t = e.truth;
  const matchedTracks = e.tracks.filter((k) => k.truthId).length;
  const rows: [string, string][] = [
    ["Records analysed", e.records.toLocaleString("en-US")],
    ["Hotspots detected (distinct)", e.spatial ? `${e.tracks.length}${t ? ` (${matchedTracks} matching an injected one)` : ""}` : "not followed: not on the map"],
    ["Hotspot boxes over all records", e.detections.toLocaleString("en-US")],
  ];
  if (!e.spatial) rows.push(["Map", "the analysed columns are not longitude and latitude: boxes cannot be placed on the map"]);
  if (t) {
    const found = t.hotspots.filter((h) => h.found).length;
    rows.push(
      ["Injected hotspots found", `${found} of ${t.hotspots.length}`],
      // evaluate() counts no boxes as precision 1; the page says there was nothing to be precise about.
      ["Precision", e.detections === 0 ? "n/a: no hotspot detected" : pct(t.precision)],
      ["Recall", pct(t.recall)],
      ["Mean detection delay, records", t.meanDelayRecords === undefined ? "n/a" : t.meanDelayRecords.toFixed(0)],
      ["Mean detection delay, seconds", t.meanDelaySeconds === undefined ? "n/a" : t.meanDelaySeconds.toFixed(1)],
    );
  } else if (!e.spatial) {
    rows.push(["Ground truth", "not scored: the boxes are not over longitude and latitude"]);
  } else {
    rows.push(["Ground truth", "none beside the input: precision, recall and delay are not computed"]);
  }
  return `<table id="summary">\n${rows.map(([k, v]) => `    <tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join("\n")}\n  </table>`;
}

function truthTable(e: Evaluation): string {
  if (!e.truth) return "";
  const rows = e.truth.hotspots
    .map(
      (h) =>
        `<tr class="${h.found ? "found" : "missed"}"><td>${esc(h.id)}</td><td>${esc(h.name)}</td><td>${h.found ? "yes" : "no"}</td>` +
        `<td>${h.delayRecords ?? "&ndash;"}</td><td>${h.delaySeconds === undefined ? "&ndash;" : h.delaySeconds.toFixed(1)}</td>` +
        `<td>${pct(h.coverage)}</td></tr>`,
    )
    .join("\n    ");
  return `<h2>Injected hotspots</h2>
  <table id="truth">
    <tr><th>id</th><th>where</th><th>found</th><th>delay, rec.</th><th>delay, s</th><th title="share of the records of its interval at which it was detected">coverage</th></tr>
    ${rows}
  </table>`;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function fmt(x: number): string {
  return x >= 1e4 ? x.toExponential(1) : String(x);
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
