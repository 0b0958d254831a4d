/**
 * The script and styles of the project's self-contained pages (the report, the live map), ready to
 * be placed inside <script> and <style>: browser TypeScript bundled by esbuild, stylesheets read
 * after the shared page-base.css. Nothing is fetched by the page.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSync } from "esbuild";

const BASE_STYLESHEET = join(__dirname, "page-base.css");

/**
 * A browser entry point and what it imports, bundled into one function expression that any browser
 * of the last years runs (ES2017), in about 50 ms. Types are checked separately, by the client's
 * own tsconfig (npm run typecheck).
 */
export function bundleBrowserScript(entry: string): string {
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2017",
    charset: "utf8",
    legalComments: "none",
  });
  return inlineSafe(result.outputFiles[0].text, "script", entry);
}

/** The shared base styles, then the page's own. */
export function pageStyles(stylesheet: string): string {
  return [BASE_STYLESHEET, stylesheet].map((file) => inlineSafe(readFileSync(file, "utf8"), "style", file)).join("\n");
}

/** Text placed inside <script> or <style> must not close its own element early. */
function inlineSafe(text: string, element: "script" | "style", source: string): string {
  if (text.toLowerCase().includes(`</${element}`)) {
    throw new Error(`${source}: contains "</${element}", which would end the inlined <${element}>`);
  }
  return text;
}
