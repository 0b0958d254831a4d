import { checkReportInBrowser } from "./report/headless-browser";

/**
 * Screenshot of a report for the README: `npx tsx local/screenshot-report.ts [out/report.html] [docs/report.png]`
 * (after `npm start`). Fails when the page logs an error or asks the network for anything. The browser:
 * CHROMIUM_PATH, else a system Chromium, else the one in the @sparticuz/chromium package (chromium-executable.ts).
 */
async function main(): Promise<void> {
  const [report = "out/report.html", png = "docs/report.png"] = process.argv.slice(2);
  const check = await checkReportInBrowser(report, png);
  if (check.errors.length > 0 || check.requests.length > 0) {
    const found = `console errors ${JSON.stringify(check.errors)}, requests ${JSON.stringify(check.requests)}`;
    throw new Error(`${report}: ${found}`);
  }
  console.log(`${png}: ${check.frameInfo} (${check.browser.source} Chromium, ${check.browser.path})`);
}

main().catch((error: Error) => {
  console.error(`screenshot-report: ${error.message}`);
  process.exit(1);
});
