import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSync } from "esbuild";

/** The page's script: client/report-client.ts and what it imports. */
const CLIENT_ENTRY = join(__dirname, "client", "report-client.ts");
const STYLESHEET = join(__dirname, "report.css");

let bundled: string | undefined;

/**
 * The report's script, bundled by esbuild into one function expression that any browser of the last
 * years runs (ES2017). Built once per process, in about 50 ms; types are checked separately, by the
 * client's own tsconfig.
 */
export function reportScript(): string {
  if (bundled === undefined) {
    const result = buildSync({
      entryPoints: [CLIENT_ENTRY],
      bundle: true,
      write: false,
      format: "iife",
      platform: "browser",
      target: "es2017",
      charset: "utf8",
      legalComments: "none",
    });
    bundled = inlineSafe(result.outputFiles[0].text, "script", CLIENT_ENTRY);
  }
  return bundled;
}

/** The report's stylesheet, read as it is. */
export function reportStyles(): string {
  return inlineSafe(readFileSync(STYLESHEET, "utf8"), "style", STYLESHEET);
}

/** Text placed inside <script> or <style> must not close its own element early. */
function inlineSafe(text: string, element: "script" | "style", source: string): string {
  if (text.toLowerCase().includes(`</${element}`)) {
    throw new Error(`${source}: contains "</${element}", which would end the inlined <${element}>`);
  }
  return text;
}
