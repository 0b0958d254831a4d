import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { resolveChromium, type ChromiumExecutable } from "./chromium-executable";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

export interface ReportCheck {
  /** Console errors and uncaught exceptions of the page. */
  readonly errors: string[];
  /** Requests the page made beyond its own file (a self-contained report makes none). */
  readonly requests: string[];
  /** Text of the frame line the script fills in after drawing. */
  readonly frameInfo: string;
  /** The browser that opened it. */
  readonly browser: ChromiumExecutable;
}

/**
 * Opens a report from disk (file://) in headless Chromium, collects console errors and outside
 * requests, and saves a full-page screenshot. The browser is resolveChromium()'s unless given.
 */
export async function checkReportInBrowser(
  reportPath: string,
  screenshotPath: string,
  browser?: ChromiumExecutable,
): Promise<ReportCheck> {
  const chromium = browser ?? (await resolveChromium());
  // playwright-core is a development dependency: required here so production code never loads it.
  const playwright = require("playwright-core") as typeof import("playwright-core");
  const profile = mkdtempSync(join(tmpdir(), "report-chromium-"));
  const context = await playwright.chromium.launchPersistentContext(profile, {
    executablePath: chromium.path,
    args: CHROMIUM_ARGS,
    env: { ...process.env, ...chromium.env },
    viewport: { width: 1280, height: 1000 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    const requests: string[] = [];
    const url = pathToFileURL(resolve(reportPath)).href;
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("request", (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await page.goto(url, { waitUntil: "load" });
    const frameInfo = (await page.textContent("#frame-info")) ?? "";
    await page.screenshot({ path: screenshotPath, fullPage: true });
    return { errors, requests, frameInfo, browser: chromium };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
