import { join } from "node:path";
import { bundleBrowserScript, pageStyles } from "../page-assets";

/** The page loads nothing but its own event stream. */
export const LIVE_PAGE_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:";

const CLIENT_ENTRY = join(__dirname, "client", "live-client.ts");
const STYLESHEET = join(__dirname, "live.css");

let page: string | undefined;

/**
 * The live map's page: one HTML string with its stylesheet and its script (client/, bundled by
 * esbuild to ES2017 as the report's is) inline. Built once per process; types are checked by the
 * client's own tsconfig (npm run typecheck).
 */
export function renderLivePage(): string {
  if (page === undefined) {
    const script = bundleBrowserScript(CLIENT_ENTRY);
    page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${LIVE_PAGE_CSP}">
<title>Hotspots: live map</title>
<style>${pageStyles(STYLESHEET)}</style>
</head>
<body>
<header><h1>Hotspots: live map</h1><p id="status" class="sub">connecting&hellip;</p></header>
<main>
<section class="plot">
  <canvas id="map" width="600" height="600"></canvas>
  <div class="keys">
    <span><span class="swatch box"></span>hotspot (colour per id)</span>
    <span><span class="swatch pending"></span>not emerged yet</span>
    <span><span class="swatch gone"></span>dissolved or merged</span>
    <span><span class="swatch trail"></span>its path</span>
  </div>
</section>
<section class="side">
  <h2>Hotspots now</h2>
  <table id="hotspots"><thead><tr><th>id</th><th>members</th><th>since</th></tr></thead><tbody></tbody></table>
  <h2>Events</h2>
  <ol id="events" class="events"></ol>
</section>
</main>
<script>${script}</script>
</body>
</html>
`;
  }
  return page;
}
