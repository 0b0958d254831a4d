import { join } from "node:path";
import { bundleBrowserScript, pageStyles } from "../page-assets";

/** The page's script: client/report-client.ts and what it imports. */
const CLIENT_ENTRY = join(__dirname, "client", "report-client.ts");
const STYLESHEET = join(__dirname, "report.css");

let bundled: string | undefined;

/** The report's script, bundled once per process. */
export function reportScript(): string {
  bundled ??= bundleBrowserScript(CLIENT_ENTRY);
  return bundled;
}

/** The report's stylesheet, after the shared base. */
export function reportStyles(): string {
  return pageStyles(STYLESHEET);
}
