import type { Evaluation } from "../evaluation/evaluate";
import { EMERGED_MATCH_SHARE, ONE_ID_SHARE, type EventScore } from "../evaluation/event-scoring";
import { reportScript, reportStyles } from "./report-assets";
import { buildReportData, type ReportInput } from "./report-data";
import { EVENT_COLOURS } from "./client/event-colours";
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
  ${eventTables(input.events?.length, input.eventScore)}
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
    ${data.events.length > 0 ? `<span>timeline ticks: <b style="color:${EVENT_COLOURS.emerged}">emerged</b> <b style="color:${EVENT_COLOURS.merged}">merged</b> <b style="color:${EVENT_COLOURS.split}">split</b> <b style="color:${EVENT_COLOURS.dissolved}">dissolved</b>; boxes are labelled with their hotspot id</span>` : ""}
  </div>
</section>`;
}

function summaryTable(e: Evaluation): string {
  const t = e.truth;
  const matchedTracks = e.tracks.filter((k) => k.truthId).length;
  const rows: [string, string][] = [
    ["Records analysed", e.records.toLocaleString("en-US")],
    [
      "Hotspots detected (distinct)",
      e.spatial
        ? `${e.tracks.length}${t ? ` (${matchedTracks} matching an injected one)` : ""}`
        : "not followed: not on the map",
    ],
    ["Hotspot boxes over all records", e.detections.toLocaleString("en-US")],
  ];
  if (!e.spatial)
    rows.push(["Map", "the analysed columns are not longitude and latitude: boxes cannot be placed on the map"]);
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

/** The hotspot events of the run and, with a ground truth, how their ids and emergences score (scoreEvents). */
function eventTables(count: number | undefined, score: EventScore | undefined): string {
  if (count === undefined) return "";
  if (!score)
    return `<h2>Hotspot events</h2>\n  <p id="event-score" class="note">${count.toLocaleString("en-US")} events; not scored (no ground truth, or the columns are not longitude and latitude).</p>`;
  const t = score.byType;
  const summary: [string, string][] = [
    [
      "Hotspot events",
      `${score.events.toLocaleString("en-US")}: ${t.emerged} emerged, ${t.changed} changed, ${t.merged} merged, ${t.split} split, ${t.dissolved} dissolved`,
    ],
    [
      `Injected hotspots with one id for >= ${Math.round(ONE_ID_SHARE * 100)} % of their detected records`,
      `${score.oneIdHotspots} of ${score.hotspots.length}`,
    ],
    [
      `Emerged events matching an injected hotspot (goal >= ${Math.round(EMERGED_MATCH_SHARE * 100)} %)`,
      `${score.emergedMatching} of ${score.emerged}`,
    ],
    ["Mean emergence delay, records", score.meanDelayRecords === undefined ? "n/a" : score.meanDelayRecords.toFixed(0)],
    ["Mean emergence delay, seconds", score.meanDelaySeconds === undefined ? "n/a" : score.meanDelaySeconds.toFixed(1)],
  ];
  const rows = score.hotspots
    .map(
      (h) =>
        `<tr class="${h.detected > 0 && h.mainShare >= ONE_ID_SHARE ? "found" : "missed"}"><td>${esc(h.id)}</td><td>${h.ids}</td><td>${esc(h.mainId ?? "\u2013")}</td>` +
        `<td>${h.detected > 0 ? pct(h.mainShare) : "&ndash;"}</td><td>${h.detected}/${h.records}</td>` +
        `<td>${h.emerged?.delayRecords ?? "&ndash;"}</td><td>${h.emerged ? h.emerged.delaySeconds.toFixed(1) : "&ndash;"}</td></tr>`,
    )
    .join("\n    ");
  return `<h2>Hotspot events</h2>
  <table id="event-score">
${summary.map(([k, v]) => `    <tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join("\n")}
  </table>
  <table id="hotspot-ids">
    <tr><th>injected</th><th title="distinct hotspot ids among its detected records">ids</th><th>main id</th><th title="detected records under the main id">under it</th><th title="its records held by an emerged hotspot / its records">detected</th><th>emerged after, rec.</th><th>emerged after, s</th></tr>
    ${rows}
  </table>
  <p class="note">An injected hotspot's records are its rows within its radius of its centre; a record's id is that of the
  smallest box of its HOTSPOTS_RESULT holding it. An emerged event matches an injected hotspot when its centroid lies
  within the hotspot's radius of its centre while the window holds its records.${
    score.unmatched.length > 0
      ? ` Not matching: ${esc(score.unmatched.map((u) => `${u.hotspotId} (record ${u.position}, ${u.members} members)`).join(", "))}.`
      : ""
  }</p>`;
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
